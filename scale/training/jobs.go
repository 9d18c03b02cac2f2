package training

import (
	"context"
	"encoding/json"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// payload is the queue payload of JobTrain.
type payload struct {
	User scale.UserID `json:"user"`
	Job  scale.JobID  `json:"job"`
}

// trainJob is the queue job that runs j. The first enqueue uses the job id
// as key; a requeue after a dead worker uses id#attempt, a key of its own.
func (s *Service) trainJob(j scale.TrainingJob, key string) ports.Job {
	b, _ := json.Marshal(payload{User: j.User, Job: j.ID})
	// The queue may spend attempts that never claim the job (a store
	// outage before the claim); the slack keeps the domain's own bound,
	// MaxAttempts claims, the one that decides.
	return ports.Job{Type: JobTrain, Key: key, Payload: b, MaxAttempts: s.cfg.MaxAttempts + 2}
}

// Create stores a queued training job for user and enqueues it. It refuses
// (KindConflict) when the user has fewer than MinLabels labelled
// transactions (code training.not_enough_labels) or already has a job
// queued or running (code training.in_progress). force activates the
// resulting model even if its metrics are worse than the active one's.
func (s *Service) Create(ctx context.Context, user scale.UserID, force bool) (scale.TrainingJob, error) {
	if user == "" {
		return scale.TrainingJob{}, scale.Invalid(CodeUserRequired, "a user is required")
	}
	n, err := s.countLabels(ctx, user, s.cfg.MinLabels)
	if err != nil {
		return scale.TrainingJob{}, err
	}
	if n < s.cfg.MinLabels {
		return scale.TrainingJob{}, &scale.Error{
			Kind: scale.KindConflict, Code: CodeNotEnoughLabels,
			Message: notEnoughLabels(s.cfg.MinLabels, n),
			Fields:  []scale.FieldError{{Field: "labelled_transactions", Message: notEnoughLabels(s.cfg.MinLabels, n)}},
		}
	}
	recent, err := s.jobs.ListJobs(ctx, user, 20)
	if err != nil {
		return scale.TrainingJob{}, err
	}
	for _, j := range recent {
		if !j.Status.Terminal() {
			return scale.TrainingJob{}, scale.Conflict(CodeInProgress, "training job %s is already %s; wait for it or cancel it", j.ID, j.Status)
		}
	}
	now := s.now()
	j := scale.TrainingJob{
		ID: scale.JobID(scale.NewID()), User: user, Status: scale.JobQueued, Force: force,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := s.jobs.CreateJob(ctx, j); err != nil {
		return scale.TrainingJob{}, err
	}
	if err := s.queue.Enqueue(ctx, s.trainJob(j, string(j.ID))); err != nil {
		// Never leave a queued job that no task will run.
		failed := j
		failed.Status, failed.Error, failed.FinishedAt, failed.UpdatedAt = scale.JobFailed, "the job could not be queued", &now, now
		if terr := s.jobs.TransitionJob(context.WithoutCancel(ctx), failed, scale.JobQueued); terr != nil {
			s.log.ErrorContext(ctx, "could not fail an unqueued job", "job", j.ID, "err", terr)
		}
		return scale.TrainingJob{}, scale.Wrap(err, scale.KindUnavailable, CodeEnqueueFailed, "the training job could not be queued; try again later")
	}
	s.log.InfoContext(ctx, "training job queued", "job", j.ID, "user", user, "labels", n, "force", force)
	return j, nil
}

func notEnoughLabels(need, have int) string {
	return "Training needs at least " + itoa(need) + " labelled transactions (from imports, corrections or rules); there are " + itoa(have) + "."
}

// Get returns one of the user's jobs, or KindNotFound.
func (s *Service) Get(ctx context.Context, user scale.UserID, id scale.JobID) (scale.TrainingJob, error) {
	return s.jobs.GetJob(ctx, user, id)
}

// List returns the user's jobs, newest first, at most limit (the store
// bounds it).
func (s *Service) List(ctx context.Context, user scale.UserID, limit int) ([]scale.TrainingJob, error) {
	return s.jobs.ListJobs(ctx, user, limit)
}

// Cancel cancels a queued or running job and returns it. A running job's
// worker notices at its next heartbeat and stops without publishing. A
// finished job is KindConflict (code training.not_cancellable).
func (s *Service) Cancel(ctx context.Context, user scale.UserID, id scale.JobID) (scale.TrainingJob, error) {
	for range 3 {
		j, err := s.jobs.GetJob(ctx, user, id)
		if err != nil {
			return scale.TrainingJob{}, err
		}
		if j.Status.Terminal() {
			return scale.TrainingJob{}, scale.Conflict(CodeNotCancellable, "the job is already %s", j.Status)
		}
		from, now := j.Status, s.now()
		j.Status, j.FinishedAt, j.UpdatedAt = scale.JobCancelled, &now, now
		err = s.jobs.TransitionJob(ctx, j, from)
		if err == nil {
			s.log.InfoContext(ctx, "training job cancelled", "job", id, "was", from)
			return j, nil
		}
		if scale.KindOf(err) != scale.KindConflict {
			return scale.TrainingJob{}, err
		}
		// The job moved (claimed, requeued or finished) meanwhile: look again.
	}
	return scale.TrainingJob{}, scale.Conflict(scale.CodeJobTransition, "the job keeps changing; try again")
}
