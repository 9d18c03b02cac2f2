package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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
