package httpclient_test

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/httpclient"
	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/models"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/sdk"
)

const testSecret = "httpclient-test-secret-httpclient-test-secret"

var (
	modelOnce   sync.Once
	sharedModel ports.Model
	modelErr    error
)

// newServer starts the real reference-server handler over memory adapters
// and the shipped model on an httptest server.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	modelOnce.Do(func() { sharedModel, modelErr = hypcd.LoadFS(models.Default, "default") })
	if modelErr != nil {
		t.Fatal(modelErr)
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
	return srv
}

// tokenFor signs a user token for user.
func tokenFor(t *testing.T, user string) string {
	t.Helper()
	tok, err := jwtauth.Issue([]byte(testSecret), scale.UserID(user), scale.RoleUser, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// clientFor returns a client of srv authenticated as user.
func clientFor(t *testing.T, srv *httptest.Server, user string) *httpclient.Client {
	t.Helper()
	c, err := httpclient.New(srv.URL, httpclient.WithToken(tokenFor(t, user)), httpclient.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
