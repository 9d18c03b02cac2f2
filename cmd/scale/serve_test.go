package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

const testSecret = "test-secret-test-secret-test-secret-0123"

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testServer struct {
	base string
	logs *syncBuffer
	out  *syncBuffer
	stop func() error
}

// startServer runs the real fx application of `scale serve` on a free port.
func startServer(t *testing.T, env map[string]string) *testServer {
	t.Helper()
	logs, out := &syncBuffer{}, &syncBuffer{}
	getenv := func(k string) string { return env[k] }
	if _, ok := env["SCALE_ADDR"]; !ok {
		env["SCALE_ADDR"] = "127.0.0.1:0"
	}
	c, err := loadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	e := &cliEnv{Stdin: strings.NewReader(""), Stdout: logs, Stderr: out, Getenv: getenv}
	var l *listener
	app := serveAppWith(c, e, &l)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ts := &testServer{base: "http://" + l.Addr, logs: logs, out: out, stop: func() error { return stopApp(app, 10*time.Second) }}
	t.Cleanup(func() { _ = ts.stop() })
	return ts
}

func (ts *testServer) do(t *testing.T, method, path, token, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func token(t *testing.T, user string, ttl time.Duration) string {
	t.Helper()
	tok, err := jwtauth.Issue([]byte(testSecret), scale.UserID(user), scale.RoleUser, "", ttl, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type problemBody struct {
	Type     string `json:"type"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func wantProblem(t *testing.T, resp *http.Response, body []byte, status int, typ string) problemBody {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want application/problem+json; body %s", ct, body)
	}
	var p problemBody
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body %s: %v", body, err)
	}
	if p.Status != status || p.Type != httpapi.ProblemTypePrefix+typ {
		t.Fatalf("problem = %+v, want status %d type %s", p, status, typ)
	}
	return p
}

func TestServeEndToEnd(t *testing.T) {
	is := is.New(t)
	ts := startServer(t, map[string]string{"SCALE_JWT_SECRET": testSecret})
	alice := token(t, "alice", time.Hour)

	resp, body := ts.do(t, "GET", "/health", "", "")
	is.Equal(resp.StatusCode, 200)
	resp, body = ts.do(t, "GET", "/ready", "", "")
	is.Equal(resp.StatusCode, 200)
	is.True(strings.Contains(string(body), `"store"`))

	resp, body = ts.do(t, "GET", "/openapi.json", "", "")
	is.Equal(resp.StatusCode, 200)
	var spec struct {
		OpenAPI string `json:"openapi"`
	}
	is.NoErr(json.Unmarshal(body, &spec))
	is.Equal(spec.OpenAPI, "3.1.0")
	resp, _ = ts.do(t, "GET", "/openapi.yaml", "", "")
	is.Equal(resp.StatusCode, 200)

	resp, body = ts.do(t, "GET", "/docs/", "", "")
	is.Equal(resp.StatusCode, 200)
	is.True(strings.Contains(string(body), "swagger-ui"))
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(body), -1) {
		if strings.Contains(m[1], "//") {
			t.Errorf("docs page loads %s from elsewhere; every asset must be embedded", m[1])
		}
	}

	resp, body = ts.do(t, "GET", "/api/v1/profile", alice, "")
	is.Equal(resp.StatusCode, 200)
	is.Equal(resp.Header.Get("API-Version"), "1")
	is.True(strings.Contains(string(body), `"user_id":"alice"`))

	resp, body = ts.do(t, "GET", "/nope", "", "")
	wantProblem(t, resp, body, 404, "resource.not_found")
	resp, body = ts.do(t, "DELETE", "/health", "", "")
	p := wantProblem(t, resp, body, 405, "request.method_not_allowed")
	is.True(resp.Header.Get("Allow") != "")
	is.True(strings.HasPrefix(p.Instance, "urn:scale:request:"))
}

func TestServeAuthentication(t *testing.T) {
	is := is.New(t)
	ts := startServer(t, map[string]string{"SCALE_JWT_SECRET": testSecret})
	expired, err := jwtauth.Issue([]byte(testSecret), "alice", scale.RoleUser, "", -time.Hour, time.Now().Add(-2*time.Hour))
	is.NoErr(err)
	otherKey, err := jwtauth.Issue([]byte("another-secret-another-secret-another-0"), "alice", scale.RoleUser, "", time.Hour, time.Now())
	is.NoErr(err)
	enc := base64.RawURLEncoding.EncodeToString
	exp := time.Now().Add(time.Hour).Unix()
	none := enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(`{"sub":"alice","exp":`+itoa(exp)+`}`)) + "."
	valid := token(t, "alice", time.Hour)
	parts := strings.Split(valid, ".")
	forged := parts[0] + "." + enc([]byte(`{"sub":"mallory","exp":`+itoa(exp)+`,"role":"admin"}`)) + "." + parts[2]
	future, err := jwtauth.Issue([]byte(testSecret), "alice", scale.RoleUser, "", time.Hour, time.Now().Add(10*time.Minute))
	is.NoErr(err)

	for name, tok := range map[string]string{
		"missing": "", "expired": expired, "alg none": none, "other key": otherKey, "forged claims": forged,
		"garbage": "not.a.jwt", "not yet valid": future,
	} {
		resp, body := ts.do(t, "GET", "/api/v1/profile", tok, "")
		t.Log(name)
		p := wantProblem(t, resp, body, 401, "auth.unauthenticated")
		if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: no WWW-Authenticate header", name)
		}
		if strings.Contains(strings.ToLower(p.Detail), "signature") || strings.Contains(p.Detail, "expired:") {
			t.Errorf("%s: detail leaks the parser error: %q", name, p.Detail)
		}
	}
	resp, _ := ts.do(t, "GET", "/api/v1/profile", "", "", "Authorization", "Basic YWxpY2U6eA==")
	is.Equal(resp.StatusCode, 401)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestServeAccountsAndValidation(t *testing.T) {
	is := is.New(t)
	ts := startServer(t, map[string]string{"SCALE_JWT_SECRET": testSecret, "SCALE_MAX_BODY_BYTES": "4096"})
	alice, bob := token(t, "alice", time.Hour), token(t, "bob", time.Hour)

	resp, body := ts.do(t, "POST", "/api/v1/accounts", alice, `{"name":"Main","currency":"EUR","institution":"N26"}`)
	is.Equal(resp.StatusCode, 201)
	var acct struct{ ID, Name, Currency string }
	is.NoErr(json.Unmarshal(body, &acct))
	is.Equal(acct.Name, "Main")

	resp, body = ts.do(t, "GET", "/api/v1/accounts/"+acct.ID, bob, "")
	wantProblem(t, resp, body, 404, "resource.not_found") // another user's id is 404, never 403
	resp, body = ts.do(t, "PATCH", "/api/v1/accounts/"+acct.ID, bob, `{"name":"pwned"}`)
	wantProblem(t, resp, body, 404, "resource.not_found")
	resp, body = ts.do(t, "GET", "/api/v1/accounts/"+acct.ID, alice, "")
	is.Equal(resp.StatusCode, 200)
	is.True(strings.Contains(string(body), `"name":"Main"`))

	// Every bad field is listed.
	resp, body = ts.do(t, "POST", "/api/v1/accounts", alice, `{"name":"","kind":"piggy","currency":"EURO","extra":1}`)
	p := wantProblem(t, resp, body, 422, "request.invalid")
	is.True(len(p.Errors) >= 4)
	resp, body = ts.do(t, "POST", "/api/v1/accounts", alice, `{"name":"X","currency":"ZZZ"}`)
	p = wantProblem(t, resp, body, 422, "account.invalid")
	is.Equal(p.Errors[0].Location, "body.currency")
	resp, body = ts.do(t, "PATCH", "/api/v1/profile", alice, `{"currency":"XYZ","time_zone":"Mars/Olympus","locale":"!!"}`)
	p = wantProblem(t, resp, body, 422, "profile.invalid")
	is.Equal(len(p.Errors), 3)
	resp, body = ts.do(t, "POST", "/api/v1/accounts", alice, `{"name":`)
	wantProblem(t, resp, body, 400, "request.malformed")
	resp, body = ts.do(t, "POST", "/api/v1/accounts", alice, `{"name":"`+strings.Repeat("x", 5000)+`"}`)
	wantProblem(t, resp, body, 413, "request.too_large")

	resp, body = ts.do(t, "GET", "/api/v1/transactions?limit=0&from=2026-13-01&type=sideways&min_amount=abc", alice, "")
	p = wantProblem(t, resp, body, 422, "request.invalid")
	is.True(len(p.Errors) >= 3)
	resp, body = ts.do(t, "GET", "/api/v1/transactions", alice, "")
	is.Equal(resp.StatusCode, 200)
	is.True(strings.Contains(string(body), `"items":[]`))
}

func TestServeRequestIDAndAccessLog(t *testing.T) {
	is := is.New(t)
	ts := startServer(t, map[string]string{"SCALE_JWT_SECRET": testSecret})
	resp, _ := ts.do(t, "GET", "/api/v1/profile", token(t, "carol", time.Hour), "", "X-Request-ID", "client-req-42")
	is.Equal(resp.Header.Get("X-Request-ID"), "client-req-42")
	resp, _ = ts.do(t, "GET", "/health", "", "", "X-Request-ID", "bad id with spaces")
	is.True(scale.ValidID(resp.Header.Get("X-Request-ID")))

	var line map[string]any
	for _, l := range strings.Split(ts.logs.String(), "\n") {
		if strings.Contains(l, `"client-req-42"`) && strings.Contains(l, `"http request"`) {
			is.NoErr(json.Unmarshal([]byte(l), &line))
		}
	}
	is.True(line != nil)
	is.Equal(line["method"], "GET")
	is.Equal(line["route"], "GET /api/v1/profile")
	is.Equal(line["status"], float64(200))
	is.Equal(line["user_id"], "carol")
	is.True(line["bytes"].(float64) > 0)
	is.True(line["duration"] != nil)
}

func TestServeDevCredentialsAndShutdown(t *testing.T) {
	is := is.New(t)
	ts := startServer(t, map[string]string{})
	out := ts.out.String()
	is.True(strings.Contains(out, "curl -H 'Authorization: Bearer "))
	tok := strings.SplitN(strings.SplitN(out, "Bearer ", 2)[1], "'", 2)[0]
	resp, _ := ts.do(t, "GET", "/api/v1/profile", tok, "")
	is.Equal(resp.StatusCode, 200)

	is.NoErr(ts.stop())
	_, err := http.Get(ts.base + "/health")
	is.True(err != nil) // no longer accepting
}

func TestConfigRejectsBadValues(t *testing.T) {
	is := is.New(t)
	for name, v := range map[string]string{
		"SCALE_ADDR": "nope", "SCALE_ALLOWED_ORIGINS": "*", "SCALE_DATABASE_URL": "mysql://x",
		"SCALE_REDIS_ADDR": "redis", "SCALE_JWT_SECRET": "short", "SCALE_JWKS_URL": "ftp://x",
		"SCALE_LOG_LEVEL": "loud", "SCALE_MAX_BODY_BYTES": "-1", "SCALE_AUTO_MIGRATE": "maybe",
	} {
		_, err := loadConfig(func(k string) string {
			if k == name {
				return v
			}
			return ""
		})
		is.True(err != nil)
		is.True(strings.Contains(err.Error(), name))
	}
	c, err := loadConfig(func(string) string { return "" })
	is.NoErr(err)
	is.Equal(c.Addr, "127.0.0.1:8080")
	is.Equal(c.AllowedOrigins, []string(nil))
}

func TestTokenCommandPrintsOnlyAToken(t *testing.T) {
	is := is.New(t)
	var out, errb bytes.Buffer
	e := &cliEnv{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "SCALE_JWT_SECRET" {
			return testSecret
		}
		return ""
	}}
	is.Equal(run(context.Background(), e, []string{"token", "--user", "dave", "--role", "admin", "--ttl", "5m"}), 0)
	tok := strings.TrimSpace(out.String())
	is.Equal(strings.Count(tok, "."), 2)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	p, err := v.Authenticate(context.Background(), tok)
	is.NoErr(err)
	is.Equal(p, scale.Principal{User: "dave", Role: scale.RoleAdmin})
	is.Equal(run(context.Background(), e, []string{"token"}), 1)
}

func TestOpenAPIIsCommitted(t *testing.T) {
	want, err := httpapi.SpecYAML()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/openapi.yaml is out of date: run `make openapi` and commit it")
	}
}
