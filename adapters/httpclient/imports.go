package httpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/url"
	"time"
)

// Import statuses.
const (
	ImportProcessing = "processing"
	ImportCompleted  = "completed"
	ImportFailed     = "failed"
	ImportDryRun     = "dry_run"
)

// ImportCounts counts what happened to a statement's rows.
type ImportCounts struct {
	// Inserted is the number of new transactions stored.
	Inserted int `json:"inserted"`
	// Duplicates were already stored or repeated by bank reference.
	Duplicates int `json:"duplicates"`
	// Rejected rows could not be read; each is in Rejections.
	Rejected int `json:"rejected"`
	// Skipped rows were pending, reverted or cancelled.
	Skipped int `json:"skipped"`
}

// ImportRejection says why one line was not imported.
type ImportRejection struct {
	// Line is the 1-based line (CSV) or row (XLSX) number.
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Import is one uploaded statement and its result.
type Import struct {
	// ID is the upload id; empty on a dry run.
	ID string `json:"id,omitempty"`
	// Status is one of the Import* constants.
	Status     string            `json:"status"`
	AccountID  string            `json:"account_id"`
	FileName   string            `json:"file_name"`
	SHA256     string            `json:"sha256,omitempty"`
	Size       int64             `json:"size"`
	Format     string            `json:"format"`
	Counts     ImportCounts      `json:"counts"`
	Rejections []ImportRejection `json:"rejections"`
	// Error says why a failed import failed.
	Error string `json:"error,omitempty"`
	// Replayed is true when this exact file was imported before: this is
	// that import's result and nothing new was stored.
	Replayed   bool       `json:"replayed"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Transactions are, on a dry run, the transactions that would be
	// imported; Truncated says the list was cut.
	Transactions []Transaction `json:"transactions,omitempty"`
	Truncated    bool          `json:"truncated,omitempty"`
}

// ColumnMapping names the columns of a file that detection cannot read:
// header names, or 1-based column numbers with Headerless.
type ColumnMapping struct {
	Date         string `json:"date,omitempty"`
	Description  string `json:"description,omitempty"`
	Counterparty string `json:"counterparty,omitempty"`
	// Amount is one signed amount column (or unsigned with Direction).
	Amount string `json:"amount,omitempty"`
	// Debit and Credit are split unsigned columns.
	Debit  string `json:"debit,omitempty"`
	Credit string `json:"credit,omitempty"`
	// Direction holds a debit/credit indicator for Amount.
	Direction string `json:"direction,omitempty"`
	Currency  string `json:"currency,omitempty"`
	Reference string `json:"reference,omitempty"`
	Status    string `json:"status,omitempty"`
	Category  string `json:"category,omitempty"`
	// DateFormat fixes the order of numeric dates, such as "DD/MM/YYYY".
	DateFormat string `json:"date_format,omitempty"`
	// InvertSign flips the sign of amounts written positive for money out.
	InvertSign bool `json:"invert_sign,omitempty"`
	// DecimalComma fixes the decimal separator; nil infers it.
	DecimalComma *bool `json:"decimal_comma,omitempty"`
	// Headerless says the file has no header row.
	Headerless bool `json:"headerless,omitempty"`
	// SkipRows leading rows are ignored.
	SkipRows int `json:"skip_rows,omitempty"`
	// DefaultCurrency applies without a currency column; empty is the
	// account's currency.
	DefaultCurrency string `json:"default_currency,omitempty"`
}

// ImportRequest is one statement upload.
type ImportRequest struct {
	// FileName is the statement's name as the user knows it.
	FileName string
	// Body is the statement: CSV/TSV, XLSX (also password-protected) or
	// OFX/QFX. It is streamed, never read into memory, and not closed.
	Body io.Reader
	// AccountID receives the rows; the default account when empty.
	AccountID string
	// Password opens an encrypted XLSX workbook.
	Password string
	// Profile names a built-in column layout, such as
	// "headerless-date-desc-amount".
	Profile string
	// Mapping names the columns explicitly.
	Mapping *ColumnMapping
	// DryRun parses and reports without storing anything.
	DryRun bool
}

// errUploadDone stops the form writer once the request is over.
var errUploadDone = errors.New("httpclient: upload finished")

// Import uploads a statement as a streamed multipart/form-data body. A new
// file answers with its counts and every rejected line; the same file again
// answers with the earlier result and Replayed set; a dry run answers with
// the transactions that would be imported. A missing or wrong workbook
// password is a 422 problem with code ingestion.password_required or
// ingestion.password_invalid; a file over the server's limit is a 413.
func (c *Client) Import(ctx context.Context, r ImportRequest) (Import, error) {
	if r.Body == nil {
		return Import{}, errors.New("httpclient: Import needs a Body")
	}
	var mapping []byte
	if r.Mapping != nil {
		b, err := json.Marshal(r.Mapping)
		if err != nil {
			return Import{}, fmt.Errorf("httpclient: import mapping: %w", err)
		}
		mapping = b
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = pw.CloseWithError(writeImportForm(mw, r, mapping))
	}()
	resp, err := c.send(ctx, request{op: opCreateImport, body: pr, contentType: mw.FormDataContentType()})
	_ = pr.CloseWithError(errUploadDone)
	<-done
	if err != nil {
		return Import{}, err
	}
	defer resp.Body.Close()
	var out Import
	err = decodeBody(opCreateImport, resp, &out)
	return out, err
}

// writeImportForm writes the small fields first, then the file.
func writeImportForm(mw *multipart.Writer, r ImportRequest, mapping []byte) error {
	fields := []struct{ name, value string }{
		{"account_id", r.AccountID}, {"password", r.Password}, {"profile", r.Profile}, {"mapping", string(mapping)},
	}
	if r.DryRun {
		fields = append(fields, struct{ name, value string }{"dry_run", "true"})
	}
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		if err := mw.WriteField(f.name, f.value); err != nil {
			return err
		}
	}
	name := r.FileName
	if name == "" {
		name = "statement"
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, r.Body); err != nil {
		return err
	}
	return mw.Close()
}

// ImportQuery is one page request of the import listing.
type ImportQuery struct {
	// Limit is the page size, 1 to 200; 0 is the server's default (50).
	Limit int
	// Cursor is the Next of the previous page; empty for the first page.
	Cursor string
}

// ImportPage is one page of uploads, newest first.
type ImportPage struct {
	Items []Import `json:"items"`
	// Next is the cursor of the next page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// Imports returns one page of the caller's uploads, newest first.
func (c *Client) Imports(ctx context.Context, q ImportQuery) (ImportPage, error) {
	v := values{}
	v.setInt("limit", q.Limit)
	v.set("cursor", q.Cursor)
	var p ImportPage
	err := c.call(ctx, opListImports, nil, url.Values(v), nil, &p)
	return p, err
}

// AllImports iterates over every upload from q.Cursor on, newest first,
// following the next cursors.
func (c *Client) AllImports(ctx context.Context, q ImportQuery) iter.Seq2[Import, error] {
	return paginate(func(cursor string) ([]Import, string, error) {
		q.Cursor = cursor
		p, err := c.Imports(ctx, q)
		return p.Items, p.Next, err
	}, q.Cursor)
}

// ImportByID returns one upload with its status, counts and rejected lines.
func (c *Client) ImportByID(ctx context.Context, id string) (Import, error) {
	var out Import
	err := c.call(ctx, opGetImport, []string{id}, nil, nil, &out)
	return out, err
}
