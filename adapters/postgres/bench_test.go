package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// benchTransactions returns n new, valid transactions of user on account.
func benchTransactions(user scale.UserID, account scale.AccountID, n int) []scale.Transaction {
	txs := make([]scale.Transaction, n)
	now := time.Now()
	day := scale.Date{Year: 2020, Month: time.January, Day: 1}
	for i := range txs {
		amount := -int64(i%50000 + 1)
		if i%3 == 0 {
			amount = -amount
		}
		desc := fmt.Sprintf("CARD PAYMENT SHOP %d REF %d", i%500, i)
		txs[i] = scale.Transaction{
			ID: scale.TransactionID(scale.NewID()), User: user, Account: account, Date: day.AddDays(i % 2000),
			Amount: scale.Money{Minor: amount, Currency: "EUR"}, Description: desc, Merchant: fmt.Sprintf("SHOP %d", i%500),
			Label:       scale.Label{Category: "food", Source: scale.SourceModel, Confidence: 0.8},
			Fingerprint: fmt.Sprintf("v1:%s:%d", user, i), FingerprintVersion: "v1",
			Raw:       map[string]string{"Description": desc, "Amount": fmt.Sprint(amount)},
			CreatedAt: now, UpdatedAt: now,
		}
	}
	return txs
}

// copyColumns are the columns both paths write.
var copyColumns = []string{"id", "user_id", "account_id", "booked_on", "amount", "currency", "description", "merchant",
	"notes", "reference", "category", "label_source", "confidence", "fingerprint", "fingerprint_version", "raw_data",
	"created_at", "updated_at"}

func copyRows(txs []scale.Transaction) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(txs), func(i int) ([]any, error) {
		t := txs[i]
		return []any{string(t.ID), string(t.User), string(t.Account), t.Date.Time(), t.Amount.Minor, string(t.Amount.Currency),
			t.Description, t.Merchant, t.Notes, t.Reference, string(t.Label.Category), string(t.Label.Source),
			t.Label.Confidence, postgres.EncodeFingerprint(t.Fingerprint), t.FingerprintVersion, t.Raw, t.CreatedAt, t.UpdatedAt}, nil
	})
}

// BenchmarkStore100k stores 100,000 new transactions through the batch path
// (InsertTransactions: one database transaction, unnest batches of 1,000
// with ON CONFLICT DO NOTHING RETURNING), as a user's first import (an
// import that promised unique fingerprints: COPY from the second batch on)
// and, in the same iteration, through the alternative (COPY into a temporary table, then one INSERT ... SELECT
// ... ON CONFLICT DO NOTHING RETURNING), and COPYs the same rows into a bare
// table with the same columns and no index or constraint, and into the real
// table. It reports rows/s of each and the ratio batch/COPY-bare.
//
//	SCALE_TEST_POSTGRES_URL=... go test ./adapters/postgres -run '^$' -bench Store100k -benchtime 3x
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	url := pgtest.NewDatabase(b)
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE bare_transactions (
		id uuid, user_id text, account_id uuid, booked_on date, amount bigint, currency char(3),
		description text, merchant text, notes text, reference text, category text, label_source text,
		confidence float8, fingerprint bytea, fingerprint_version text, raw_data jsonb,
		created_at timestamptz, updated_at timestamptz)`); err != nil {
		b.Fatal(err)
	}
	user := scale.UserID("bench-user")
	acct := scale.Account{ID: scale.AccountID(scale.NewID()), User: user, Name: "Main", Kind: scale.AccountChecking,
		Currency: "EUR", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateAccount(ctx, acct); err != nil {
		b.Fatal(err)
	}
	var batch, first, copyMerge, copyBare, copyFull time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		txs := benchTransactions(user, acct.ID, n)
		if _, err := conn.Exec(ctx, `TRUNCATE transactions CASCADE; TRUNCATE bare_transactions; CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		start := time.Now()
		res, err := s.InsertTransactions(ctx, user, txs)
		batch += time.Since(start)
		if err != nil || len(res.Inserted) != n {
			b.Fatalf("batch path: %d inserted, %v", len(res.Inserted), err)
		}

		b.StopTimer()
		if _, err := conn.Exec(ctx, `TRUNCATE transactions CASCADE; CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		firstImport(ctx, b, s, user, acct.ID, txs)
		first += time.Since(start)

		b.StopTimer()
		if _, err := conn.Exec(ctx, `TRUNCATE transactions CASCADE; CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		if n := copyMergeInsert(ctx, b, conn, txs); n != len(txs) {
			b.Fatalf("copy+merge stored %d rows", n)
		}
		copyMerge += time.Since(start)

		start = time.Now()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"bare_transactions"}, copyColumns, copyRows(txs)); err != nil {
			b.Fatal(err)
		}
		copyBare += time.Since(start)

		b.StopTimer()
		if _, err := conn.Exec(ctx, `TRUNCATE transactions CASCADE; CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"transactions"}, copyColumns, copyRows(txs)); err != nil {
			b.Fatal(err)
		}
		copyFull += time.Since(start)
	}
	rate := func(d time.Duration) float64 { return float64(n*b.N) / d.Seconds() }
	b.ReportMetric(rate(batch), "batch-rows/s")
	b.ReportMetric(rate(first), "first-import-rows/s")
	b.ReportMetric(rate(copyMerge), "copy-merge-rows/s")
	b.ReportMetric(rate(copyBare), "copy-bare-rows/s")
	b.ReportMetric(rate(copyFull), "copy-indexed-rows/s")
	b.ReportMetric(rate(batch)/rate(copyBare), "batch/copy-bare")
}

// firstImport stores txs as a user's first import does: BeginImport with
// the promise of unique fingerprints, batches of BatchSize, Commit.
func firstImport(ctx context.Context, b *testing.B, s *postgres.Store, user scale.UserID, account scale.AccountID, txs []scale.Transaction) {
	up := scale.Upload{ID: scale.UploadID(scale.NewID()), User: user, Account: account, FileName: "bench.csv",
		SHA256: scale.NewID(), Status: scale.UploadProcessing, CreatedAt: time.Now()}
	if err := s.CreateUpload(ctx, up); err != nil {
		b.Fatal(err)
	}
	itx, err := s.BeginImport(ctx, user, ports.ImportOptions{UniqueFingerprints: true})
	if err != nil {
		b.Fatal(err)
	}
	defer itx.Rollback(ctx)
	for start := 0; start < len(txs); start += postgres.BatchSize {
		res, err := itx.Insert(ctx, txs[start:min(start+postgres.BatchSize, len(txs))])
		if err != nil || len(res.Duplicates) > 0 {
			b.Fatalf("first import: %d duplicates, %v", len(res.Duplicates), err)
		}
	}
	up.Status, up.Counts.Inserted = scale.UploadCompleted, len(txs)
	if err := itx.Commit(ctx, up); err != nil {
		b.Fatal(err)
	}
}

// copyMergeInsert is the COPY-based alternative to the unnest batch path,
// kept here to compare the two: COPY into a temporary table, then merge
// with ON CONFLICT DO NOTHING, in one transaction. It returns how many rows
// were new.
func copyMergeInsert(ctx context.Context, b *testing.B, conn *pgx.Conn, txs []scale.Transaction) int {
	tx, err := conn.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE stage_transactions (LIKE bare_transactions) ON COMMIT DROP`); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_transactions"}, copyColumns, copyRows(txs)); err != nil {
		b.Fatal(err)
	}
	rows, err := tx.Query(ctx, `INSERT INTO transactions (`+strings.Join(copyColumns, ", ")+`)
		SELECT `+strings.Join(copyColumns, ", ")+` FROM stage_transactions
		ON CONFLICT (user_id, fingerprint) DO NOTHING RETURNING id::text`)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if rows.Close(); rows.Err() != nil {
		b.Fatal(rows.Err())
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkListing1M lists the transactions of one user who has 1,000,000:
// the first page, the page 1,000 pages deep by keyset cursor, and the same
// deep page by OFFSET, interleaved in every iteration. It reports the mean
// latency of each and the ratios to the first page.
//
//	SCALE_TEST_POSTGRES_URL=... go test ./adapters/postgres -run '^$' -bench Listing1M -benchtime 300x -timeout 30m
func BenchmarkListing1M(b *testing.B) {
	const (
		rows     = 1_000_000
		pageSize = 50
		depth    = 1000
	)
	url := pgtest.NewDatabase(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	const user = "big-user"
	start := time.Now()
	seedBigUser(b, conn, user, rows)
	b.Logf("loaded %d rows in %v", rows+rows/10, time.Since(start).Round(time.Second))
	if _, err := conn.Exec(ctx, `VACUUM (ANALYZE) transactions`); err != nil {
		b.Fatal(err)
	}
	s, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()

	// The cursor after page depth-1 starts page depth.
	var cur ports.TransactionCursor
	var day time.Time
	if err := conn.QueryRow(ctx, `SELECT booked_on, id::text FROM transactions WHERE user_id = $1
		ORDER BY booked_on DESC, id DESC OFFSET $2 LIMIT 1`, user, pageSize*(depth-1)-1).Scan(&day, &cur.ID); err != nil {
		b.Fatal(err)
	}
	cur.Date = scale.DateOf(day)
	offsetSQL, offsetArgs, _, err := postgres.BuildListing(user, ports.TransactionQuery{}, pageSize)
	if err != nil {
		b.Fatal(err)
	}
	offsetSQL += fmt.Sprintf(" OFFSET %d", pageSize*(depth-1))

	first := func() {
		p, err := s.ListTransactions(ctx, user, ports.TransactionQuery{Limit: pageSize})
		if err != nil || len(p.Items) != pageSize {
			b.Fatalf("first page: %d items, %v", len(p.Items), err)
		}
	}
	deep := func() {
		p, err := s.ListTransactions(ctx, user, ports.TransactionQuery{Limit: pageSize, After: &cur})
		if err != nil || len(p.Items) != pageSize {
			b.Fatalf("deep page: %d items, %v", len(p.Items), err)
		}
	}
	offset := func() {
		r, err := conn.Query(ctx, offsetSQL, offsetArgs...)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for r.Next() {
			n++
		}
		if r.Close(); r.Err() != nil || n != pageSize {
			b.Fatalf("offset page: %d rows, %v", n, r.Err())
		}
	}
	for range 20 { // warm the cache and the prepared statements
		first()
		deep()
		offset()
	}
	var tFirst, tDeep, tOffset time.Duration
	timed := func(fn func()) time.Duration { t := time.Now(); fn(); return time.Since(t) }
	b.ResetTimer()
	for range b.N {
		tFirst += timed(first)
		tDeep += timed(deep)
		tOffset += timed(offset)
	}
	mean := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
	b.ReportMetric(mean(tFirst), "first-µs")
	b.ReportMetric(mean(tDeep), "deep-keyset-µs")
	b.ReportMetric(mean(tOffset), "deep-offset-µs")
	b.ReportMetric(float64(tDeep)/float64(tFirst), "keyset-deep/first")
	b.ReportMetric(float64(tOffset)/float64(tFirst), "offset-deep/first")
}
