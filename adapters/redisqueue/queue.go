package redisqueue

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Error codes of this adapter.
const (
	CodeUnavailable = "queue.unavailable"
	CodeJobInvalid  = "queue.job_invalid"
	CodeNoHandler   = "queue.no_handler"
	CodeStopped     = "queue.stopped"
	CodeConfig      = "queue.config_invalid"
)

// Queue is a ports.Queue on asynq. Enqueue works as soon as New returns;
// handlers run only after Start.
type Queue struct {
	cfg       Config
	rdb       redis.UniversalClient
	ownClient bool
	client    *asynq.Client
	inspector *asynq.Inspector

	mu       sync.RWMutex
	handlers map[string]ports.JobHandler
	server   *asynq.Server
	cancel   context.CancelFunc // cancels handler contexts on shutdown
	stopped  bool
}

var _ ports.Queue = (*Queue)(nil)

// New connects to Redis (lazily: use Ping to check) and returns a Queue.
func New(cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	if err := asynqQueueName(cfg.Queue); err != nil {
		return nil, err
	}
	q := &Queue{cfg: cfg, handlers: map[string]ports.JobHandler{}}
	if cfg.Client != nil {
		q.rdb = cfg.Client
	} else {
		if cfg.Addr == "" {
			return nil, scale.Invalid(CodeConfig, "redisqueue: Addr or Client is required")
		}
		q.rdb = redis.NewClient(&redis.Options{Addr: cfg.Addr, Username: cfg.Username, Password: cfg.Password, DB: cfg.DB})
		q.ownClient = true
	}
	q.client = asynq.NewClientFromRedisClient(q.rdb)
	q.inspector = asynq.NewInspectorFromRedisClient(q.rdb)
	return q, nil
}

func asynqQueueName(name string) error {
	for _, r := range name {
		if r == ' ' || r == '\t' || r == '\n' {
			return scale.Invalid(CodeConfig, "redisqueue: queue name %q contains white space", name)
		}
	}
	return nil
}

// QueueName returns the asynq queue this Queue uses.
func (q *Queue) QueueName() string { return q.cfg.Queue }

// Enqueue implements ports.Queue. The task id is job.Key; a key asynq
// still knows (queued, running, retrying, archived, or completed within
// Retention) makes the call a successful no-op. RunAt is rounded up to a
// whole second, asynq's resolution.
func (q *Queue) Enqueue(ctx context.Context, job ports.Job) error {
	if job.Type == "" || job.Key == "" {
		return scale.Invalid(CodeJobInvalid, "a job needs a type and a key")
	}
	q.mu.RLock()
	stopped := q.stopped
	q.mu.RUnlock()
	if stopped {
		return scale.E(scale.KindUnavailable, CodeStopped, "the queue is stopped")
	}
	attempts := job.MaxAttempts
	if attempts <= 0 {
		attempts = defaultMaxAttempts
	}
	opts := []asynq.Option{
		asynq.Queue(q.cfg.Queue),
		asynq.TaskID(job.Key),
		asynq.MaxRetry(attempts - 1),
		asynq.Retention(q.cfg.Retention),
		asynq.Timeout(q.cfg.JobTimeout),
	}
	if !job.RunAt.IsZero() {
		opts = append(opts, asynq.ProcessAt(ceilSecond(job.RunAt)))
	}
	_, err := q.client.EnqueueContext(ctx, asynq.NewTask(job.Type, job.Payload), opts...)
	switch {
	case err == nil, errors.Is(err, asynq.ErrTaskIDConflict), errors.Is(err, asynq.ErrDuplicateTask):
		return nil
	case ctx.Err() != nil:
		return scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the queue did not answer in time")
	}
	return scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the job could not be queued")
}

// ceilSecond rounds t up to a whole second: asynq schedules in whole
// seconds, and a job must never run before its RunAt.
func ceilSecond(t time.Time) time.Time {
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}

// Handle implements ports.Queue. It may be called before or after Start;
// registering a type again replaces its handler.
func (q *Queue) Handle(jobType string, h ports.JobHandler) {
	q.mu.Lock()
	q.handlers[jobType] = h
	q.mu.Unlock()
}

// Ping reports whether Redis answers, for readiness checks.
func (q *Queue) Ping(ctx context.Context) error {
	if err := q.rdb.Ping(ctx).Err(); err != nil {
		return scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the queue's Redis does not answer")
	}
	return nil
}

// Start runs the worker: it begins taking tasks of the queue and running
// their handlers. It does not block. Starting twice is a no-op.
func (q *Queue) Start() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return scale.E(scale.KindFailedPrecondition, CodeStopped, "the queue was shut down")
	}
	if q.server != nil {
		return nil
	}
	base, cancel := context.WithCancel(context.Background())
	cfg := q.cfg
	srv := asynq.NewServerFromRedisClient(q.rdb, asynq.Config{
		Concurrency:              cfg.Concurrency,
		BaseContext:              func() context.Context { return base },
		TaskCheckInterval:        cfg.PollInterval,
		DelayedTaskCheckInterval: cfg.DelayedPollInterval,
		RetryDelayFunc: func(retried int, _ error, _ *asynq.Task) time.Duration {
			return cfg.RetryDelay(retried + 1)
		},
		Queues:          map[string]int{cfg.Queue: 1},
		ErrorHandler:    asynq.ErrorHandlerFunc(q.logFailure),
		Logger:          slogAdapter{cfg.Logger},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: cfg.ShutdownTimeout,
		HealthCheckFunc: q.logHealth,
	})
	if err := srv.Start(asynq.HandlerFunc(q.process)); err != nil {
		cancel()
		return scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the queue worker could not start")
	}
	q.server, q.cancel = srv, cancel
	return nil
}

// Shutdown stops taking tasks, gives running handlers ShutdownTimeout to
// finish (cancelling their context halfway), and closes the Redis client
// unless it is shared. Enqueue fails afterwards. It is safe to call twice.
func (q *Queue) Shutdown() {
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		return
	}
	q.stopped = true
	srv, cancel := q.server, q.cancel
	q.mu.Unlock()
	if srv != nil {
		t := time.AfterFunc(q.cfg.ShutdownTimeout/2, cancel)
		srv.Shutdown()
		t.Stop()
		cancel()
	}
	_ = q.inspector.Close()
	if q.ownClient {
		_ = q.rdb.Close()
	}
}
