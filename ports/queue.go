package ports

import (
	"context"
	"errors"
	"time"

	"github.com/scalehq/scale/scale"
)

// Job is a unit of background work.
type Job struct {
	// Type selects the handler ("training.run").
	Type string
	// Key is the idempotency key: while a job with the same key is queued,
	// running or recently done, enqueuing it again is a no-op. Required.
	Key string
	// Payload is the handler's input, usually JSON.
	Payload []byte
	// RunAt delays the job; zero means now.
	RunAt time.Time
	// MaxAttempts bounds retries; zero means the adapter's default (3).
	MaxAttempts int
}

// JobHandler runs one job. An error whose scale.Kind is Invalid, NotFound,
// Conflict, FailedPrecondition or Forbidden is final; any other error is
// retried with backoff until MaxAttempts. Attempt is 1-based.
type JobHandler func(ctx context.Context, job Job, attempt int) error

// Queue runs jobs in the background, at least once, with idempotent enqueue.
type Queue interface {
	// Enqueue schedules job. A second job with the same Key while the first
	// is known to the queue is accepted and ignored (returns nil).
	Enqueue(ctx context.Context, job Job) error
	// Handle registers h for jobType. Register handlers before the worker
	// starts; registering a type twice replaces the handler.
	Handle(jobType string, h JobHandler)
}

// Retryable reports whether a handler error should be retried.
type Retryable interface {
	Retryable() bool
}

// ShouldRetry reports whether a handler error is worth retrying: an error
// implementing Retryable decides for itself; errors of a client kind
// (Invalid, NotFound, Conflict, FailedPrecondition, Forbidden) are final;
// anything else (Internal, Unavailable, ...) is retried.
func ShouldRetry(err error) bool {
	if err == nil {
		return false
	}
	var r Retryable
	if errors.As(err, &r) {
		return r.Retryable()
	}
	switch scale.KindOf(err) {
	case scale.KindInvalid, scale.KindNotFound, scale.KindConflict, scale.KindFailedPrecondition, scale.KindForbidden:
		return false
	}
	return true
}
