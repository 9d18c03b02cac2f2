package sdk

import (
	"context"
	"strings"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
)

// UpdateTransaction edits merchant and notes and, when category is set,
// records a correction: the transaction gets the category with source
// correction and confidence 1, and the user's similar transactions are
// categorized the same way from then on.
func (s *Scale) UpdateTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID, p accounts.TransactionPatch, category *string) (scale.Transaction, error) {
	if category != nil {
		cat := scale.CategoryID(strings.TrimSpace(*category))
		ok, err := s.categoryExists(ctx, user, cat)
		if err != nil {
			return scale.Transaction{}, err
		}
		if !ok {
			return scale.Transaction{}, scale.InvalidFields(scale.CodeInvalid, "The transaction change is not valid.",
				scale.FieldError{Field: "category", Message: "is not one of your categories"})
		}
		cur, err := s.Accounts.Transaction(ctx, user, id)
		if err != nil {
			return scale.Transaction{}, err
		}
		if p.Merchant != nil {
			cur.Merchant = *p.Merchant
		}
		relabelled, _, err := s.Categorization.Correct(ctx, user, cur, cat)
		if err != nil {
			return scale.Transaction{}, err
		}
		p.Label = &relabelled.Label
	}
	return s.Accounts.UpdateTransaction(ctx, user, id, p)
}

func (s *Scale) categoryExists(ctx context.Context, user scale.UserID, id scale.CategoryID) (bool, error) {
	if scale.IsDefaultCategory(id) {
		return true, nil
	}
	cs, err := s.ports.Store.ListCategories(ctx, user)
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		if c.ID == id {
			return true, nil
		}
	}
	return false, nil
}
