package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/scalehq/scale/migrations"
	"github.com/scalehq/scale/scale"
)

// Direction says which way Migrate moves the schema.
type Direction int

// The migration directions.
const (
	// Up applies every pending migration.
	Up Direction = iota
	// Down rolls back the most recently applied migration.
	Down
	// DownAll rolls back every migration.
	DownAll
)

// MigrationState is where one migration file stands in a database.
type MigrationState struct {
	// Version is the file's number (1 for 00001_*.sql).
	Version int64 `json:"version"`
	// Name is the file name.
	Name string `json:"name"`
	// Applied reports whether the database has it.
	Applied bool `json:"applied"`
	// AppliedAt is when it was applied; zero when pending.
	AppliedAt time.Time `json:"applied_at,omitzero"`
}

// MigrationResult reports one migration that ran.
type MigrationResult struct {
	// Name is the migration's file name.
	Name string `json:"name"`
	// Direction is "up" or "down".
	Direction string `json:"direction"`
	// Duration is how long it ran.
	Duration time.Duration `json:"duration"`
}

// migrationLockID is the advisory lock every migrating process takes, so
// that two servers starting at once never migrate concurrently. It is
// goose's default id, shared with the goose command-line tool.
const migrationLockID = lock.DefaultLockID

// Migrate moves the schema of the database at url in direction d under an
// advisory session lock, returning the migrations that ran.
func Migrate(ctx context.Context, url string, d Direction) ([]MigrationResult, error) {
	var out []MigrationResult
	err := withProvider(ctx, url, true, func(p *goose.Provider) error {
		var rs []*goose.MigrationResult
		var err error
		switch d {
		case Up:
			rs, err = p.Up(ctx)
		case Down:
			var r *goose.MigrationResult
			r, err = p.Down(ctx)
			if r != nil {
				rs = append(rs, r)
			}
			if errors.Is(err, goose.ErrNoNextVersion) {
				err = nil
			}
		case DownAll:
			rs, err = p.DownTo(ctx, 0)
		default:
			return scale.Invalid(scale.CodeInvalid, "unknown migration direction %d", d)
		}
		for _, r := range rs {
			out = append(out, MigrationResult{Name: r.Source.Path, Direction: r.Direction, Duration: r.Duration})
		}
		return err
	})
	return out, err
}

// MigrateUp applies every pending migration to the database at url.
func MigrateUp(ctx context.Context, url string) error {
	_, err := Migrate(ctx, url, Up)
	return err
}

// MigrateDown rolls back the most recently applied migration of the
// database at url.
func MigrateDown(ctx context.Context, url string) error {
	_, err := Migrate(ctx, url, Down)
	return err
}

// MigrationStatus lists every known migration, oldest first, and whether
// the database at url has applied it.
func MigrationStatus(ctx context.Context, url string) ([]MigrationState, error) {
	var out []MigrationState
	err := withProvider(ctx, url, false, func(p *goose.Provider) error {
		var err error
		out, err = statusOf(ctx, p)
		return err
	})
	return out, err
}

// PendingMigrations returns the names of the migrations the database at url
// has not applied, oldest first. A server refuses to start while it is not
// empty (unless told to migrate).
func PendingMigrations(ctx context.Context, url string) ([]string, error) {
	st, err := MigrationStatus(ctx, url)
	if err != nil {
		return nil, err
	}
	return pendingNames(st), nil
}

func pendingNames(st []MigrationState) []string {
	var names []string
	for _, m := range st {
		if !m.Applied {
			names = append(names, m.Name)
		}
	}
	return names
}

func pendingOnPool(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := newProvider(db, false)
	if err != nil {
		return nil, err
	}
	st, err := statusOf(ctx, p)
	if err != nil {
		return nil, err
	}
	return pendingNames(st), nil
}

func statusOf(ctx context.Context, p *goose.Provider) ([]MigrationState, error) {
	ss, err := p.Status(ctx)
	if err != nil {
		return nil, migrationError(err)
	}
	out := make([]MigrationState, 0, len(ss))
	for _, s := range ss {
		out = append(out, MigrationState{
			Version: s.Source.Version, Name: s.Source.Path,
			Applied: s.State == goose.StateApplied, AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

func newProvider(db *sql.DB, locked bool) (*goose.Provider, error) {
	var opts []goose.ProviderOption
	if locked {
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
		if err != nil {
			return nil, scale.Internal(err, scale.CodeInternal)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, opts...)
	if err != nil {
		return nil, scale.Internal(err, scale.CodeInternal)
	}
	return p, nil
}

// withProvider opens a database/sql handle on url for goose (which needs
// one) and runs fn with a provider on it.
func withProvider(ctx context.Context, url string, locked bool, fn func(*goose.Provider) error) error {
	pc, err := poolConfig(Config{URL: url, MaxConns: 2})
	if err != nil {
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return mapError(err, "database")
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := newProvider(db, locked)
	if err != nil {
		return err
	}
	return migrationError(fn(p))
}

// migrationError keeps the kind of database errors and names the failing
// migration for the operator; SQL errors of a migration are internal.
func migrationError(err error) error {
	if err == nil {
		return nil
	}
	var pe *goose.PartialError
	if errors.As(err, &pe) && pe.Failed != nil {
		return scale.Wrap(err, scale.KindInternal, "database.migration_failed",
			fmt.Sprintf("migration %s failed", pe.Failed.Source.Path))
	}
	return mapError(err, "migration")
}
