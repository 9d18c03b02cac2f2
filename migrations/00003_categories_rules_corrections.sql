-- A user's own categories, categorization rules and corrections.
--
-- Category ids are text: the default taxonomy uses slugs ("food") that are
-- not stored here, a user's own categories use generated ids. A transaction
-- or rule names its category by id without a foreign key, because default
-- categories have no row.

-- +goose Up
CREATE TABLE categories (
    id         text        PRIMARY KEY,
    user_id    text        NOT NULL,
    name       text        NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX categories_user_name_key ON categories (user_id, lower(name));

CREATE TABLE rules (
    id         uuid        PRIMARY KEY,
    user_id    text        NOT NULL,
    category   text        NOT NULL,
    field      text        NOT NULL CHECK (field IN ('merchant', 'description', 'any')),
    match      text        NOT NULL CHECK (match IN ('equals', 'contains', 'regex')),
    pattern    text        NOT NULL DEFAULT '',
    min_amount bigint,
    max_amount bigint,
    -- account_id is a filter, not a reference: a rule may outlive the account.
    account_id text        NOT NULL DEFAULT '',
    priority   integer     NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK (min_amount IS NULL OR max_amount IS NULL OR min_amount <= max_amount)
);

CREATE INDEX idx_rules_user_priority ON rules (user_id, priority, created_at, id);

CREATE TABLE corrections (
    user_id    text        NOT NULL,
    key        text        NOT NULL,
    category   text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- +goose Down
DROP TABLE corrections;
DROP TABLE rules;
DROP TABLE categories;
