package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// listSQL is a listing statement under construction: conditions joined by
// AND, arguments numbered in order.
type listSQL struct {
	where []string
	args  []any
}

func (b *listSQL) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *listSQL) and(cond string) { b.where = append(b.where, cond) }

func joinAnd(conds []string) string { return strings.Join(conds, "\n  AND ") }

// buildListing returns the keyset listing statement for q and its
// arguments. ok is false when q can match nothing (an id that is not an
// id), so that no statement needs to run.
//
// The statement has the shape
//
//	SELECT ... FROM transactions
//	WHERE user_id = $1 AND <filters> AND (booked_on, id) < ($d, $id)
//	ORDER BY transactions.booked_on DESC, transactions.id DESC LIMIT n (qualified: the select list
//	casts id to text, and an unqualified ORDER BY id would sort by that text and defeat the index)
//
// so that PostgreSQL walks idx_transactions_pagination from the cursor on
// and stops after n rows, however deep the page is. The index carries
// category as a trailing key column, so a category filter is checked on
// the index entries and reads no heap row of another category; several
// categories are one such walk each, merged in order (UNION ALL under the
// same ORDER BY and LIMIT).
func buildListing(user scale.UserID, q ports.TransactionQuery, limit int) (sql string, args []any, ok bool, err error) {
	var b listSQL
	b.and("user_id = " + b.arg(string(user)))
	if !q.From.IsZero() {
		b.and("booked_on >= " + b.arg(pgDate(q.From)))
	}
	if !q.To.IsZero() {
		b.and("booked_on <= " + b.arg(pgDate(q.To)))
	}
	if q.MinAmount != nil {
		b.and("amount >= " + b.arg(*q.MinAmount))
	}
	if q.MaxAmount != nil {
		b.and("amount <= " + b.arg(*q.MaxAmount))
	}
	if q.Type != "" {
		b.and("type = " + b.arg(string(q.Type)))
	}
	if q.Merchant != "" {
		// merchant <> '' follows from the filter and lets PostgreSQL use
		// the partial idx_transactions_user_merchant.
		b.and("merchant <> '' AND lower(merchant) = lower(" + b.arg(q.Merchant) + ")")
	}
	if q.Account != "" {
		if !scale.ValidID(string(q.Account)) {
			return "", nil, false, nil
		}
		b.and("account_id = " + b.arg(string(q.Account)))
	}
	if q.Upload != "" {
		if !scale.ValidID(string(q.Upload)) {
			return "", nil, false, nil
		}
		b.and("upload_id = " + b.arg(string(q.Upload)))
	}
	if q.Text != "" {
		p := b.arg(q.Text)
		b.and("(strpos(lower(description), lower(" + p + ")) > 0 OR strpos(lower(merchant), lower(" + p + ")) > 0)")
	}
	if q.LabelSource != nil {
		b.and("label_source = " + b.arg(string(*q.LabelSource)))
	}
	order := "DESC"
	cmp := "<"
	if q.Ascending {
		order, cmp = "ASC", ">"
	}
	if q.After != nil {
		if !q.After.Date.Valid() || !scale.ValidID(string(q.After.ID)) {
			return "", nil, false, scale.Invalid(scale.CodeCursorInvalid, "the page cursor is not valid")
		}
		b.and("(booked_on, id) " + cmp + " (" + b.arg(pgDate(q.After.Date)) + ", " + b.arg(string(q.After.ID)) + "::uuid)")
	}
	orderBy := "\nORDER BY transactions.booked_on " + order + ", transactions.id " + order + "\nLIMIT "
	cats := categoryFilter(q)
	switch {
	case len(cats) == 1:
		b.and("category = " + b.arg(cats[0]))
	case len(cats) > maxCategoryBranches:
		b.and("category = ANY(" + b.arg(cats) + ")")
	case len(cats) > 1:
		// One keyset walk per category, merged: each branch has category
		// as an index condition (PostgreSQL before 17 cannot keep the index
		// order with = ANY on a later column), and Merge Append reads each
		// branch only as far as the page needs.
		n := b.arg(limit)
		branches := make([]string, len(cats))
		for i, c := range cats {
			branches[i] = "(SELECT transactions.* FROM transactions\nWHERE " +
				joinAnd(append(slices.Clip(b.where), "category = "+b.arg(c))) + orderBy + n + ")"
		}
		sql = "SELECT " + transactionColumns + "\nFROM (\n" + strings.Join(branches, "\nUNION ALL\n") +
			"\n) AS transactions" + orderBy + n
		return sql, b.args, true, nil
	}
	sql = "SELECT " + transactionColumns + "\nFROM transactions\nWHERE " + joinAnd(b.where) + orderBy + b.arg(limit)
	return sql, b.args, true, nil
}

// maxCategoryBranches is the most categories a listing merges branch by
// branch; a longer list is one walk with the categories as a filter.
const maxCategoryBranches = 16

// categoryFilter lists the category values q accepts, each once: its
// categories, plus "" and "uncategorized" when it asks for uncategorized
// rows. (Each value is one branch of the merged listing: a repeat would
// list its rows twice.)
func categoryFilter(q ports.TransactionQuery) []string {
	var cats []string
	for _, c := range q.Categories {
		cats = append(cats, string(c))
	}
	if q.Uncategorized {
		cats = append(cats, "", string(scale.Uncategorized))
	}
	slices.Sort(cats)
	return slices.Compact(cats)
}

// ListTransactions implements ports.TransactionStore with keyset
// pagination; it never uses OFFSET.
func (s *Store) ListTransactions(ctx context.Context, user scale.UserID, q ports.TransactionQuery) (ports.TransactionPage, error) {
	limit := pageSize(q.Limit)
	sql, args, ok, err := buildListing(user, q, limit+1)
	if err != nil || !ok {
		return ports.TransactionPage{}, err
	}
	var items []scale.Transaction
	err = retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Transaction, error) { return scanTransaction(r) })
		return err
	})
	if err != nil {
		return ports.TransactionPage{}, mapError(err, "transaction")
	}
	var page ports.TransactionPage
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = &ports.TransactionCursor{Date: last.Date, ID: last.ID}
	}
	page.Items = items
	return page, nil
}
