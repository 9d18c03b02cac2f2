package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
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
)

const secret = "api-client-example-secret-api-client-example"

const statement = `Date,Description,Amount,Currency
2026-03-01,CARD PAYMENT STARBUCKS BERLIN,-4.50,EUR
2026-03-02,ACME GMBH SALARY MARCH,3500.00,EUR
2026-03-03,UBER *TRIP,-18.90,EUR
2026-02-30,BROKEN DATE ROW,-1.00,EUR
`

// server starts the reference handler over memory adapters and returns its
// URL and a token for alice.
func server(t *testing.T) (string, string) {
	t.Helper()
	model, err := hypcd.LoadFS(models.Default, "default")
	if err != nil {
		t.Fatal(err)
	}
	store, q := memory.NewStore(), memory.NewQueue(memory.QueueConfig{})
	s, err := sdk.New(sdk.Ports{Statements: statements.New(), Store: store, Queue: q, Clock: ports.SystemClock{}, Model: model}, sdk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.RegisterJobs(q)
	q.Start()
	auth, err := jwtauth.New(jwtauth.Config{Secret: []byte(secret)})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := httpapi.Handler(s, httpapi.Options{Auth: auth})
	srv := httptest.NewServer(h)
	tok, err := jwtauth.Issue([]byte(secret), "alice", scale.RoleUser, "", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		_ = q.Stop(t.Context())
	})
	return srv.URL, tok
}

func TestExampleImportsAndLists(t *testing.T) {
	is := is.New(t)
	url, tok := server(t)
	file := filepath.Join(t.TempDir(), "march.csv")
	is.NoErr(os.WriteFile(file, []byte(statement), 0o600))

	var out bytes.Buffer
	is.NoErr(run(t.Context(), []string{"-url", url, "-token", tok, "-limit", "2", file}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	is.True(strings.HasPrefix(lines[0], "imported march.csv (csv) into account "))
	is.Equal(lines[1], "3 new, 0 duplicates, 1 rejected, 0 skipped")
	is.True(strings.HasPrefix(lines[2], "  line 5: "))
	is.Equal(lines[3], "")
	is.True(strings.HasPrefix(lines[4], "DATE"))
	is.True(strings.HasPrefix(lines[5], "2026-03-03  -18.90   EUR"))
	is.True(strings.HasSuffix(lines[5], "UBER *TRIP"))
	is.True(strings.HasPrefix(lines[6], "2026-03-02  3500.00  EUR"))
	is.Equal(lines[7], "… more on the next page")
	is.Equal(len(lines), 8)

	out.Reset()
	is.NoErr(run(t.Context(), []string{"-url", url, "-token", tok, file}, &out))
	is.True(strings.Contains(out.String(), "was imported before"))
	is.True(strings.Contains(out.String(), "that import: 3 new, 0 duplicates"))
	is.True(!strings.Contains(out.String(), "more on the next page"))

	out.Reset()
	is.NoErr(run(t.Context(), []string{"-url", url, "-token", tok, "-dry-run", file}, &out))
	is.True(strings.HasPrefix(out.String(), "dry run of march.csv (csv): nothing stored"))
}

func TestExampleErrors(t *testing.T) {
	is := is.New(t)
	url, tok := server(t)
	file := filepath.Join(t.TempDir(), "march.csv")
	is.NoErr(os.WriteFile(file, []byte(statement), 0o600))
	var out bytes.Buffer

	err := run(t.Context(), []string{"-url", url, "-token", tok}, &out)
	is.True(strings.Contains(err.Error(), "usage"))
	err = run(t.Context(), []string{"-url", url, "-token", "nope", file}, &out)
	is.True(strings.Contains(err.Error(), "401"))
	err = run(t.Context(), []string{"-url", url, "-token", tok, "-account", "0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b", file}, &out)
	is.True(strings.Contains(err.Error(), "resource.not_found"))
	err = run(t.Context(), []string{"-url", url, "-token", tok, filepath.Join(t.TempDir(), "missing.csv")}, &out)
	is.True(os.IsNotExist(err))
}
