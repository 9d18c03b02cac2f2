package accounts

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/scalehq/scale/scale"
)

// NewAccount is what a caller gives to open an account.
type NewAccount struct {
	Name        string
	Kind        scale.AccountKind
	Currency    string
	Institution string
}

// CreateAccount validates and stores a new account; an empty currency takes
// the profile's.
func (s *Service) CreateAccount(ctx context.Context, user scale.UserID, in NewAccount) (scale.Account, error) {
	var fs []scale.FieldError
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 || !printable(name) {
		fs = append(fs, scale.FieldError{Field: "name", Message: "must be 1 to 100 printable characters"})
	}
	if in.Kind == "" {
		in.Kind = scale.AccountChecking
	}
	if !in.Kind.Valid() {
		fs = append(fs, scale.FieldError{Field: "kind", Message: "must be checking, savings, credit_card, cash, loan or other"})
	}
	var cur scale.Currency
	if in.Currency == "" {
		p, err := s.Profile(ctx, user)
		if err != nil {
			return scale.Account{}, err
		}
		cur = p.Currency
	} else if c, err := scale.ParseCurrency(in.Currency); err != nil {
		fs = append(fs, scale.FieldError{Field: "currency", Message: "is not a supported ISO 4217 code"})
	} else {
		cur = c
	}
	inst := strings.TrimSpace(in.Institution)
	if utf8.RuneCountInString(inst) > 100 || !printable(inst) {
		fs = append(fs, scale.FieldError{Field: "institution", Message: "must be at most 100 printable characters"})
	}
	if len(fs) > 0 {
		return scale.Account{}, scale.InvalidFields("account.invalid", "The account is not valid.", fs...)
	}
	now := s.d.Clock.Now()
	a := scale.Account{
		ID: scale.AccountID(scale.NewID()), User: user, Name: name, Kind: in.Kind, Currency: cur,
		Institution: inst, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.d.Accounts.CreateAccount(ctx, a); err != nil {
		return scale.Account{}, err
	}
	return a, nil
}

// Account returns one of the user's accounts.
func (s *Service) Account(ctx context.Context, user scale.UserID, id scale.AccountID) (scale.Account, error) {
	if !scale.ValidID(string(id)) {
		return scale.Account{}, scale.NotFound(scale.CodeNotFound, "account not found")
	}
	return s.d.Accounts.GetAccount(ctx, user, id)
}

// Accounts lists the user's accounts, oldest first.
func (s *Service) Accounts(ctx context.Context, user scale.UserID) ([]scale.Account, error) {
	return s.d.Accounts.ListAccounts(ctx, user)
}

// AccountPatch changes the fields that are non-nil. Closed true closes the
// account (it keeps its history and accepts no imports); false reopens it.
type AccountPatch struct {
	Name        *string
	Institution *string
	Closed      *bool
}

// UpdateAccount renames, closes or reopens an account.
func (s *Service) UpdateAccount(ctx context.Context, user scale.UserID, id scale.AccountID, p AccountPatch) (scale.Account, error) {
	a, err := s.Account(ctx, user, id)
	if err != nil {
		return scale.Account{}, err
	}
	var fs []scale.FieldError
	if p.Name != nil {
		n := strings.TrimSpace(*p.Name)
		if n == "" || utf8.RuneCountInString(n) > 100 || !printable(n) {
			fs = append(fs, scale.FieldError{Field: "name", Message: "must be 1 to 100 printable characters"})
		}
		a.Name = n
	}
	if p.Institution != nil {
		n := strings.TrimSpace(*p.Institution)
		if utf8.RuneCountInString(n) > 100 || !printable(n) {
			fs = append(fs, scale.FieldError{Field: "institution", Message: "must be at most 100 printable characters"})
		}
		a.Institution = n
	}
	if len(fs) > 0 {
		return scale.Account{}, scale.InvalidFields("account.invalid", "The account change is not valid.", fs...)
	}
	now := s.d.Clock.Now()
	if p.Closed != nil {
		switch {
		case *p.Closed && a.ClosedAt == nil:
			a.ClosedAt = &now
		case !*p.Closed:
			a.ClosedAt = nil
		}
	}
	a.UpdatedAt = now
	if err := s.d.Accounts.UpdateAccount(ctx, a); err != nil {
		return scale.Account{}, err
	}
	return a, nil
}
