package redisqueue

import (
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config configures a Queue. Zero values take the defaults noted on each
// field.
type Config struct {
	// Client is a go-redis client to share with the rest of the process.
	// When set, Addr, Username, Password and DB are ignored and Shutdown
	// leaves the client open: its owner closes it.
	Client redis.UniversalClient
	// Addr is the Redis address ("127.0.0.1:6379"), used when Client is nil.
	Addr string
	// Username and Password authenticate to Redis, when it asks.
	Username, Password string
	// DB selects the Redis database, used when Client is nil.
	DB int
	// Queue is the asynq queue name (default "scale"). Distinct names keep
	// environments or tests sharing one Redis apart.
	Queue string
	// Concurrency is how many jobs one worker runs at once (default 4).
	Concurrency int
	// PollInterval is how often an idle worker looks for new tasks, asynq's
	// TaskCheckInterval (default 100ms; asynq's own default of 1s shows up
	// as a second of latency on every job).
	PollInterval time.Duration
	// DelayedPollInterval is how often delayed and retrying tasks are moved
	// to the ready list, asynq's DelayedTaskCheckInterval (default 1s).
	DelayedPollInterval time.Duration
	// RetryDelay is the wait before the attempt after failed attempt n
	// (1-based). Default: 1s, 2s, 4s, ... capped at 5 minutes.
	RetryDelay func(attempt int) time.Duration
	// Retention is how long a finished task's key keeps deduplicating
	// enqueues (default 24h).
	Retention time.Duration
	// JobTimeout bounds one run of a handler (default 2h).
	JobTimeout time.Duration
	// ShutdownTimeout is how long Shutdown waits for running handlers
	// (default 5s). Halfway through, their context is cancelled so they can
	// release their work; at the end asynq puts unfinished tasks back.
	ShutdownTimeout time.Duration
	// Logger receives job failures and asynq's own warnings (default:
	// discard).
	Logger *slog.Logger
}

// The defaults of Config.
const (
	DefaultQueue               = "scale"
	DefaultConcurrency         = 4
	DefaultPollInterval        = 100 * time.Millisecond
	DefaultDelayedPollInterval = time.Second
	DefaultRetention           = 24 * time.Hour
	DefaultJobTimeout          = 2 * time.Hour
	DefaultShutdownTimeout     = 5 * time.Second
	defaultMaxAttempts         = 3
	maxRetryDelay              = 5 * time.Minute
)

// DefaultRetryDelay doubles from one second up to five minutes.
func DefaultRetryDelay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 10 {
		return maxRetryDelay
	}
	return min(time.Second<<(attempt-1), maxRetryDelay)
}

func (c Config) withDefaults() Config {
	if c.Queue == "" {
		c.Queue = DefaultQueue
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.DelayedPollInterval <= 0 {
		c.DelayedPollInterval = DefaultDelayedPollInterval
	}
	if c.RetryDelay == nil {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.Retention <= 0 {
		c.Retention = DefaultRetention
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = DefaultJobTimeout
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
