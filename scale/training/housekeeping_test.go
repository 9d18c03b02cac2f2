package training_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

// claimAndDie claims job id as a worker would, then never heart-beats.
func (e *env) claimAndDie(id scale.JobID) {
	e.t.Helper()
	j := e.job(id)
	now := e.clock.Now()
	j.Status, j.Attempts, j.StartedAt, j.HeartbeatAt = scale.JobRunning, j.Attempts+1, &now, &now
	is.New(e.t).NoErr(e.jobs.TransitionJob(context.Background(), j, scale.JobQueued))
}

func TestReaperRequeuesJobOfDeadWorker(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{StaleAfter: time.Minute, HeartbeatEvery: time.Second}, nil)
	e.seed(50, scale.SourceImport, 0)
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	e.claimAndDie(j.ID)

	// Not stale yet.
	e.clock.Advance(30 * time.Second)
	r, err := e.svc.Reap(context.Background())
	is.NoErr(err)
	is.Equal(r, training.ReapReport{})

	e.clock.Advance(31 * time.Second)
	r, err = e.svc.Reap(context.Background())
	is.NoErr(err)
	is.Equal(r, training.ReapReport{Requeued: 1})
	got := e.job(j.ID)
	is.Equal(got.Status, scale.JobQueued)
	is.Equal(got.Error, "worker stopped responding; retrying")

	// The original task and the reaper's both reach a worker: one trains.
	e.start()
	e.drain()
	got = e.job(j.ID)
	is.Equal(got.Status, scale.JobCompleted)
	is.Equal(got.Attempts, 2)
	is.Equal(got.Error, "")
	is.Equal(e.trainer.Calls(), 1)
	is.Equal(len(e.versions()), 1)
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobQueued, scale.JobRunning, scale.JobCompleted))
}

func TestReaperFailsJobWithoutAttemptsLeft(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{StaleAfter: time.Minute, HeartbeatEvery: time.Second, MaxAttempts: 1}, nil)
	e.seed(50, scale.SourceImport, 0)
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	e.claimAndDie(j.ID)
	e.clock.Advance(2 * time.Minute)
	r, err := e.svc.Reap(context.Background())
	is.NoErr(err)
	is.Equal(r, training.ReapReport{Failed: 1})
	got := e.job(j.ID)
	is.Equal(got.Status, scale.JobFailed)
	is.Equal(got.Error, "worker stopped responding")
	is.True(got.FinishedAt != nil)
	e.start()
	e.drain()
	is.Equal(e.job(j.ID).Status, scale.JobFailed) // the original task is a no-op
	is.Equal(e.trainer.Calls(), 0)
}

func TestReaperLeavesLiveJobsAlone(t *testing.T) {
	is := is.New(t)
	release := make(chan struct{})
	running := make(chan struct{})
	e := newEnv(t, training.Config{StaleAfter: 30 * time.Millisecond, HeartbeatEvery: 10 * time.Millisecond},
		func(ctx context.Context, _ int, _ ports.TrainingSet, _ ports.TrainProgress) ([]byte, map[string]float64, error) {
			close(running)
			<-release
			return []byte("m"), map[string]float64{"accuracy": 1}, nil
		})
	e.seed(50, scale.SourceImport, 0)
	e.start()
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	<-running
	// The worker beats on a timer even when the trainer reports nothing.
	for range 5 {
		e.clock.Advance(20 * time.Millisecond)
		time.Sleep(30 * time.Millisecond)
		r, err := e.svc.Reap(context.Background())
		is.NoErr(err)
		is.Equal(r, training.ReapReport{})
	}
	close(release)
	e.drain()
	is.Equal(e.job(j.ID).Status, scale.JobCompleted)
}

func TestPruneKeepsNewestAndActive(t *testing.T) {
	is := is.New(t)
	acc := []float64{0.9, 0.1, 0.1, 0.1, 0.1}
	e := newEnv(t, training.Config{KeepModels: 2}, func(_ context.Context, call int, _ ports.TrainingSet, _ ports.TrainProgress) ([]byte, map[string]float64, error) {
		return []byte("m"), map[string]float64{"accuracy": acc[call-1]}, nil
	})
	e.seed(50, scale.SourceImport, 0)
	e.start()
	for range acc {
		_, err := e.svc.Create(context.Background(), e.user, false)
		is.NoErr(err)
		e.drain()
	}
	n, err := e.svc.PruneModels(context.Background())
	is.NoErr(err)
	is.Equal(n, 2) // v2 and v3 go; v1 (active), v4 and v5 stay
	var kept []int
	for _, v := range e.versions() {
		kept = append(kept, v.Version)
	}
	is.Equal(kept, []int{5, 4, 1})
	m, err := e.svc.ActiveModel(context.Background(), e.user)
	is.NoErr(err)
	is.Equal(m.Version, 1)
}

func TestPurgeDeletesOldFinishedJobs(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{JobRetention: 24 * time.Hour}, nil)
	e.seed(50, scale.SourceImport, 0)
	e.start()
	old, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	e.drain()
	e.clock.Advance(25 * time.Hour)
	recent, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	e.drain()
	n, err := e.svc.PurgeJobs(context.Background())
	is.NoErr(err)
	is.Equal(n, 1)
	_, err = e.svc.Get(context.Background(), e.user, old.ID)
	is.Equal(scale.KindOf(err), scale.KindNotFound)
	is.Equal(e.job(recent.ID).Status, scale.JobCompleted)
}

// recordingQueue records enqueued jobs and dedupes keys like a real queue.
type recordingQueue struct {
	mu   sync.Mutex
	jobs map[string]ports.Job
}

func (q *recordingQueue) Enqueue(_ context.Context, j ports.Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.jobs[j.Key]; !ok {
		q.jobs[j.Key] = j
	}
	return nil
}

func (q *recordingQueue) Handle(string, ports.JobHandler) {}

func TestScheduleOneRunPerPeriod(t *testing.T) {
	is := is.New(t)
	store := memory.NewStore()
	q := &recordingQueue{jobs: map[string]ports.Job{}}
	clock := memory.NewClock(time.Date(2026, 5, 4, 10, 17, 30, 0, time.UTC))
	svc, err := training.New(training.Deps{Jobs: store, Models: store, Transactions: store, Queue: q,
		Trainer: &fakeTrainer{}, Clock: clock, Config: training.Config{ReapEvery: time.Minute, PruneEvery: time.Hour, PurgeEvery: 6 * time.Hour}})
	is.NoErr(err)
	is.NoErr(svc.Schedule(context.Background()))
	clock.Advance(10 * time.Second)
	is.NoErr(svc.Schedule(context.Background())) // same periods: no new jobs
	is.Equal(len(q.jobs), 3)
	reap := q.jobs["training.reap@2026-05-04T10:18:00Z"]
	is.Equal(reap.Type, training.JobReap)
	is.Equal(reap.RunAt, time.Date(2026, 5, 4, 10, 18, 0, 0, time.UTC))
	is.Equal(q.jobs["training.prune_models@2026-05-04T11:00:00Z"].Type, training.JobPruneModels)
	is.Equal(q.jobs["training.purge_jobs@2026-05-04T12:00:00Z"].Type, training.JobPurgeJobs)

	// A housekeeping run schedules its successor.
	clock.Set(time.Date(2026, 5, 4, 10, 18, 0, 0, time.UTC))
	is.NoErr(svc.ReapHandler()(context.Background(), reap, 1))
	is.Equal(q.jobs["training.reap@2026-05-04T10:19:00Z"].Type, training.JobReap)
}

func TestActiveModelFallsBackToBase(t *testing.T) {
	is := is.New(t)
	e := newEnv(t, training.Config{}, nil)
	_, err := e.svc.ActiveModel(context.Background(), e.user)
	is.True(errors.Is(err, training.ErrBaseModel))
	is.Equal(scale.KindOf(err), scale.KindNotFound)
}

func TestWorkerThatOutlivedItsClaimCannotOverwrite(t *testing.T) {
	is := is.New(t)
	running := []chan struct{}{make(chan struct{}), make(chan struct{})}
	release := []chan struct{}{make(chan struct{}), make(chan struct{})}
	e := newEnv(t, training.Config{StaleAfter: time.Minute, HeartbeatEvery: 10 * time.Millisecond},
		func(ctx context.Context, call int, _ ports.TrainingSet, _ ports.TrainProgress) ([]byte, map[string]float64, error) {
			close(running[call-1])
			<-release[call-1] // ignores ctx, like a stuck native call
			if call == 1 {
				return nil, nil, scale.E(scale.KindUnavailable, "hypcd.busy", "late failure of the first attempt")
			}
			return []byte("m"), map[string]float64{"accuracy": 1}, nil
		})
	e.seed(50, scale.SourceImport, 0)
	j, err := e.svc.Create(context.Background(), e.user, false)
	is.NoErr(err)
	p := []byte(`{"user":"` + string(e.user) + `","job":"` + string(j.ID) + `"}`)

	// Attempt 1 runs on a worker that is shutting down: its context ends,
	// its heartbeat stops, its trainer does not return.
	ctx1, cancel1 := context.WithCancel(context.Background())
	zombie := make(chan error, 1)
	go func() {
		zombie <- e.svc.Handler()(ctx1, ports.Job{Type: training.JobTrain, Key: string(j.ID), Payload: p}, 1)
	}()
	<-running[0]
	cancel1()
	time.Sleep(30 * time.Millisecond)
	e.clock.Advance(2 * time.Minute)
	r, err := e.svc.Reap(context.Background())
	is.NoErr(err)
	is.Equal(r.Requeued, 1)

	// Attempt 2 claims the job; then attempt 1 wakes up and fails.
	e.start()
	<-running[1]
	close(release[0])
	<-zombie
	got := e.job(j.ID)
	is.Equal(got.Status, scale.JobRunning)
	is.Equal(got.Attempts, 2)
	close(release[1])
	e.drain()
	got = e.job(j.ID)
	is.Equal(got.Status, scale.JobCompleted)
	is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobQueued, scale.JobRunning, scale.JobCompleted))
}
