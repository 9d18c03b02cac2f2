package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// ListCategories implements ports.CategoryStore.
func (s *Store) ListCategories(ctx context.Context, user scale.UserID) ([]scale.Category, error) {
	var out []scale.Category
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `
			SELECT id, user_id, name, created_at FROM categories
			WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"`, user)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Category, error) {
			var c scale.Category
			err := r.Scan(&c.ID, &c.User, &c.Name, &c.CreatedAt)
			c.CreatedAt = utc(c.CreatedAt)
			return c, err
		})
		return err
	})
	return out, mapError(err, "category")
}

// CreateCategory implements ports.CategoryStore. A name the user already
// has, ignoring case, is KindConflict (categories_user_name_key).
func (s *Store) CreateCategory(ctx context.Context, c scale.Category) error {
	if c.ID == "" {
		return scale.Invalid(scale.CodeInvalid, "the category id is required")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO categories (id, user_id, name, created_at) VALUES ($1, $2, $3, $4)`,
		c.ID, c.User, c.Name, utc(c.CreatedAt))
	return mapError(err, "category")
}

// UpdateCategory implements ports.CategoryStore.
func (s *Store) UpdateCategory(ctx context.Context, c scale.Category) error {
	return s.execOne(ctx, "category", `UPDATE categories SET name = $3 WHERE id = $1 AND user_id = $2`, c.ID, c.User, c.Name)
}

// DeleteCategory implements ports.CategoryStore: the category and its
// corrections go in one statement. Transactions and rules keep the id they
// were labelled with.
func (s *Store) DeleteCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) error {
	return s.execOne(ctx, "category", `WITH gone AS (
		DELETE FROM corrections WHERE user_id = $2 AND category = $1
			AND EXISTS (SELECT 1 FROM categories WHERE id = $1 AND user_id = $2))
	DELETE FROM categories WHERE id = $1 AND user_id = $2`, id, user)
}

// execOne runs an idempotent single-row UPDATE or DELETE and reports
// KindNotFound when it touched no row.
func (s *Store) execOne(ctx context.Context, what, sql string, args ...any) error {
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, sql, args...)
		n = ct.RowsAffected()
		return err
	})
	if err != nil {
		return mapError(err, what)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

const ruleColumns = `id::text, user_id, category, field, match, pattern, min_amount, max_amount, account_id,
	priority, created_at, updated_at`

func scanRule(row pgx.Row) (scale.Rule, error) {
	var r scale.Rule
	err := row.Scan(&r.ID, &r.User, &r.Category, &r.Field, &r.Match, &r.Pattern, &r.MinAmount, &r.MaxAmount,
		&r.Account, &r.Priority, &r.CreatedAt, &r.UpdatedAt)
	r.CreatedAt, r.UpdatedAt = utc(r.CreatedAt), utc(r.UpdatedAt)
	return r, err
}

// ListRules implements ports.CategoryStore.
func (s *Store) ListRules(ctx context.Context, user scale.UserID) ([]scale.Rule, error) {
	var out []scale.Rule
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT `+ruleColumns+` FROM rules
			WHERE user_id = $1 ORDER BY priority, created_at, id`, user)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Rule, error) { return scanRule(r) })
		return err
	})
	return out, mapError(err, "rule")
}

// CreateRule implements ports.CategoryStore.
func (s *Store) CreateRule(ctx context.Context, r scale.Rule) error {
	if !scale.ValidID(string(r.ID)) {
		return scale.Invalid(scale.CodeInvalid, "the rule id is not valid")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO rules (id, user_id, category, field, match, pattern, min_amount, max_amount, account_id,
			priority, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ID, r.User, string(r.Category), string(r.Field), string(r.Match), r.Pattern, r.MinAmount, r.MaxAmount,
		string(r.Account), r.Priority, utc(r.CreatedAt), utc(r.UpdatedAt))
	return mapError(err, "rule")
}

// GetRule implements ports.CategoryStore.
func (s *Store) GetRule(ctx context.Context, user scale.UserID, id scale.RuleID) (scale.Rule, error) {
	if !scale.ValidID(string(id)) {
		return scale.Rule{}, notFound("rule")
	}
	var r scale.Rule
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		r, err = scanRule(s.pool.QueryRow(ctx, `SELECT `+ruleColumns+` FROM rules WHERE id = $1 AND user_id = $2`, id, user))
		return err
	})
	return r, mapError(err, "rule")
}

// UpdateRule implements ports.CategoryStore; the creation time is kept.
func (s *Store) UpdateRule(ctx context.Context, r scale.Rule) error {
	if !scale.ValidID(string(r.ID)) {
		return notFound("rule")
	}
	return s.execOne(ctx, "rule", `
		UPDATE rules
		SET category = $3, field = $4, match = $5, pattern = $6, min_amount = $7, max_amount = $8,
			account_id = $9, priority = $10, updated_at = $11
		WHERE id = $1 AND user_id = $2`,
		r.ID, r.User, string(r.Category), string(r.Field), string(r.Match), r.Pattern, r.MinAmount, r.MaxAmount,
		string(r.Account), r.Priority, utc(r.UpdatedAt))
}

// DeleteRule implements ports.CategoryStore.
func (s *Store) DeleteRule(ctx context.Context, user scale.UserID, id scale.RuleID) error {
	if !scale.ValidID(string(id)) {
		return notFound("rule")
	}
	return s.execOne(ctx, "rule", `DELETE FROM rules WHERE id = $1 AND user_id = $2`, id, user)
}

// PutCorrection implements ports.CategoryStore.
func (s *Store) PutCorrection(ctx context.Context, c ports.Correction) error {
	err := retry(ctx, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `
			INSERT INTO corrections (user_id, key, category, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, key) DO UPDATE SET category = excluded.category, updated_at = excluded.updated_at`,
			c.User, c.Key, string(c.Category), utc(c.UpdatedAt))
		return err
	})
	return mapError(err, "correction")
}

// ListCorrections implements ports.CategoryStore, ordered by key (byte
// order, as Go compares strings).
func (s *Store) ListCorrections(ctx context.Context, user scale.UserID) ([]ports.Correction, error) {
	var out []ports.Correction
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `
			SELECT user_id, key, category, updated_at FROM corrections
			WHERE user_id = $1 ORDER BY key COLLATE "C"`, user)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ports.Correction, error) {
			var c ports.Correction
			err := r.Scan(&c.User, &c.Key, &c.Category, &c.UpdatedAt)
			c.UpdatedAt = utc(c.UpdatedAt)
			return c, err
		})
		return err
	})
	return out, mapError(err, "correction")
}
