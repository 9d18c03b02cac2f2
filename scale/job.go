package scale

import (
	"fmt"
	"time"
)

// JobStatus is the state of a background job.
type JobStatus string

// The job statuses: queued → running → completed | failed | cancelled.
const (
	JobQueued    JobStatus = "queued"
	JobRunning   JobStatus = "running"
	JobCompleted JobStatus = "completed"
	JobFailed    JobStatus = "failed"
	JobCancelled JobStatus = "cancelled"
)

// Terminal reports whether no transition leaves s.
func (s JobStatus) Terminal() bool {
	return s == JobCompleted || s == JobFailed || s == JobCancelled
}

// CanTransition reports whether a job may go from s to next. A running job
// may go back to queued only to be retried after its worker died.
func (s JobStatus) CanTransition(next JobStatus) bool {
	switch s {
	case JobQueued:
		return next == JobRunning || next == JobCancelled || next == JobFailed
	case JobRunning:
		return next == JobCompleted || next == JobFailed || next == JobCancelled || next == JobQueued
	}
	return false
}

// CheckTransition returns an error of KindConflict for an illegal move.
func (s JobStatus) CheckTransition(next JobStatus) error {
	if !s.CanTransition(next) {
		return Conflict(CodeJobTransition, "a %s job cannot become %s", s, next)
	}
	return nil
}

// TrainingJob is a request to train a categorization model for a user.
type TrainingJob struct {
	ID       JobID
	User     UserID
	Status   JobStatus
	Progress int // 0–100
	Attempts int
	Metrics  map[string]float64
	Error    string
	// Model is the version this job produced, once completed.
	Model       ModelVersionID
	Force       bool
	HeartbeatAt *time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ModelVersion is one trained model of a user (or the shipped base model,
// whose User is empty).
type ModelVersion struct {
	ID      ModelVersionID
	User    UserID
	Version int
	Job     JobID
	Metrics map[string]float64
	// Artifact is the serialized model (manifest and weights).
	Artifact  []byte
	Active    bool
	CreatedAt time.Time
}

// String returns "v3".
func (m ModelVersion) String() string { return fmt.Sprintf("v%d", m.Version) }
