-- Import throughput (docs/adr/0006-import-throughput.md). Storing a row of
-- transactions cost one B-tree insertion per index plus one foreign-key
-- lookup per reference, row by row. This migration keeps every guarantee
-- and every listing path but makes a row cheaper to store:
--
-- * the category filter is served by the pagination index itself, which
--   now carries category as a trailing key column: btree checks
--   `category = ANY(...)` on the index entries of the keyset walk, so no
--   heap row is read for the other categories, and one index fewer is
--   maintained on every insert;
-- * the partial index on upload_id goes: uploads are never looked up
--   across users, and a listing by upload walks the pagination index;
-- * the merchant index leaves out rows without a merchant (statements
--   without a counterparty column): a merchant filter is never empty;
-- * fingerprints are stored as their 32 bytes, not 64 hex characters: the
--   unique index every insert probes is half the size;
-- * the GIN index on raw_data keeps a larger pending list, so an import
--   appends to it and (auto)vacuum merges it, off the import's path;
-- * the two references of a transaction (its user's account, its user's
--   upload) are checked once per statement over all its rows (a statement
--   trigger with a transition table) instead of once per row; the checks
--   lock the referenced rows FOR KEY SHARE exactly as a foreign key does,
--   raise SQLSTATE 23503 like one; an UPDATE is checked row by row, only
--   when it changes a reference; triggers on accounts and uploaded_files
--   keep ON DELETE RESTRICT / SET NULL, refuse key changes and TRUNCATE
--   while transactions reference them, and refuse to run outside READ
--   COMMITTED, where a trigger's snapshot could miss a concurrent insert.

-- +goose Up
-- A v1 fingerprint (64 hex digits) is kept as its 32 bytes; anything else as
-- 0x00 and its UTF-8 bytes (0x00 0x00 when that would make 32 bytes), so
-- that only v1 fingerprints are 32 bytes long (adapters/postgres/values.go).
ALTER TABLE transactions ALTER COLUMN fingerprint TYPE bytea USING (
    CASE WHEN fingerprint ~ '^[0-9a-f]{64}$' THEN decode(fingerprint, 'hex')
         WHEN octet_length(fingerprint) = 31 THEN '\x0000'::bytea || convert_to(fingerprint, 'UTF8')
         ELSE '\x00'::bytea || convert_to(fingerprint, 'UTF8') END);

DROP INDEX idx_transactions_pagination;
DROP INDEX idx_transactions_user_category;
DROP INDEX idx_transactions_upload;
-- The keyset listing: WHERE user_id = $1 [AND category = ANY($2)] AND
-- (booked_on, id) < ($d, $id) ORDER BY booked_on DESC, id DESC. id is
-- unique, so the trailing category never changes the order.
CREATE INDEX idx_transactions_pagination ON transactions (user_id, booked_on DESC, id DESC, category);
-- The merchant filter adds merchant <> '' (implied by a non-empty filter),
-- so the planner can use this partial index.
DROP INDEX idx_transactions_user_merchant;
CREATE INDEX idx_transactions_user_merchant ON transactions (user_id, lower(merchant)) WHERE merchant <> '';

ALTER INDEX idx_transactions_raw_data SET (gin_pending_list_limit = 262144);

ALTER TABLE transactions
    DROP CONSTRAINT transactions_account_owner_fkey,
    DROP CONSTRAINT transactions_upload_id_fkey;

-- +goose StatementBegin
CREATE FUNCTION transactions_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    PERFORM 1 FROM accounts a
    WHERE (a.user_id, a.id) IN (SELECT DISTINCT n.user_id, n.account_id FROM new_rows n)
    FOR KEY SHARE OF a;
    SELECT n.user_id, n.account_id INTO bad
    FROM (SELECT DISTINCT user_id, account_id FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = n.user_id AND a.id = n.account_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'account % is not an account of user %', bad.account_id, bad.user_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'transactions',
                  CONSTRAINT = 'transactions_account_owner_fkey';
    END IF;

    PERFORM 1 FROM uploaded_files u
    WHERE (u.user_id, u.id) IN (SELECT DISTINCT n.user_id, n.upload_id FROM new_rows n WHERE n.upload_id IS NOT NULL)
    FOR KEY SHARE OF u;
    SELECT n.user_id, n.upload_id INTO bad
    FROM (SELECT DISTINCT user_id, upload_id FROM new_rows WHERE upload_id IS NOT NULL) n
    WHERE NOT EXISTS (SELECT 1 FROM uploaded_files u WHERE u.user_id = n.user_id AND u.id = n.upload_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'upload % is not an upload of user %', bad.upload_id, bad.user_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'transactions',
                  CONSTRAINT = 'transactions_upload_id_fkey';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER transactions_references_insert
    AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_check_references();

-- An UPDATE is checked row by row, and only when it changes a reference:
-- relabelling many rows pays nothing.
-- +goose StatementBegin
CREATE FUNCTION transactions_check_reference_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM accounts a WHERE a.user_id = NEW.user_id AND a.id = NEW.account_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account % is not an account of user %', NEW.account_id, NEW.user_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'transactions',
                  CONSTRAINT = 'transactions_account_owner_fkey';
    END IF;
    IF NEW.upload_id IS NOT NULL THEN
        PERFORM 1 FROM uploaded_files u WHERE u.user_id = NEW.user_id AND u.id = NEW.upload_id FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'upload % is not an upload of user %', NEW.upload_id, NEW.user_id
                USING ERRCODE = 'foreign_key_violation', TABLE = 'transactions',
                      CONSTRAINT = 'transactions_upload_id_fkey';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER transactions_references_update
    AFTER UPDATE OF user_id, account_id, upload_id ON transactions
    FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.account_id IS DISTINCT FROM NEW.account_id
                       OR OLD.upload_id IS DISTINCT FROM NEW.upload_id)
    EXECUTE FUNCTION transactions_check_reference_row();

-- The referenced side. A foreign key's check sees rows committed by others
-- whatever the isolation; a trigger's query sees its snapshot, which is
-- only fresh enough under READ COMMITTED (the row lock it waited for was
-- released by the inserting transaction's commit), so the deleting side
-- refuses to run under REPEATABLE READ or SERIALIZABLE.
-- +goose StatementBegin
CREATE FUNCTION transactions_require_read_committed() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'deleting or re-keying a row that transactions reference needs READ COMMITTED isolation'
            USING ERRCODE = 'feature_not_supported';
    END IF;
END
$$;
-- +goose StatementEnd

-- ON DELETE RESTRICT, and no key change, for an account with transactions.
-- +goose StatementBegin
CREATE FUNCTION accounts_restrict_referenced() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transactions_require_read_committed();
    IF EXISTS (SELECT 1 FROM transactions t WHERE t.user_id = OLD.user_id AND t.account_id = OLD.id) THEN
        RAISE EXCEPTION 'account % still has transactions', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'accounts',
                  CONSTRAINT = 'transactions_account_owner_fkey';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER accounts_restrict_delete
    BEFORE DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_restrict_referenced();
CREATE TRIGGER accounts_restrict_key_change
    BEFORE UPDATE OF id, user_id ON accounts
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION accounts_restrict_referenced();

-- ON DELETE SET NULL for an upload's transactions.
-- +goose StatementBegin
CREATE FUNCTION uploaded_files_release_transactions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transactions_require_read_committed();
    UPDATE transactions SET upload_id = NULL WHERE user_id = OLD.user_id AND upload_id = OLD.id;
    RETURN OLD;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER uploaded_files_release_delete
    AFTER DELETE ON uploaded_files
    FOR EACH ROW EXECUTE FUNCTION uploaded_files_release_transactions();

-- ON UPDATE NO ACTION: an upload with transactions keeps its key.
-- +goose StatementBegin
CREATE FUNCTION uploaded_files_restrict_key_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transactions_require_read_committed();
    IF EXISTS (SELECT 1 FROM transactions t WHERE t.user_id = OLD.user_id AND t.upload_id = OLD.id) THEN
        RAISE EXCEPTION 'upload % still has transactions', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'uploaded_files',
                  CONSTRAINT = 'transactions_upload_id_fkey';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER uploaded_files_restrict_key_change
    BEFORE UPDATE OF id, user_id ON uploaded_files
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION uploaded_files_restrict_key_change();

-- TRUNCATE of a referenced table is refused while transactions exist, as a
-- foreign key refuses it (truncate transactions first).
-- +goose StatementBegin
CREATE FUNCTION transactions_restrict_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM transactions) THEN
        RAISE EXCEPTION 'cannot truncate %: transactions reference it', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER accounts_restrict_truncate
    BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_restrict_truncate();
CREATE TRIGGER uploaded_files_restrict_truncate
    BEFORE TRUNCATE ON uploaded_files
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_restrict_truncate();

-- +goose Down
DROP TRIGGER uploaded_files_restrict_truncate ON uploaded_files;
DROP TRIGGER accounts_restrict_truncate ON accounts;
DROP FUNCTION transactions_restrict_truncate();
DROP TRIGGER uploaded_files_restrict_key_change ON uploaded_files;
DROP FUNCTION uploaded_files_restrict_key_change();
DROP TRIGGER uploaded_files_release_delete ON uploaded_files;
DROP FUNCTION uploaded_files_release_transactions();
DROP TRIGGER accounts_restrict_key_change ON accounts;
DROP TRIGGER accounts_restrict_delete ON accounts;
DROP FUNCTION accounts_restrict_referenced();
DROP FUNCTION transactions_require_read_committed();
DROP TRIGGER transactions_references_update ON transactions;
DROP FUNCTION transactions_check_reference_row();
DROP TRIGGER transactions_references_insert ON transactions;
DROP FUNCTION transactions_check_references();

ALTER TABLE transactions
    ADD CONSTRAINT transactions_account_owner_fkey FOREIGN KEY (user_id, account_id)
        REFERENCES accounts (user_id, id) ON DELETE RESTRICT,
    ADD CONSTRAINT transactions_upload_id_fkey FOREIGN KEY (upload_id)
        REFERENCES uploaded_files (id) ON DELETE SET NULL;

ALTER INDEX idx_transactions_raw_data RESET (gin_pending_list_limit);

DROP INDEX idx_transactions_user_merchant;
CREATE INDEX idx_transactions_user_merchant ON transactions (user_id, lower(merchant));
DROP INDEX idx_transactions_pagination;
CREATE INDEX idx_transactions_pagination ON transactions (user_id, booked_on DESC, id DESC);
CREATE INDEX idx_transactions_user_category ON transactions (user_id, category, booked_on DESC, id DESC);
CREATE INDEX idx_transactions_upload ON transactions (upload_id) WHERE upload_id IS NOT NULL;

ALTER TABLE transactions ALTER COLUMN fingerprint TYPE text USING (
    CASE WHEN octet_length(fingerprint) = 32 THEN encode(fingerprint, 'hex')
         ELSE convert_from(ltrim(fingerprint, '\x00'::bytea), 'UTF8') END);
