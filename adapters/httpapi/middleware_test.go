package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

func TestPanicsBecomeProblems(t *testing.T) {
	is := is.New(t)
	var logs strings.Builder
	log := slog.New(LogHandler(slog.NewJSONHandler(&logs, nil)))
	h := requestLog(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("database password is hunter2")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	is.Equal(rec.Code, 500)
	is.Equal(rec.Header().Get("Content-Type"), "application/problem+json")
	is.True(!strings.Contains(rec.Body.String(), "hunter2"))
	var p huma.ErrorModel
	is.NoErr(json.Unmarshal(rec.Body.Bytes(), &p))
	is.Equal(p.Type, ProblemTypePrefix+scale.CodeInternal)
	is.True(strings.Contains(logs.String(), `"msg":"panic"`)) // the operator still sees it, with the request id
	is.True(strings.Contains(logs.String(), `"request_id":"`+rec.Header().Get("X-Request-ID")+`"`))
}

func TestInternalErrorsNeverLeak(t *testing.T) {
	is := is.New(t)
	log := slog.New(slog.DiscardHandler)
	err := problem(context.Background(), log, errors.New("pq: relation secret_table does not exist"))
	var p *huma.ErrorModel
	is.True(errors.As(err, &p))
	is.Equal(p.Status, 500)
	is.True(!strings.Contains(p.Detail, "secret_table"))
	is.Equal(len(p.Errors), 0)

	err = problem(context.Background(), log, scale.InvalidFields("x.invalid", "bad", scale.FieldError{Field: "amount", Message: "must not be zero"}))
	is.True(errors.As(err, &p))
	is.Equal(p.Status, 422)
	is.Equal(p.Type, ProblemTypePrefix+"x.invalid")
	is.Equal(p.Errors[0].Location, "body.amount")
	for k := range statusOfKind {
		is.True(StatusOf(k) >= 400)
	}
}

func TestCORSAllowsOnlyTheAllowlist(t *testing.T) {
	is := is.New(t)
	h := cors([]string{"https://app.example.com"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	req := httptest.NewRequest("OPTIONS", "/api/v1/profile", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "GET")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	is.Equal(rec.Code, 204)
	is.Equal(rec.Header().Get("Access-Control-Allow-Origin"), "https://app.example.com")
	req.Header.Set("Origin", "https://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	is.Equal(rec.Header().Get("Access-Control-Allow-Origin"), "")
}
