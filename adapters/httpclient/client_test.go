package httpclient_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"
	"github.com/xuri/excelize/v2"

	"github.com/scalehq/scale/adapters/httpclient"
)

const statementCSV = `Date,Description,Amount,Currency
2026-03-01,CARD PAYMENT STARBUCKS BERLIN,-4.50,EUR
2026-03-01,CARD PAYMENT STARBUCKS BERLIN,-4.50,EUR
2026-03-02,ACME GMBH SALARY MARCH,3500.00,EUR
2026-03-03,UBER *TRIP,-18.90,EUR
2026-03-04,=HYPERLINK("http://evil"),-2.00,EUR
2026-02-30,BROKEN DATE ROW,-1.00,EUR
`

// collect drains an iterator, failing on its error.
func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("iterate: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func TestProfileAndAccounts(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	c := clientFor(t, srv, "alice")
	ctx := t.Context()

	p, err := c.Profile(ctx)
	is.NoErr(err)
	is.Equal(p.UserID, "alice")
	p, err = c.UpdateProfile(ctx, httpclient.ProfilePatch{DisplayName: new("Alice"), Currency: new("GBP"), TimeZone: new("Europe/London")})
	is.NoErr(err)
	is.Equal(p.DisplayName, "Alice")
	is.Equal(p.Currency, "GBP")
	p, err = c.Profile(ctx)
	is.NoErr(err)
	is.Equal(p.TimeZone, "Europe/London")

	a, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Institution: "Monzo"})
	is.NoErr(err)
	is.Equal(a.Currency, "GBP") // the profile's
	is.Equal(a.Kind, httpclient.KindChecking)
	b, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Travel", Kind: httpclient.KindCreditCard, Currency: "EUR"})
	is.NoErr(err)
	as, err := c.Accounts(ctx)
	is.NoErr(err)
	is.Equal(len(as), 2)
	is.Equal(as[0].ID, a.ID)
	got, err := c.Account(ctx, b.ID)
	is.NoErr(err)
	is.Equal(got.Name, "Travel")
	got, err = c.UpdateAccount(ctx, b.ID, httpclient.AccountPatch{Name: new("Holidays"), Closed: new(true)})
	is.NoErr(err)
	is.Equal(got.Name, "Holidays")
	is.True(got.Closed)
	is.True(got.ClosedAt != nil)

	// A 422 lists every invalid field.
	_, err = c.UpdateProfile(ctx, httpclient.ProfilePatch{Currency: new("EURO"), Locale: new(strings.Repeat("x", 40))})
	is.True(httpclient.IsInvalid(err))
	prob := httpclient.AsProblem(err)
	is.Equal(prob.Status, 422)
	is.Equal(prob.Type, httpclient.ProblemTypePrefix+prob.Code)
	_, ok := prob.Field("body.currency")
	is.True(ok)
	_, ok = prob.Field("body.locale")
	is.True(ok)
	is.True(strings.HasPrefix(prob.Instance, "urn:scale:request:"))
	_, err = c.CreateAccount(ctx, httpclient.NewAccount{})
	is.True(httpclient.IsInvalid(err))
	_, ok = httpclient.AsProblem(err).Field("body.name")
	is.True(ok)
}

func TestImportListCorrectExport(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	c := clientFor(t, srv, "alice")
	ctx := t.Context()
	acct, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Currency: "EUR"})
	is.NoErr(err)

	dry, err := c.Import(ctx, httpclient.ImportRequest{FileName: "march.csv", Body: strings.NewReader(statementCSV), AccountID: acct.ID, DryRun: true})
	is.NoErr(err)
	is.Equal(dry.Status, httpclient.ImportDryRun)
	is.Equal(len(dry.Transactions), 5)
	page, err := c.Transactions(ctx, httpclient.TransactionQuery{})
	is.NoErr(err)
	is.Equal(len(page.Items), 0) // a dry run stores nothing

	// The body is streamed: a reader of unknown length works.
	imp, err := c.Import(ctx, httpclient.ImportRequest{FileName: "march.csv", Body: io.MultiReader(strings.NewReader(statementCSV)), AccountID: acct.ID})
	is.NoErr(err)
	is.Equal(imp.Status, httpclient.ImportCompleted)
	is.Equal(imp.AccountID, acct.ID)
	is.Equal(imp.Counts, httpclient.ImportCounts{Inserted: 5, Rejected: 1})
	is.Equal(imp.Rejections[0].Line, 7)
	is.True(!imp.Replayed)

	again, err := c.Import(ctx, httpclient.ImportRequest{FileName: "again.csv", Body: strings.NewReader(statementCSV), AccountID: acct.ID})
	is.NoErr(err)
	is.True(again.Replayed)
	is.Equal(again.ID, imp.ID)

	byID, err := c.ImportByID(ctx, imp.ID)
	is.NoErr(err)
	is.Equal(byID.Counts.Inserted, 5)
	imports := collect(t, c.AllImports(ctx, httpclient.ImportQuery{Limit: 1}))
	is.Equal(len(imports), 1)
	is.Equal(imports[0].ID, imp.ID)

	// Paging through the iterator, two per page, newest first.
	all := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{Limit: 2}))
	is.Equal(len(all), 5)
	is.Equal(all[0].Date, "2026-03-04")
	is.Equal(all[4].Date, "2026-03-01")
	seen := map[string]bool{}
	for _, tx := range all {
		is.True(!seen[tx.ID])
		seen[tx.ID] = true
	}
	first, err := c.Transactions(ctx, httpclient.TransactionQuery{Limit: 2})
	is.NoErr(err)
	is.Equal(len(first.Items), 2)
	is.True(first.Next != "")
	rest := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{Limit: 2, Cursor: first.Next}))
	is.Equal(len(rest), 3)

	// Filters combine.
	debits := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{
		Type: httpclient.TypeDebit, MinAmount: "-10.00", Ascending: true}}))
	is.Equal(len(debits), 3) // two coffees and the formula row
	is.Equal(debits[0].Amount, "-4.50")
	is.Equal(debits[0].Currency, "EUR")
	salary := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{Text: "salary"}}))
	is.Equal(len(salary), 1)
	is.Equal(salary[0].Type, httpclient.TypeCredit)
	is.Equal(salary[0].Amount, "3500.00")

	// A correction.
	uber := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{Text: "uber"}}))
	is.Equal(len(uber), 1)
	fixed, err := c.UpdateTransaction(ctx, uber[0].ID, httpclient.TransactionPatch{Category: new("entertainment"), Notes: new("airport")})
	is.NoErr(err)
	is.Equal(fixed.Category, "entertainment")
	is.Equal(fixed.LabelSource, httpclient.SourceCorrection)
	is.Equal(fixed.Notes, "airport")
	got, err := c.Transaction(ctx, uber[0].ID)
	is.NoErr(err)
	is.Equal(got.Category, "entertainment")
	corrected := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{
		LabelSource: httpclient.SourceCorrection, Categories: []string{"entertainment", "food"}}}))
	is.Equal(len(corrected), 1)

	// Export: CSV with a header and every row, formulas neutralized.
	var buf bytes.Buffer
	n, err := c.ExportTransactions(ctx, httpclient.TransactionFilter{AccountID: acct.ID}, &buf)
	is.NoErr(err)
	is.Equal(n, int64(buf.Len()))
	rows, err := csv.NewReader(&buf).ReadAll()
	is.NoErr(err)
	is.Equal(len(rows), 6)
	is.Equal(rows[0][0], "id")
	formula := false
	for _, r := range rows[1:] {
		if strings.Contains(r[5], "HYPERLINK") {
			formula = true
			is.True(strings.HasPrefix(r[5], "'="))
		}
	}
	is.True(formula)

	is.NoErr(c.DeleteTransaction(ctx, uber[0].ID))
	_, err = c.Transaction(ctx, uber[0].ID)
	is.True(httpclient.IsNotFound(err))

	// A 422 listing every bad parameter.
	_, err = c.Transactions(ctx, httpclient.TransactionQuery{Limit: 500, TransactionFilter: httpclient.TransactionFilter{
		From: "2026-13-01", Type: "sideways"}})
	is.True(httpclient.IsInvalid(err))
	prob := httpclient.AsProblem(err)
	for _, f := range []string{"query.from", "query.type", "query.limit"} {
		_, ok := prob.Field(f)
		is.True(ok)
		is.True(strings.Contains(err.Error(), f))
	}
	_, err = c.Transactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{MinAmount: "lots", MaxAmount: "1.234"}})
	prob = httpclient.AsProblem(err)
	is.Equal(prob.Status, 422)
	is.Equal(len(prob.Errors), 2)
	is.Equal(prob.Errors[0].Location, "query.min_amount")
}

func TestOwnershipAndAuth(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	alice, bob := clientFor(t, srv, "alice"), clientFor(t, srv, "bob")
	ctx := t.Context()
	acct, err := alice.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Currency: "EUR"})
	is.NoErr(err)
	imp, err := alice.Import(ctx, httpclient.ImportRequest{FileName: "m.csv", Body: strings.NewReader(statementCSV), AccountID: acct.ID})
	is.NoErr(err)
	page, err := alice.Transactions(ctx, httpclient.TransactionQuery{Limit: 1})
	is.NoErr(err)
	txID := page.Items[0].ID

	// Every operation that takes one of alice's ids is a 404 for bob.
	calls := map[string]func() error{
		"get-account": func() error { _, err := bob.Account(ctx, acct.ID); return err },
		"update-account": func() error {
			_, err := bob.UpdateAccount(ctx, acct.ID, httpclient.AccountPatch{Name: new("mine")})
			return err
		},
		"get-transaction": func() error { _, err := bob.Transaction(ctx, txID); return err },
		"update-transaction": func() error {
			_, err := bob.UpdateTransaction(ctx, txID, httpclient.TransactionPatch{Notes: new("x")})
			return err
		},
		"delete-transaction": func() error { return bob.DeleteTransaction(ctx, txID) },
		"get-import":         func() error { _, err := bob.ImportByID(ctx, imp.ID); return err },
		"create-import": func() error {
			_, err := bob.Import(ctx, httpclient.ImportRequest{FileName: "x.csv", Body: strings.NewReader(statementCSV), AccountID: acct.ID})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		if !httpclient.IsNotFound(err) || httpclient.CodeOf(err) != "resource.not_found" {
			t.Errorf("%s with another user's id: %v, want a 404 resource.not_found problem", name, err)
		}
	}
	got, err := alice.Transaction(ctx, txID)
	is.NoErr(err)
	is.Equal(got.Notes, "") // bob changed nothing

	// Without a token, with a bad one, with a failing token source.
	anon, err := httpclient.New(srv.URL+"/", httpclient.WithHTTPClient(srv.Client()))
	is.NoErr(err)
	_, err = anon.Profile(ctx)
	is.True(httpclient.IsUnauthorized(err))
	is.Equal(httpclient.CodeOf(err), "auth.unauthenticated")
	var prob *httpclient.Problem
	is.True(errors.As(err, &prob))
	is.Equal(prob.Status, http.StatusUnauthorized)
	_, err = anon.Import(ctx, httpclient.ImportRequest{FileName: "m.csv", Body: strings.NewReader(statementCSV)})
	is.True(httpclient.IsUnauthorized(err))

	bad, err := httpclient.New(srv.URL+"/api/v1", httpclient.WithToken("not-a-jwt"), httpclient.WithUserAgent("test/1"))
	is.NoErr(err)
	_, err = bad.Accounts(ctx)
	is.True(httpclient.IsUnauthorized(err))

	boom := errors.New("vault sealed")
	failing, err := httpclient.New(srv.URL, httpclient.WithTokenSource(func(context.Context) (string, error) { return "", boom }))
	is.NoErr(err)
	_, err = failing.Profile(ctx)
	is.True(errors.Is(err, boom))
	is.Equal(httpclient.CodeOf(err), "")

	refreshed := 0
	src, err := httpclient.New(srv.URL, httpclient.WithHTTPClient(srv.Client()), httpclient.WithTokenSource(func(context.Context) (string, error) {
		refreshed++
		return tokenFor(t, "alice"), nil
	}))
	is.NoErr(err)
	as, err := src.Accounts(ctx)
	is.NoErr(err)
	is.Equal(len(as), 1)
	is.Equal(refreshed, 1)
}

func TestImportProblems(t *testing.T) {
	is := is.New(t)
	srv := newServer(t) // uploads are limited to 1 MiB
	c := clientFor(t, srv, "alice")
	ctx := t.Context()

	big := io.MultiReader(strings.NewReader("Date,Description,Amount\n"),
		strings.NewReader(strings.Repeat("2026-03-01,COFFEE,-1.00\n", (2<<20)/24)))
	_, err := c.Import(ctx, httpclient.ImportRequest{FileName: "big.csv", Body: big})
	is.Equal(httpclient.StatusOf(err), http.StatusRequestEntityTooLarge)

	f := excelize.NewFile()
	rows := [][]any{{"Date", "Description", "Amount"}, {"2026-03-01", "REWE MARKT", -23.4}, {"2026-03-02", "SALARY ACME", 2500}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		is.NoErr(f.SetSheetRow("Sheet1", cell, &r))
	}
	var wb bytes.Buffer
	is.NoErr(f.Write(&wb, excelize.Options{Password: "s3cret"}))
	_, err = c.Import(ctx, httpclient.ImportRequest{FileName: "locked.xlsx", Body: bytes.NewReader(wb.Bytes())})
	is.Equal(httpclient.CodeOf(err), "ingestion.password_required")
	_, err = c.Import(ctx, httpclient.ImportRequest{FileName: "locked.xlsx", Body: bytes.NewReader(wb.Bytes()), Password: "wrong"})
	is.Equal(httpclient.CodeOf(err), "ingestion.password_invalid")
	imp, err := c.Import(ctx, httpclient.ImportRequest{FileName: "locked.xlsx", Body: bytes.NewReader(wb.Bytes()), Password: "s3cret"})
	is.NoErr(err)
	is.Equal(imp.Counts.Inserted, 2)

	// Files detection cannot read: an explicit mapping, a named profile.
	odd := "Wann,Was,Wieviel\n2026-03-05,LIDL,\"-12,30\"\n2026-03-06,ARAL,\"-40,00\"\n"
	imp, err = c.Import(ctx, httpclient.ImportRequest{FileName: "odd.csv", Body: strings.NewReader(odd), DryRun: true,
		Mapping: &httpclient.ColumnMapping{Date: "Wann", Description: "Was", Amount: "Wieviel", DecimalComma: new(true)}})
	is.NoErr(err)
	is.Equal(len(imp.Transactions), 2)
	is.Equal(imp.Transactions[0].Amount, "-12.30")
	imp, err = c.Import(ctx, httpclient.ImportRequest{FileName: "h.csv", Body: strings.NewReader("2026-03-05,LIDL,-12.30\n"),
		Profile: "headerless-date-desc-amount", DryRun: true})
	is.NoErr(err)
	is.Equal(len(imp.Transactions), 1)

	_, err = c.Import(ctx, httpclient.ImportRequest{FileName: "x.csv"})
	is.True(err != nil) // no body
}

func TestProblemOfAnyAnswer(t *testing.T) {
	is := is.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	c, err := httpclient.New(srv.URL)
	is.NoErr(err)
	_, err = c.Profile(t.Context())
	p := httpclient.AsProblem(err)
	is.True(p != nil)
	is.Equal(p.Status, http.StatusBadGateway)
	is.Equal(p.Code, "")
	is.Equal(p.RetryAfter, "7")
	is.True(strings.Contains(p.Detail, "bad gateway"))
	is.True(strings.Contains(err.Error(), "502"))

	for _, u := range []string{"", "localhost:8080", "ftp://x", "http://", "http://x?y=1"} {
		_, err := httpclient.New(u)
		is.True(err != nil)
	}
	_, err = httpclient.New("http://x", httpclient.WithToken(""))
	is.True(err != nil)

	// An empty id never reaches the server (it would name the listing).
	_, err = c.Account(t.Context(), "")
	is.True(err != nil)
	is.True(httpclient.AsProblem(err) == nil)
}

// endless yields statement-like bytes until limit and counts what was read.
type endless struct {
	mu    sync.Mutex
	read  int64
	limit int64
}

func (e *endless) Read(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.read >= e.limit {
		return 0, io.EOF
	}
	n := copy(p, bytes.Repeat([]byte("2026-03-01,COFFEE,-1.00\n"), len(p)/24+1))
	e.read += int64(n)
	return n, nil
}

func (e *endless) count() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.read
}

func TestImportStreamsTheBody(t *testing.T) {
	is := is.New(t)
	// A server that reads the first 256 KiB of an upload and refuses it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.CopyN(io.Discard, r.Body, 256<<10)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = io.WriteString(w, `{"type":"urn:scale:problem:request.too_large","title":"Request Entity Too Large","status":413}`)
	}))
	defer srv.Close()
	c, err := httpclient.New(srv.URL, httpclient.WithToken("t"))
	is.NoErr(err)
	body := &endless{limit: 4 << 30}
	_, err = c.Import(t.Context(), httpclient.ImportRequest{FileName: "huge.csv", Body: body})
	is.True(err != nil)
	read := body.count()
	is.True(read < 64<<20) // streamed: far less than the 4 GiB body was read
	time.Sleep(20 * time.Millisecond)
	is.Equal(body.count(), read) // and nothing is read once Import returned
}
