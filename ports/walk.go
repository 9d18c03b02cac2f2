package ports

import (
	"context"
	"errors"

	"github.com/scalehq/scale/scale"
)

// StopWalk, returned by the function given to EachTransaction, ends the
// walk early without an error.
var StopWalk = errors.New("stop walking")

// EachTransaction calls fn for every transaction of user matching q, in q's
// order, page by page (MaxPageSize rows at a time), so that no caller holds
// more than one page it does not keep itself. q.Limit and q.After are
// managed by the walk. It returns the first error of the store or of fn,
// except StopWalk, which ends the walk with nil.
func EachTransaction(ctx context.Context, s TransactionStore, user scale.UserID, q TransactionQuery, fn func(scale.Transaction) error) error {
	q.Limit, q.After = MaxPageSize, nil
	for {
		page, err := s.ListTransactions(ctx, user, q)
		if err != nil {
			return err
		}
		for _, t := range page.Items {
			if err := fn(t); err != nil {
				if errors.Is(err, StopWalk) {
					return nil
				}
				return err
			}
		}
		if page.Next == nil || len(page.Items) == 0 {
			return nil
		}
		q.After = page.Next
	}
}
