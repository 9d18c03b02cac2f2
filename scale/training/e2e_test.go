package training_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/redisqueue/redistest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// redisQueue is a redisqueue on a queue name of its own (name "" makes
// one), started by start.
func redisQueue(t *testing.T, name string) (harness, *redisqueue.Queue) {
	q := redistest.Queue(t, redisqueue.Config{Queue: name, ShutdownTimeout: time.Second})
	return harness{
		queue: q,
		start: func() {
			if err := q.Start(); err != nil {
				t.Fatalf("Start: %v", err)
			}
		},
		drain: func(t *testing.T) {
			t.Helper()
			deadline, idle := time.Now().Add(20*time.Second), 0
			for idle < 3 {
				s, err := q.Stats(context.Background())
				if err != nil {
					t.Fatalf("Stats: %v", err)
				}
				if s.Pending+s.Active+s.Scheduled+s.Retry == 0 {
					idle++
				} else {
					idle = 0
				}
				if time.Now().After(deadline) {
					t.Fatalf("queue did not drain: %+v", s)
				}
				time.Sleep(30 * time.Millisecond)
			}
		},
	}, q
}

// e2eStores are the stores the end-to-end tests run on: memory always,
// PostgreSQL when SCALE_TEST_POSTGRES_URL is set.
var e2eStores = []struct {
	name string
	open func(t *testing.T) ports.Store
}{
	{"memory", func(*testing.T) ports.Store { return memory.NewStore() }},
	{"postgres", func(t *testing.T) ports.Store { return pgtest.NewStore(t) }},
}

// TestEndToEndOnRedis runs the job lifecycle on asynq and Redis
// (SCALE_TEST_REDIS_ADDR), on each store.
func TestEndToEndOnRedis(t *testing.T) {
	redistest.Addr(t)
	for _, st := range e2eStores {
		t.Run(st.name, func(t *testing.T) {
			t.Run("completes", func(t *testing.T) {
				is := is.New(t)
				h, _ := redisQueue(t, "")
				e := newEnvOn(t, st.open(t), h, training.Config{}, nil)
				e.seed(50, scale.SourceImport, 5)
				e.start()
				j, err := e.svc.Create(context.Background(), e.user, false)
				is.NoErr(err)
				j = e.waitStatus(j.ID, scale.JobCompleted)
				is.Equal(j.Progress, 100)
				is.True(j.Model != "")
				is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobCompleted))
				m, err := e.svc.ActiveModel(context.Background(), e.user)
				is.NoErr(err)
				is.Equal(m.ID, j.Model)
			})
			t.Run("training_error_fails", func(t *testing.T) {
				is := is.New(t)
				h, _ := redisQueue(t, "")
				e := newEnvOn(t, st.open(t), h, training.Config{}, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
					return nil, nil, scale.Invalid("hypcd.degenerate", "every labelled transaction has the same category")
				})
				e.seed(50, scale.SourceImport, 0)
				e.start()
				j, err := e.svc.Create(context.Background(), e.user, false)
				is.NoErr(err)
				j = e.waitStatus(j.ID, scale.JobFailed)
				is.Equal(j.Error, "every labelled transaction has the same category")
				e.drain()
				is.Equal(e.trainer.Calls(), 1)
				is.Equal(e.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobFailed))
			})
			t.Run("double_enqueue_runs_once", func(t *testing.T) {
				is := is.New(t)
				h, _ := redisQueue(t, "")
				e := newEnvOn(t, st.open(t), h, training.Config{}, nil)
				e.seed(50, scale.SourceImport, 0)
				j, err := e.svc.Create(context.Background(), e.user, false)
				is.NoErr(err)
				p := []byte(`{"user":"` + string(e.user) + `","job":"` + string(j.ID) + `"}`)
				for range 3 {
					is.NoErr(e.queue.Enqueue(context.Background(), ports.Job{Type: training.JobTrain, Key: string(j.ID), Payload: p}))
				}
				e.start()
				e.waitStatus(j.ID, scale.JobCompleted)
				e.drain()
				is.NoErr(e.queue.Enqueue(context.Background(), ports.Job{Type: training.JobTrain, Key: string(j.ID), Payload: p}))
				e.drain()
				is.Equal(e.trainer.Calls(), 1)
				is.Equal(len(e.versions()), 1)
			})
			t.Run("worker_stopped_mid_job", func(t *testing.T) {
				is := is.New(t)
				hung, release := make(chan struct{}), make(chan struct{})
				name := "scaletest-" + scale.NewID()
				hA, qA := redisQueue(t, name)
				hB, _ := redisQueue(t, name)
				store := st.open(t)
				cfg := training.Config{StaleAfter: time.Minute, HeartbeatEvery: 20 * time.Millisecond}
				// Worker A hangs in training and ignores its context.
				a := newEnvOn(t, store, hA, cfg, func(context.Context, int, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
					close(hung)
					<-release
					return nil, nil, scale.E(scale.KindUnavailable, "hypcd.busy", "too late")
				})
				t.Cleanup(func() { close(release) })
				a.seed(50, scale.SourceImport, 0)
				a.start()
				j, err := a.svc.Create(context.Background(), a.user, false)
				is.NoErr(err)
				<-hung
				qA.Shutdown() // asynq puts the task back; the job stays running
				is.Equal(a.job(j.ID).Status, scale.JobRunning)

				// Worker B shares the store, the recorded statuses and the clock.
				trainerB := &fakeTrainer{}
				svcB, err := training.New(training.Deps{Jobs: a.jobs, Models: store, Transactions: store, Queue: hB.queue,
					Trainer: trainerB, Clock: a.clock, Config: cfg})
				is.NoErr(err)
				svcB.Register(hB.queue)
				hB.start()
				hB.drain(t) // the put-back task finds the job running and leaves it to the reaper
				is.Equal(a.job(j.ID).Status, scale.JobRunning)

				a.clock.Advance(2 * time.Minute)
				r, err := svcB.Reap(context.Background())
				is.NoErr(err)
				is.Equal(r, training.ReapReport{Requeued: 1})
				got := a.waitStatus(j.ID, scale.JobCompleted)
				is.Equal(got.Attempts, 2)
				is.Equal(trainerB.Calls(), 1)
				is.Equal(a.jobs.Sequence(j.ID), statuses(scale.JobQueued, scale.JobRunning, scale.JobQueued, scale.JobRunning, scale.JobCompleted))
			})
		})
	}
}
