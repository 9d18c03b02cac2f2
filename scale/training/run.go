package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// errJobGone is the cause with which a run's context is cancelled when its
// job was cancelled or reaped under it.
var errJobGone = errors.New("the job is no longer running")

// recorded wraps an error the handler already recorded on the job as its
// final outcome: the queue must not retry it.
type recorded struct{ error }

// Retryable implements ports.Retryable.
func (recorded) Retryable() bool { return false }

func (r recorded) Unwrap() error { return r.error }

// Handler returns the ports.JobHandler of JobTrain.
//
// It claims the job with the transition queued → running (attempts + 1).
// A job that is already completed, failed or cancelled is a successful
// no-op, so a redelivered task never trains or publishes twice. A job found
// running belongs to another attempt, alive or dead: this task leaves it
// alone (success) and the reaper, which alone decides that a worker died,
// requeues it under a fresh key.
func (s *Service) Handler() ports.JobHandler {
	return func(ctx context.Context, qj ports.Job, attempt int) error {
		var p payload
		if err := json.Unmarshal(qj.Payload, &p); err != nil || p.User == "" || p.Job == "" {
			return scale.Invalid(CodePayloadInvalid, "training job payload is not valid")
		}
		j, err := s.jobs.GetJob(ctx, p.User, p.Job)
		if err != nil {
			return err
		}
		log := s.log.With("job", j.ID, "user", j.User, "task", qj.Key, "delivery", attempt)
		switch j.Status {
		case scale.JobQueued:
		case scale.JobRunning:
			log.InfoContext(ctx, "training job already running elsewhere; leaving it to its worker or the reaper")
			return nil
		default:
			log.InfoContext(ctx, "training job already finished; nothing to do", "status", j.Status)
			return nil
		}
		if j.Attempts >= s.cfg.MaxAttempts {
			return s.finishFailed(ctx, log, j, scale.JobQueued, "the job ran out of attempts")
		}
		now := s.now()
		claimed := j
		claimed.Status, claimed.Attempts, claimed.Progress = scale.JobRunning, j.Attempts+1, 0
		claimed.StartedAt, claimed.HeartbeatAt, claimed.UpdatedAt = &now, &now, now
		if err := s.jobs.TransitionJob(ctx, claimed, scale.JobQueued); err != nil {
			if scale.KindOf(err) == scale.KindConflict {
				log.InfoContext(ctx, "training job was claimed or cancelled by someone else")
				return nil
			}
			return err
		}
		log = log.With("attempt", claimed.Attempts)
		log.InfoContext(ctx, "training job running")
		return s.execute(ctx, log, claimed)
	}
}

// execute runs a claimed job to its end.
func (s *Service) execute(ctx context.Context, log *slog.Logger, j scale.TrainingJob) error {
	// A previous attempt may have published before it died.
	if m, ok, err := s.publishedBy(ctx, j); err != nil {
		return s.failed(ctx, log, j, err)
	} else if ok {
		log.InfoContext(ctx, "training job already published its model; finishing", "model", m.ID)
		return s.finish(ctx, log, j, m)
	}
	set, err := s.trainingSet(ctx, j.User, j.ID)
	if err != nil {
		return s.failed(ctx, log, j, err)
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	hb := s.startHeartbeat(runCtx, cancel, log, j)
	started := time.Now()
	artifact, metrics, err := s.train(runCtx, set, hb.progressFunc)
	trainTime := time.Since(started)
	hb.stop()
	if errors.Is(context.Cause(runCtx), errJobGone) {
		log.InfoContext(ctx, "training stopped: the job was cancelled or reaped")
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return s.release(log, j, ctx.Err())
		}
		return s.failed(ctx, log, j, err)
	}
	// The last look before publishing: a job cancelled during training
	// publishes nothing.
	if err := s.jobs.HeartbeatJob(ctx, j.User, j.ID, 99, s.now()); err != nil {
		if scale.KindOf(err) == scale.KindConflict {
			log.InfoContext(ctx, "training finished after the job was cancelled; not publishing")
			return nil
		}
		return s.failed(ctx, log, j, err)
	}
	m, err := s.models.CreateModelVersion(ctx, scale.ModelVersion{
		ID: scale.ModelVersionID(scale.NewID()), User: j.User, Job: j.ID,
		Metrics: metrics, Artifact: artifact, CreatedAt: s.now(),
	})
	if err != nil {
		if scale.KindOf(err) != scale.KindConflict {
			return s.failed(ctx, log, j, err)
		}
		prev, ok, perr := s.publishedBy(ctx, j)
		if perr != nil || !ok {
			return s.failed(ctx, log, j, errors.Join(err, perr))
		}
		m = prev
	}
	log.InfoContext(ctx, "model version stored", "model", m.ID, "version", m.Version, "train_ms", trainTime.Milliseconds())
	return s.finish(ctx, log, j, m)
}

// train calls the trainer, turning a panic into an internal error so the
// attempt ends with a true status instead of a job left running.
func (s *Service) train(ctx context.Context, set ports.TrainingSet, progress ports.TrainProgress) (artifact []byte, metrics map[string]float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = scale.Internal(fmt.Errorf("trainer panicked: %v", r), CodeFailed)
		}
	}()
	return s.trainer.Train(ctx, set, progress)
}

// publishedBy finds the model version job j already stored, if any.
func (s *Service) publishedBy(ctx context.Context, j scale.TrainingJob) (scale.ModelVersion, bool, error) {
	vs, err := s.models.ListModelVersions(ctx, j.User)
	if err != nil {
		return scale.ModelVersion{}, false, err
	}
	for _, v := range vs {
		if v.Job == j.ID {
			return v, true, nil
		}
	}
	return scale.ModelVersion{}, false, nil
}

// finish activates m when it is no worse than the active model (or the job
// forces it), tells the Swapper, and completes the job.
func (s *Service) finish(ctx context.Context, log *slog.Logger, j scale.TrainingJob, m scale.ModelVersion) error {
	activate, why, err := s.shouldActivate(ctx, j, m)
	if err != nil {
		return s.failed(ctx, log, j, err)
	}
	if activate {
		if err := s.models.ActivateModel(ctx, j.User, m.ID); err != nil {
			return s.failed(ctx, log, j, err)
		}
		m.Active = true
		log.InfoContext(ctx, "model version activated", "model", m.ID, "version", m.Version, "why", why)
		if s.swapper != nil {
			if err := s.swapper.Activated(ctx, j.User, m); err != nil {
				// Serving processes also poll the registry; they catch up.
				log.WarnContext(ctx, "swapper refused the new model", "model", m.ID, "err", err)
			}
		}
	} else {
		log.InfoContext(ctx, "model version kept inactive", "model", m.ID, "version", m.Version, "why", why)
	}
	now := s.now()
	done := j
	done.Status, done.Progress, done.Metrics, done.Model, done.Error = scale.JobCompleted, 100, m.Metrics, m.ID, ""
	done.HeartbeatAt, done.FinishedAt, done.UpdatedAt = &now, &now, now
	if err := s.transitionOwn(ctx, done, scale.JobRunning); err != nil {
		if scale.KindOf(err) == scale.KindConflict {
			log.WarnContext(ctx, "training job changed before it could complete", "err", err)
			return nil
		}
		return err
	}
	log.InfoContext(ctx, "training job completed", "model", m.ID)
	return nil
}

// shouldActivate applies the activation rule: forced, no active model, the
// active model lacks the metric, or the new metric is at least the active
// one's.
func (s *Service) shouldActivate(ctx context.Context, j scale.TrainingJob, m scale.ModelVersion) (bool, string, error) {
	if j.Force {
		return true, "forced", nil
	}
	active, err := s.models.ActiveModel(ctx, j.User)
	switch {
	case scale.KindOf(err) == scale.KindNotFound:
		return true, "first model of the user", nil
	case err != nil:
		return false, "", err
	case active.ID == m.ID:
		return true, "already active", nil
	}
	old, hasOld := active.Metrics[s.cfg.Metric]
	cur, hasCur := m.Metrics[s.cfg.Metric]
	switch {
	case !hasOld:
		return true, "the active model has no " + s.cfg.Metric, nil
	case !hasCur:
		return false, "the new model has no " + s.cfg.Metric, nil
	case cur >= old:
		return true, s.cfg.Metric + " no worse than the active model's", nil
	}
	return false, s.cfg.Metric + " worse than the active model's", nil
}

// failed ends a running attempt that failed with err. A retryable error
// with attempts left puts the job back to queued (running → queued) and
// returns err so the queue runs the task again; otherwise the job becomes
// failed with a message safe to show, and the queue is told not to retry.
func (s *Service) failed(ctx context.Context, log *slog.Logger, j scale.TrainingJob, err error) error {
	msg := safeMessage(err)
	if ports.ShouldRetry(err) && j.Attempts < s.cfg.MaxAttempts {
		now := s.now()
		again := j
		again.Status, again.Error, again.Progress, again.UpdatedAt = scale.JobQueued, msg, 0, now
		if terr := s.transitionOwn(context.WithoutCancel(ctx), again, scale.JobRunning); terr != nil {
			log.WarnContext(ctx, "could not requeue a failed attempt", "err", terr)
			if scale.KindOf(terr) == scale.KindConflict {
				return nil
			}
			return terr
		}
		log.WarnContext(ctx, "training attempt failed; will retry", "err", err)
		return err
	}
	log.ErrorContext(ctx, "training job failed", "err", err)
	return s.finishFailed(ctx, log, j, scale.JobRunning, msg)
}

// finishFailed moves j from status from to failed with msg.
func (s *Service) finishFailed(ctx context.Context, log *slog.Logger, j scale.TrainingJob, from scale.JobStatus, msg string) error {
	now := s.now()
	f := j
	f.Status, f.Error, f.FinishedAt, f.UpdatedAt = scale.JobFailed, msg, &now, now
	if err := s.transitionOwn(context.WithoutCancel(ctx), f, from); err != nil {
		if scale.KindOf(err) == scale.KindConflict {
			return nil
		}
		return err
	}
	return recorded{scale.E(scale.KindFailedPrecondition, CodeFailed, "%s", msg)}
}

// release hands a running job back to the queue because the worker is
// shutting down: running → queued, and a retryable error for the queue.
func (s *Service) release(log *slog.Logger, j scale.TrainingJob, cause error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := s.now()
	again := j
	again.Status, again.Progress, again.UpdatedAt = scale.JobQueued, 0, now
	if err := s.transitionOwn(ctx, again, scale.JobRunning); err != nil {
		log.WarnContext(ctx, "could not release a job on shutdown; the reaper will", "err", err)
	} else {
		log.InfoContext(ctx, "training job released on shutdown")
	}
	return scale.Wrap(cause, scale.KindUnavailable, scale.CodeUnavailable, "the worker is shutting down")
}

// transitionOwn is TransitionJob for the attempt that claimed j: it
// refuses (KindConflict) when a later attempt has claimed the job since, so
// a worker that outlived its claim (the reaper requeued its job and another
// worker took it) cannot overwrite the newer attempt. The check and the
// transition are two steps; see docs/adr/0004 for the port change that
// makes them one.
func (s *Service) transitionOwn(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error {
	cur, err := s.jobs.GetJob(ctx, j.User, j.ID)
	if err != nil {
		return err
	}
	if cur.Attempts != j.Attempts {
		return scale.Conflict(scale.CodeJobTransition, "attempt %d of the job was superseded by attempt %d", j.Attempts, cur.Attempts)
	}
	return s.jobs.TransitionJob(ctx, j, from)
}

// safeMessage is the job's error text: the message of a client-kind
// *scale.Error (written to be shown), otherwise a generic text with the
// code; the cause goes only to the log.
func safeMessage(err error) string {
	var se *scale.Error
	if errors.As(err, &se) && se.Kind != scale.KindInternal && se.Message != "" {
		return se.Message
	}
	return "training failed because of an internal error (" + scale.CodeOf(err) + ")"
}

// heartbeat records a running job's liveness and progress: on a timer
// every HeartbeatEvery, and on progress callbacks at most that often. When
// the job is no longer running (cancelled or reaped) it cancels the run.
type heartbeat struct {
	s      *Service
	ctx    context.Context
	cancel context.CancelCauseFunc
	log    *slog.Logger
	job    scale.TrainingJob

	mu       sync.Mutex
	progress int
	last     time.Time
	done     chan struct{}
	wg       sync.WaitGroup
}

func (s *Service) startHeartbeat(ctx context.Context, cancel context.CancelCauseFunc, log *slog.Logger, j scale.TrainingJob) *heartbeat {
	hb := &heartbeat{s: s, ctx: ctx, cancel: cancel, log: log, job: j, last: time.Now(), done: make(chan struct{})}
	hb.wg.Add(1)
	go func() {
		defer hb.wg.Done()
		t := time.NewTicker(s.cfg.HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-hb.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				hb.beat(false)
			}
		}
	}()
	return hb
}

// progressFunc is the ports.TrainProgress given to the trainer. Progress is
// capped at 99 until the model is stored.
func (hb *heartbeat) progressFunc(percent int, _ float64) {
	hb.mu.Lock()
	hb.progress = max(0, min(99, percent))
	hb.mu.Unlock()
	hb.beat(true)
}

func (hb *heartbeat) beat(throttled bool) {
	hb.mu.Lock()
	if throttled && time.Since(hb.last) < hb.s.cfg.HeartbeatEvery {
		hb.mu.Unlock()
		return
	}
	hb.last = time.Now()
	p := hb.progress
	hb.mu.Unlock()
	err := hb.s.jobs.HeartbeatJob(hb.ctx, hb.job.User, hb.job.ID, p, hb.s.now())
	switch {
	case err == nil:
	case scale.KindOf(err) == scale.KindConflict:
		hb.cancel(errJobGone)
	case hb.ctx.Err() == nil:
		hb.log.WarnContext(hb.ctx, "heartbeat failed", "err", err)
	}
}

func (hb *heartbeat) stop() {
	close(hb.done)
	hb.wg.Wait()
}
