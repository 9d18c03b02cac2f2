package httpclient

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/url"
	"time"
)

// Transaction types: the sign of the amount.
const (
	TypeCredit = "credit"
	TypeDebit  = "debit"
)

// Label sources: who decided a transaction's category.
const (
	SourceRule       = "rule"
	SourceCorrection = "correction"
	SourceImport     = "import"
	SourceModel      = "model"
)

// Uncategorized is the category of a transaction nothing placed.
const Uncategorized = "uncategorized"

// Transaction is one booked transaction.
type Transaction struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	// Date is the booking date, "YYYY-MM-DD".
	Date string `json:"date"`
	// Amount is the signed decimal amount in the currency's major unit,
	// negative when money left the account ("-12.50").
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	// Type is TypeCredit (amount > 0) or TypeDebit (amount < 0).
	Type        string `json:"type"`
	Description string `json:"description"`
	Merchant    string `json:"merchant"`
	Notes       string `json:"notes"`
	// Reference is the bank's own reference of the row, when it has one.
	Reference string `json:"reference,omitempty"`
	// Category is a category id, Uncategorized when nothing placed it.
	Category string `json:"category"`
	// LabelSource is one of the Source* constants, or "" when uncategorized.
	LabelSource string `json:"label_source"`
	// Confidence of the category, 0 to 1.
	Confidence float64   `json:"confidence"`
	UploadID   string    `json:"upload_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TransactionFilter selects transactions; zero fields do not filter, and
// every set field must match.
type TransactionFilter struct {
	// From and To bound the booking date, "YYYY-MM-DD", both inclusive.
	From, To string
	// MinAmount and MaxAmount bound the signed amount: decimal strings in
	// the major unit of the profile currency ("-100.00").
	MinAmount, MaxAmount string
	// Type is TypeCredit or TypeDebit.
	Type string
	// Categories matches any of these category ids.
	Categories []string
	// Merchant matches exactly, ignoring case.
	Merchant  string
	AccountID string
	// Text is contained in the description or merchant, ignoring case.
	Text string
	// LabelSource is one of the Source* constants.
	LabelSource string
	// Uncategorized keeps only transactions nothing placed.
	Uncategorized bool
	// Ascending sorts by date oldest first (the default is newest first).
	Ascending bool
}

func (f TransactionFilter) values() values {
	v := values{}
	v.set("from", f.From)
	v.set("to", f.To)
	v.set("min_amount", f.MinAmount)
	v.set("max_amount", f.MaxAmount)
	v.set("type", f.Type)
	for _, c := range f.Categories {
		url.Values(v).Add("category", c)
	}
	v.set("merchant", f.Merchant)
	v.set("account_id", f.AccountID)
	v.set("q", f.Text)
	v.set("label_source", f.LabelSource)
	v.setBool("uncategorized", f.Uncategorized)
	if f.Ascending {
		v.set("sort", "date_asc")
	}
	return v
}

// TransactionQuery is one page request of the listing.
type TransactionQuery struct {
	TransactionFilter
	// Limit is the page size, 1 to 200; 0 is the server's default (50).
	Limit int
	// Cursor is the Next of the previous page; empty for the first page.
	Cursor string
}

// TransactionPage is one page of transactions.
type TransactionPage struct {
	Items []Transaction `json:"items"`
	// Next is the cursor of the next page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// TransactionPatch corrects a transaction; nil fields are kept. A new
// Category is a correction: stored with source correction, remembered for
// similar transactions and used as training data.
type TransactionPatch struct {
	Category *string `json:"category,omitempty"`
	Merchant *string `json:"merchant,omitempty"`
	Notes    *string `json:"notes,omitempty"`
}

// Transactions returns one page of the caller's transactions; a 422
// problem lists every bad parameter.
func (c *Client) Transactions(ctx context.Context, q TransactionQuery) (TransactionPage, error) {
	v := q.values()
	v.setInt("limit", q.Limit)
	v.set("cursor", q.Cursor)
	var p TransactionPage
	err := c.call(ctx, opListTransactions, nil, url.Values(v), nil, &p)
	return p, err
}

// AllTransactions iterates over every transaction matching q, from q.Cursor
// on, following the next cursors page by page. An error is yielded once and
// ends the iteration.
func (c *Client) AllTransactions(ctx context.Context, q TransactionQuery) iter.Seq2[Transaction, error] {
	return paginate(func(cursor string) ([]Transaction, string, error) {
		q.Cursor = cursor
		p, err := c.Transactions(ctx, q)
		return p.Items, p.Next, err
	}, q.Cursor)
}

// paginate follows keyset cursors: page returns the items after cursor and
// the next cursor ("" on the last page).
func paginate[T any](page func(cursor string) ([]T, string, error), cursor string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			items, next, err := page(cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" || next == cursor {
				return
			}
			cursor = next
		}
	}
}

// Transaction returns one of the caller's transactions.
func (c *Client) Transaction(ctx context.Context, id string) (Transaction, error) {
	var t Transaction
	err := c.call(ctx, opGetTransaction, []string{id}, nil, nil, &t)
	return t, err
}

// UpdateTransaction changes the fields set in patch.
func (c *Client) UpdateTransaction(ctx context.Context, id string, patch TransactionPatch) (Transaction, error) {
	var t Transaction
	err := c.call(ctx, opUpdateTransaction, []string{id}, nil, patch, &t)
	return t, err
}

// DeleteTransaction deletes one of the caller's transactions.
func (c *Client) DeleteTransaction(ctx context.Context, id string) error {
	return c.call(ctx, opDeleteTransaction, []string{id}, nil, nil, nil)
}

// ExportTransactions streams every transaction matching f as CSV (UTF-8,
// header row id,date,amount,currency,type,description,merchant,category,
// label_source,account_id,notes) into w and returns the bytes written.
// Cells a spreadsheet would run as a formula arrive prefixed with a quote.
func (c *Client) ExportTransactions(ctx context.Context, f TransactionFilter, w io.Writer) (int64, error) {
	v := f.values()
	v.set("format", "csv")
	resp, err := c.send(ctx, request{op: opExportTransactions, query: url.Values(v), accept: "text/csv"})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("httpclient: %s: %w", opExportTransactions.ID, err)
	}
	return n, nil
}
