package training

import (
	"context"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// ReapReport counts what one reaper pass did.
type ReapReport struct {
	// Requeued jobs went back to queued and were enqueued again.
	Requeued int
	// Failed jobs had no attempts left and are now failed.
	Failed int
}

// Reap finds running jobs whose heartbeat is older than StaleAfter — their
// worker died — and returns each to the queue (running → queued, enqueued
// under the key "<job id>#<next attempt>") while it has attempts left, or
// fails it with the reason "worker stopped responding".
func (s *Service) Reap(ctx context.Context) (ReapReport, error) {
	var r ReapReport
	now := s.now()
	stale, err := s.jobs.StaleJobs(ctx, now.Add(-s.cfg.StaleAfter))
	if err != nil {
		return r, err
	}
	for _, j := range stale {
		log := s.log.With("job", j.ID, "user", j.User, "attempts", j.Attempts)
		if j.Attempts >= s.cfg.MaxAttempts {
			f := j
			f.Status, f.Error, f.FinishedAt, f.UpdatedAt = scale.JobFailed, "worker stopped responding", &now, now
			if err := s.jobs.TransitionJob(ctx, f, scale.JobRunning); err != nil {
				if scale.KindOf(err) == scale.KindConflict {
					continue
				}
				return r, err
			}
			r.Failed++
			log.WarnContext(ctx, "stale training job failed: no attempts left")
			continue
		}
		q := j
		q.Status, q.Progress, q.Error, q.UpdatedAt = scale.JobQueued, 0, "worker stopped responding; retrying", now
		if err := s.jobs.TransitionJob(ctx, q, scale.JobRunning); err != nil {
			if scale.KindOf(err) == scale.KindConflict {
				continue // it finished or was cancelled meanwhile
			}
			return r, err
		}
		key := string(j.ID) + "#" + itoa(j.Attempts+1)
		if err := s.queue.Enqueue(ctx, s.trainJob(q, key)); err != nil {
			// Never leave a queued job that no task will run.
			f := q
			f.Status, f.Error, f.FinishedAt = scale.JobFailed, "worker stopped responding and the job could not be queued again", &now
			if terr := s.jobs.TransitionJob(ctx, f, scale.JobQueued); terr != nil {
				log.ErrorContext(ctx, "could not fail an unqueued job", "err", terr)
			}
			r.Failed++
			log.ErrorContext(ctx, "stale training job could not be requeued", "err", err)
			continue
		}
		r.Requeued++
		log.WarnContext(ctx, "stale training job requeued", "key", key)
	}
	if len(stale) > 0 {
		s.log.InfoContext(ctx, "reaper pass", "stale", len(stale), "requeued", r.Requeued, "failed", r.Failed)
	}
	return r, nil
}

// PruneModels deletes, for every user with models, the inactive versions
// beyond the newest KeepModels. It returns how many it deleted.
func (s *Service) PruneModels(ctx context.Context) (int, error) {
	users, err := s.models.ModelUsers(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, u := range users {
		n, err := s.models.PruneModels(ctx, u, s.cfg.KeepModels)
		if err != nil {
			return total, err
		}
		total += n
	}
	s.log.InfoContext(ctx, "model pruning pass", "users", len(users), "deleted", total, "keep", s.cfg.KeepModels)
	return total, nil
}

// PurgeJobs deletes finished jobs that finished more than JobRetention ago
// and returns how many.
func (s *Service) PurgeJobs(ctx context.Context) (int, error) {
	n, err := s.jobs.PurgeJobs(ctx, s.now().Add(-s.cfg.JobRetention))
	if err != nil {
		return 0, err
	}
	s.log.InfoContext(ctx, "job purge pass", "deleted", n, "retention", s.cfg.JobRetention.String())
	return n, nil
}

// periodic is one housekeeping job type and its period.
type periodic struct {
	jobType string
	every   time.Duration
}

func (s *Service) periodics() []periodic {
	return []periodic{{JobReap, s.cfg.ReapEvery}, {JobPruneModels, s.cfg.PruneEvery}, {JobPurgeJobs, s.cfg.PurgeEvery}}
}

// Schedule enqueues the next run of every housekeeping job: at the end of
// the current period, under the key "<type>@<run time>". Any number of
// workers may call it any number of times: the keys make one run per
// period. Each housekeeping handler schedules its own next run as well.
func (s *Service) Schedule(ctx context.Context) error {
	for _, p := range s.periodics() {
		if err := s.scheduleNext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) scheduleNext(ctx context.Context, p periodic) error {
	at := s.clock.Now().UTC().Truncate(p.every).Add(p.every)
	return s.queue.Enqueue(ctx, ports.Job{Type: p.jobType, Key: p.jobType + "@" + at.Format(time.RFC3339), RunAt: at, MaxAttempts: 3})
}

// RunSchedule calls Schedule now and then every ReapEvery until ctx ends,
// so that the housekeeping chain survives a lost enqueue. Run it in the
// worker process; it returns ctx's error.
func (s *Service) RunSchedule(ctx context.Context) error {
	t := time.NewTicker(s.cfg.ReapEvery)
	defer t.Stop()
	for {
		if err := s.Schedule(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "scheduling housekeeping failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// housekeeping wraps a pass as a handler that also schedules its next run.
func (s *Service) housekeeping(p func() periodic, pass func(context.Context) error) ports.JobHandler {
	return func(ctx context.Context, _ ports.Job, _ int) error {
		err := pass(ctx)
		if serr := s.scheduleNext(ctx, p()); serr != nil {
			s.log.WarnContext(ctx, "scheduling the next housekeeping run failed", "type", p().jobType, "err", serr)
		}
		return err
	}
}

// ReapHandler returns the ports.JobHandler of JobReap.
func (s *Service) ReapHandler() ports.JobHandler {
	return s.housekeeping(func() periodic { return periodic{JobReap, s.cfg.ReapEvery} },
		func(ctx context.Context) error { _, err := s.Reap(ctx); return err })
}

// PruneHandler returns the ports.JobHandler of JobPruneModels.
func (s *Service) PruneHandler() ports.JobHandler {
	return s.housekeeping(func() periodic { return periodic{JobPruneModels, s.cfg.PruneEvery} },
		func(ctx context.Context) error { _, err := s.PruneModels(ctx); return err })
}

// PurgeHandler returns the ports.JobHandler of JobPurgeJobs.
func (s *Service) PurgeHandler() ports.JobHandler {
	return s.housekeeping(func() periodic { return periodic{JobPurgeJobs, s.cfg.PurgeEvery} },
		func(ctx context.Context) error { _, err := s.PurgeJobs(ctx); return err })
}
