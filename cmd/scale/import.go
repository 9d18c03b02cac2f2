package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/ingestion"
	"github.com/scalehq/scale/scale/sdk"
)

// importSummary is the outcome of one file, as printed with --json.
type importSummary struct {
	File       string             `json:"file"`
	ID         string             `json:"id,omitempty"`
	Status     string             `json:"status"`
	Replayed   bool               `json:"replayed,omitempty"`
	Counts     scale.ImportCounts `json:"counts"`
	Rejections []scale.Rejection  `json:"rejections"`
	Error      string             `json:"error,omitempty"`
	Seconds    float64            `json:"seconds"`
}

// importMemoryLimit is the soft memory limit of `scale import` when
// GOMEMLIMIT is not set.
const importMemoryLimit = 192 << 20

func runImport(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	user := fs.String("user", "", "the user who owns the rows (required)")
	account := fs.String("account", "", "account id; the user's default account when absent")
	passwordStdin := fs.Bool("password-stdin", false, "read the workbook password from the first line of stdin")
	dryRun := fs.Bool("dry-run", false, "parse and report without storing anything")
	profile := fs.String("profile", "", "a named column layout: "+strings.Join(ingestion.Profiles(), ", "))
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "usage: scale import --user ID [--account ID] [--password-stdin] [--dry-run] [--json] FILE...\n\n"+
			"Imports bank statements (CSV/TSV, XLSX, OFX/QFX) into SCALE_DATABASE_URL exactly as POST /api/v1/imports does.\n"+
			"Without SCALE_DATABASE_URL the rows are kept in memory only (useful with --dry-run to check a file).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("--user and at least one FILE are required")
	}
	c, err := loadConfig(e.Getenv)
	if err != nil {
		return err
	}
	if e.Getenv("GOMEMLIMIT") == "" {
		// An unsorted statement of millions of rows keeps one counter per
		// distinct row (ingestion's occurrence index); with the default GC
		// pacing the heap then grows to twice that. A soft limit makes the
		// collector work harder instead: a 200 MB file stays near 200 MB of
		// RSS (350 MB without), for about 5% more time. GOMEMLIMIT wins.
		debug.SetMemoryLimit(importMemoryLimit)
	}
	var password string
	if *passwordStdin {
		line, err := bufio.NewReader(e.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the password from stdin: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	engine, closeFn, err := cliEngine(ctx, c, e)
	if err != nil {
		return err
	}
	defer closeFn()

	var sums []importSummary
	failed := 0
	for _, path := range fs.Args() {
		s := importFile(ctx, e, engine, path, ingestion.Request{
			User: scale.UserID(*user), Account: scale.AccountID(*account), Password: password,
			Profile: *profile, DryRun: *dryRun,
		})
		if s.Error != "" {
			failed++
		}
		sums = append(sums, s)
		if !*asJSON {
			printSummary(e.Stdout, s)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sums); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed", failed, len(sums))
	}
	return nil
}

// cliEngine builds the SDK the CLI verbs run on: PostgreSQL when configured,
// memory otherwise, with the shipped model.
func cliEngine(ctx context.Context, c config, e *cliEnv) (*sdk.Scale, func(), error) {
	log := slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var store ports.Store = memory.NewStore()
	closeFn := func() {}
	if c.DatabaseURL != "" {
		pg, err := openPostgres(ctx, c, c.DatabaseURL, log)
		if err != nil {
			return nil, nil, err
		}
		store, closeFn = pg, pg.Close
	} else {
		fmt.Fprintln(e.Stderr, "note: SCALE_DATABASE_URL is not set; nothing is kept after this command")
	}
	q := memory.NewQueue(memory.QueueConfig{Logger: log})
	s, err := newEngine(c, store, q, log, sdk.Options{Limits: ingestion.Limits{MaxFileBytes: 10 << 30}})
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	return s, closeFn, nil
}

func importFile(ctx context.Context, e *cliEnv, engine *sdk.Scale, path string, req ingestion.Request) importSummary {
	start := time.Now()
	sum := importSummary{File: path, Status: "failed", Rejections: []scale.Rejection{}}
	f, err := os.Open(path)
	if err != nil {
		sum.Error = err.Error()
		return sum
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	req.FileName, req.Body = filepath.Base(path), f
	var records atomic.Int64
	req.Progress = func(n int) { records.Store(int64(n)) }
	stop := make(chan struct{})
	done := make(chan struct{})
	if e.IsTerminal {
		go drawProgress(e.Stderr, filepath.Base(path), estimateRows(f, size), &records, stop, done)
	} else {
		close(done)
	}
	res, err := engine.Import(ctx, req)
	close(stop)
	<-done
	sum.Seconds = time.Since(start).Seconds()
	if err != nil {
		sum.Error = scale.CodeOf(err) + ": " + messageOf(err)
		return sum
	}
	u := res.Upload
	sum.ID, sum.Status, sum.Replayed, sum.Counts, sum.Error = string(u.ID), string(u.Status), res.Replayed, u.Counts, u.Error
	if req.DryRun {
		sum.Status = "dry_run"
	}
	if u.Rejections != nil {
		sum.Rejections = u.Rejections
	}
	return sum
}

func messageOf(err error) string {
	var se *scale.Error
	if errors.As(err, &se) && se.Kind != scale.KindInternal {
		return se.Message
	}
	return err.Error()
}

func printSummary(w io.Writer, s importSummary) {
	if s.Error != "" && s.ID == "" {
		fmt.Fprintf(w, "%s: failed: %s\n", s.File, s.Error)
		return
	}
	note := ""
	if s.Replayed {
		note = " (already imported: earlier result)"
	}
	fmt.Fprintf(w, "%s: %s%s in %.1fs — inserted %d, duplicates %d, rejected %d, skipped %d\n",
		s.File, s.Status, note, s.Seconds, s.Counts.Inserted, s.Counts.Duplicates, s.Counts.Rejected, s.Counts.Skipped)
	for i, r := range s.Rejections {
		if i == 20 {
			fmt.Fprintf(w, "  … %d more rejected lines (use --json for all)\n", len(s.Rejections)-20)
			break
		}
		fmt.Fprintf(w, "  line %d: %s\n", r.Line, r.Reason)
	}
}

// estimateRows guesses a file's row count from the line length of its first
// 64 KiB, for the progress bar (0 when it cannot tell, e.g. a workbook).
func estimateRows(f *os.File, size int64) int64 {
	buf := make([]byte, 64<<10)
	n, _ := f.ReadAt(buf, 0)
	lines := int64(strings.Count(string(buf[:n]), "\n"))
	if lines == 0 || n == 0 {
		return 0
	}
	return size * lines / int64(n)
}

// drawProgress redraws one line on the terminal: rows parsed against the
// estimated total, rate and elapsed time.
func drawProgress(w io.Writer, name string, total int64, records *atomic.Int64, stop, done chan struct{}) {
	defer close(done)
	start := time.Now()
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	draw := func(final bool) {
		frac := 1.0
		if !final {
			frac = 0
			if total > 0 {
				frac = min(0.99, float64(records.Load())/float64(total))
			}
		}
		const width = 30
		bar := strings.Repeat("█", int(frac*width)) + strings.Repeat("░", width-int(frac*width))
		el := time.Since(start).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(records.Load()) / el
		}
		fmt.Fprintf(w, "\r%-24.24s %s %5.1f%%  %d rows  %.0f rows/s  %.1fs ", name, bar, frac*100, records.Load(), rate, el)
	}
	for {
		select {
		case <-stop:
			draw(true)
			fmt.Fprintln(w)
			return
		case <-tick.C:
			draw(false)
		}
	}
}
