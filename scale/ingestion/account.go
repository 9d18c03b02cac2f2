package ingestion

import (
	"context"

	"github.com/scalehq/scale/scale"
)

// DefaultAccountName is the name of the account created for a user who
// imports a statement without having any open account.
const DefaultAccountName = "Main account"

// account resolves the import's target account: the requested one, else
// the user's first open account, else a new DefaultAccountName in cur
// (EUR when the statement does not say). A dry run creates nothing.
func (s *Service) account(ctx context.Context, user scale.UserID, id scale.AccountID, cur scale.Currency, dryRun bool) (scale.Account, error) {
	if id != "" {
		a, err := s.d.Accounts.GetAccount(ctx, user, id)
		if err != nil {
			return scale.Account{}, err
		}
		if a.Closed() {
			return scale.Account{}, scale.E(scale.KindFailedPrecondition, CodeAccountClosed, "The account is closed and accepts no imports.")
		}
		return a, nil
	}
	list, err := s.d.Accounts.ListAccounts(ctx, user)
	if err != nil {
		return scale.Account{}, err
	}
	for _, a := range list {
		if !a.Closed() {
			return a, nil
		}
	}
	if !cur.Valid() {
		cur = "EUR"
	}
	now := s.d.Clock.Now()
	a := scale.Account{User: user, Name: DefaultAccountName, Kind: scale.AccountChecking, Currency: cur, CreatedAt: now, UpdatedAt: now}
	if dryRun {
		return a, nil
	}
	a.ID = scale.AccountID(scale.NewID())
	if err := s.d.Accounts.CreateAccount(ctx, a); err != nil {
		return scale.Account{}, err
	}
	return a, nil
}
