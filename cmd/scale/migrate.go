package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/scalehq/scale/adapters/postgres"
)

// migrateDatabaseURLVar names the variable holding the PostgreSQL URL.
const migrateDatabaseURLVar = "SCALE_DATABASE_URL"

// migrateDatabaseURL returns SCALE_DATABASE_URL or an error saying how to set it.
func migrateDatabaseURL(e *cliEnv) (string, error) {
	u := e.Getenv(migrateDatabaseURLVar)
	if u == "" {
		return "", fmt.Errorf("%s is not set: export %s=postgres://user:password@host:5432/dbname?sslmode=disable",
			migrateDatabaseURLVar, migrateDatabaseURLVar)
	}
	return u, nil
}

// runMigrate implements `scale migrate up|down|status`: it applies every
// pending migration, rolls back the latest one, or lists where each
// migration stands, on the database at SCALE_DATABASE_URL.
func runMigrate(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "usage: scale migrate up|down|status\n\n"+
			"  up      apply every pending migration\n"+
			"  down    roll back the most recently applied migration\n"+
			"  status  list the migrations and whether each is applied\n\n"+
			"The database is "+migrateDatabaseURLVar+".")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("say up, down or status")
	}
	url, err := migrateDatabaseURL(e)
	if err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "up":
		return migrateApply(ctx, e, url, postgres.Up)
	case "down":
		return migrateApply(ctx, e, url, postgres.Down)
	case "status":
		return migrateStatus(ctx, e, url)
	}
	fs.Usage()
	return fmt.Errorf("unknown migrate action %q", fs.Arg(0))
}

func migrateApply(ctx context.Context, e *cliEnv, url string, d postgres.Direction) error {
	rs, err := postgres.Migrate(ctx, url, d)
	for _, r := range rs {
		fmt.Fprintf(e.Stdout, "%-4s %s (%s)\n", r.Direction, r.Name, r.Duration.Round(time.Millisecond))
	}
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		fmt.Fprintln(e.Stdout, "nothing to do: the database is up to date")
	}
	return nil
}

func migrateStatus(ctx context.Context, e *cliEnv, url string) error {
	st, err := postgres.MigrationStatus(ctx, url)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tMIGRATION\tSTATE\tAPPLIED AT")
	pending := 0
	for _, m := range st {
		state, at := "applied", m.AppliedAt.UTC().Format(time.RFC3339)
		if !m.Applied {
			state, at = "pending", "-"
			pending++
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", m.Version, m.Name, state, at)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if pending > 0 {
		fmt.Fprintf(e.Stdout, "\n%d pending: run `scale migrate up`\n", pending)
	}
	return nil
}
