// Package training runs the lifecycle of training jobs and keeps the model
// registry of each user.
//
// A job is created queued (Service.Create) and enqueued with the job id as
// the queue key, so a double enqueue runs once. The worker's handler
// (Service.Handler, type JobTrain) claims it with a compare-and-set
// transition queued → running, trains while heart-beating, stores the
// model version (unique per job, so a retried task never publishes twice),
// activates it when its held-out metric is no worse than the active
// model's (or when forced), tells the Swapper, and completes the job. Every
// status it stores is true at the moment it is stored:
//
//	queued → running → completed | failed | cancelled
//	running → queued   (retry: a transient error or a dead worker, bounded by MaxAttempts)
//
// Housekeeping runs as periodic jobs (Schedule, RunSchedule): the reaper
// returns jobs whose heartbeat went stale to the queue or fails them,
// pruning keeps the newest KeepModels versions of each user, and purging
// deletes finished jobs older than JobRetention.
//
// The package imports only the standard library, scale and ports.
package training
