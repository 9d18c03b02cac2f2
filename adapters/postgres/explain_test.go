package postgres_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// explainRows is how many transactions the big user has in the EXPLAIN test.
const explainRows = 100_000

// seedBigUser loads n transactions for user over two accounts in one
// generate_series statement (a few seconds), plus a tenth as many for other
// users, and analyzes the table as autovacuum would.
func seedBigUser(t testing.TB, conn *pgx.Conn, user string, n int) {
	t.Helper()
	ctx := t.Context()
	a1, a2 := scale.NewID(), scale.NewID()
	if _, err := conn.Exec(ctx, `INSERT INTO accounts (id, user_id, name, kind, currency, created_at, updated_at)
		VALUES ($1, $3, 'Main', 'checking', 'EUR', now(), now()), ($2, $3, 'Card', 'credit_card', 'EUR', now(), now()),
		       ($4, 'someone-else', 'Theirs', 'checking', 'EUR', now(), now())`, a1, a2, user, scale.NewID()); err != nil {
		t.Fatal(err)
	}
	// Secondary indexes are built after the load, as a restore would:
	// sorting once is far cheaper than maintaining them row by row. Their
	// definitions are read back from the catalog, so they are exactly the
	// migration's.
	rows, err := conn.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE tablename = 'transactions' AND indexname LIKE 'idx\_transactions\_%'`)
	if err != nil {
		t.Fatal(err)
	}
	type index struct{ name, def string }
	indexes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var ix index
		return ix, r.Scan(&ix.name, &ix.def)
	})
	if err != nil || len(indexes) == 0 {
		t.Fatalf("indexes of transactions: %v", err)
	}
	for _, ix := range indexes {
		if _, err := conn.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	// Ids ascend with i, as the time-ordered UUIDv7s of scale.NewID do.
	if _, err := conn.Exec(ctx, `
		INSERT INTO transactions (id, user_id, account_id, booked_on, amount, currency, description, merchant,
			category, label_source, confidence, fingerprint, fingerprint_version, raw_data, created_at, updated_at)
		SELECT ('01900000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, $1,
			CASE WHEN i % 4 = 0 THEN $3::uuid ELSE $2::uuid END,
			date '2020-01-01' + (i % 2000),
			CASE WHEN i % 3 = 0 THEN (i % 50000) + 1 ELSE -((i % 50000) + 1) END,
			'EUR', 'CARD PAYMENT SHOP ' || (i % 500), 'SHOP ' || (i % 500),
			(ARRAY['food', 'transport', 'shopping', '', 'salary', 'health'])[1 + i % 6],
			'model', 0.8, '\x00'::bytea || convert_to('v1:' || i, 'UTF8'), 'v1', jsonb_build_object('line', i), now(), now()
		FROM generate_series(1, $4::int) AS i`, user, a1, a2, n); err != nil {
		t.Fatal(err)
	}
	other, err := conn.Exec(ctx, `
		INSERT INTO transactions (id, user_id, account_id, booked_on, amount, currency, fingerprint,
			fingerprint_version, created_at, updated_at)
		SELECT gen_random_uuid(), 'someone-else', a.id, date '2020-01-01' + (i % 2000), -i, 'EUR',
			'\x00'::bytea || convert_to('v1:' || i, 'UTF8'), 'v1', now(), now()
		FROM generate_series(1, $1::int) AS i, (SELECT id FROM accounts WHERE user_id = 'someone-else') AS a`, n/10)
	if err != nil || other.RowsAffected() == 0 {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '128MB'`); err != nil {
		t.Fatal(err)
	}
	for _, ix := range indexes {
		if _, err := conn.Exec(ctx, ix.def); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `ANALYZE transactions`); err != nil {
		t.Fatal(err)
	}
}

// planNode is the part of an EXPLAIN (FORMAT JSON) node the test reads.
type planNode struct {
	NodeType  string     `json:"Node Type"`
	IndexName string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Plans     []planNode `json:"Plans"`
}

func (n planNode) walk(fn func(planNode)) {
	fn(n)
	for _, c := range n.Plans {
		c.walk(fn)
	}
}

func explain(t *testing.T, conn *pgx.Conn, sql string, args []any) planNode {
	t.Helper()
	var raw []byte
	if err := conn.QueryRow(t.Context(), "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&raw); err != nil {
		t.Fatalf("explain: %v\n%s", err, sql)
	}
	var out []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out) != 1 {
		t.Fatalf("explain output: %v\n%s", err, raw)
	}
	return out[0].Plan
}

// TestListingUsesKeysetIndex proves from EXPLAIN that the listing walks
// idx_transactions_pagination and never scans the
// table sequentially, for the first page and a deep one, with and without
// the common filters, under both custom and generic plans.
func TestListingUsesKeysetIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 110k rows; skipped with -short")
	}
	url := pgtest.NewDatabase(t)
	conn := connect(t, url)
	const user = "big-user"
	start := time.Now()
	seedBigUser(t, conn, user, explainRows)
	t.Logf("loaded %d rows in %v", explainRows+explainRows/10, time.Since(start).Round(time.Millisecond))

	var deep ports.TransactionCursor
	var deepDay time.Time
	if err := conn.QueryRow(t.Context(), `SELECT booked_on, id::text FROM transactions WHERE user_id = $1
		ORDER BY booked_on DESC, id DESC OFFSET 60000 LIMIT 1`, user).Scan(&deepDay, &deep.ID); err != nil {
		t.Fatal(err)
	}
	deep.Date = scale.DateOf(deepDay)
	var account string
	if err := conn.QueryRow(t.Context(), `SELECT id::text FROM accounts WHERE user_id = $1 AND name = 'Main'`, user).Scan(&account); err != nil {
		t.Fatal(err)
	}

	minA, maxA := int64(-20000), int64(20000)
	from, to := scale.Date{Year: 2021, Month: 1, Day: 1}, scale.Date{Year: 2024, Month: 6, Day: 30}
	cases := []struct {
		name string
		q    ports.TransactionQuery
	}{
		{"no filter", ports.TransactionQuery{}},
		{"ascending", ports.TransactionQuery{Ascending: true}},
		{"account", ports.TransactionQuery{Account: scale.AccountID(account)}},
		{"type", ports.TransactionQuery{Type: scale.Debit}},
		{"date range", ports.TransactionQuery{From: from, To: to}},
		{"amount range", ports.TransactionQuery{MinAmount: &minA, MaxAmount: &maxA}},
		{"combined", ports.TransactionQuery{Account: scale.AccountID(account), Type: scale.Credit, From: from, To: to,
			MinAmount: &minA, MaxAmount: &maxA}},
		{"one category", ports.TransactionQuery{Categories: []scale.CategoryID{"transport"}}},
		{"categories", ports.TransactionQuery{Categories: []scale.CategoryID{"food", "health"}}},
		{"uncategorized", ports.TransactionQuery{Uncategorized: true}},
	}
	for _, c := range cases {
		for _, page := range []string{"first", "deep"} {
			for _, mode := range []string{"auto", "force_generic_plan"} {
				t.Run(fmt.Sprintf("%s/%s/%s", c.name, page, mode), func(t *testing.T) {
					q := c.q
					if page == "deep" {
						q.After = &deep
						if q.Ascending {
							q.After = &ports.TransactionCursor{Date: scale.Date{Year: 2022, Month: 3, Day: 1}, ID: deep.ID}
						}
					}
					sql, args, ok, err := postgres.BuildListing(user, q, 51)
					if err != nil || !ok {
						t.Fatalf("BuildListing: %v %v", ok, err)
					}
					if _, err := conn.Exec(t.Context(), "SET plan_cache_mode = "+mode); err != nil {
						t.Fatal(err)
					}
					plan := explain(t, conn, sql, args)
					var used []string
					categoryInIndex := false
					plan.walk(func(n planNode) {
						if n.IndexName == "idx_transactions_pagination" && strings.Contains(n.IndexCond, "category") {
							categoryInIndex = true
						}
						if n.NodeType == "Seq Scan" {
							t.Errorf("sequential scan in the plan of\n%s", sql)
						}
						if strings.Contains(n.NodeType, "Sort") {
							t.Errorf("%s in the plan: the keyset order must come from the index\n%s", n.NodeType, sql)
						}
						if n.IndexName != "" {
							used = append(used, n.IndexName)
						}
					})
					if !slices.Contains(used, "idx_transactions_pagination") {
						t.Errorf("plan uses indexes %v, want idx_transactions_pagination\n%s", used, sql)
					}
					// The category is checked on the index entries, so the
					// walk reads no heap row of another category.
					if len(q.Categories) > 0 || q.Uncategorized {
						if !categoryInIndex {
							t.Errorf("the category filter is not an index condition\n%s", sql)
						}
					}
				})
			}
		}
	}
	// The partial merchant index serves a merchant look-up: the condition
	// the listing adds (merchant <> '') lets the planner prove it applies.
	t.Run("merchant lookup", func(t *testing.T) {
		plan := explain(t, conn, `SELECT id FROM transactions WHERE user_id = $1 AND merchant <> ''
			AND lower(merchant) = lower($2)`, []any{user, "Shop 7"})
		used := false
		plan.walk(func(n planNode) { used = used || n.IndexName == "idx_transactions_user_merchant" })
		if !used {
			t.Errorf("the merchant look-up does not use idx_transactions_user_merchant")
		}
	})
}
