package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/scalehq/scale/scale"
)

// CreateJob implements ports.JobStore.
func (s *Store) CreateJob(ctx context.Context, j scale.TrainingJob) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[j.ID]; ok {
		return scale.Conflict(scale.CodeConflict, "job %s already exists", j.ID)
	}
	if j.Status != scale.JobQueued {
		return scale.Invalid(scale.CodeJobTransition, "a new job must be queued")
	}
	s.jobs[j.ID] = cloneJob(j)
	return nil
}

// GetJob implements ports.JobStore.
func (s *Store) GetJob(ctx context.Context, user scale.UserID, id scale.JobID) (scale.TrainingJob, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j, ok := s.jobs[id]
	if !ok || j.User != user {
		return scale.TrainingJob{}, notFound("job")
	}
	return cloneJob(j), nil
}

// ListJobs implements ports.JobStore.
func (s *Store) ListJobs(ctx context.Context, user scale.UserID, limit int) ([]scale.TrainingJob, error) {
	s.mu.RLock()
	var out []scale.TrainingJob
	for _, j := range s.jobs {
		if j.User == user {
			out = append(out, cloneJob(j))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b scale.TrainingJob) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	if l := limitOf(limit); len(out) > l {
		out = out[:l]
	}
	return out, nil
}

// TransitionJob implements ports.JobStore.
func (s *Store) TransitionJob(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.jobs[j.ID]
	if !ok || old.User != j.User {
		return notFound("job")
	}
	if old.Status != from {
		return scale.Conflict(scale.CodeJobTransition, "the job is %s, not %s", old.Status, from)
	}
	if err := from.CheckTransition(j.Status); err != nil {
		return err
	}
	j.CreatedAt = old.CreatedAt
	s.jobs[j.ID] = cloneJob(j)
	return nil
}

// HeartbeatJob implements ports.JobStore.
func (s *Store) HeartbeatJob(ctx context.Context, user scale.UserID, id scale.JobID, progress int, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || j.User != user {
		return notFound("job")
	}
	if j.Status != scale.JobRunning {
		return scale.Conflict(scale.CodeJobTransition, "the job is %s, not running", j.Status)
	}
	at = usec(at)
	j.Progress, j.HeartbeatAt, j.UpdatedAt = max(0, min(100, progress)), &at, at
	s.jobs[id] = j
	return nil
}

// StaleJobs implements ports.JobStore.
func (s *Store) StaleJobs(ctx context.Context, before time.Time) ([]scale.TrainingJob, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []scale.TrainingJob
	for _, j := range s.jobs {
		if j.Status != scale.JobRunning {
			continue
		}
		hb := j.StartedAt
		if j.HeartbeatAt != nil {
			hb = j.HeartbeatAt
		}
		if hb == nil || hb.Before(before) {
			out = append(out, cloneJob(j))
		}
	}
	slices.SortFunc(out, func(a, b scale.TrainingJob) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PurgeJobs implements ports.JobStore.
func (s *Store) PurgeJobs(ctx context.Context, finishedBefore time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, j := range s.jobs {
		if j.Status.Terminal() && j.FinishedAt != nil && j.FinishedAt.Before(finishedBefore) {
			delete(s.jobs, id)
			n++
		}
	}
	return n, nil
}
