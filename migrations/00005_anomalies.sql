-- Anomaly findings, one per transaction and detector. A finding goes with
-- its transaction.

-- +goose Up
CREATE TABLE anomalies (
    id             uuid        PRIMARY KEY,
    user_id        text        NOT NULL,
    transaction_id uuid        NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
    kind           text        NOT NULL,
    score          double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
    reason         text        NOT NULL DEFAULT '',
    status         text        NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'dismissed', 'confirmed')),
    booked_on      date        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT anomalies_user_transaction_kind_key UNIQUE (user_id, transaction_id, kind)
);

CREATE INDEX idx_anomalies_user_date ON anomalies (user_id, booked_on DESC, id DESC);
-- Serves the cascade from transactions.
CREATE INDEX idx_anomalies_transaction ON anomalies (transaction_id);

-- +goose Down
DROP TABLE anomalies;
