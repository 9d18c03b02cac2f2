package accounts

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Deps are the ports the service needs. Logger is optional.
type Deps struct {
	Profiles     ports.ProfileStore
	Accounts     ports.AccountStore
	Transactions ports.TransactionStore
	Clock        ports.Clock
	Logger       *slog.Logger
}

// Service manages profiles, accounts and transactions.
type Service struct {
	d Deps
}

// New returns a Service, or an error naming a missing dependency.
func New(d Deps) (*Service, error) {
	if d.Profiles == nil || d.Accounts == nil || d.Transactions == nil || d.Clock == nil {
		return nil, errors.New("accounts: Deps.Profiles, Accounts, Transactions and Clock are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d}, nil
}

// Profile returns the user's profile, or the defaults when none is saved.
func (s *Service) Profile(ctx context.Context, user scale.UserID) (scale.Profile, error) {
	p, err := s.d.Profiles.GetProfile(ctx, user)
	if scale.KindOf(err) == scale.KindNotFound {
		return scale.DefaultProfile(user, s.d.Clock.Now()), nil
	}
	return p, err
}

// ProfilePatch changes the fields that are non-nil.
type ProfilePatch struct {
	DisplayName *string
	Currency    *string
	TimeZone    *string
	Locale      *string
}

// UpdateProfile validates and applies p, listing every bad field.
func (s *Service) UpdateProfile(ctx context.Context, user scale.UserID, p ProfilePatch) (scale.Profile, error) {
	cur, err := s.Profile(ctx, user)
	if err != nil {
		return scale.Profile{}, err
	}
	var fs []scale.FieldError
	if p.DisplayName != nil {
		if n := strings.TrimSpace(*p.DisplayName); utf8.RuneCountInString(n) > 100 || !printable(n) {
			fs = append(fs, scale.FieldError{Field: "display_name", Message: "must be at most 100 printable characters"})
		} else {
			cur.DisplayName = n
		}
	}
	if p.Currency != nil {
		if c, err := scale.ParseCurrency(*p.Currency); err != nil {
			fs = append(fs, scale.FieldError{Field: "currency", Message: "is not a supported ISO 4217 code"})
		} else {
			cur.Currency = c
		}
	}
	if p.TimeZone != nil {
		if _, err := time.LoadLocation(*p.TimeZone); err != nil || *p.TimeZone == "" || *p.TimeZone == "Local" {
			fs = append(fs, scale.FieldError{Field: "time_zone", Message: "is not an IANA time zone name"})
		} else {
			cur.TimeZone = *p.TimeZone
		}
	}
	if p.Locale != nil {
		if !validLocale(*p.Locale) {
			fs = append(fs, scale.FieldError{Field: "locale", Message: "is not a BCP 47 language tag such as en-GB"})
		} else {
			cur.Locale = *p.Locale
		}
	}
	if len(fs) > 0 {
		return scale.Profile{}, scale.InvalidFields("profile.invalid", "The profile change is not valid.", fs...)
	}
	cur.UpdatedAt = s.d.Clock.Now()
	if err := s.d.Profiles.PutProfile(ctx, cur); err != nil {
		return scale.Profile{}, err
	}
	return cur, nil
}

func validLocale(s string) bool {
	if len(s) < 2 || len(s) > 35 {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if len(part) == 0 || len(part) > 8 || (i == 0 && (len(part) < 2 || len(part) > 3)) {
			return false
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return false
		}
	}
	return true
}
