package httpapi_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/models"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/sdk"
	"github.com/scalehq/scale/scale/training"
)

// newTrainingServer is newAPIServer with a small, fast trainer and a short
// heartbeat, so that a whole training job runs in a test. With start false
// the queue's workers never run, so jobs stay queued.
func newTrainingServer(t *testing.T, start bool) *apiServer {
	t.Helper()
	if sharedModel == nil {
		m, err := hypcd.LoadFS(models.Default, "default")
		if err != nil {
			t.Fatal(err)
		}
		sharedModel = m
	}
	cfg := hypcd.Config{Steps: 25, BatchSize: 32, Buckets: 1 << 12}
	store, q := memory.NewStore(), memory.NewQueue(memory.QueueConfig{})
	s, err := sdk.New(sdk.Ports{Statements: statements.New(), Store: store, Queue: q, Clock: ports.SystemClock{}, Model: sharedModel,
		Trainer: hypcd.NewTrainer(cfg, "test", "1")},
		sdk.Options{Training: training.Config{HeartbeatEvery: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	s.RegisterJobs(q)
	if start {
		q.Start()
	}
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := httpapi.Handler(s, httpapi.Options{Auth: v})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		if start {
			_ = q.Stop(t.Context())
		}
	})
	return &apiServer{Server: srv, SDK: s, Queue: q, Store: store}
}

// seedLabelled stores n transactions for user whose categories came from
// the import, spread over four categories with telling descriptions.
func seedLabelled(t *testing.T, a *apiServer, user scale.UserID, n int) {
	t.Helper()
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), user, accountsNew("Main"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		cat   scale.CategoryID
		descs []string
	}{
		{"food", []string{"REWE MARKT", "LIDL FILIALE", "EDEKA CENTER", "ALDI SUED"}},
		{"transport", []string{"DB BAHN TICKET", "BVG FAHRKARTE", "UBER TRIP", "SHELL TANKSTELLE"}},
		{"entertainment", []string{"NETFLIX.COM", "SPOTIFY AB", "CINEMAXX KINO", "STEAM GAMES"}},
		{"utilities", []string{"VATTENFALL STROM", "TELEKOM RECHNUNG", "STADTWERKE WASSER", "O2 MOBILFUNK"}},
	}
	var txs []scale.Transaction
	for i := range n {
		k := kinds[i%len(kinds)]
		desc := fmt.Sprintf("%s %d", k.descs[(i/len(kinds))%len(k.descs)], i)
		txs = append(txs, scale.Transaction{Account: acct.ID, Date: scale.Date{Year: 2026, Month: time.March, Day: 31}.AddDays(-i),
			Amount: scale.Money{Minor: -int64(500 + 37*i), Currency: "EUR"}, Description: desc, Merchant: desc,
			Label: scale.Label{Category: k.cat, Source: scale.SourceImport, Confidence: 1}})
	}
	if _, err := a.SDK.Accounts.AddTransactions(t.Context(), user, txs); err != nil {
		t.Fatal(err)
	}
}

type jobView struct {
	ID           string             `json:"id"`
	Status       string             `json:"status"`
	Progress     int                `json:"progress"`
	Attempts     int                `json:"attempts"`
	Metrics      map[string]float64 `json:"metrics"`
	Error        string             `json:"error"`
	ModelVersion string             `json:"model_version"`
	CreatedAt    time.Time          `json:"created_at"`
	StartedAt    *time.Time         `json:"started_at"`
	FinishedAt   *time.Time         `json:"finished_at"`
}

type modelsView struct {
	Items []struct {
		ID      string             `json:"id"`
		Version int                `json:"version"`
		Name    string             `json:"name"`
		JobID   string             `json:"job_id"`
		Metrics map[string]float64 `json:"metrics"`
		Active  bool               `json:"active"`
	} `json:"items"`
	Base *struct {
		Name       string   `json:"name"`
		Categories []string `json:"categories"`
	} `json:"base"`
}

func TestTrainingJobRunsToAnActiveModel(t *testing.T) {
	is := is.New(t)
	a := newTrainingServer(t, true)
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, _, b := a.call(t, "GET", "/api/v1/models", tok, "")
	is.Equal(st, 200)
	mv := decode[modelsView](t, b)
	is.Equal(len(mv.Items), 0)
	is.True(mv.Base != nil) // the shipped model serves alice
	is.True(mv.Base.Name != "" && len(mv.Base.Categories) > 0)

	seedLabelled(t, a, "alice", 64)
	st, _, b = a.call(t, "POST", "/api/v1/training/jobs", tok, "")
	is.Equal(st, 202)
	job := decode[jobView](t, b)
	is.Equal(job.Status, "queued")
	is.True(job.ID != "" && !job.CreatedAt.IsZero())

	seen := []string{job.Status}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains("completed failed cancelled", job.Status) {
		if time.Now().After(deadline) {
			t.Fatalf("job still %s after 60s", job.Status)
		}
		time.Sleep(20 * time.Millisecond)
		st, _, b = a.call(t, "GET", "/api/v1/training/jobs/"+job.ID, tok, "")
		is.Equal(st, 200)
		job = decode[jobView](t, b)
		is.True(job.Progress >= 0 && job.Progress <= 100)
		if seen[len(seen)-1] != job.Status {
			seen = append(seen, job.Status)
		}
	}
	is.Equal(seen[len(seen)-1], "completed") // the job ended well
	is.Equal(seen[0], "queued")
	for _, s := range seen[1 : len(seen)-1] {
		is.Equal(s, "running")
	}
	is.Equal(job.Error, "")
	is.Equal(job.Progress, 100)
	is.Equal(job.Attempts, 1)
	is.True(job.ModelVersion != "")
	is.True(job.StartedAt != nil && job.FinishedAt != nil)
	is.True(len(job.Metrics) > 0)

	st, _, b = a.call(t, "GET", "/api/v1/training/jobs?limit=5", tok, "")
	is.Equal(st, 200)
	list := decode[struct{ Items []jobView }](t, b)
	is.Equal(len(list.Items), 1)
	is.Equal(list.Items[0].ID, job.ID)

	st, _, b = a.call(t, "GET", "/api/v1/models", tok, "")
	is.Equal(st, 200)
	mv = decode[modelsView](t, b)
	is.Equal(len(mv.Items), 1)
	is.Equal(mv.Items[0].ID, job.ModelVersion)
	is.Equal(mv.Items[0].JobID, job.ID)
	is.Equal(mv.Items[0].Version, 1)
	is.Equal(mv.Items[0].Name, "v1")
	is.True(mv.Items[0].Active)
	is.True(mv.Base == nil) // no base model once a version is active

	st, _, b = a.call(t, "POST", "/api/v1/models/"+job.ModelVersion+"/activate", tok, "")
	is.Equal(st, 200)
	is.True(decode[struct{ Active bool }](t, b).Active)

	st, h, b := a.call(t, "POST", "/api/v1/training/jobs/"+job.ID+"/cancel", tok, "")
	is.Equal(problemOf(t, st, h, b, 409), training.CodeNotCancellable)

	// Another user sees none of it.
	bob := tokenFor(t, "bob", scale.RoleUser)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/training/jobs/" + job.ID},
		{"POST", "/api/v1/training/jobs/" + job.ID + "/cancel"},
		{"POST", "/api/v1/models/" + job.ModelVersion + "/activate"},
	} {
		st, h, b := a.call(t, c.method, c.path, bob, "")
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found") // another user's id
	}
	st, _, b = a.call(t, "GET", "/api/v1/training/jobs", bob, "")
	is.Equal(st, 200)
	is.Equal(len(decode[struct{ Items []jobView }](t, b).Items), 0)
	st, _, b = a.call(t, "GET", "/api/v1/models", bob, "")
	is.Equal(st, 200)
	is.Equal(len(decode[modelsView](t, b).Items), 0)
}

func TestTrainingNeedsEnoughLabels(t *testing.T) {
	is := is.New(t)
	a := newTrainingServer(t, true)
	tok := tokenFor(t, "alice", scale.RoleUser)
	seedLabelled(t, a, "alice", 10)
	st, h, b := a.call(t, "POST", "/api/v1/training/jobs", tok, `{"force":true}`)
	is.Equal(problemOf(t, st, h, b, 409), training.CodeNotEnoughLabels)
	detail := decode[struct{ Detail string }](t, b).Detail
	is.True(strings.Contains(detail, "50")) // the detail says how many are needed

	st, h, b = a.call(t, "POST", "/api/v1/training/jobs", tok, `{"force":"yes"}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	st, h, b = a.call(t, "GET", "/api/v1/training/jobs?limit=0", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(strings.Contains(string(b), "query.limit"))
}

func TestCancelQueuedTrainingJob(t *testing.T) {
	is := is.New(t)
	a := newTrainingServer(t, false) // nothing runs: the job stays queued
	tok := tokenFor(t, "alice", scale.RoleUser)
	seedLabelled(t, a, "alice", 64)
	st, _, b := a.call(t, "POST", "/api/v1/training/jobs", tok, `{"force":false}`)
	is.Equal(st, 202)
	job := decode[jobView](t, b)

	st, h, b := a.call(t, "POST", "/api/v1/training/jobs", tok, "")
	is.Equal(problemOf(t, st, h, b, 409), training.CodeInProgress)

	st, h, b = a.call(t, "POST", "/api/v1/training/jobs/"+job.ID+"/cancel", tokenFor(t, "bob", scale.RoleUser), "")
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")

	st, _, b = a.call(t, "POST", "/api/v1/training/jobs/"+job.ID+"/cancel", tok, "")
	is.Equal(st, 200)
	got := decode[jobView](t, b)
	is.Equal(got.Status, "cancelled")
	is.True(got.FinishedAt != nil)
}

func TestTrainingUnavailableWithoutTrainer(t *testing.T) {
	is := is.New(t)
	store, q := memory.NewStore(), memory.NewQueue(memory.QueueConfig{})
	s, err := sdk.New(sdk.Ports{Statements: statements.New(), Store: store, Queue: q, Clock: ports.SystemClock{}, Model: memory.NewKeywordModel(nil)}, sdk.Options{})
	is.NoErr(err)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	h, _ := httpapi.Handler(s, httpapi.Options{Auth: v})
	a := &apiServer{Server: httptest.NewServer(h), SDK: s}
	t.Cleanup(a.Close)
	tok := tokenFor(t, "alice", scale.RoleUser)
	for _, c := range []struct{ method, path string }{
		{"POST", "/api/v1/training/jobs"},
		{"GET", "/api/v1/training/jobs"},
		{"GET", "/api/v1/training/jobs/0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"},
		{"POST", "/api/v1/training/jobs/0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90/cancel"},
		{"POST", "/api/v1/models/0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91/activate"},
	} {
		st, h, b := a.call(t, c.method, c.path, tok, "")
		is.Equal(problemOf(t, st, h, b, 503), httpapi.CodeTrainingUnavailable)
	}
	st, _, b := a.call(t, "GET", "/api/v1/models", tok, "")
	is.Equal(st, 200)
	is.True(decode[modelsView](t, b).Base != nil) // the base model still serves
}
