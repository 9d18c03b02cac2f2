package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/scale"
)

// lockUserModels serializes model changes of one user for the rest of tx:
// numbering a new version and moving the active flag.
func lockUserModels(ctx context.Context, tx pgx.Tx, user scale.UserID) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('scale.models:' || $1, 0))`, user)
	return err
}

// CreateModelVersion implements ports.ModelStore. The version number is the
// user's highest plus one, under a per-user lock; a second version for the
// same job is KindConflict (model_versions_user_job_key).
func (s *Store) CreateModelVersion(ctx context.Context, m scale.ModelVersion) (scale.ModelVersion, error) {
	if !scale.ValidID(string(m.ID)) {
		return scale.ModelVersion{}, scale.Invalid(scale.CodeInvalid, "the model version id is not valid")
	}
	m.Active, m.CreatedAt = false, utc(m.CreatedAt)
	artifact := m.Artifact
	if artifact == nil {
		artifact = []byte{}
	}
	err := retry(ctx, func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := lockUserModels(ctx, tx, m.User); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `
				INSERT INTO model_versions (id, user_id, version, job_id, metrics, artifact, active, created_at)
				SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, false, $6
				FROM model_versions WHERE user_id = $2
				RETURNING version`,
				m.ID, m.User, nullID(m.Job), metricsJSON(m.Metrics), artifact, m.CreatedAt,
			).Scan(&m.Version)
		})
	})
	if err != nil {
		return scale.ModelVersion{}, mapError(err, "model version")
	}
	return m, nil
}

const modelColumns = `id::text, user_id, version, coalesce(job_id, ''), metrics, active, created_at`

func scanModel(row pgx.Row, withArtifact bool) (scale.ModelVersion, error) {
	var (
		m       scale.ModelVersion
		metrics []byte
	)
	dest := []any{&m.ID, &m.User, &m.Version, &m.Job, &metrics, &m.Active, &m.CreatedAt}
	if withArtifact {
		dest = append(dest, &m.Artifact)
	}
	err := row.Scan(dest...)
	m.Metrics, m.CreatedAt = unmarshalMetrics(metrics), utc(m.CreatedAt)
	return m, err
}

func (s *Store) getModel(ctx context.Context, what, cond string, args ...any) (scale.ModelVersion, error) {
	var m scale.ModelVersion
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		m, err = scanModel(s.pool.QueryRow(ctx, `SELECT `+modelColumns+`, artifact FROM model_versions WHERE `+cond, args...), true)
		return err
	})
	return m, mapError(err, what)
}

// GetModelVersion implements ports.ModelStore.
func (s *Store) GetModelVersion(ctx context.Context, user scale.UserID, id scale.ModelVersionID) (scale.ModelVersion, error) {
	if !scale.ValidID(string(id)) {
		return scale.ModelVersion{}, notFound("model version")
	}
	return s.getModel(ctx, "model version", `id = $1 AND user_id = $2`, id, user)
}

// ActiveModel implements ports.ModelStore.
func (s *Store) ActiveModel(ctx context.Context, user scale.UserID) (scale.ModelVersion, error) {
	return s.getModel(ctx, "active model", `user_id = $1 AND active`, user)
}

// ListModelVersions implements ports.ModelStore; artifacts are not read.
func (s *Store) ListModelVersions(ctx context.Context, user scale.UserID) ([]scale.ModelVersion, error) {
	var out []scale.ModelVersion
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT `+modelColumns+` FROM model_versions
			WHERE user_id = $1 ORDER BY version DESC`, user)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.ModelVersion, error) { return scanModel(r, false) })
		return err
	})
	return out, mapError(err, "model version")
}

// ActivateModel implements ports.ModelStore: in one transaction, under the
// user's model lock, the old active version is cleared and id is set, so
// the partial unique index model_versions_one_active always holds.
func (s *Store) ActivateModel(ctx context.Context, user scale.UserID, id scale.ModelVersionID) error {
	if !scale.ValidID(string(id)) {
		return notFound("model version")
	}
	err := retry(ctx, func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := lockUserModels(ctx, tx, user); err != nil {
				return err
			}
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM model_versions WHERE id = $1 AND user_id = $2)`,
				id, user).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return notFound("model version")
			}
			if _, err := tx.Exec(ctx, `UPDATE model_versions SET active = false
				WHERE user_id = $1 AND active AND id <> $2`, user, id); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE model_versions SET active = true WHERE id = $1 AND user_id = $2`, id, user)
			return err
		})
	})
	return mapError(err, "model version")
}

// PruneModels implements ports.ModelStore: the newest keep versions and the
// active one survive.
func (s *Store) PruneModels(ctx context.Context, user scale.UserID, keep int) (int, error) {
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			DELETE FROM model_versions
			WHERE user_id = $1 AND NOT active
			  AND id NOT IN (
				SELECT id FROM model_versions WHERE user_id = $1 ORDER BY version DESC LIMIT $2)`,
			user, max(keep, 0))
		n = ct.RowsAffected()
		return err
	})
	return int(n), mapError(err, "model version")
}

// ModelUsers implements ports.ModelStore (housekeeping), in byte order.
func (s *Store) ModelUsers(ctx context.Context) ([]scale.UserID, error) {
	var out []scale.UserID
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT DISTINCT user_id COLLATE "C" AS u FROM model_versions ORDER BY u`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[scale.UserID])
		return err
	})
	return out, mapError(err, "model version")
}
