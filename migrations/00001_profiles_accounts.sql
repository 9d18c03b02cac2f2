-- Profiles and bank accounts.
--
-- User ids are JWT subjects: arbitrary text, never a foreign key (there is no
-- users table). Every other id Scale makes is a UUIDv7, stored as uuid.

-- +goose Up
CREATE TABLE profiles (
    user_id      text        PRIMARY KEY,
    display_name text        NOT NULL DEFAULT '',
    currency     char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    time_zone    text        NOT NULL DEFAULT 'UTC',
    locale       text        NOT NULL DEFAULT 'en',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE accounts (
    id          uuid        PRIMARY KEY,
    user_id     text        NOT NULL,
    name        text        NOT NULL,
    kind        text        NOT NULL
        CHECK (kind IN ('checking', 'savings', 'credit_card', 'cash', 'loan', 'other')),
    currency    char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    institution text        NOT NULL DEFAULT '',
    closed_at   timestamptz,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- Lets transactions reference (user_id, id), so a row can only ever sit
    -- on an account of its own user.
    CONSTRAINT accounts_user_id_id_key UNIQUE (user_id, id)
);

CREATE INDEX idx_accounts_user ON accounts (user_id, created_at, id);

-- +goose Down
DROP TABLE accounts;
DROP TABLE profiles;
