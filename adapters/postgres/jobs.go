package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/scale"
)

const jobColumns = `id::text, user_id, status, progress, attempts, metrics, error, model_id, force,
	heartbeat_at, started_at, finished_at, created_at, updated_at`

func scanJob(row pgx.Row) (scale.TrainingJob, error) {
	var (
		j       scale.TrainingJob
		metrics []byte
	)
	err := row.Scan(&j.ID, &j.User, &j.Status, &j.Progress, &j.Attempts, &metrics, &j.Error, &j.Model, &j.Force,
		&j.HeartbeatAt, &j.StartedAt, &j.FinishedAt, &j.CreatedAt, &j.UpdatedAt)
	j.Metrics = unmarshalMetrics(metrics)
	j.HeartbeatAt, j.StartedAt, j.FinishedAt = utcPtr(j.HeartbeatAt), utcPtr(j.StartedAt), utcPtr(j.FinishedAt)
	j.CreatedAt, j.UpdatedAt = utc(j.CreatedAt), utc(j.UpdatedAt)
	return j, err
}

func collectJobs(rows pgx.Rows, err error) ([]scale.TrainingJob, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.TrainingJob, error) { return scanJob(r) })
}

// CreateJob implements ports.JobStore.
func (s *Store) CreateJob(ctx context.Context, j scale.TrainingJob) error {
	if !scale.ValidID(string(j.ID)) {
		return scale.Invalid(scale.CodeInvalid, "the job id is not valid")
	}
	if j.Status != scale.JobQueued {
		return scale.Invalid(scale.CodeJobTransition, "a new job must be queued")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO training_jobs (id, user_id, status, progress, attempts, metrics, error, model_id, force,
			heartbeat_at, started_at, finished_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		j.ID, j.User, string(j.Status), j.Progress, j.Attempts, metricsJSON(j.Metrics), j.Error, string(j.Model), j.Force,
		utcPtr(j.HeartbeatAt), utcPtr(j.StartedAt), utcPtr(j.FinishedAt), utc(j.CreatedAt), utc(j.UpdatedAt))
	return mapError(err, "job")
}

// GetJob implements ports.JobStore.
func (s *Store) GetJob(ctx context.Context, user scale.UserID, id scale.JobID) (scale.TrainingJob, error) {
	if !scale.ValidID(string(id)) {
		return scale.TrainingJob{}, notFound("job")
	}
	var j scale.TrainingJob
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		j, err = scanJob(s.pool.QueryRow(ctx, `SELECT `+jobColumns+` FROM training_jobs WHERE id = $1 AND user_id = $2`, id, user))
		return err
	})
	return j, mapError(err, "job")
}

// ListJobs implements ports.JobStore.
func (s *Store) ListJobs(ctx context.Context, user scale.UserID, limit int) ([]scale.TrainingJob, error) {
	var out []scale.TrainingJob
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		out, err = collectJobs(s.pool.Query(ctx, `SELECT `+jobColumns+` FROM training_jobs
			WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, user, pageSize(limit)))
		return err
	})
	return out, mapError(err, "job")
}

// TransitionJob implements ports.JobStore as one conditional UPDATE: it
// changes the row only while it is still in status from, so of two workers
// claiming the same job exactly one wins. The table's trigger refuses an
// illegal move even if this check were bypassed.
func (s *Store) TransitionJob(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error {
	if !scale.ValidID(string(j.ID)) {
		return notFound("job")
	}
	if err := from.CheckTransition(j.Status); err != nil {
		if _, gerr := s.GetJob(ctx, j.User, j.ID); gerr != nil {
			return gerr
		}
		return err
	}
	ct, err := s.pool.Exec(ctx, `
		UPDATE training_jobs
		SET status = $4, progress = $5, attempts = $6, metrics = $7, error = $8, model_id = $9, force = $10,
			heartbeat_at = $11, started_at = $12, finished_at = $13, updated_at = $14
		WHERE id = $1 AND user_id = $2 AND status = $3`,
		j.ID, j.User, string(from), string(j.Status), max(0, min(100, j.Progress)), j.Attempts, metricsJSON(j.Metrics),
		j.Error, string(j.Model), j.Force, utcPtr(j.HeartbeatAt), utcPtr(j.StartedAt), utcPtr(j.FinishedAt), utc(j.UpdatedAt))
	if err != nil {
		return mapError(err, "job")
	}
	if ct.RowsAffected() == 0 {
		return s.whyNotJob(ctx, j.User, j.ID, string(from))
	}
	return nil
}

// whyNotJob explains a conditional job update that touched no row: the job
// is not the user's (KindNotFound) or is not in the expected status
// (KindConflict).
func (s *Store) whyNotJob(ctx context.Context, user scale.UserID, id scale.JobID, want string) error {
	cur, err := s.GetJob(ctx, user, id)
	if err != nil {
		return err
	}
	return scale.Conflict(scale.CodeJobTransition, "the job is %s, not %s", cur.Status, want)
}

// HeartbeatJob implements ports.JobStore.
func (s *Store) HeartbeatJob(ctx context.Context, user scale.UserID, id scale.JobID, progress int, at time.Time) error {
	if !scale.ValidID(string(id)) {
		return notFound("job")
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			UPDATE training_jobs SET progress = $3, heartbeat_at = $4, updated_at = $4
			WHERE id = $1 AND user_id = $2 AND status = 'running'`,
			id, user, max(0, min(100, progress)), utc(at))
		n = ct.RowsAffected()
		return err
	})
	if err != nil {
		return mapError(err, "job")
	}
	if n == 0 {
		return s.whyNotJob(ctx, user, id, string(scale.JobRunning))
	}
	return nil
}

// StaleJobs implements ports.JobStore (housekeeping, every user).
func (s *Store) StaleJobs(ctx context.Context, before time.Time) ([]scale.TrainingJob, error) {
	var out []scale.TrainingJob
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		out, err = collectJobs(s.pool.Query(ctx, `SELECT `+jobColumns+` FROM training_jobs
			WHERE status = 'running'
			  AND (coalesce(heartbeat_at, started_at) < $1 OR coalesce(heartbeat_at, started_at) IS NULL)
			ORDER BY id`, utc(before)))
		return err
	})
	return out, mapError(err, "job")
}

// PurgeJobs implements ports.JobStore (housekeeping, every user).
func (s *Store) PurgeJobs(ctx context.Context, finishedBefore time.Time) (int, error) {
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `DELETE FROM training_jobs
			WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < $1`, utc(finishedBefore))
		n = ct.RowsAffected()
		return err
	})
	return int(n), mapError(err, "job")
}
