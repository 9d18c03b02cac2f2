package redisqueue_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/redisqueue/redistest"
	"github.com/scalehq/scale/ports"
)

func TestDashboard(t *testing.T) {
	is := is.New(t)
	q := redistest.Queue(t, redisqueue.Config{})
	ctx := context.Background()
	is.NoErr(q.Enqueue(ctx, ports.Job{Type: "test.later", Key: "later-1", RunAt: time.Now().Add(time.Hour)}))
	is.NoErr(q.Enqueue(ctx, ports.Job{Type: "test.now", Key: "now-1"}))
	h := q.Dashboard()

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	is.Equal(rec.Code, http.StatusOK)
	var s redisqueue.Stats
	is.NoErr(json.Unmarshal(rec.Body.Bytes(), &s))
	is.Equal(s.Queue, q.QueueName())
	is.Equal(s.Pending, 1)
	is.Equal(s.Scheduled, 1)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tasks?state=scheduled&limit=5", nil))
	is.Equal(rec.Code, http.StatusOK)
	var ts []redisqueue.TaskView
	is.NoErr(json.Unmarshal(rec.Body.Bytes(), &ts))
	is.Equal(len(ts), 1)
	is.Equal(ts[0].ID, "later-1")
	is.Equal(ts[0].Type, "test.later")

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tasks?state=bogus", nil))
	is.Equal(rec.Code, http.StatusBadRequest)
	is.Equal(rec.Header().Get("Content-Type"), "application/problem+json")

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	is.Equal(rec.Code, http.StatusMethodNotAllowed) // read-only
}
