package httpclient

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// The operations of training jobs and model versions.
var (
	opCreateTrainingJob = Operation{"create-training-job", http.MethodPost, "/training/jobs"}
	opListTrainingJobs  = Operation{"list-training-jobs", http.MethodGet, "/training/jobs"}
	opGetTrainingJob    = Operation{"get-training-job", http.MethodGet, "/training/jobs/{id}"}
	opCancelTrainingJob = Operation{"cancel-training-job", http.MethodPost, "/training/jobs/{id}/cancel"}
	opListModels        = Operation{"list-models", http.MethodGet, "/models"}
	opActivateModel     = Operation{"activate-model", http.MethodPost, "/models/{id}/activate"}
)

func init() {
	operations = append(operations, opCreateTrainingJob, opListTrainingJobs, opGetTrainingJob, opCancelTrainingJob,
		opListModels, opActivateModel)
}

// Training job statuses: queued → running → completed, failed or cancelled.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobCompleted = "completed"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// TrainingJob is one training job of the caller.
type TrainingJob struct {
	ID string `json:"id"`
	// Status is one of the Job* constants.
	Status string `json:"status"`
	// Progress is in percent.
	Progress int `json:"progress"`
	// Attempts counts how often a worker started the job.
	Attempts int `json:"attempts"`
	// Force activates the result even if its metrics are worse.
	Force bool `json:"force"`
	// Metrics are the held-out metrics, once completed.
	Metrics map[string]float64 `json:"metrics,omitempty"`
	Error   string             `json:"error,omitempty"`
	// ModelVersion is the id of the version produced, once completed.
	ModelVersion string     `json:"model_version,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	StartedAt    *time.Time `json:"started_at,omitempty"`
	HeartbeatAt  *time.Time `json:"heartbeat_at,omitempty"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Finished reports whether the job reached a final status.
func (j TrainingJob) Finished() bool {
	return j.Status == JobCompleted || j.Status == JobFailed || j.Status == JobCancelled
}

// TrainingOptions are the options of a training job.
type TrainingOptions struct {
	// Force activates the resulting model even if its held-out metrics are
	// worse than the active model's.
	Force bool `json:"force,omitempty"`
}

// CreateTrainingJob queues a training job on the caller's labelled
// transactions; poll it with TrainingJob. Too few labels is a 409 problem
// with code training.not_enough_labels, a job in progress one with
// training.in_progress; a server without a trainer answers 503.
func (c *Client) CreateTrainingJob(ctx context.Context, o TrainingOptions) (TrainingJob, error) {
	var out TrainingJob
	err := c.call(ctx, opCreateTrainingJob, nil, nil, o, &out)
	return out, err
}

// TrainingJobs lists the caller's latest limit jobs, newest first; 0 is the
// server's default (20).
func (c *Client) TrainingJobs(ctx context.Context, limit int) ([]TrainingJob, error) {
	v := values{}
	v.setInt("limit", limit)
	var out struct {
		Items []TrainingJob `json:"items"`
	}
	err := c.call(ctx, opListTrainingJobs, nil, url.Values(v), nil, &out)
	return out.Items, err
}

// TrainingJob returns one of the caller's training jobs.
func (c *Client) TrainingJob(ctx context.Context, id string) (TrainingJob, error) {
	var out TrainingJob
	err := c.call(ctx, opGetTrainingJob, []string{id}, nil, nil, &out)
	return out, err
}

// CancelTrainingJob cancels a queued or running job; a finished one is a
// 409 problem with code training.not_cancellable.
func (c *Client) CancelTrainingJob(ctx context.Context, id string) (TrainingJob, error) {
	var out TrainingJob
	err := c.call(ctx, opCancelTrainingJob, []string{id}, nil, nil, &out)
	return out, err
}

// ModelVersion is one trained categorization model of the caller.
type ModelVersion struct {
	ID string `json:"id"`
	// Version counts up from 1; Name is how people write it ("v3").
	Version int                `json:"version"`
	Name    string             `json:"name"`
	JobID   string             `json:"job_id"`
	Metrics map[string]float64 `json:"metrics"`
	// Active says it categorizes the caller's transactions now.
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// BaseModel is the shipped model that serves a caller without an active
// trained version.
type BaseModel struct {
	Name          string             `json:"name"`
	Version       string             `json:"version"`
	FeatureSchema string             `json:"feature_schema"`
	Categories    []string           `json:"categories"`
	Metrics       map[string]float64 `json:"metrics"`
}

// ModelList is the caller's model versions.
type ModelList struct {
	// Items are the trained versions, newest first.
	Items []ModelVersion `json:"items"`
	// Base is set when no trained version is active.
	Base *BaseModel `json:"base,omitempty"`
}

// Models lists the caller's model versions and, when none is active, the
// base model serving the caller.
func (c *Client) Models(ctx context.Context) (ModelList, error) {
	var out ModelList
	err := c.call(ctx, opListModels, nil, nil, nil, &out)
	return out, err
}

// ActivateModel makes one of the caller's versions the active one, whatever
// its metrics.
func (c *Client) ActivateModel(ctx context.Context, id string) (ModelVersion, error) {
	var out ModelVersion
	err := c.call(ctx, opActivateModel, []string{id}, nil, nil, &out)
	return out, err
}
