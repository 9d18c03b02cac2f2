package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/models"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/sdk"
)

const testSecret = "httpapi-test-secret-httpapi-test-secret"

// apiServer is the whole handler over memory adapters and the shipped model,
// on an httptest server.
type apiServer struct {
	*httptest.Server
	SDK   *sdk.Scale
	Queue *memory.Queue
	Store *memory.Store
}

var sharedModel ports.Model

func newAPIServer(t testing.TB) *apiServer {
	t.Helper()
	if sharedModel == nil {
		m, err := hypcd.LoadFS(models.Default, "default")
		if err != nil {
			t.Fatal(err)
		}
		sharedModel = m
	}
	store, q := memory.NewStore(), memory.NewQueue(memory.QueueConfig{})
	s, err := sdk.New(sdk.Ports{Statements: statements.New(), Store: store, Queue: q, Clock: ports.SystemClock{}, Model: sharedModel,
		Trainer: hypcd.NewTrainer(hypcd.Config{}, "test", "1")}, sdk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.RegisterJobs(q)
	q.Start()
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := httpapi.Handler(s, httpapi.Options{Auth: v, MaxUploadBytes: 1 << 20})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		_ = q.Stop(t.Context())
	})
	return &apiServer{Server: srv, SDK: s, Queue: q, Store: store}
}

// tokenFor signs a token for user with role.
func tokenFor(t *testing.T, user string, role scale.Role) string {
	t.Helper()
	tok, err := jwtauth.Issue([]byte(testSecret), scale.UserID(user), role, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// call sends a request with an optional JSON body and returns the status,
// headers and body.
func (a *apiServer) call(t *testing.T, method, path, token, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// decode unmarshals a JSON body or fails the test.
func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// problemOf checks a problem+json response and returns its type.
func problemOf(t *testing.T, status int, h http.Header, b []byte, want int) string {
	t.Helper()
	if status != want {
		t.Fatalf("status = %d, want %d: %s", status, want, b)
	}
	if ct := h.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json: %s", ct, b)
	}
	p := decode[struct {
		Type string `json:"type"`
	}](t, b)
	return strings.TrimPrefix(p.Type, httpapi.ProblemTypePrefix)
}
