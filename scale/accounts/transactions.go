package accounts

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Page limits of the transaction listing.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Query is a listing request: the filters of ports.TransactionQuery plus an
// opaque cursor from a previous page.
type Query struct {
	ports.TransactionQuery
	// Cursor continues a previous listing; empty starts at the beginning.
	Cursor string
}

// Page is one page of transactions and the cursor of the next, empty on the
// last page.
type Page struct {
	Items []scale.Transaction
	Next  string
}

// Transactions lists one keyset page. Limit defaults to DefaultPageSize and
// must be 1–MaxPageSize.
func (s *Service) Transactions(ctx context.Context, user scale.UserID, q Query) (Page, error) {
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	var fs []scale.FieldError
	if q.Limit < 1 || q.Limit > MaxPageSize {
		fs = append(fs, scale.FieldError{Field: "limit", Message: "must be between 1 and 200"})
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		fs = append(fs, scale.FieldError{Field: "from", Message: "must not be after to"})
	}
	if q.MinAmount != nil && q.MaxAmount != nil && *q.MinAmount > *q.MaxAmount {
		fs = append(fs, scale.FieldError{Field: "min_amount", Message: "must not exceed max_amount"})
	}
	if len(q.Text) > 200 {
		fs = append(fs, scale.FieldError{Field: "q", Message: "must be at most 200 characters"})
	}
	if q.Cursor != "" {
		c, err := DecodeCursor(q.Cursor, q.Ascending)
		if err != nil {
			fs = append(fs, scale.FieldError{Field: "cursor", Message: "is not a cursor of this listing"})
		} else {
			q.After = &c
		}
	}
	if len(fs) > 0 {
		return Page{}, scale.InvalidFields(scale.CodeInvalid, "The listing parameters are not valid.", fs...)
	}
	p, err := s.d.Transactions.ListTransactions(ctx, user, q.TransactionQuery)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: p.Items}
	if p.Next != nil {
		out.Next = EncodeCursor(*p.Next, q.Ascending)
	}
	return out, nil
}

// Each calls fn for every transaction matching q, page by page, without
// holding more than one page in memory. It stops at fn's first error.
func (s *Service) Each(ctx context.Context, user scale.UserID, q ports.TransactionQuery, fn func(scale.Transaction) error) error {
	return ports.EachTransaction(ctx, s.d.Transactions, user, q, fn)
}

// Transaction returns one of the user's transactions.
func (s *Service) Transaction(ctx context.Context, user scale.UserID, id scale.TransactionID) (scale.Transaction, error) {
	if !scale.ValidID(string(id)) {
		return scale.Transaction{}, scale.NotFound(scale.CodeNotFound, "transaction not found")
	}
	return s.d.Transactions.GetTransaction(ctx, user, id)
}

// TransactionPatch changes the fields that are non-nil. Merchant and Notes
// are plain edits; Label, when set, is a label the caller already decided
// (a correction is recorded by the categorization domain).
type TransactionPatch struct {
	Merchant *string
	Notes    *string
	Label    *scale.Label
}

// UpdateTransaction applies p to one transaction.
func (s *Service) UpdateTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID, p TransactionPatch) (scale.Transaction, error) {
	t, err := s.Transaction(ctx, user, id)
	if err != nil {
		return scale.Transaction{}, err
	}
	var fs []scale.FieldError
	if p.Merchant != nil {
		m := strings.TrimSpace(*p.Merchant)
		if utf8.RuneCountInString(m) > scale.MaxMerchantLen || !printable(m) {
			fs = append(fs, scale.FieldError{Field: "merchant", Message: "must be at most 256 printable characters"})
		}
		t.Merchant = m
	}
	if p.Notes != nil {
		if utf8.RuneCountInString(*p.Notes) > scale.MaxNotesLen || !utf8.ValidString(*p.Notes) || strings.ContainsRune(*p.Notes, 0) {
			fs = append(fs, scale.FieldError{Field: "notes", Message: "must be at most 2048 characters of text"})
		}
		t.Notes = *p.Notes
	}
	if len(fs) > 0 {
		return scale.Transaction{}, scale.InvalidFields(scale.CodeInvalid, "The transaction change is not valid.", fs...)
	}
	if p.Label != nil {
		t.Label = *p.Label
	}
	t.UpdatedAt = s.d.Clock.Now()
	if err := s.d.Transactions.UpdateTransaction(ctx, t); err != nil {
		return scale.Transaction{}, err
	}
	return t, nil
}

// DeleteTransaction removes one transaction.
func (s *Service) DeleteTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) error {
	if !scale.ValidID(string(id)) {
		return scale.NotFound(scale.CodeNotFound, "transaction not found")
	}
	return s.d.Transactions.DeleteTransaction(ctx, user, id)
}

// AddTransactions stores transactions a caller built itself (the embedding
// SDK path; statements go through ingestion). Each gets an id, timestamps
// and, when it has none, a fingerprint from its id so it is never merged.
func (s *Service) AddTransactions(ctx context.Context, user scale.UserID, txs []scale.Transaction) (ports.InsertResult, error) {
	now := s.d.Clock.Now()
	accts := map[scale.AccountID]bool{}
	for i := range txs {
		t := &txs[i]
		t.User = user
		if t.ID == "" {
			t.ID = scale.TransactionID(scale.NewID())
		}
		if t.Fingerprint == "" {
			t.Fingerprint, t.FingerprintVersion = "manual:"+string(t.ID), "manual"
		}
		t.CreatedAt, t.UpdatedAt = now, now
		if !accts[t.Account] {
			a, err := s.Account(ctx, user, t.Account)
			if err != nil {
				return ports.InsertResult{}, err
			}
			if a.Closed() {
				return ports.InsertResult{}, scale.E(scale.KindFailedPrecondition, scale.CodeAccountClosed, "account %q is closed", a.Name)
			}
			accts[t.Account] = true
		}
	}
	return s.d.Transactions.InsertTransactions(ctx, user, txs)
}
