package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

func (s *Store) userTxs(user scale.UserID) *userTxs {
	u := s.txs[user]
	if u == nil {
		u = &userTxs{byID: map[scale.TransactionID]scale.Transaction{}, byFP: map[string]scale.TransactionID{}}
		s.txs[user] = u
	}
	return u
}

// validateBatch checks txs; the caller holds s.mu (read or write).
func (s *Store) validateBatch(user scale.UserID, txs []scale.Transaction) error {
	for i, t := range txs {
		if a, ok := s.accounts[t.Account]; !ok || a.User != user {
			return scale.Invalid("transaction.account_unknown", "transaction %d is on an account the user does not have", i)
		}
		if t.User != user {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d belongs to another user", i)
		}
		if t.ID == "" || t.Fingerprint == "" {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d has no id or fingerprint", i)
		}
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// InsertTransactions implements ports.TransactionStore.
func (s *Store) InsertTransactions(ctx context.Context, user scale.UserID, txs []scale.Transaction) (ports.InsertResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.validateBatch(user, txs); err != nil {
		return ports.InsertResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return ports.InsertResult{}, err
	}
	u := s.userTxs(user)
	for _, t := range txs {
		if _, ok := u.byID[t.ID]; ok {
			return ports.InsertResult{}, scale.Conflict(scale.CodeConflict, "transaction %s already exists", t.ID)
		}
	}
	var res ports.InsertResult
	for i, t := range txs {
		if _, dup := u.byFP[t.Fingerprint]; dup {
			res.Duplicates = append(res.Duplicates, i)
			continue
		}
		u.byID[t.ID] = cloneTx(t)
		u.byFP[t.Fingerprint] = t.ID
		res.Inserted = append(res.Inserted, i)
	}
	return res, nil
}

// ExistingFingerprints implements ports.TransactionStore.
func (s *Store) ExistingFingerprints(ctx context.Context, user scale.UserID, fingerprints []string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u := s.txs[user]
	if u == nil {
		return nil, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, fp := range fingerprints {
		if _, ok := u.byFP[fp]; ok && !seen[fp] {
			seen[fp] = true
			out = append(out, fp)
		}
	}
	return out, nil
}

// GetTransaction implements ports.TransactionStore.
func (s *Store) GetTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) (scale.Transaction, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.txs[user]; u != nil {
		if t, ok := u.byID[id]; ok {
			return cloneTx(t), nil
		}
	}
	return scale.Transaction{}, notFound("transaction")
}

func compareKey(a, b scale.Transaction) int {
	return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
}

func matches(t scale.Transaction, q ports.TransactionQuery) bool {
	switch {
	case !q.From.IsZero() && t.Date.Before(q.From),
		!q.To.IsZero() && t.Date.After(q.To),
		q.MinAmount != nil && t.Amount.Minor < *q.MinAmount,
		q.MaxAmount != nil && t.Amount.Minor > *q.MaxAmount,
		q.Type != "" && t.Type() != q.Type,
		q.Account != "" && t.Account != q.Account,
		q.Upload != "" && t.Upload != q.Upload,
		q.Merchant != "" && !strings.EqualFold(t.Merchant, q.Merchant),
		q.LabelSource != nil && t.Label.Source != *q.LabelSource:
		return false
	}
	if q.Text != "" {
		needle := strings.ToLower(q.Text)
		if !strings.Contains(strings.ToLower(t.Description), needle) && !strings.Contains(strings.ToLower(t.Merchant), needle) {
			return false
		}
	}
	uncategorized := t.Label.Category == "" || t.Label.Category == scale.Uncategorized
	if len(q.Categories) > 0 || q.Uncategorized {
		in := slices.Contains(q.Categories, t.Label.Category) || (q.Uncategorized && uncategorized)
		if !in {
			return false
		}
	}
	return true
}

// ListTransactions implements ports.TransactionStore.
func (s *Store) ListTransactions(ctx context.Context, user scale.UserID, q ports.TransactionQuery) (ports.TransactionPage, error) {
	s.mu.RLock()
	var items []scale.Transaction
	if u := s.txs[user]; u != nil {
		for _, t := range u.byID {
			if !matches(t, q) {
				continue
			}
			if q.After != nil {
				c := compareKey(t, scale.Transaction{Date: q.After.Date, ID: q.After.ID})
				if (q.Ascending && c <= 0) || (!q.Ascending && c >= 0) {
					continue
				}
			}
			items = append(items, t)
		}
	}
	s.mu.RUnlock()
	if q.Ascending {
		slices.SortFunc(items, compareKey)
	} else {
		slices.SortFunc(items, func(a, b scale.Transaction) int { return compareKey(b, a) })
	}
	limit := limitOf(q.Limit)
	var page ports.TransactionPage
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = &ports.TransactionCursor{Date: last.Date, ID: last.ID}
	}
	page.Items = make([]scale.Transaction, len(items))
	for i, t := range items {
		page.Items[i] = cloneTx(t)
	}
	return page, nil
}

// UpdateTransaction implements ports.TransactionStore.
func (s *Store) UpdateTransaction(ctx context.Context, tx scale.Transaction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.txs[tx.User]
	if u == nil {
		return notFound("transaction")
	}
	old, ok := u.byID[tx.ID]
	if !ok {
		return notFound("transaction")
	}
	old.Merchant, old.Notes, old.Label, old.UpdatedAt = tx.Merchant, tx.Notes, tx.Label, usec(tx.UpdatedAt)
	u.byID[tx.ID] = old
	return nil
}

// SetLabels implements ports.TransactionStore.
func (s *Store) SetLabels(ctx context.Context, user scale.UserID, updates []ports.LabelUpdate) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.txs[user]
	if u == nil {
		return 0, nil
	}
	n := 0
	for _, up := range updates {
		if t, ok := u.byID[up.ID]; ok {
			t.Label = up.Label
			u.byID[up.ID] = t
			n++
		}
	}
	return n, nil
}

// DeleteTransaction implements ports.TransactionStore.
func (s *Store) DeleteTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.txs[user]
	if u == nil {
		return notFound("transaction")
	}
	t, ok := u.byID[id]
	if !ok {
		return notFound("transaction")
	}
	delete(u.byID, id)
	delete(u.byFP, t.Fingerprint)
	return nil
}

// BeginImport implements ports.TransactionStore. Rows are staged in the
// ImportTx and applied under one lock at Commit.
func (s *Store) BeginImport(ctx context.Context, user scale.UserID, _ ports.ImportOptions) (ports.ImportTx, error) {
	return &importTx{s: s, user: user, staged: map[string]bool{}}, nil
}

type importTx struct {
	mu     sync.Mutex
	s      *Store
	user   scale.UserID
	rows   []scale.Transaction
	staged map[string]bool
	done   bool
}

func (x *importTx) Insert(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	x.s.mu.RLock()
	err := x.s.validateBatch(x.user, txs)
	x.s.mu.RUnlock()
	if err != nil {
		return ports.InsertResult{}, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done {
		return ports.InsertResult{}, scale.E(scale.KindFailedPrecondition, "import.finished", "the import is already finished")
	}
	x.s.mu.RLock()
	u := x.s.txs[x.user]
	var res ports.InsertResult
	for i, t := range txs {
		dup := x.staged[t.Fingerprint]
		if u != nil && !dup {
			_, dup = u.byFP[t.Fingerprint]
		}
		if dup {
			res.Duplicates = append(res.Duplicates, i)
			continue
		}
		x.staged[t.Fingerprint] = true
		x.rows = append(x.rows, cloneTx(t))
		res.Inserted = append(res.Inserted, i)
	}
	x.s.mu.RUnlock()
	return res, ctx.Err()
}

func (x *importTx) Commit(ctx context.Context, up scale.Upload) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done {
		return scale.E(scale.KindFailedPrecondition, "import.finished", "the import is already finished")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := x.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.uploads[up.ID]
	if !ok || old.User != x.user || up.User != x.user {
		return notFound("upload")
	}
	u := s.userTxs(x.user)
	for _, t := range x.rows {
		if _, dup := u.byFP[t.Fingerprint]; dup {
			continue // a concurrent import stored it first
		}
		u.byID[t.ID] = t
		u.byFP[t.Fingerprint] = t.ID
	}
	s.uploads[up.ID] = mergeUpload(old, up)
	x.done = true
	return nil
}

func (x *importTx) Rollback(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.done, x.rows = true, nil
	return nil
}
