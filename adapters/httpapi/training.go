package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/training"
)

// CodeTrainingUnavailable is the problem code of a training operation on a
// server that was started without a trainer.
const CodeTrainingUnavailable = "training.unavailable"

// TrainingJob is one training job of the caller.
type TrainingJob struct {
	ID           string             `json:"id" doc:"Job id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
	Status       string             `json:"status" enum:"queued,running,completed,failed,cancelled" doc:"Where the job is: queued → running → completed, failed or cancelled." example:"running"`
	Progress     int                `json:"progress" minimum:"0" maximum:"100" doc:"Training progress in percent." example:"40"`
	Attempts     int                `json:"attempts" minimum:"0" doc:"How many times a worker started the job (a job whose worker died is retried)." example:"1"`
	Force        bool               `json:"force" doc:"Whether the resulting model is activated even if its held-out metrics are worse than the active model's." example:"false"`
	Metrics      map[string]float64 `json:"metrics,omitempty" doc:"Held-out metrics of the trained model, once completed." example:"{\"accuracy\":0.91}"`
	Error        string             `json:"error,omitempty" doc:"Why the job failed." example:"worker stopped responding"`
	ModelVersion string             `json:"model_version,omitempty" doc:"Id of the model version the job produced, once completed." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91"`
	CreatedAt    time.Time          `json:"created_at" doc:"When the job was created." example:"2026-03-01T09:30:00Z"`
	StartedAt    *time.Time         `json:"started_at,omitempty" doc:"When a worker last started the job." example:"2026-03-01T09:30:02Z"`
	HeartbeatAt  *time.Time         `json:"heartbeat_at,omitempty" doc:"The running worker's last sign of life." example:"2026-03-01T09:30:12Z"`
	FinishedAt   *time.Time         `json:"finished_at,omitempty" doc:"When the job completed, failed or was cancelled." example:"2026-03-01T09:31:40Z"`
	UpdatedAt    time.Time          `json:"updated_at" doc:"When the job last changed." example:"2026-03-01T09:31:40Z"`
}

func trainingJobOut(j scale.TrainingJob) TrainingJob {
	return TrainingJob{
		ID: string(j.ID), Status: string(j.Status), Progress: j.Progress, Attempts: j.Attempts, Force: j.Force,
		Metrics: j.Metrics, Error: j.Error, ModelVersion: string(j.Model), CreatedAt: j.CreatedAt,
		StartedAt: j.StartedAt, HeartbeatAt: j.HeartbeatAt, FinishedAt: j.FinishedAt, UpdatedAt: j.UpdatedAt,
	}
}

// ModelVersion is one trained categorization model of the caller.
type ModelVersion struct {
	ID        string             `json:"id" doc:"Model version id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91"`
	Version   int                `json:"version" minimum:"1" doc:"The caller's version number, counting up from 1." example:"3"`
	Name      string             `json:"name" doc:"The version as people write it." example:"v3"`
	JobID     string             `json:"job_id" doc:"The training job that produced it." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
	Metrics   map[string]float64 `json:"metrics" doc:"Held-out metrics measured when it was trained." example:"{\"accuracy\":0.91}"`
	Active    bool               `json:"active" doc:"Whether it categorizes the caller's transactions now." example:"true"`
	CreatedAt time.Time          `json:"created_at" doc:"When it was trained." example:"2026-03-01T09:31:40Z"`
}

func modelVersionOut(m scale.ModelVersion) ModelVersion {
	metrics := m.Metrics
	if metrics == nil {
		metrics = map[string]float64{}
	}
	return ModelVersion{ID: string(m.ID), Version: m.Version, Name: m.String(), JobID: string(m.Job),
		Metrics: metrics, Active: m.Active, CreatedAt: m.CreatedAt}
}

// BaseModel describes the shipped model that serves a caller without an
// active trained version.
type BaseModel struct {
	Name          string             `json:"name" doc:"The model's name." example:"hypcd-default"`
	Version       string             `json:"version" doc:"The model's version." example:"1"`
	FeatureSchema string             `json:"feature_schema" doc:"The version of the features it reads." example:"tokens-v1"`
	Categories    []string           `json:"categories" doc:"The category ids it predicts." example:"[\"food\",\"transport\"]"`
	Metrics       map[string]float64 `json:"metrics" doc:"Metrics measured when it was built." example:"{\"accuracy\":0.88}"`
}

// ModelListOutput lists the caller's model versions.
type ModelListOutput struct {
	Body struct {
		Items []ModelVersion `json:"items" doc:"The caller's trained versions, newest first."`
		Base  *BaseModel     `json:"base,omitempty" doc:"The shipped base model, present when no trained version is active (it then serves the caller)."`
	}
}

// ModelOutput is one model version.
type ModelOutput struct {
	Body ModelVersion
}

// ModelIDInput names a model version.
type ModelIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Model version id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91"`
}

// CreateTrainingJobBody are the options of a training job.
type CreateTrainingJobBody struct {
	Force bool `json:"force,omitempty" doc:"Activate the resulting model even if its held-out metrics are worse than the active model's." example:"false"`
}

// CreateTrainingJobInput starts a training job; the body is optional.
type CreateTrainingJobInput struct {
	Body *CreateTrainingJobBody
}

// TrainingJobOutput is one training job.
type TrainingJobOutput struct {
	Body TrainingJob
}

// TrainingJobIDInput names a training job.
type TrainingJobIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Training job id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
}

// ListTrainingJobsInput bounds the job listing.
type ListTrainingJobsInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"How many jobs, newest first." example:"20"`
}

// TrainingJobListOutput lists the caller's training jobs.
type TrainingJobListOutput struct {
	Body struct {
		Items []TrainingJob `json:"items" doc:"The caller's training jobs, newest first."`
	}
}

// trainer returns the training service or the 503 problem of a server
// without a trainer.
func (h *handlers) trainer(ctx context.Context) (*training.Service, error) {
	if h.s.Training == nil {
		return nil, problem(ctx, h.log, scale.E(scale.KindUnavailable, CodeTrainingUnavailable,
			"training is not available on this server: it was started without a trainer"))
	}
	return h.s.Training, nil
}

// registerTraining adds the operations of training jobs and model versions.
func (h *handlers) registerTraining(api huma.API) {
	tags := []string{"Training"}
	register(h, api, huma.Operation{
		OperationID: "create-training-job", Method: http.MethodPost, Path: "/training/jobs", DefaultStatus: http.StatusAccepted,
		Summary: "Train a model", Tags: tags,
		Description: "Queues a job that trains a categorization model on the caller's labelled transactions (labels " +
			"from imports, corrections and rules). Poll the job until it is `completed`, `failed` or `cancelled`. " +
			"The new version becomes active when its held-out metrics are no worse than the active model's, or " +
			"always with `force`. Too few labels is a 409 `training.not_enough_labels` stating how many are " +
			"needed; a job already queued or running is a 409 `training.in_progress`.",
		Errors: []int{http.StatusUnauthorized, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *CreateTrainingJobInput) (*TrainingJobOutput, error) {
		svc, err := h.trainer(ctx)
		if err != nil {
			return nil, err
		}
		force := in.Body != nil && in.Body.Force
		j, err := svc.Create(ctx, userOf(ctx), force)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &TrainingJobOutput{Body: trainingJobOut(j)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "list-training-jobs", Method: http.MethodGet, Path: "/training/jobs",
		Summary: "List training jobs", Tags: tags,
		Description: "Lists the caller's training jobs, newest first.",
		Errors:      []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *ListTrainingJobsInput) (*TrainingJobListOutput, error) {
		svc, err := h.trainer(ctx)
		if err != nil {
			return nil, err
		}
		js, err := svc.List(ctx, userOf(ctx), in.Limit)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &TrainingJobListOutput{}
		out.Body.Items = make([]TrainingJob, len(js))
		for i, j := range js {
			out.Body.Items[i] = trainingJobOut(j)
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "get-training-job", Method: http.MethodGet, Path: "/training/jobs/{id}",
		Summary: "Get a training job", Tags: tags,
		Description: "Returns one of the caller's training jobs with its status, progress, attempts, timestamps, " +
			"metrics, error and resulting model version; another user's id is 404.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *TrainingJobIDInput) (*TrainingJobOutput, error) {
		svc, err := h.trainer(ctx)
		if err != nil {
			return nil, err
		}
		j, err := svc.Get(ctx, userOf(ctx), scale.JobID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &TrainingJobOutput{Body: trainingJobOut(j)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "cancel-training-job", Method: http.MethodPost, Path: "/training/jobs/{id}/cancel",
		Summary: "Cancel a training job", Tags: tags,
		Description: "Cancels a queued or running job; a running job stops at its next heartbeat without " +
			"publishing a model. A finished job is a 409 `training.not_cancellable`.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *TrainingJobIDInput) (*TrainingJobOutput, error) {
		svc, err := h.trainer(ctx)
		if err != nil {
			return nil, err
		}
		j, err := svc.Cancel(ctx, userOf(ctx), scale.JobID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &TrainingJobOutput{Body: trainingJobOut(j)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "list-models", Method: http.MethodGet, Path: "/models",
		Summary: "List model versions", Tags: tags,
		Description: "Lists the caller's trained model versions, newest first, with their metrics and which one " +
			"is active. When none is active the shipped base model serves the caller and is described in `base`.",
		Errors: []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*ModelListOutput, error) {
		user := userOf(ctx)
		out := &ModelListOutput{}
		out.Body.Items = []ModelVersion{}
		active := false
		if h.s.Training != nil {
			ms, err := h.s.Training.ListModels(ctx, user)
			if err != nil {
				return nil, problem(ctx, h.log, err)
			}
			for _, m := range ms {
				out.Body.Items = append(out.Body.Items, modelVersionOut(m))
				active = active || m.Active
			}
		}
		if !active {
			m, err := h.s.Model(ctx, user)
			if err != nil {
				return nil, problem(ctx, h.log, err)
			}
			info := m.Info()
			base := &BaseModel{Name: info.Name, Version: info.Version, FeatureSchema: info.FeatureSchema,
				Categories: make([]string, len(info.Labels)), Metrics: info.Metrics}
			for i, l := range info.Labels {
				base.Categories[i] = string(l)
			}
			if base.Metrics == nil {
				base.Metrics = map[string]float64{}
			}
			out.Body.Base = base
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "activate-model", Method: http.MethodPost, Path: "/models/{id}/activate",
		Summary: "Activate a model version", Tags: tags,
		Description: "Makes one of the caller's versions the active one at once, whatever its metrics: a manual " +
			"rollback or roll-forward. Another user's id is 404.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *ModelIDInput) (*ModelOutput, error) {
		svc, err := h.trainer(ctx)
		if err != nil {
			return nil, err
		}
		m, err := svc.Activate(ctx, userOf(ctx), scale.ModelVersionID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		m.Active = true
		return &ModelOutput{Body: modelVersionOut(m)}, nil
	})
}
