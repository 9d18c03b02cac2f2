// Package redisqueue is the production ports.Queue: asynq on Redis.
//
// A ports.Job becomes an asynq task whose task id is the job's Key, so a
// second enqueue of the same key is a no-op for as long as asynq knows the
// task (queued, running, scheduled, retrying, archived, or completed within
// Config.Retention). Handler errors are mapped with ports.ShouldRetry: a
// final error is returned wrapped in asynq.SkipRetry, anything else is
// retried with Config.RetryDelay until the job's MaxAttempts.
//
// One Queue both enqueues (the API server) and, after Start, works (the
// worker). It may share a go-redis client with the rest of the process;
// a shared client is never closed by Shutdown. Dashboard returns a
// read-only JSON view of the queue built on asynq.Inspector, for mounting
// behind admin authentication.
package redisqueue
