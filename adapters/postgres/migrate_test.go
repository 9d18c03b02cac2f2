package postgres_test

import (
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/migrations"
)

func TestMigrationsRoundTrip(t *testing.T) {
	is := is.New(t)
	ctx := t.Context()
	url := pgtest.NewDatabase(t)
	files, err := migrations.FS.ReadDir(".")
	is.NoErr(err)
	var sqlFiles int
	for _, f := range files {
		if len(f.Name()) > 4 && f.Name()[len(f.Name())-4:] == ".sql" {
			sqlFiles++
		}
	}

	pending, err := postgres.PendingMigrations(ctx, url)
	is.NoErr(err)
	is.Equal(len(pending), 0) // the template is fully migrated

	down, err := postgres.Migrate(ctx, url, postgres.DownAll)
	is.NoErr(err)
	is.Equal(len(down), sqlFiles) // every migration has a Down that runs
	pending, err = postgres.PendingMigrations(ctx, url)
	is.NoErr(err)
	is.Equal(len(pending), sqlFiles)
	is.Equal(pending[0], "00001_profiles_accounts.sql")
	is.Equal(countTables(t, url), 1) // only goose's version table is left

	is.NoErr(postgres.MigrateUp(ctx, url))
	is.NoErr(postgres.MigrateDown(ctx, url))
	st, err := postgres.MigrationStatus(ctx, url)
	is.NoErr(err)
	is.Equal(len(st), sqlFiles)
	is.True(st[0].Applied)
	is.True(!st[len(st)-1].Applied)
	is.NoErr(postgres.MigrateUp(ctx, url))
	again, err := postgres.Migrate(ctx, url, postgres.Up)
	is.NoErr(err)
	is.Equal(len(again), 0) // up to date: a no-op

	s := pgtest.NewStore(t)
	n, err := s.Pending(ctx)
	is.NoErr(err)
	is.Equal(n, 0)
}

func countTables(t *testing.T, url string) int {
	t.Helper()
	var n int
	conn := connect(t, url)
	if err := conn.QueryRow(t.Context(),
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
