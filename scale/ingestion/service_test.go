package ingestion_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matryer/is"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/ingestion"
	"github.com/xuri/excelize/v2"
)

const user = scale.UserID("user-1")

type fixture struct {
	store *memory.Store
	clock *memory.Clock
	svc   *ingestion.Service
}

func newFixture(t *testing.T, mod func(*ingestion.Deps)) *fixture {
	t.Helper()
	st := memory.NewStore()
	clk := memory.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	d := ingestion.Deps{Transactions: st, Uploads: st, Accounts: st, Clock: clk, TempDir: t.TempDir(), Decoders: statements.New()}
	if mod != nil {
		mod(&d)
	}
	svc, err := ingestion.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store: st, clock: clk, svc: svc}
}

func (f *fixture) importBytes(t *testing.T, name string, data []byte, mod func(*ingestion.Request)) (ingestion.Result, error) {
	t.Helper()
	req := ingestion.Request{User: user, FileName: name, Body: bytes.NewReader(data)}
	if mod != nil {
		mod(&req)
	}
	return f.svc.Import(context.Background(), req)
}

func (f *fixture) importFile(t *testing.T, name string, mod func(*ingestion.Request)) (ingestion.Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "statements", name))
	if err != nil {
		t.Fatal(err)
	}
	return f.importBytes(t, name, data, mod)
}

// stored returns every stored transaction of the user.
func (f *fixture) stored(t *testing.T) []scale.Transaction {
	t.Helper()
	var out []scale.Transaction
	q := ports.TransactionQuery{Limit: ports.MaxPageSize, Ascending: true}
	for {
		p, err := f.store.ListTransactions(context.Background(), user, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if p.Next == nil {
			return out
		}
		q.After = p.Next
	}
}

func sum(txs []scale.Transaction) int64 {
	var s int64
	for _, tx := range txs {
		s += tx.Amount.Minor
	}
	return s
}

func lines(rs []scale.Rejection) []int {
	var l []int
	for _, r := range rs {
		l = append(l, r.Line)
	}
	return l
}

func TestImportSamples(t *testing.T) {
	tests := []struct {
		file     string
		profile  string
		counts   scale.ImportCounts
		rejected []int
		sum      int64 // minor units of the stored rows
		currency scale.Currency
	}{
		{file: "chase.csv", counts: scale.ImportCounts{Inserted: 4}, sum: -15116, currency: "EUR"},
		{file: "monzo.csv", counts: scale.ImportCounts{Inserted: 3, Duplicates: 1}, sum: 148205, currency: "GBP"},
		{file: "rabobank.csv", counts: scale.ImportCounts{Inserted: 2, Duplicates: 1}, sum: -70000, currency: "EUR"},
		{file: "revolut.csv", counts: scale.ImportCounts{Inserted: 3, Skipped: 3}, sum: 5960, currency: "GBP"}, // amount - fee
		{file: "sparkasse.csv", counts: scale.ImportCounts{Inserted: 2, Skipped: 1}, sum: 119757, currency: "EUR"},
		{file: "hdfc.csv", counts: scale.ImportCounts{Inserted: 3}, sum: 1711050, currency: "EUR"},
		{file: "raiffeisen_cp1250.csv", counts: scale.ImportCounts{Inserted: 2}, sum: 2499900, currency: "CZK"},
		{file: "posb.csv", profile: "posb", counts: scale.ImportCounts{Inserted: 3}, sum: 23020, currency: "SGD"},
		{file: "bad_rows.csv", counts: scale.ImportCounts{Inserted: 2, Rejected: 4, Skipped: 1}, rejected: []int{3, 4, 6, 8}, sum: 1000, currency: "EUR"},
		{file: "balance_lines.csv", counts: scale.ImportCounts{Inserted: 2, Skipped: 1}, sum: 197490, currency: "EUR"},
		{file: "bank_v102.ofx", counts: scale.ImportCounts{Inserted: 3, Rejected: 1}, rejected: []int{38}, sum: 245090, currency: "USD"},
		{file: "creditcard_v220.ofx", counts: scale.ImportCounts{Inserted: 3, Rejected: 1}, rejected: []int{29}, sum: 5651, currency: "EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			is := is.New(t)
			f := newFixture(t, nil)
			res, err := f.importFile(t, tt.file, func(r *ingestion.Request) { r.Profile = tt.profile })
			is.NoErr(err)
			up := res.Upload
			is.Equal(up.Status, scale.UploadCompleted)
			is.Equal(up.Counts, tt.counts)
			is.Equal(lines(up.Rejections), tt.rejected)
			txs := f.stored(t)
			is.Equal(len(txs), tt.counts.Inserted)
			is.Equal(sum(txs), tt.sum) // sum of stored amounts
			accts, err := f.store.ListAccounts(context.Background(), user)
			is.NoErr(err)
			is.Equal(len(accts), 1) // the default account was created
			is.Equal(accts[0].Name, ingestion.DefaultAccountName)
			is.Equal(accts[0].Currency, tt.currency)
			for _, tx := range txs {
				is.Equal(tx.FingerprintVersion, ingestion.FingerprintVersion)
				is.Equal(tx.Upload, up.ID)
				is.Equal(tx.Account, accts[0].ID)
			}
			got, err := f.svc.GetUpload(context.Background(), user, up.ID)
			is.NoErr(err)
			is.Equal(got.Counts, tt.counts) // the upload record holds the report
			is.Equal(got.Status, scale.UploadCompleted)
		})
	}
}

func TestImportIdempotentReupload(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	first, err := f.importFile(t, "n26.csv", nil)
	is.NoErr(err)
	is.Equal(first.Upload.Counts.Inserted, 3)
	second, err := f.importFile(t, "n26.csv", nil)
	is.NoErr(err)
	is.True(second.Replayed)
	is.Equal(second.Upload.ID, first.Upload.ID)
	is.Equal(second.Upload.Counts, first.Upload.Counts) // the earlier result
	is.Equal(len(f.stored(t)), 3)                       // no new rows
	ups, _, err := f.svc.ListUploads(context.Background(), user, 10, nil)
	is.NoErr(err)
	is.Equal(len(ups), 1)
}

func statement(rows ...string) []byte {
	return []byte("Date,Description,Amount\n" + strings.Join(rows, "\n") + "\n")
}

func TestImportOverlapAndRepeats(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	// January 1–15: two identical coffees on the 15th both survive.
	a := statement("2026-01-01,Rent,-900.00", "2026-01-10,Groceries,-55.20",
		"2026-01-15,Coffee Bar,-3.50", "2026-01-15,Coffee Bar,-3.50")
	res, err := f.importBytes(t, "a.csv", a, nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 4})
	// January 10–31 (newest first, reworded spacing): the overlap comes in once.
	b := statement("2026-01-31,Salary,2500.00", "2026-01-15,COFFEE  BAR,-3.50", "2026-01-15,coffee bar,-3.50",
		"2026-01-10,Groceries,-55.20")
	res, err = f.importBytes(t, "b.csv", b, nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 1, Duplicates: 3})
	// A third statement has a third coffee on the 15th: only it is new.
	c := statement("2026-01-15,Coffee Bar,-3.50", "2026-01-15,Coffee Bar,-3.50", "2026-01-15,Coffee Bar,-3.50")
	res, err = f.importBytes(t, "c.csv", c, nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 1, Duplicates: 2})
	txs := f.stored(t)
	is.Equal(len(txs), 6)
	is.Equal(sum(txs), int64(-90000-5520-350*3+250000))
}

func TestImportRepeatsInUnsortedFile(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	coffee := "2026-01-15,Coffee Bar,-3.50"
	// The two coffees are apart and the file is not in date order: both count.
	res, err := f.importBytes(t, "u.csv", statement(coffee, "2026-01-16,Tea,-2.00", coffee, "2026-01-14,Cake,-4.00"), nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 4})
	// Sorted, with the coffees together: both count too.
	res, err = f.importBytes(t, "s.csv", statement("2026-02-14,Cake,-4.00", "2026-02-15,Coffee Bar,-3.50", "2026-02-15,Coffee Bar,-3.50", "2026-02-16,Tea,-2.00"), nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 4})
}

// TestImportOverlapCutsARun pins the limitation documented in
// docs/fingerprint.md: when two statements cut a run of identical
// reference-less rows on one day, the day keeps the larger count.
func TestImportOverlapCutsARun(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	coffee := "2026-01-15,Coffee Bar,-3.50"
	_, err := f.importBytes(t, "a.csv", statement("2026-01-14,Lunch,-9.00", coffee, coffee), nil) // the first 2 of 3
	is.NoErr(err)
	res, err := f.importBytes(t, "b.csv", statement(coffee, coffee, "2026-01-16,Cinema,-12.00"), nil) // the last 2 of 3
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 1, Duplicates: 2})
	is.Equal(len(f.stored(t)), 4) // 2 coffees stored, not 3: the documented limitation
}

func TestImportTooLargeStopsReading(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, func(d *ingestion.Deps) { d.Limits.MaxFileBytes = 1 << 20 })
	body := &countingReader{}
	_, err := f.svc.Import(context.Background(), ingestion.Request{User: user, Body: body})
	is.Equal(scale.KindOf(err), scale.KindTooLarge)
	is.Equal(scale.CodeOf(err), ingestion.CodeFileTooLarge)
	is.True(body.n <= 1<<20+64<<10) // stopped at the limit, not at the end of an endless body
}

// countingReader is an endless body of CSV-ish bytes.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	c.n += int64(len(p))
	return len(p), nil
}

// failingStore fails the second Insert of every import.
type failingStore struct {
	*memory.Store
	fail bool
}

func (s *failingStore) BeginImport(ctx context.Context, u scale.UserID, opts ports.ImportOptions) (ports.ImportTx, error) {
	itx, err := s.Store.BeginImport(ctx, u, opts)
	return &failingTx{ImportTx: itx, fail: s.fail}, err
}

type failingTx struct {
	ports.ImportTx
	fail  bool
	calls atomic.Int32
}

func (x *failingTx) Insert(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	if x.fail && x.calls.Add(1) == 2 {
		return ports.InsertResult{}, fmt.Errorf("disk on fire")
	}
	return x.ImportTx.Insert(ctx, txs)
}

func bigStatement(n int) []byte {
	var b strings.Builder
	b.WriteString("Date,Description,Amount\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "2026-01-%02d,Shop %d,-%d.%02d\n", i%28+1, i, i%500+1, i%100)
	}
	return []byte(b.String())
}

func TestImportAtomicFailureThenRetry(t *testing.T) {
	is := is.New(t)
	fs := &failingStore{Store: memory.NewStore(), fail: true}
	svc, err := ingestion.New(ingestion.Deps{Transactions: fs, Uploads: fs, Accounts: fs, TempDir: t.TempDir(), Decoders: statements.New()})
	is.NoErr(err)
	data := bigStatement(2500)
	_, err = svc.Import(context.Background(), ingestion.Request{User: user, FileName: "big.csv", Body: bytes.NewReader(data)})
	is.True(err != nil)
	is.Equal(scale.KindOf(err), scale.KindInternal)
	page, err := fs.ListTransactions(context.Background(), user, ports.TransactionQuery{Limit: 10})
	is.NoErr(err)
	is.Equal(len(page.Items), 0) // the first batch was rolled back
	ups, _, err := fs.ListUploads(context.Background(), user, 10, nil)
	is.NoErr(err)
	is.Equal(len(ups), 1)
	is.Equal(ups[0].Status, scale.UploadFailed)
	is.True(!strings.Contains(ups[0].Error, "disk")) // the cause is not shown
	is.Equal(ups[0].Format, "csv")                   // what was detected is kept
	is.Equal(ups[0].Counts, scale.ImportCounts{})

	// The same bytes again, with a healthy store: the failed upload runs again.
	fs.fail = false
	res, err := svc.Import(context.Background(), ingestion.Request{User: user, FileName: "big.csv", Body: bytes.NewReader(data)})
	is.NoErr(err)
	is.True(!res.Replayed)
	is.Equal(res.Upload.ID, ups[0].ID)
	is.Equal(res.Upload.Counts.Inserted, 2500)
}

func TestImportProcessingUploadIsNotRunTwice(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	data := statement("2026-01-01,Rent,-900.00")
	// Simulate an import of the same bytes still running.
	res, err := f.importBytes(t, "x.csv", data, func(r *ingestion.Request) { r.DryRun = true })
	is.NoErr(err)
	is.Equal(res.Upload.Counts.Inserted, 1)
	sha := sha256hex(data)
	is.NoErr(f.store.CreateUpload(context.Background(), scale.Upload{ID: "u-1", User: user, SHA256: sha,
		Status: scale.UploadProcessing, CreatedAt: f.clock.Now()}))
	_, err = f.importBytes(t, "x.csv", data, nil)
	is.Equal(scale.CodeOf(err), ingestion.CodeUploadInProgress)
	is.Equal(scale.KindOf(err), scale.KindConflict)
	f.clock.Advance(time.Hour) // stale: the upload may be taken over
	res, err = f.importBytes(t, "x.csv", data, nil)
	is.NoErr(err)
	is.Equal(res.Upload.ID, scale.UploadID("u-1"))
	is.Equal(res.Upload.Counts.Inserted, 1)
}

func TestImportDryRunStoresNothing(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	res, err := f.importFile(t, "monzo.csv", func(r *ingestion.Request) { r.DryRun = true })
	is.NoErr(err)
	is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 3, Duplicates: 1})
	is.Equal(len(res.Transactions), 3)
	is.Equal(res.Transactions[0].Amount, scale.Money{Minor: -1375, Currency: "GBP"})
	is.Equal(res.Transactions[0].Label, scale.Label{Category: "personal-expenses", Source: scale.SourceImport, Confidence: 1})
	is.Equal(len(f.stored(t)), 0)
	ups, _, err := f.svc.ListUploads(context.Background(), user, 10, nil)
	is.NoErr(err)
	is.Equal(len(ups), 0)
	accts, err := f.store.ListAccounts(context.Background(), user)
	is.NoErr(err)
	is.Equal(len(accts), 0) // no account created either
}

// TestRepeatedReferenceKeepsTheFirstRow: a bank reference repeated
// batches later (with other text) is a duplicate of the first row, however
// the store orders the overlapping batches, and the dry run agrees.
func TestRepeatedReferenceKeepsTheFirstRow(t *testing.T) {
	is := is.New(t)
	var b strings.Builder
	b.WriteString("Date,Description,Amount,Transaction ID\n")
	for i := range 2500 {
		fmt.Fprintf(&b, "2026-01-%02d,Shop %d,-%d.00,T%d\n", 1+i%28, i, 1+i%90, i)
	}
	b.WriteString("2026-02-01,Reworded shop 5,-6.00,T5\n")
	data := []byte(b.String())
	for range 3 {
		f := newFixture(t, nil)
		dry, err := f.importBytes(t, "refs.csv", data, func(r *ingestion.Request) { r.DryRun = true })
		is.NoErr(err)
		res, err := f.importBytes(t, "refs.csv", data, nil)
		is.NoErr(err)
		is.Equal(res.Upload.Counts, scale.ImportCounts{Inserted: 2500, Duplicates: 1})
		is.Equal(dry.Upload.Counts, res.Upload.Counts)
		for _, tx := range f.stored(t) {
			if tx.Reference == "T5" {
				is.Equal(tx.Description, "Shop 5")
			}
		}
	}
}

// TestDryRunCountsStoredDuplicates: a dry run of a statement that overlaps
// what is stored reports the same counts the import then has.
func TestDryRunCountsStoredDuplicates(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	_, err := f.importBytes(t, "jan.csv", statement("2026-01-01,Rent,-900.00", "2026-01-02,Coffee,-3.50"), nil)
	is.NoErr(err)
	overlap := statement("2026-01-02,Coffee,-3.50", "2026-01-03,Salary,2500.00", "2026-01-03,Coffee,-3.50")
	dry, err := f.importBytes(t, "feb.csv", overlap, func(r *ingestion.Request) { r.DryRun = true })
	is.NoErr(err)
	is.Equal(dry.Upload.Counts, scale.ImportCounts{Inserted: 2, Duplicates: 1})
	is.Equal(len(dry.Transactions), 2)
	is.Equal(len(f.stored(t)), 2) // the dry run stored nothing
	real, err := f.importBytes(t, "feb.csv", overlap, nil)
	is.NoErr(err)
	is.Equal(real.Upload.Counts, dry.Upload.Counts)
	is.Equal(len(f.stored(t)), 4)
}

func TestImportEncryptedWorkbook(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	x := excelize.NewFile()
	for i, row := range [][]any{{"Date", "Description", "Amount"}, {"2026-01-05", "Rent", -950.0}, {"2026-01-06", "Refund", 12.5}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		is.NoErr(x.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	is.NoErr(x.Write(&buf, excelize.Options{Password: "pw"}))
	_ = x.Close()
	data := buf.Bytes()

	_, err := f.importBytes(t, "s.xlsx", data, nil)
	is.Equal(scale.CodeOf(err), ingestion.CodePasswordRequired)
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	_, err = f.importBytes(t, "s.xlsx", data, func(r *ingestion.Request) { r.Password = "nope" })
	is.Equal(scale.CodeOf(err), ingestion.CodePasswordInvalid)
	res, err := f.importBytes(t, "s.xlsx", data, func(r *ingestion.Request) { r.Password = "pw" })
	is.NoErr(err)
	is.Equal(res.Upload.Format, "xlsx")
	is.Equal(res.Upload.Counts.Inserted, 2)
	is.Equal(sum(f.stored(t)), int64(-95000+1250))
}

func TestImportIntoAccount(t *testing.T) {
	is := is.New(t)
	f := newFixture(t, nil)
	ctx := context.Background()
	open := scale.Account{ID: "acc-open", User: user, Name: "Giro", Kind: scale.AccountChecking, Currency: "EUR"}
	closedAt := f.clock.Now()
	closed := scale.Account{ID: "acc-closed", User: user, Name: "Old", Kind: scale.AccountChecking, Currency: "EUR", ClosedAt: &closedAt}
	is.NoErr(f.store.CreateAccount(ctx, closed))
	is.NoErr(f.store.CreateAccount(ctx, open))
	_, err := f.importFile(t, "n26.csv", func(r *ingestion.Request) { r.Account = "acc-closed" })
	is.Equal(scale.CodeOf(err), ingestion.CodeAccountClosed)
	res, err := f.importFile(t, "n26.csv", nil) // the default is the first open account
	is.NoErr(err)
	is.Equal(res.Upload.Account, scale.AccountID("acc-open"))
	_, err = f.importFile(t, "bunq.csv", func(r *ingestion.Request) { r.Account = "nope" })
	is.Equal(scale.KindOf(err), scale.KindNotFound)
	_, err = f.importFile(t, "bunq.csv", func(r *ingestion.Request) { r.Profile = "no-such-profile" })
	is.Equal(scale.CodeOf(err), ingestion.CodeProfileUnknown)
}

// countingLabeller labels everything "food" and records its calls.
type countingLabeller struct {
	mu    sync.Mutex
	calls []int
}

func (l *countingLabeller) LabelBatch(ctx context.Context, u scale.UserID, txs []scale.Transaction) ([]scale.Label, error) {
	l.mu.Lock()
	l.calls = append(l.calls, len(txs))
	l.mu.Unlock()
	out := make([]scale.Label, len(txs))
	for i, tx := range txs {
		if tx.Label.Source == scale.SourceImport {
			return nil, fmt.Errorf("an import-labelled row was passed")
		}
		out[i] = scale.Label{Category: "food", Source: scale.SourceModel, Confidence: 0.9}
	}
	return out, nil
}

func TestImportLabelsPerBatch(t *testing.T) {
	is := is.New(t)
	lab := &countingLabeller{}
	f := newFixture(t, func(d *ingestion.Deps) { d.Labeller = lab })
	res, err := f.importBytes(t, "big.csv", bigStatement(2500), nil)
	is.NoErr(err)
	is.Equal(res.Upload.Counts.Inserted, 2500)
	is.Equal(lab.calls, []int{1000, 1000, 500}) // one call per batch, never per row
	for _, tx := range f.stored(t) {
		is.Equal(tx.Label.Category, scale.CategoryID("food"))
	}
	// Rows carrying a category column keep their import label.
	lab.calls = nil
	_, err = f.importFile(t, "boursorama.csv", nil)
	is.NoErr(err)
	is.Equal(len(lab.calls), 0)
}

func TestImportHostileBodies(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name string
		data []byte
		kind scale.Kind
	}{
		{"empty", nil, scale.KindInvalid},
		{"random bytes", []byte("\x00\x9f\x13\xfe\x00garbage\x01\x02"), scale.KindInvalid},
		{"truncated ofx", []byte("OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS"), scale.KindInvalid},
		{"zip magic only", []byte("PK\x03\x04rest"), scale.KindInvalid},
		{"csv renamed .xlsx", statement("2026-01-01,Rent,-900.00"), scale.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, err := f.importBytes(t, "x.xlsx", tt.data, nil)
			is.True(err != nil)
			is.Equal(scale.KindOf(err), tt.kind)
		})
	}
}

func sha256hex(b []byte) string {
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// cancellingLabeller cancels the import's context during its second call.
type cancellingLabeller struct {
	cancel context.CancelFunc
	calls  int
}

func (l *cancellingLabeller) LabelBatch(ctx context.Context, u scale.UserID, txs []scale.Transaction) ([]scale.Label, error) {
	l.calls++
	if l.calls == 2 {
		l.cancel()
	}
	return make([]scale.Label, len(txs)), nil
}

func TestImportCancelledHalfWayStoresNothing(t *testing.T) {
	is := is.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lab := &cancellingLabeller{cancel: cancel}
	f := newFixture(t, func(d *ingestion.Deps) { d.Labeller = lab })
	_, err := f.svc.Import(ctx, ingestion.Request{User: user, FileName: "big.csv", Body: bytes.NewReader(bigStatement(3500))})
	is.True(err != nil)
	is.Equal(len(f.stored(t)), 0) // the batches already inserted were rolled back
	ups, _, err := f.svc.ListUploads(context.Background(), user, 10, nil)
	is.NoErr(err)
	is.Equal(len(ups), 1)
	is.Equal(ups[0].Status, scale.UploadFailed) // marked failed despite the cancelled context
	is.True(ups[0].Error != "")
}

// racedStore answers the first import that promises unique fingerprints
// as a store does when another writer got one of the rows in first.
type racedStore struct {
	*memory.Store
	promises []bool
}

func (s *racedStore) BeginImport(ctx context.Context, u scale.UserID, opts ports.ImportOptions) (ports.ImportTx, error) {
	s.promises = append(s.promises, opts.UniqueFingerprints)
	itx, err := s.Store.BeginImport(ctx, u, opts)
	return &racedTx{ImportTx: itx, race: opts.UniqueFingerprints && len(s.promises) == 1}, err
}

type racedTx struct {
	ports.ImportTx
	race bool
}

func (x *racedTx) Insert(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	if x.race {
		return ports.InsertResult{}, scale.E(scale.KindConflict, ports.CodeImportRetry, "raced")
	}
	return x.ImportTx.Insert(ctx, txs)
}

// TestImportRunsAgainAfterARace: the service promises the store unique
// fingerprints; when the store answers that another writer stored one of
// the rows meanwhile, the import runs once more without the promise and
// reports the same counts as an undisturbed import.
func TestImportRunsAgainAfterARace(t *testing.T) {
	is := is.New(t)
	rs := &racedStore{Store: memory.NewStore()}
	svc, err := ingestion.New(ingestion.Deps{Transactions: rs, Uploads: rs, Accounts: rs, TempDir: t.TempDir(), Decoders: statements.New()})
	is.NoErr(err)
	data := bigStatement(2500)
	res, err := svc.Import(context.Background(), ingestion.Request{User: user, FileName: "big.csv", Body: bytes.NewReader(data)})
	is.NoErr(err)
	is.Equal(rs.promises, []bool{true, false})
	is.Equal(res.Upload.Status, scale.UploadCompleted)
	is.Equal(res.Upload.Counts.Inserted, 2500)
	is.Equal(res.Upload.Counts.Rejected, 0)
	up, err := svc.GetUpload(context.Background(), user, res.Upload.ID)
	is.NoErr(err)
	is.Equal(up.Counts, res.Upload.Counts)
}
