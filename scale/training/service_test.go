package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

func TestJobRunsToCompletion(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(60, scale.SourceImport, 7)
	e.start()
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	is.Equal(j.Status, scale.JobQueued)
	e.drain()

	j = e.job(j.ID)
	is.Equal(j.Status, scale.JobCompleted)
	is.Equal(j.Progress, 100)
	is.Equal(j.Attempts, 1)
	is.Equal(j.Metrics["accuracy"], 0.9)
	is.True(j.StartedAt != nil && j.FinishedAt != nil && j.HeartbeatAt != nil)
	is.Equal(j.Error, "")
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobCompleted))

	active, err := e.svc.ActiveModel(context.Background(), e.user)
	is.NoErr(err)
	is.Equal(active.ID, j.Model)
	is.Equal(active.Version, 1)
	is.Equal(active.Job, j.ID)
	is.Equal(string(active.Artifact), "model")
	is.Equal(e.swapper.Count(), 1)

	set := e.trainer.sets[0]
	is.Equal(len(set.Labelled), 60)
	is.Equal(len(set.Unlabelled), 7)
	is.True(slices.Contains(set.Labels, "food"))
	is.True(slices.Contains(set.Labels, "my-pets")) // the user's own category
	is.True(!slices.Contains(set.Labels, "uncategorized"))
}

func TestLabelsFromEverySourceCount(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{MinLabels: 30}, nil)
	e.seed(10, scale.SourceImport, 0)
	e.seed(10, scale.SourceCorrection, 0)
	e.seed(10, scale.SourceRule, 0)
	e.seed(40, scale.SourceModel, 0) // the model's own guesses are not labels
	_, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
}

func TestNotEnoughLabels(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(12, scale.SourceCorrection, 100)
	_, err := e.svc.Create(context.Background(), e.user, false)
	var se *scale.Error
	is.True(errors.As(err, &se))
	is.Equal(se.Kind, scale.KindConflict)
	is.Equal(se.Code, training.CodeNotEnoughLabels)
	is.True(strings.Contains(se.Message, "at least 50"))
	is.True(strings.Contains(se.Message, "there are 12"))
	jobs, err := e.svc.List(context.Background(), e.user, 10)
	is.NoErr(err)
	is.Equal(len(jobs), 0) // nothing stored
}

func TestOneJobAtATime(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(50, scale.SourceImport, 0)
	_, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	_, err = e.svc.Create(context.Background(), e.user, false)
	is.Equal(scale.CodeOf(err), training.CodeInProgress)
	is.Equal(scale.KindOf(err), scale.KindConflict)
}

func TestTrainingErrorFailsWithMessage(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
		return nil, nil, scale.Invalid("hypcd.degenerate", "every labelled transaction has the same category")
	})
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobFailed)
	is.Equal(j.Error, "every labelled transaction has the same category")
	is.True(j.FinishedAt != nil)
	is.Equal(e.trainer.Calls(), 1) // a final error is not retried
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobFailed))
	is.Equal(len(e.versions()), 0)
	_, err := e.svc.ActiveModel(context.Background(), e.user)
	is.True(errors.Is(err, training.ErrBaseModel))
}

func TestInternalErrorTextIsNotShown(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{MaxAttempts: 1}, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
		return nil, nil, errors.New(`parse "ACME PAYROLL 4411": secret detail`)
	})
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobFailed)
	is.True(!strings.Contains(j.Error, "ACME"))
	is.True(strings.Contains(j.Error, "internal error"))
}

func TestTransientErrorIsRetried(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, func(_ context.Context, call int, _ ports.TrainingSet, _ ports.TrainProgress) ([]byte, map[string]float64, error) {
		if call == 1 {
			return nil, nil, scale.E(scale.KindUnavailable, "hypcd.busy", "the trainer is busy")
		}
		return []byte("m"), map[string]float64{"accuracy": 0.8}, nil
	})
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobCompleted)
	is.Equal(j.Attempts, 2)
	is.Equal(j.Error, "")
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobQueued, scale.JobRunning, scale.JobCompleted))
}

func TestTransientErrorsAreBounded(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{MaxAttempts: 3}, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
		return nil, nil, scale.E(scale.KindUnavailable, "hypcd.busy", "the trainer is busy")
	})
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobFailed)
	is.Equal(j.Attempts, 3)
	is.Equal(j.Error, "the trainer is busy")
	is.Equal(e.trainer.Calls(), 3)
}

func TestCancelQueued(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(50, scale.SourceImport, 0)
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	c, err := e.svc.Cancel(context.Background(), e.user, j.ID)
	is.NoErr(err)
	is.Equal(c.Status, scale.JobCancelled)
	e.start()
	e.drain()
	is.Equal(e.job(j.ID).Status, scale.JobCancelled)
	is.Equal(e.trainer.Calls(), 0)
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobCancelled))

	_, err = e.svc.Cancel(context.Background(), e.user, j.ID)
	is.Equal(scale.CodeOf(err), training.CodeNotCancellable)
	// A new job may be created once the old one is finished.
	_, err = e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
}

func TestCancelRunningStopsWithoutPublishing(t *testing.T) {
	for _, watchesCtx := range []bool{true, false} {
		name := "trainer_ignores_context"
		if watchesCtx {
			name = "trainer_watches_context"
		}
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			running, release := make(chan struct{}), make(chan struct{})
			e := newEnv(t, training.Config{}, func(ctx context.Context, _ int, _ ports.TrainingSet, progress ports.TrainProgress) ([]byte, map[string]float64, error) {
				close(running)
				for {
					progress(10, 1)
					select {
					case <-ctx.Done():
						if watchesCtx {
							return nil, nil, ctx.Err()
						}
					case <-release:
						return []byte("m"), map[string]float64{"accuracy": 1}, nil
					case <-time.After(5 * time.Millisecond):
					}
				}
			})
			e.seed(50, scale.SourceImport, 0)
			e.start()
			j, err := e.svc.Create(context.Background(), e.user, false)
			is.NoErr(err)
			<-running
			_, err = e.svc.Cancel(context.Background(), e.user, j.ID)
			is.NoErr(err)
			time.Sleep(50 * time.Millisecond)
			close(release)
			e.drain()
			is.Equal(e.job(j.ID).Status, scale.JobCancelled)
			is.Equal(len(e.versions()), 0)
			is.Equal(e.swapper.Count(), 0)
			is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobCancelled))
		})
	}
}

func TestDoubleEnqueueRunsOnce(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(50, scale.SourceImport, 0)
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	p, _ := json.Marshal(map[string]string{"user": string(e.user), "job": string(j.ID)})
	for range 3 {
		is.NoErr(e.queue.Enqueue(context.Background(), ports.Job{Type: training.JobTrain, Key: string(j.ID), Payload: p}))
	}
	e.start()
	e.drain()
	is.Equal(e.job(j.ID).Status, scale.JobCompleted)
	is.Equal(e.trainer.Calls(), 1)

	// A redelivered task after completion (another key, same job) is a no-op.
	is.NoErr(e.svc.Handler()(context.Background(), ports.Job{Type: training.JobTrain, Key: "redelivery", Payload: p}, 2))
	is.Equal(e.trainer.Calls(), 1)
	is.Equal(len(e.versions()), 1)
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobCompleted))
}

func TestRetriedTaskDoesNotPublishTwice(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.models.fails = 1 // the first attempt stores its version, then loses the database
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobCompleted)
	is.Equal(j.Attempts, 2)
	vs := e.versions()
	is.Equal(len(vs), 1)
	is.Equal(vs[0].ID, j.Model)
	is.True(vs[0].Active)
	is.Equal(e.trainer.Calls(), 1) // the retry found the published version and did not train again
}

func TestPayloadInvalidIsFinal(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	err := e.svc.Handler()(context.Background(), ports.Job{Type: training.JobTrain, Key: "x", Payload: []byte("{")}, 1)
	is.Equal(scale.CodeOf(err), training.CodePayloadInvalid)
	is.True(!ports.ShouldRetry(err))
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobCompleted)
	for _, next := range []scale.JobStatus{scale.JobRunning, scale.JobQueued, scale.JobFailed, scale.JobCancelled} {
		is.True(!scale.JobCompleted.CanTransition(next))
		moved := j
		moved.Status = next
		err := e.jobs.TransitionJob(context.Background(), moved, scale.JobCompleted)
		is.Equal(scale.KindOf(err), scale.KindConflict)
	}
	_, err := e.svc.Cancel(context.Background(), e.user, j.ID)
	is.Equal(scale.KindOf(err), scale.KindConflict)
	is.Equal(e.job(j.ID).Status, scale.JobCompleted)
}

func TestActivationRule(t *testing.T) {
	is := is.New(t)
	acc := []float64{0.80, 0.70, 0.70, 0.80}
	e := newEnv(t, training.Config{}, func(_ context.Context, call int, _ ports.TrainingSet, _ ports.TrainProgress) ([]byte, map[string]float64, error) {
		return []byte("m"), map[string]float64{"accuracy": acc[call-1]}, nil
	})
	e.seed(50, scale.SourceImport, 0)
	e.start()
	run := func(force bool) scale.TrainingJob {
		j, err := e.svc.Create(context.Background(), e.user, force)
		is.NoErr(err)
		e.drain()
		j = e.job(j.ID)
		is.Equal(j.Status, scale.JobCompleted)
		return j
	}
	activeVersion := func() int {
		m, err := e.svc.ActiveModel(context.Background(), e.user)
		is.NoErr(err)
		return m.Version
	}
	run(false) // 0.80: the first model is activated
	is.Equal(activeVersion(), 1)
	run(false) // 0.70 is worse: kept inactive
	is.Equal(activeVersion(), 1)
	run(true) // forced
	is.Equal(activeVersion(), 3)
	run(false) // 0.80 ≥ 0.70
	is.Equal(activeVersion(), 4)
	is.Equal(len(e.versions()), 4)
	is.Equal(e.swapper.Count(), 3)
}

func TestNewNeedsDeps(t *testing.T) {
	is := is.New(t)
	_, err := training.New(training.Deps{})
	var se *scale.Error
	is.True(errors.As(err, &se))
	is.Equal(se.Code, training.CodeDepsInvalid)
	is.Equal(len(se.Fields), 5)
}

func TestTrainerPanicEndsFailed(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{MaxAttempts: 2}, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
		panic("index out of range")
	})
	e.seed(50, scale.SourceImport, 0)
	j := e.runJob(false)
	is.Equal(j.Status, scale.JobFailed)
	is.Equal(j.Attempts, 2)
	is.True(strings.Contains(j.Error, "internal error"))
	is.Equal(e.trainer.Calls(), 2)
}
