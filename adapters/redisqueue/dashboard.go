package redisqueue

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/scalehq/scale/scale"
)

// Stats counts the tasks of the queue by state.
type Stats struct {
	Queue     string `json:"queue"`
	Pending   int    `json:"pending"`
	Active    int    `json:"active"`
	Scheduled int    `json:"scheduled"`
	Retry     int    `json:"retry"`
	Archived  int    `json:"archived"`
	Completed int    `json:"completed"`
	// ProcessedToday and FailedToday count handler runs since midnight UTC.
	ProcessedToday int  `json:"processed_today"`
	FailedToday    int  `json:"failed_today"`
	Paused         bool `json:"paused"`
	// LatencyMS is the age of the oldest pending task, in milliseconds.
	LatencyMS int64 `json:"latency_ms"`
}

// TaskView is what the dashboard shows of one task. The payload is left out
// (it may name users); only its size is shown.
type TaskView struct {
	ID            string     `json:"id"`
	Type          string     `json:"type"`
	State         string     `json:"state"`
	Retried       int        `json:"retried"`
	MaxRetry      int        `json:"max_retry"`
	LastError     string     `json:"last_error,omitempty"`
	LastFailedAt  *time.Time `json:"last_failed_at,omitempty"`
	NextProcessAt *time.Time `json:"next_process_at,omitempty"`
	CompletedAt   *time.Time `json:"completed_at,omitempty"`
	PayloadBytes  int        `json:"payload_bytes"`
}

// TaskStates lists the states Tasks accepts.
var TaskStates = []string{"pending", "active", "scheduled", "retry", "archived", "completed"}

// Stats returns the task counts of the queue. A queue that never saw a task
// has all counts zero.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	info, err := q.inspector.GetQueueInfo(q.cfg.Queue)
	if err != nil {
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return Stats{Queue: q.cfg.Queue}, nil
		}
		return Stats{}, scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the queue's statistics are unavailable")
	}
	return Stats{
		Queue: info.Queue, Pending: info.Pending, Active: info.Active, Scheduled: info.Scheduled,
		Retry: info.Retry, Archived: info.Archived, Completed: info.Completed,
		ProcessedToday: info.Processed, FailedToday: info.Failed, Paused: info.Paused,
		LatencyMS: info.Latency.Milliseconds(),
	}, nil
}

// Tasks lists up to limit (1–100) tasks of the queue in state (one of
// TaskStates).
func (q *Queue) Tasks(ctx context.Context, state string, limit int) ([]TaskView, error) {
	limit = max(1, min(limit, 100))
	opts := []asynq.ListOption{asynq.PageSize(limit)}
	var list func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error)
	switch state {
	case "pending":
		list = q.inspector.ListPendingTasks
	case "active":
		list = q.inspector.ListActiveTasks
	case "scheduled":
		list = q.inspector.ListScheduledTasks
	case "retry":
		list = q.inspector.ListRetryTasks
	case "archived":
		list = q.inspector.ListArchivedTasks
	case "completed":
		list = q.inspector.ListCompletedTasks
	default:
		return nil, scale.InvalidFields(scale.CodeInvalid, "Unknown task state.",
			scale.FieldError{Field: "state", Message: "must be one of pending, active, scheduled, retry, archived, completed"})
	}
	infos, err := list(q.cfg.Queue, opts...)
	if err != nil {
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return []TaskView{}, nil
		}
		return nil, scale.Wrap(err, scale.KindUnavailable, CodeUnavailable, "the queue's tasks are unavailable")
	}
	out := make([]TaskView, 0, len(infos))
	for _, ti := range infos {
		out = append(out, TaskView{
			ID: ti.ID, Type: ti.Type, State: ti.State.String(), Retried: ti.Retried, MaxRetry: ti.MaxRetry,
			LastError: ti.LastErr, LastFailedAt: timePtr(ti.LastFailedAt), NextProcessAt: timePtr(ti.NextProcessAt),
			CompletedAt: timePtr(ti.CompletedAt), PayloadBytes: len(ti.Payload),
		})
	}
	return out, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Dashboard returns a read-only JSON view of the queue, to be mounted
// behind admin authentication (strip the mount prefix first):
//
//	GET /             → Stats
//	GET /tasks?state=pending&limit=20 → []TaskView
//
// It never changes the queue. Errors are application/problem+json.
func (q *Queue) Dashboard() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s, err := q.Stats(r.Context())
		if err != nil {
			writeProblem(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s)
	})
	mux.HandleFunc("GET /tasks", func(w http.ResponseWriter, r *http.Request) {
		state := r.URL.Query().Get("state")
		if state == "" {
			state = "pending"
		}
		limit := 20
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				writeProblem(w, scale.InvalidFields(scale.CodeInvalid, "Bad limit.",
					scale.FieldError{Field: "limit", Message: "must be an integer from 1 to 100"}))
				return
			}
			limit = n
		}
		ts, err := q.Tasks(r.Context(), state, limit)
		if err != nil {
			writeProblem(w, err)
			return
		}
		writeJSON(w, http.StatusOK, ts)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeProblem answers an RFC 9457 problem; only the safe message is shown.
func writeProblem(w http.ResponseWriter, err error) {
	var se *scale.Error
	if !errors.As(err, &se) {
		se = scale.Internal(err, scale.CodeInternal)
	}
	status := http.StatusInternalServerError
	switch se.Kind {
	case scale.KindInvalid:
		status = http.StatusBadRequest
	case scale.KindUnavailable:
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status,
		"detail": se.Message, "code": se.Code, "errors": se.Fields,
	})
}
