package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scalehq/scale/adapters/postgres"
)

// EnvVar names the environment variable holding the server's URL.
const EnvVar = "SCALE_TEST_POSTGRES_URL"

// prefix starts the name of every database this package creates.
const prefix = "scale_test_"

// staleAfter is how old a leftover database must be before it is swept.
const staleAfter = time.Hour

var template struct {
	sync.Mutex
	name string
	err  error
}

// AdminURL returns the server URL from SCALE_TEST_POSTGRES_URL, or skips t
// with a message saying how to enable the test.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" {
		t.Skipf("PostgreSQL tests are off: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) to run them", EnvVar)
	}
	return u
}

// NewDatabase creates a fresh database with every migration applied and
// returns its URL. The database is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	tpl, err := ensureTemplate(admin)
	if err != nil {
		t.Fatalf("pgtest: template database: %v", err)
	}
	name := newName("db")
	ctx := context.Background()
	err = withRetry(func() error {
		return exec(ctx, admin, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, ident(name), ident(tpl)))
	})
	if err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(context.Background(), admin, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, ident(name))); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// NewStore opens a store on a fresh database (see NewDatabase); it is
// closed, then dropped, when t ends.
func NewStore(t testing.TB) *postgres.Store {
	t.Helper()
	dbURL := NewDatabase(t)
	s, err := postgres.Open(context.Background(), postgres.Config{URL: dbURL, MaxConns: 4})
	if err != nil {
		t.Fatalf("pgtest: open store: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Run runs the tests of m and then drops the template database this process
// made. Use it from TestMain: os.Exit(pgtest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	template.Lock()
	defer template.Unlock()
	if template.name != "" {
		_ = exec(context.Background(), os.Getenv(EnvVar), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, ident(template.name)))
		template.name, template.err = "", errors.New("pgtest: Run has finished")
	}
	return code
}

// ensureTemplate makes, once per process, a database migrated to the
// latest version for NewDatabase to copy.
func ensureTemplate(admin string) (string, error) {
	template.Lock()
	defer template.Unlock()
	if template.name != "" || template.err != nil {
		return template.name, template.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sweep(ctx, admin)
	name := newName("tpl")
	if err := exec(ctx, admin, fmt.Sprintf(`CREATE DATABASE %s`, ident(name))); err != nil {
		template.err = err
		return "", err
	}
	if err := postgres.MigrateUp(ctx, withDatabase(admin, name)); err != nil {
		_ = exec(ctx, admin, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, ident(name)))
		template.err = err
		return "", err
	}
	template.name = name
	return name, nil
}

// sweep drops databases of this package older than staleAfter that a killed
// test run left behind. Names carry their creation time.
func sweep(ctx context.Context, admin string) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'scale\_test\_%'`)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		if created, ok := createdAt(n); ok && time.Since(created) > staleAfter {
			_, _ = conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, ident(n)))
		}
	}
}

// newName returns scale_test_<kind>_<unix seconds>_<random>.
func newName(kind string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s%s_%d_%s", prefix, kind, time.Now().Unix(), hex.EncodeToString(b[:]))
}

func createdAt(name string) (time.Time, bool) {
	parts := strings.Split(strings.TrimPrefix(name, prefix), "_")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}

// withDatabase returns admin with its database replaced by name.
func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func exec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withRetry retries fn while the template is briefly in use by another
// connection (SQLSTATE 55006), which a concurrent copy can cause.
func withRetry(fn func() error) error {
	var err error
	for attempt := range 20 {
		if err = fn(); err == nil {
			return nil
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "55006" {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
	return err
}
