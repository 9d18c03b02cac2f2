package training_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

// trainFunc is what a fakeTrainer does on each call.
type trainFunc func(ctx context.Context, call int, set ports.TrainingSet, progress ports.TrainProgress) ([]byte, map[string]float64, error)

// fakeTrainer counts calls and delegates to fn.
type fakeTrainer struct {
	mu    sync.Mutex
	calls int
	sets  []ports.TrainingSet
	fn    trainFunc
}

func (f *fakeTrainer) Train(ctx context.Context, set ports.TrainingSet, progress ports.TrainProgress) ([]byte, map[string]float64, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	f.sets = append(f.sets, set)
	fn := f.fn
	f.mu.Unlock()
	if fn == nil {
		progress(50, 0.5)
		return []byte("model"), map[string]float64{"accuracy": 0.9}, nil
	}
	return fn(ctx, n, set, progress)
}

func (f *fakeTrainer) Load([]byte) (ports.Model, error) { return nil, errors.New("not used") }

func (f *fakeTrainer) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// fakeSwapper records activations.
type fakeSwapper struct {
	mu  sync.Mutex
	got []scale.ModelVersion
}

func (f *fakeSwapper) Activated(_ context.Context, _ scale.UserID, m scale.ModelVersion) error {
	f.mu.Lock()
	f.got = append(f.got, m)
	f.mu.Unlock()
	return nil
}

func (f *fakeSwapper) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.got)
}

// recordingJobs is a JobStore that remembers every status it stored.
type recordingJobs struct {
	ports.JobStore
	mu  sync.Mutex
	seq map[scale.JobID][]scale.JobStatus
}

func (r *recordingJobs) record(id scale.JobID, st scale.JobStatus) {
	r.mu.Lock()
	r.seq[id] = append(r.seq[id], st)
	r.mu.Unlock()
}

func (r *recordingJobs) CreateJob(ctx context.Context, j scale.TrainingJob) error {
	err := r.JobStore.CreateJob(ctx, j)
	if err == nil {
		r.record(j.ID, j.Status)
	}
	return err
}

func (r *recordingJobs) TransitionJob(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error {
	err := r.JobStore.TransitionJob(ctx, j, from)
	if err == nil {
		r.record(j.ID, j.Status)
	}
	return err
}

func (r *recordingJobs) Sequence(id scale.JobID) []scale.JobStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]scale.JobStatus(nil), r.seq[id]...)
}

// flakyModels fails ActivateModel the first n times, after the version was
// stored: a worker that died between publishing and activating.
type flakyModels struct {
	ports.ModelStore
	mu    sync.Mutex
	fails int
}

func (f *flakyModels) ActivateModel(ctx context.Context, user scale.UserID, id scale.ModelVersionID) error {
	f.mu.Lock()
	fail := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if fail {
		return scale.E(scale.KindUnavailable, scale.CodeUnavailable, "database went away")
	}
	return f.ModelStore.ActivateModel(ctx, user, id)
}

// env is a training service over a store and a queue.
type env struct {
	t       *testing.T
	svc     *training.Service
	store   ports.Store
	jobs    *recordingJobs
	models  *flakyModels
	queue   ports.Queue
	start   func()
	drain   func()
	clock   *memory.Clock
	trainer *fakeTrainer
	swapper *fakeSwapper
	user    scale.UserID
	account scale.AccountID
}

// harness is a queue under test with its start and drain.
type harness struct {
	queue ports.Queue
	start func()
	// drain waits until the queue has run everything.
	drain func(t *testing.T)
}

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// memoryQueue is the in-process queue with fast retries.
func memoryQueue(t *testing.T) harness {
	q := memory.NewQueue(memory.QueueConfig{Workers: 2, Backoff: func(int) time.Duration { return time.Millisecond }})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return harness{queue: q, start: q.Start, drain: func(t *testing.T) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := q.Drain(ctx); err != nil {
			t.Fatalf("queue did not drain: %v", err)
		}
	}}
}

// newEnv is a service over the memory store and queue.
func newEnv(t *testing.T, cfg training.Config, fn trainFunc) *env {
	return newEnvOn(t, memory.NewStore(), memoryQueue(t), cfg, fn)
}

// newEnvOn is a service over store and the queue of h, with one user who
// has one account.
func newEnvOn(t *testing.T, store ports.Store, h harness, cfg training.Config, fn trainFunc) *env {
	t.Helper()
	e := &env{
		t: t, store: store,
		jobs:    &recordingJobs{JobStore: store, seq: map[scale.JobID][]scale.JobStatus{}},
		models:  &flakyModels{ModelStore: store},
		queue:   h.queue,
		start:   h.start,
		drain:   func() { h.drain(t) },
		clock:   memory.NewClock(t0),
		trainer: &fakeTrainer{fn: fn},
		swapper: &fakeSwapper{},
		user:    scale.UserID("user-" + scale.NewID()[:8]),
		account: scale.AccountID(scale.NewID()),
	}
	if cfg.HeartbeatEvery == 0 {
		cfg.HeartbeatEvery = 10 * time.Millisecond
	}
	svc, err := training.New(training.Deps{
		Jobs: e.jobs, Models: e.models, Transactions: store, Queue: e.queue, Trainer: e.trainer,
		Swapper: e.swapper, Clock: e.clock, Config: cfg,
	})
	is.New(t).NoErr(err)
	e.svc = svc
	svc.Register(e.queue)
	is.New(t).NoErr(store.CreateAccount(context.Background(), scale.Account{
		ID: e.account, User: e.user, Name: "Checking", Kind: scale.AccountChecking, Currency: "EUR",
		Institution: "Test Bank", CreatedAt: t0, UpdatedAt: t0,
	}))
	return e
}

// seed stores labelled transactions with source src and n unlabelled ones.
func (e *env) seed(labelled int, src scale.LabelSource, unlabelled int) {
	e.t.Helper()
	var txs []scale.Transaction
	add := func(i int, label scale.Label) {
		id := scale.NewID()
		txs = append(txs, scale.Transaction{
			ID: scale.TransactionID(id), User: e.user, Account: e.account,
			Date:   scale.Date{Year: 2026, Month: time.April, Day: 1 + i%28},
			Amount: scale.Money{Minor: -int64(100 + i), Currency: "EUR"}, Description: fmt.Sprintf("SHOP %d", i),
			Label: label, Fingerprint: "fp-" + id, FingerprintVersion: "v1", CreatedAt: t0, UpdatedAt: t0,
		})
	}
	cats := []scale.CategoryID{"food", "transport", "my-pets"}
	for i := range labelled {
		add(i, scale.Label{Category: cats[i%len(cats)], Source: src, Confidence: 1})
	}
	for i := range unlabelled {
		add(labelled+i, scale.Label{})
	}
	_, err := e.store.InsertTransactions(context.Background(), e.user, txs)
	is.New(e.t).NoErr(err)
}

// runJob starts the worker, creates a job, waits until the queue is idle
// and returns the job as stored.
func (e *env) runJob(force bool) scale.TrainingJob {
	e.t.Helper()
	e.start()
	j, err := e.svc.Create(context.Background(), e.user, force)
	if err != nil {
		e.t.Fatalf("Create: %v", err)
	}
	e.drain()
	return e.job(j.ID)
}

func (e *env) job(id scale.JobID) scale.TrainingJob {
	e.t.Helper()
	j, err := e.svc.Get(context.Background(), e.user, id)
	is.New(e.t).NoErr(err)
	return j
}

// waitStatus polls until the job has status st.
func (e *env) waitStatus(id scale.JobID, st scale.JobStatus) scale.TrainingJob {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		j := e.job(id)
		if j.Status == st {
			return j
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job is %s, want %s", j.Status, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) versions() []scale.ModelVersion {
	e.t.Helper()
	vs, err := e.svc.ListModels(context.Background(), e.user)
	is.New(e.t).NoErr(err)
	return vs
}

func statuses(ss ...scale.JobStatus) []scale.JobStatus { return ss }
