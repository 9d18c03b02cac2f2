package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scalehq/scale/adapters/postgres"
)

// runDoctor implements `scale doctor`: it checks the database at
// SCALE_DATABASE_URL (cache hit ratio, sequential vs index scans, unused
// indexes, dead rows and autovacuum, pending migrations, slowest
// statements) and prints a report, or JSON with --json.
func runDoctor(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	url, err := migrateDatabaseURL(e)
	if err != nil {
		return err
	}
	s, err := postgres.Open(ctx, postgres.Config{URL: url, MaxConns: 2, ApplicationName: "scale doctor"})
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Diagnose(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return printDoctorReport(e.Stdout, r)
}

func printDoctorReport(out io.Writer, r postgres.Report) error {
	fmt.Fprintf(out, "database %s (PostgreSQL %s), %s\n\n", r.Database, r.ServerVersion, r.GeneratedAt.Format(time.RFC3339))
	fmt.Fprintf(out, "cache hit ratio  %.4f\n", r.CacheHitRatio)
	if len(r.PendingMigrations) == 0 {
		fmt.Fprintln(out, "migrations       up to date")
	} else {
		fmt.Fprintf(out, "migrations       %d pending: %s\n", len(r.PendingMigrations), strings.Join(r.PendingMigrations, ", "))
	}

	fmt.Fprintln(out, "\ntables")
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "TABLE\tSIZE\tLIVE\tDEAD\tSEQ SCANS\tINDEX SCANS\tLAST AUTOVACUUM\t")
	for _, t := range r.Tables {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t\n", t.Name, doctorBytes(t.SizeBytes), t.LiveTuples, t.DeadTuples,
			t.SeqScans, t.IndexScans, doctorTime(t.LastAutovacuum))
	}
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(out, "\nunused indexes (never scanned since statistics were reset)")
	if len(r.UnusedIndexes) == 0 {
		fmt.Fprintln(out, "  none")
	}
	for _, ix := range r.UnusedIndexes {
		fmt.Fprintf(out, "  %s on %s (%s)\n", ix.Name, ix.Table, doctorBytes(ix.SizeBytes))
	}

	fmt.Fprintln(out, "\nslowest statements (pg_stat_statements)")
	if !r.Statements.Available {
		fmt.Fprintf(out, "  not available: %s\n", r.Statements.Note)
	}
	for _, st := range r.Statements.Slowest {
		fmt.Fprintf(out, "  %9.2f ms mean  %8d calls  %s\n", st.MeanMs, st.Calls, doctorOneLine(st.Query, 100))
	}

	fmt.Fprintln(out, "\nadvice")
	if len(r.Advice) == 0 {
		fmt.Fprintln(out, "  nothing to report")
	}
	for _, a := range r.Advice {
		fmt.Fprintf(out, "  - %s\n", a)
	}
	return nil
}

func doctorTime(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

func doctorBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func doctorOneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max-1] + "…"
	}
	return s
}
