package training_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/redisqueue/redistest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

// timedJobs notes when each job became running and when it finished.
type timedJobs struct {
	ports.JobStore
	mu      sync.Mutex
	running time.Time
	done    chan struct{}
}

func (s *timedJobs) TransitionJob(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error {
	err := s.JobStore.TransitionJob(ctx, j, from)
	if err != nil {
		return err
	}
	switch {
	case j.Status == scale.JobRunning:
		s.mu.Lock()
		s.running = time.Now()
		s.mu.Unlock()
	case j.Status.Terminal():
		s.done <- struct{}{}
	}
	return nil
}

// timedTrainer trains for a fixed time and notes how long it trained.
type timedTrainer struct {
	d       time.Duration
	mu      sync.Mutex
	trained time.Duration
}

func (f *timedTrainer) Train(ctx context.Context, set ports.TrainingSet, progress ports.TrainProgress) ([]byte, map[string]float64, error) {
	start := time.Now()
	if f.d > 0 {
		time.Sleep(f.d)
	}
	progress(100, 0)
	f.mu.Lock()
	f.trained = time.Since(start)
	f.mu.Unlock()
	return []byte("m"), map[string]float64{"accuracy": 0.9}, nil
}

func (f *timedTrainer) Load([]byte) (ports.Model, error) { return nil, nil }

// BenchmarkJobLifecycle measures, per training job on each queue adapter,
// the latency from Create (store + enqueue) to the job being claimed
// running, and the job's overhead: its whole time from Create to completed
// minus the time spent in Trainer.Train. The Redis cases need
// SCALE_TEST_REDIS_ADDR:
//
//	SCALE_TEST_REDIS_ADDR=127.0.0.1:6379 go test -run '^$' -bench JobLifecycle -benchtime=30x ./scale/training/
func BenchmarkJobLifecycle(b *testing.B) {
	cases := []struct {
		name  string
		queue func(b *testing.B) (ports.Queue, func())
	}{
		{"memory", func(b *testing.B) (ports.Queue, func()) {
			q := memory.NewQueue(memory.QueueConfig{Workers: 2})
			b.Cleanup(func() { _ = q.Stop(context.Background()) })
			return q, q.Start
		}},
		{"redis/poll=100ms", redisBench(redisqueue.DefaultPollInterval)},
		{"redis/poll=20ms", redisBench(20 * time.Millisecond)},
		{"redis/poll=1s", redisBench(time.Second)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q, start := c.queue(b)
			store := memory.NewStore()
			jobs := &timedJobs{JobStore: store, done: make(chan struct{}, 1)}
			trainer := &timedTrainer{}
			svc, err := training.New(training.Deps{Jobs: jobs, Models: store, Transactions: store, Queue: q, Trainer: trainer})
			if err != nil {
				b.Fatal(err)
			}
			svc.Register(q)
			start()
			user, account := scale.UserID("bench-user"), scale.AccountID(scale.NewID())
			if err := store.CreateAccount(context.Background(), scale.Account{ID: account, User: user, Name: "a",
				Kind: scale.AccountChecking, Currency: "EUR", CreatedAt: t0, UpdatedAt: t0}); err != nil {
				b.Fatal(err)
			}
			seedBench(b, store, user, account, 200)
			var toRunning, overhead time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if _, err := svc.Create(context.Background(), user, false); err != nil {
					b.Fatal(err)
				}
				select {
				case <-jobs.done:
				case <-time.After(30 * time.Second):
					b.Fatal("job did not finish")
				}
				total := time.Since(t0)
				jobs.mu.Lock()
				toRunning += jobs.running.Sub(t0)
				jobs.mu.Unlock()
				trainer.mu.Lock()
				overhead += total - trainer.trained
				trainer.mu.Unlock()
			}
			b.ReportMetric(float64(toRunning.Microseconds())/float64(b.N)/1000, "ms-to-running/op")
			b.ReportMetric(float64(overhead.Microseconds())/float64(b.N)/1000, "ms-overhead/op")
		})
	}
}

func redisBench(poll time.Duration) func(b *testing.B) (ports.Queue, func()) {
	return func(b *testing.B) (ports.Queue, func()) {
		q := redistest.Queue(b, redisqueue.Config{PollInterval: poll})
		return q, func() {
			if err := q.Start(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func seedBench(b *testing.B, store ports.TransactionStore, user scale.UserID, acc scale.AccountID, n int) {
	txs := make([]scale.Transaction, n)
	for i := range txs {
		id := scale.NewID()
		txs[i] = scale.Transaction{
			ID: scale.TransactionID(id), User: user, Account: acc,
			Date:   scale.Date{Year: 2026, Month: time.April, Day: 1 + i%28},
			Amount: scale.Money{Minor: -int64(100 + i), Currency: "EUR"}, Description: "SHOP",
			Label:       scale.Label{Category: "food", Source: scale.SourceImport, Confidence: 1},
			Fingerprint: "fp-" + id, FingerprintVersion: "v1", CreatedAt: t0, UpdatedAt: t0,
		}
	}
	if _, err := store.InsertTransactions(context.Background(), user, txs); err != nil {
		b.Fatal(err)
	}
}
