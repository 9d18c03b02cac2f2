package sdk

import (
	"context"
	"strings"
	"time"

	"github.com/scalehq/scale/ports"
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
		p.Label = &scale.Label{Category: cat, Source: scale.SourceCorrection, Confidence: 1}
	}
	t, err := s.Accounts.UpdateTransaction(ctx, user, id, p)
	if err != nil {
		return scale.Transaction{}, err
	}
	if category != nil {
		if err := s.recordCorrection(ctx, t); err != nil {
			return scale.Transaction{}, err
		}
	}
	return t, nil
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

func (s *Scale) recordCorrection(ctx context.Context, t scale.Transaction) error {
	key := correctionKey(t)
	if key == "" {
		return nil
	}
	return s.ports.Store.PutCorrection(ctx, ports.Correction{
		User: t.User, Key: key, Category: t.Label.Category, UpdatedAt: s.ports.Clock.Now().Truncate(time.Microsecond),
	})
}

func correctionKey(t scale.Transaction) string {
	k := t.Merchant
	if k == "" {
		k = t.Description
	}
	return strings.Join(strings.Fields(strings.ToLower(k)), " ")
}
