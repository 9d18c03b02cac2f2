package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/scale"
)

// GetProfile implements ports.ProfileStore.
func (s *Store) GetProfile(ctx context.Context, user scale.UserID) (scale.Profile, error) {
	p := scale.Profile{User: user}
	err := retry(ctx, func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `
			SELECT display_name, currency, time_zone, locale, created_at, updated_at
			FROM profiles WHERE user_id = $1`, user,
		).Scan(&p.DisplayName, &p.Currency, &p.TimeZone, &p.Locale, &p.CreatedAt, &p.UpdatedAt)
	})
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	return p, mapError(err, "profile")
}

// PutProfile implements ports.ProfileStore. A replaced profile keeps its
// creation time.
func (s *Store) PutProfile(ctx context.Context, p scale.Profile) error {
	err := retry(ctx, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `
			INSERT INTO profiles (user_id, display_name, currency, time_zone, locale, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (user_id) DO UPDATE SET
				display_name = excluded.display_name,
				currency     = excluded.currency,
				time_zone    = excluded.time_zone,
				locale       = excluded.locale,
				updated_at   = excluded.updated_at`,
			p.User, p.DisplayName, string(p.Currency), p.TimeZone, p.Locale, utc(p.CreatedAt), utc(p.UpdatedAt))
		return err
	})
	return mapError(err, "profile")
}

// CreateAccount implements ports.AccountStore.
func (s *Store) CreateAccount(ctx context.Context, a scale.Account) error {
	if !scale.ValidID(string(a.ID)) {
		return scale.Invalid(scale.CodeInvalid, "the account id is not valid")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO accounts (id, user_id, name, kind, currency, institution, closed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.User, a.Name, string(a.Kind), string(a.Currency), a.Institution,
		utcPtr(a.ClosedAt), utc(a.CreatedAt), utc(a.UpdatedAt))
	return mapError(err, "account")
}

const accountColumns = `id::text, user_id, name, kind, currency, institution, closed_at, created_at, updated_at`

func scanAccount(row pgx.Row) (scale.Account, error) {
	var a scale.Account
	err := row.Scan(&a.ID, &a.User, &a.Name, &a.Kind, &a.Currency, &a.Institution, &a.ClosedAt, &a.CreatedAt, &a.UpdatedAt)
	a.ClosedAt, a.CreatedAt, a.UpdatedAt = utcPtr(a.ClosedAt), utc(a.CreatedAt), utc(a.UpdatedAt)
	return a, err
}

// GetAccount implements ports.AccountStore.
func (s *Store) GetAccount(ctx context.Context, user scale.UserID, id scale.AccountID) (scale.Account, error) {
	if !scale.ValidID(string(id)) {
		return scale.Account{}, notFound("account")
	}
	var a scale.Account
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		a, err = scanAccount(s.pool.QueryRow(ctx,
			`SELECT `+accountColumns+` FROM accounts WHERE id = $1 AND user_id = $2`, id, user))
		return err
	})
	return a, mapError(err, "account")
}

// ListAccounts implements ports.AccountStore.
func (s *Store) ListAccounts(ctx context.Context, user scale.UserID) ([]scale.Account, error) {
	var out []scale.Account
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx,
			`SELECT `+accountColumns+` FROM accounts WHERE user_id = $1 ORDER BY created_at, id`, user)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Account, error) { return scanAccount(r) })
		return err
	})
	return out, mapError(err, "account")
}

// UpdateAccount implements ports.AccountStore.
func (s *Store) UpdateAccount(ctx context.Context, a scale.Account) error {
	if !scale.ValidID(string(a.ID)) {
		return notFound("account")
	}
	var tag int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			UPDATE accounts
			SET name = $3, kind = $4, institution = $5, closed_at = $6, updated_at = $7
			WHERE id = $1 AND user_id = $2`,
			a.ID, a.User, a.Name, string(a.Kind), a.Institution, utcPtr(a.ClosedAt), utc(a.UpdatedAt))
		tag = ct.RowsAffected()
		return err
	})
	if err != nil {
		return mapError(err, "account")
	}
	if tag == 0 {
		return notFound("account")
	}
	return nil
}
