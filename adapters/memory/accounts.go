package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/scalehq/scale/scale"
)

// GetProfile implements ports.ProfileStore.
func (s *Store) GetProfile(ctx context.Context, user scale.UserID) (scale.Profile, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.profiles[user]
	if !ok {
		return scale.Profile{}, notFound("profile")
	}
	return p, nil
}

// PutProfile implements ports.ProfileStore.
func (s *Store) PutProfile(ctx context.Context, p scale.Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.CreatedAt, p.UpdatedAt = usec(p.CreatedAt), usec(p.UpdatedAt)
	if old, ok := s.profiles[p.User]; ok {
		p.CreatedAt = old.CreatedAt
	}
	s.profiles[p.User] = p
	return nil
}

// CreateAccount implements ports.AccountStore.
func (s *Store) CreateAccount(ctx context.Context, a scale.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[a.ID]; ok {
		return scale.Conflict(scale.CodeConflict, "account %s already exists", a.ID)
	}
	a.CreatedAt, a.UpdatedAt, a.ClosedAt = usec(a.CreatedAt), usec(a.UpdatedAt), usecPtr(a.ClosedAt)
	s.accounts[a.ID] = a
	return nil
}

// GetAccount implements ports.AccountStore.
func (s *Store) GetAccount(ctx context.Context, user scale.UserID, id scale.AccountID) (scale.Account, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.accounts[id]
	if !ok || a.User != user {
		return scale.Account{}, notFound("account")
	}
	a.ClosedAt = usecPtr(a.ClosedAt)
	return a, nil
}

// ListAccounts implements ports.AccountStore.
func (s *Store) ListAccounts(ctx context.Context, user scale.UserID) ([]scale.Account, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []scale.Account
	for _, a := range s.accounts {
		if a.User == user {
			a.ClosedAt = usecPtr(a.ClosedAt)
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y scale.Account) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

// UpdateAccount implements ports.AccountStore.
func (s *Store) UpdateAccount(ctx context.Context, a scale.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.accounts[a.ID]
	if !ok || old.User != a.User {
		return notFound("account")
	}
	old.Name, old.Kind, old.Institution = a.Name, a.Kind, a.Institution
	old.ClosedAt, old.UpdatedAt = usecPtr(a.ClosedAt), usec(a.UpdatedAt)
	s.accounts[a.ID] = old
	return nil
}
