package httpapi_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/xuri/excelize/v2"

	"github.com/scalehq/scale/scale"
)

const statementCSV = `Date,Description,Amount,Currency
2026-03-01,CARD PAYMENT STARBUCKS BERLIN,-4.50,EUR
2026-03-01,CARD PAYMENT STARBUCKS BERLIN,-4.50,EUR
2026-03-02,ACME GMBH SALARY MARCH,3500.00,EUR
2026-03-03,UBER *TRIP,-18.90,EUR
2026-02-30,BROKEN DATE ROW,-1.00,EUR
`

// upload posts a multipart form; fields are sent before the file.
func (a *apiServer) upload(t *testing.T, token, name string, file []byte, fields map[string]string, chunked bool) (int, http.Header, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(file)
	_ = mw.Close()
	var body io.Reader = &buf
	if chunked {
		body = io.MultiReader(&buf) // unknown length: sent chunked
	}
	req, _ := http.NewRequest("POST", a.URL+"/api/v1/imports", body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

type importBody struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	AccountID  string `json:"account_id"`
	Replayed   bool   `json:"replayed"`
	Counts     struct{ Inserted, Duplicates, Rejected, Skipped int }
	Rejections []struct {
		Line   int
		Reason string
	}
	Transactions []struct{ Amount, Category string }
}

func TestImportStatementOnceAndReplay(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, _, b := a.upload(t, tok, "march.csv", []byte(statementCSV), map[string]string{"dry_run": "true"}, false)
	is.Equal(st, 200)
	dry := decode[importBody](t, b)
	is.Equal(dry.Status, "dry_run")
	is.Equal(len(dry.Transactions), 4)
	st, _, b = a.call(t, "GET", "/api/v1/transactions", tok, "")
	is.Equal(st, 200)
	is.True(strings.Contains(string(b), `"items":[]`)) // a dry run stores nothing

	st, _, b = a.upload(t, tok, "march.csv", []byte(statementCSV), nil, false)
	is.Equal(st, 201)
	got := decode[importBody](t, b)
	is.Equal(got.Status, "completed")
	is.Equal(got.Counts.Inserted, 4) // both identical coffees survive
	is.Equal(got.Counts.Rejected, 1)
	is.Equal(got.Rejections[0].Line, 6)

	st, _, b = a.upload(t, tok, "march-again.csv", []byte(statementCSV), nil, true)
	is.Equal(st, 200)
	again := decode[importBody](t, b)
	is.True(again.Replayed)
	is.Equal(again.ID, got.ID)

	// An overlapping statement stores only what is new.
	overlap := "Date,Description,Amount,Currency\n2026-03-03,UBER *TRIP,-18.90,EUR\n2026-03-04,REWE SAGT DANKE,-23.10,EUR\n"
	st, _, b = a.upload(t, tok, "overlap.csv", []byte(overlap), map[string]string{"account_id": got.AccountID}, false)
	is.Equal(st, 201)
	ov := decode[importBody](t, b)
	is.Equal(ov.Counts.Inserted, 1)
	is.Equal(ov.Counts.Duplicates, 1)

	st, _, b = a.call(t, "GET", "/api/v1/imports/"+got.ID, tok, "")
	is.Equal(st, 200)
	is.Equal(decode[importBody](t, b).Counts.Inserted, 4)
	st, _, b = a.call(t, "GET", "/api/v1/imports?limit=1", tok, "")
	is.Equal(st, 200)
	page := decode[struct {
		Items []importBody
		Next  string
	}](t, b)
	is.Equal(len(page.Items), 1)
	is.Equal(page.Items[0].ID, ov.ID)
	st, _, b = a.call(t, "GET", "/api/v1/imports?limit=1&cursor="+page.Next, tok, "")
	is.Equal(st, 200)
	is.Equal(decode[struct{ Items []importBody }](t, b).Items[0].ID, got.ID)

	bob := tokenFor(t, "bob", scale.RoleUser)
	st, h, b := a.call(t, "GET", "/api/v1/imports/"+got.ID, bob, "")
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	st, h, b = a.upload(t, bob, "x.csv", []byte(overlap), map[string]string{"account_id": got.AccountID}, false)
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
}

func TestImportRejectsBadUploads(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)
	big := bytes.Repeat([]byte("2026-03-01,COFFEE,-1.00,EUR\n"), (2<<20)/28)

	st, h, b := a.upload(t, tok, "big.csv", big, nil, false)
	is.Equal(problemOf(t, st, h, b, 413), "request.too_large")
	st, h, b = a.upload(t, tok, "big.csv", big, nil, true) // no Content-Length: caught while streaming
	problemOf(t, st, h, b, 413)

	st, h, b = a.call(t, "POST", "/api/v1/imports", tok, `{"file":"x"}`)
	is.Equal(problemOf(t, st, h, b, 422), "ingestion.form_invalid")
	st, h, b = a.upload(t, tok, "x.csv", []byte(statementCSV), map[string]string{"dry_run": "perhaps"}, false)
	is.Equal(problemOf(t, st, h, b, 422), "ingestion.form_invalid")
	st, h, b = a.upload(t, tok, "fake.xlsx", []byte(statementCSV), nil, false)
	is.True(st >= 400 && st < 500)
	is.Equal(h.Get("Content-Type"), "application/problem+json")
	st, h, b = a.upload(t, tok, "noise.bin", bytes.Repeat([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, 100), nil, false)
	is.True(st >= 400 && st < 500)
	is.Equal(h.Get("Content-Type"), "application/problem+json")
	_ = b
}

func TestImportEncryptedWorkbook(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)
	f := excelize.NewFile()
	rows := [][]any{{"Date", "Description", "Amount"}, {"2026-03-01", "REWE MARKT", -23.4}, {"2026-03-02", "SALARY ACME", 2500}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		is.NoErr(f.SetSheetRow("Sheet1", cell, &r))
	}
	var buf bytes.Buffer
	is.NoErr(f.Write(&buf, excelize.Options{Password: "s3cret"}))

	st, h, b := a.upload(t, tok, "locked.xlsx", buf.Bytes(), nil, false)
	is.Equal(problemOf(t, st, h, b, 422), "ingestion.password_required")
	st, h, b = a.upload(t, tok, "locked.xlsx", buf.Bytes(), map[string]string{"password": "wrong"}, false)
	is.Equal(problemOf(t, st, h, b, 422), "ingestion.password_invalid")
	st, _, b = a.upload(t, tok, "locked.xlsx", buf.Bytes(), map[string]string{"password": "s3cret"}, false)
	is.Equal(st, 201)
	is.Equal(decode[importBody](t, b).Counts.Inserted, 2)
}
