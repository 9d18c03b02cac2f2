package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/scale"
)

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestSchemaInvariants checks the rules the schema enforces whatever the
// client: the sign-derived type, no zero amounts, legal job moves only, one
// active model per user, the autovacuum settings of transactions.
func TestSchemaInvariants(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn := connect(t, url)
	ctx := t.Context()
	now := time.Now()
	acct := scale.NewID()
	if _, err := conn.Exec(ctx, `INSERT INTO accounts (id, user_id, name, kind, currency, created_at, updated_at)
		VALUES ($1, 'u1', 'Main', 'checking', 'EUR', $2, $2)`, acct, now); err != nil {
		t.Fatal(err)
	}
	insertTx := func(amount int64, fp string) error {
		_, err := conn.Exec(ctx, `INSERT INTO transactions (id, user_id, account_id, booked_on, amount, currency,
			fingerprint, fingerprint_version, created_at, updated_at)
			VALUES ($1, 'u1', $2, '2026-03-01', $3, 'EUR', $4, 'v1', $5, $5)`, scale.NewID(), acct, amount, fp, now)
		return err
	}
	t.Run("type follows the sign", func(t *testing.T) {
		is := is.New(t)
		is.NoErr(insertTx(-500, "a"))
		is.NoErr(insertTx(700, "b"))
		var debit, credit string
		is.NoErr(conn.QueryRow(ctx, `SELECT type FROM transactions WHERE fingerprint = 'a'`).Scan(&debit))
		is.NoErr(conn.QueryRow(ctx, `SELECT type FROM transactions WHERE fingerprint = 'b'`).Scan(&credit))
		is.Equal(debit, "debit")
		is.Equal(credit, "credit")
		_, err := conn.Exec(ctx, `UPDATE transactions SET type = 'credit' WHERE fingerprint = 'a'`)
		is.True(err != nil) // a generated column cannot be written
	})
	t.Run("zero amount is refused", func(t *testing.T) {
		is := is.New(t)
		is.True(insertTx(0, "zero") != nil)
	})
	t.Run("illegal job transitions are refused", func(t *testing.T) {
		is := is.New(t)
		job := scale.NewID()
		_, err := conn.Exec(ctx, `INSERT INTO training_jobs (id, user_id, status, created_at, updated_at)
			VALUES ($1, 'u1', 'queued', $2, $2)`, job, now)
		is.NoErr(err)
		set := func(status string) error {
			_, err := conn.Exec(ctx, `UPDATE training_jobs SET status = $2 WHERE id = $1`, job, status)
			return err
		}
		is.True(set("completed") != nil) // queued → completed skips running
		is.NoErr(set("running"))
		is.NoErr(set("completed"))
		is.True(set("running") != nil) // completed is terminal
		is.True(set("queued") != nil)
		is.True(set("bogus") != nil)
		_, err = conn.Exec(ctx, `UPDATE training_jobs SET progress = 101 WHERE id = $1`, job)
		is.True(err != nil)
	})
	t.Run("one active model per user", func(t *testing.T) {
		is := is.New(t)
		ins := func(version int, active bool) error {
			_, err := conn.Exec(ctx, `INSERT INTO model_versions (id, user_id, version, active, created_at)
				VALUES ($1, 'u1', $2, $3, $4)`, scale.NewID(), version, active, now)
			return err
		}
		is.NoErr(ins(1, true))
		is.NoErr(ins(2, false))
		is.True(ins(3, true) != nil)
	})
	t.Run("transactions autovacuum settings", func(t *testing.T) {
		is := is.New(t)
		var opts []string
		is.NoErr(conn.QueryRow(ctx, `SELECT reloptions FROM pg_class WHERE relname = 'transactions'`).Scan(&opts))
		is.Equal(opts, []string{"autovacuum_vacuum_scale_factor=0.05", "autovacuum_analyze_scale_factor=0.02"})
	})
}

// TestTransactionReferences checks the references of a transaction, which
// the schema enforces once per statement (migration 00006) with the
// guarantees of the foreign keys they replace: the account and the upload
// must be the same user's, they are locked against deletion while a
// transaction that references them is in flight, an account with
// transactions cannot be deleted, and deleting an upload releases its
// transactions.
func TestTransactionReferences(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn := connect(t, url)
	ctx := t.Context()
	now := time.Now()
	newAccount := func(user string) string {
		id := scale.NewID()
		if _, err := conn.Exec(ctx, `INSERT INTO accounts (id, user_id, name, kind, currency, created_at, updated_at)
			VALUES ($1, $2, 'Main', 'checking', 'EUR', $3, $3)`, id, user, now); err != nil {
			t.Fatal(err)
		}
		return id
	}
	newUpload := func(user, account string) string {
		id := scale.NewID()
		if _, err := conn.Exec(ctx, `INSERT INTO uploaded_files (id, user_id, account_id, sha256, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, user, account, id, now); err != nil {
			t.Fatal(err)
		}
		return id
	}
	insert := func(db interface {
		Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	}, user, account string, upload any) (string, error) {
		id := scale.NewID()
		_, err := db.Exec(ctx, `INSERT INTO transactions (id, user_id, account_id, booked_on, amount, currency,
			fingerprint, fingerprint_version, upload_id, created_at, updated_at)
			VALUES ($1, $2, $3, '2026-03-01', -100, 'EUR', $6, 'v1', $4, $5, $5)`, id, user, account, upload, now, id)
		return id, err
	}
	isForeignKey := func(err error) bool {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == "23503"
	}
	mine, theirs := newAccount("u1"), newAccount("u2")
	myUpload, theirUpload := newUpload("u1", mine), newUpload("u2", theirs)

	t.Run("own account and upload", func(t *testing.T) {
		is := is.New(t)
		_, err := insert(conn, "u1", mine, myUpload)
		is.NoErr(err)
		_, err = insert(conn, "u1", mine, nil)
		is.NoErr(err)
	})
	t.Run("another user's account or upload is refused", func(t *testing.T) {
		is := is.New(t)
		_, err := insert(conn, "u1", theirs, nil)
		is.True(isForeignKey(err))
		_, err = insert(conn, "u1", mine, theirUpload)
		is.True(isForeignKey(err))
		_, err = insert(conn, "u1", scale.NewID(), nil)
		is.True(isForeignKey(err))
	})
	t.Run("moving a transaction to another user's account is refused", func(t *testing.T) {
		is := is.New(t)
		id, err := insert(conn, "u1", mine, nil)
		is.NoErr(err)
		_, err = conn.Exec(ctx, `UPDATE transactions SET account_id = $2 WHERE id = $1`, id, theirs)
		is.True(isForeignKey(err))
		_, err = conn.Exec(ctx, `UPDATE transactions SET category = 'food' WHERE id = $1`, id)
		is.NoErr(err)
	})
	t.Run("an account with transactions cannot be deleted or re-keyed", func(t *testing.T) {
		is := is.New(t)
		_, err := conn.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, mine)
		is.True(isForeignKey(err))
		_, err = conn.Exec(ctx, `UPDATE accounts SET user_id = 'u3' WHERE id = $1`, mine)
		is.True(isForeignKey(err))
		_, err = conn.Exec(ctx, `UPDATE accounts SET name = 'Renamed' WHERE id = $1`, mine)
		is.NoErr(err)
		empty := newAccount("u1")
		_, err = conn.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, empty)
		is.NoErr(err)
	})
	t.Run("deleting an upload releases its transactions", func(t *testing.T) {
		is := is.New(t)
		up := newUpload("u1", mine)
		id, err := insert(conn, "u1", mine, up)
		is.NoErr(err)
		_, err = conn.Exec(ctx, `DELETE FROM uploaded_files WHERE id = $1`, up)
		is.NoErr(err)
		var upload *string
		is.NoErr(conn.QueryRow(ctx, `SELECT upload_id::text FROM transactions WHERE id = $1`, id).Scan(&upload))
		is.True(upload == nil)
	})
	t.Run("an upload with transactions keeps its key; referenced tables are not truncated", func(t *testing.T) {
		is := is.New(t)
		up := newUpload("u1", mine)
		_, err := insert(conn, "u1", mine, up)
		is.NoErr(err)
		_, err = conn.Exec(ctx, `UPDATE uploaded_files SET id = $2 WHERE id = $1`, up, scale.NewID())
		is.True(isForeignKey(err))
		_, err = conn.Exec(ctx, `TRUNCATE uploaded_files CASCADE`)
		is.True(isForeignKey(err))
		_, err = conn.Exec(ctx, `TRUNCATE accounts CASCADE`)
		is.True(isForeignKey(err))
	})
	t.Run("deleting a referenced row needs READ COMMITTED", func(t *testing.T) {
		is := is.New(t)
		acct := newAccount("u1")
		tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
		is.NoErr(err)
		defer tx.Rollback(ctx)
		_, err = tx.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, acct)
		var pgErr *pgconn.PgError
		is.True(errors.As(err, &pgErr) && pgErr.Code == "0A000")
	})
	t.Run("an account is locked while a transaction referencing it is in flight", func(t *testing.T) {
		is := is.New(t)
		acct := newAccount("u1")
		tx, err := conn.Begin(ctx)
		is.NoErr(err)
		defer tx.Rollback(ctx)
		_, err = insert(tx, "u1", acct, nil)
		is.NoErr(err)
		other := connect(t, url)
		_, err = other.Exec(ctx, `SET lock_timeout = '200ms'`)
		is.NoErr(err)
		_, err = other.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, acct)
		var pgErr *pgconn.PgError
		is.True(errors.As(err, &pgErr) && pgErr.Code == "55P03") // lock_not_available: the delete waits
		is.NoErr(tx.Commit(ctx))
		_, err = other.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, acct)
		is.True(isForeignKey(err))
	})
}
