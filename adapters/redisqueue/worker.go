package redisqueue

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// process is the one asynq handler: it dispatches by task type and maps
// the result. A final error (ports.ShouldRetry false) is wrapped in
// asynq.SkipRetry so asynq archives the task instead of retrying it.
func (q *Queue) process(ctx context.Context, t *asynq.Task) error {
	q.mu.RLock()
	h := q.handlers[t.Type()]
	q.mu.RUnlock()
	if h == nil {
		err := scale.E(scale.KindFailedPrecondition, CodeNoHandler, "no handler for job type %q", t.Type())
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	key, _ := asynq.GetTaskID(ctx)
	job := ports.Job{Type: t.Type(), Key: key, Payload: t.Payload(), MaxAttempts: maxRetry + 1}
	err := h(ctx, job, retried+1)
	if err != nil && !ports.ShouldRetry(err) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// logFailure logs every handler error with the attempt it ended.
func (q *Queue) logFailure(ctx context.Context, t *asynq.Task, err error) {
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	key, _ := asynq.GetTaskID(ctx)
	final := !ports.ShouldRetry(err) || retried >= maxRetry
	msg := "job failed, will retry"
	if final {
		msg = "job failed"
	}
	q.cfg.Logger.WarnContext(ctx, msg, "type", t.Type(), "key", key, "attempt", retried+1,
		"max_attempts", maxRetry+1, "code", scale.CodeOf(err), "err", err)
}

// logHealth logs failed Redis health checks of the worker.
func (q *Queue) logHealth(err error) {
	if err != nil {
		q.cfg.Logger.Error("queue health check failed", "err", err)
	}
}
