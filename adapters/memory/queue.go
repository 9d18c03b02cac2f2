package memory

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// QueueConfig tunes the in-process queue. Zero values take defaults.
type QueueConfig struct {
	// Workers is how many jobs run at once (default 2).
	Workers int
	// Retention is how long a finished job's key keeps deduplicating
	// enqueues (default 24h).
	Retention time.Duration
	// Backoff is the delay before retry attempt n+1 (default n×100ms).
	Backoff func(attempt int) time.Duration
	// Logger receives job failures (default: discard).
	Logger *slog.Logger
}

// Queue is an in-process ports.Queue: a worker pool fed by a channel, with
// delayed jobs on timers and idempotency keys remembered for Retention.
// Jobs do not survive the process: use the Redis queue where that matters.
type Queue struct {
	cfg      QueueConfig
	mu       sync.Mutex
	handlers map[string]ports.JobHandler
	keys     map[string]time.Time // key → finished at (zero while pending)
	ready    chan queued
	inflight sync.WaitGroup // queued, delayed or running jobs
	stop     chan struct{}
	workers  sync.WaitGroup
	started  bool
	stopped  bool
}

type queued struct {
	job     ports.Job
	attempt int
}

var _ ports.Queue = (*Queue)(nil)

// NewQueue returns a queue; call Start to run workers.
func NewQueue(cfg QueueConfig) *Queue {
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(n int) time.Duration { return time.Duration(n) * 100 * time.Millisecond }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Queue{
		cfg: cfg, handlers: map[string]ports.JobHandler{}, keys: map[string]time.Time{},
		ready: make(chan queued, 1024), stop: make(chan struct{}),
	}
}

// Handle implements ports.Queue.
func (q *Queue) Handle(jobType string, h ports.JobHandler) {
	q.mu.Lock()
	q.handlers[jobType] = h
	q.mu.Unlock()
}

// Enqueue implements ports.Queue.
func (q *Queue) Enqueue(ctx context.Context, job ports.Job) error {
	if job.Type == "" || job.Key == "" {
		return scale.Invalid(scale.CodeInvalid, "a job needs a type and a key")
	}
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		return scale.E(scale.KindUnavailable, scale.CodeUnavailable, "the queue is stopped")
	}
	if done, ok := q.keys[job.Key]; ok && (done.IsZero() || time.Since(done) < q.cfg.Retention) {
		q.mu.Unlock()
		return nil
	}
	q.keys[job.Key] = time.Time{}
	q.inflight.Add(1)
	q.mu.Unlock()
	q.schedule(queued{job: job, attempt: 1}, time.Until(job.RunAt))
	return nil
}

func (q *Queue) schedule(j queued, delay time.Duration) {
	if delay <= 0 {
		go func() { q.ready <- j }()
		return
	}
	time.AfterFunc(delay, func() { q.ready <- j })
}

// Start runs the workers until Stop.
func (q *Queue) Start() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return
	}
	q.started = true
	for range q.cfg.Workers {
		q.workers.Add(1)
		go q.work()
	}
}

func (q *Queue) work() {
	defer q.workers.Done()
	for {
		select {
		case <-q.stop:
			return
		case j := <-q.ready:
			q.run(j)
		}
	}
}

func (q *Queue) run(j queued) {
	q.mu.Lock()
	h := q.handlers[j.job.Type]
	q.mu.Unlock()
	var err error
	if h == nil {
		err = scale.E(scale.KindFailedPrecondition, "queue.no_handler", "no handler for job type %q", j.job.Type)
	} else {
		err = runHandler(h, j)
	}
	maxAttempts := j.job.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 3
	}
	if err != nil && ports.ShouldRetry(err) && j.attempt < maxAttempts {
		q.cfg.Logger.Warn("job failed, will retry", "type", j.job.Type, "key", j.job.Key, "attempt", j.attempt, "err", err)
		q.schedule(queued{job: j.job, attempt: j.attempt + 1}, q.cfg.Backoff(j.attempt))
		return
	}
	if err != nil {
		q.cfg.Logger.Error("job failed", "type", j.job.Type, "key", j.job.Key, "attempt", j.attempt, "err", err)
	}
	q.mu.Lock()
	q.keys[j.job.Key] = time.Now()
	q.mu.Unlock()
	q.inflight.Done()
}

func runHandler(h ports.JobHandler, j queued) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = scale.Internal(errors.New("job handler panicked"), "queue.panic")
		}
	}()
	return h(context.Background(), j.job, j.attempt)
}

// Drain waits until every enqueued job has finished (including retries and
// delayed ones), or ctx ends.
func (q *Queue) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { q.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop refuses new jobs, waits for running ones up to ctx, and stops the
// workers. Jobs still queued are dropped: they live only in memory.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		return nil
	}
	q.stopped = true
	q.mu.Unlock()
	close(q.stop)
	done := make(chan struct{})
	go func() { q.workers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
