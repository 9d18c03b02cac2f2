-- Uploaded statement files and the transactions imported from them.
--
-- transactions.type is generated from the sign of amount, so it can never
-- disagree with it; a zero amount is refused.
--
-- ON DELETE: an account with transactions or uploads cannot be deleted
-- (accounts are closed, not deleted; history is kept). Deleting an upload
-- keeps its transactions (upload_id becomes NULL).

-- +goose Up
CREATE TABLE uploaded_files (
    id          uuid        PRIMARY KEY,
    user_id     text        NOT NULL,
    account_id  uuid        REFERENCES accounts (id) ON DELETE RESTRICT,
    file_name   text        NOT NULL DEFAULT '',
    sha256      text        NOT NULL,
    size_bytes  bigint      NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    format      text        NOT NULL DEFAULT '',
    status      text        NOT NULL DEFAULT 'processing'
        CHECK (status IN ('processing', 'completed', 'failed')),
    inserted    integer     NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    duplicates  integer     NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
    rejected    integer     NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    skipped     integer     NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    rejections  jsonb       NOT NULL DEFAULT '[]',
    error       text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    finished_at timestamptz,
    CONSTRAINT uploaded_files_user_sha256_key UNIQUE (user_id, sha256)
);

CREATE INDEX idx_uploaded_files_user_created ON uploaded_files (user_id, created_at DESC, id DESC);
CREATE INDEX idx_uploaded_files_account ON uploaded_files (account_id);

CREATE TABLE transactions (
    id                  uuid        PRIMARY KEY,
    user_id             text        NOT NULL,
    account_id          uuid        NOT NULL,
    booked_on           date        NOT NULL,
    amount              bigint      NOT NULL CHECK (amount <> 0),
    currency            char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    type                text        NOT NULL
        GENERATED ALWAYS AS (CASE WHEN amount > 0 THEN 'credit' ELSE 'debit' END) STORED
        CHECK (type IN ('credit', 'debit')),
    description         text        NOT NULL DEFAULT '',
    merchant            text        NOT NULL DEFAULT '',
    notes               text        NOT NULL DEFAULT '',
    reference           text        NOT NULL DEFAULT '',
    category            text        NOT NULL DEFAULT '',
    label_source        text        NOT NULL DEFAULT ''
        CHECK (label_source IN ('', 'rule', 'correction', 'import', 'model')),
    confidence          double precision NOT NULL DEFAULT 0 CHECK (confidence BETWEEN 0 AND 1),
    fingerprint         text        NOT NULL,
    fingerprint_version text        NOT NULL,
    raw_data            jsonb       NOT NULL DEFAULT '{}',
    upload_id           uuid        REFERENCES uploaded_files (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT transactions_user_fingerprint_key UNIQUE (user_id, fingerprint),
    CONSTRAINT transactions_account_owner_fkey FOREIGN KEY (user_id, account_id)
        REFERENCES accounts (user_id, id) ON DELETE RESTRICT
) WITH (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);

-- The keyset listing: WHERE user_id = $1 AND (booked_on, id) < ($2, $3)
-- ORDER BY booked_on DESC, id DESC walks this index in both directions.
CREATE INDEX idx_transactions_pagination ON transactions (user_id, booked_on DESC, id DESC);
-- The category filter, in the same keyset order.
CREATE INDEX idx_transactions_user_category ON transactions (user_id, category, booked_on DESC, id DESC);
-- Case-insensitive merchant equality.
CREATE INDEX idx_transactions_user_merchant ON transactions (user_id, lower(merchant));
CREATE INDEX idx_transactions_user_amount ON transactions (user_id, amount);
CREATE INDEX idx_transactions_raw_data ON transactions USING gin (raw_data jsonb_path_ops);
-- Partial: most rows come from an upload, but the lookup is by upload.
CREATE INDEX idx_transactions_upload ON transactions (upload_id) WHERE upload_id IS NOT NULL;

-- +goose Down
DROP TABLE transactions;
DROP TABLE uploaded_files;
