package ingestion_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/ingestion"
)

// discardStore stores nothing: it isolates the ingestion path's memory
// from the store's (the memory adapter keeps every row by design).
type discardStore struct {
	*memory.Store
	rows atomic.Int64
}

func (s *discardStore) BeginImport(ctx context.Context, u scale.UserID, _ ports.ImportOptions) (ports.ImportTx, error) {
	return &discardTx{s: s}, nil
}

type discardTx struct{ s *discardStore }

func (x *discardTx) Insert(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	x.s.rows.Add(int64(len(txs)))
	res := ports.InsertResult{Inserted: make([]int, len(txs))}
	for i := range txs {
		res.Inserted[i] = i
	}
	return res, nil
}

func (x *discardTx) Commit(ctx context.Context, up scale.Upload) error {
	return x.s.UpdateUpload(ctx, up)
}

func (x *discardTx) Rollback(ctx context.Context) error { return nil }

// writeBigStatement writes about size bytes of a realistic CSV statement,
// in date order (or not, with SCALE_INGESTION_UNSORTED set).
func writeBigStatement(path string, size int64) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "Date,Description,Amount,Currency,Balance")
	var n int64
	rows := 0
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for n < size {
		if os.Getenv("SCALE_INGESTION_UNSORTED") != "" {
			day = time.Date(2025, time.Month(rows/28%12+1), rows%28+1, 0, 0, 0, 0, time.UTC)
		} else if rows%1000 == 999 {
			day = day.AddDate(0, 0, 1) // a statement in date order, 1,000 rows a day
		}
		k, _ := fmt.Fprintf(w, "%s,\"CARD PAYMENT %09d SHOP %d LONDON\",-%d.%02d,EUR,%d.00\n",
			day.Format(time.DateOnly), rows, rows%977, rows%900+1, rows%100, rows%100000)
		n += int64(k)
		rows++
	}
	return rows, w.Flush()
}

// TestStreamingMemory imports a generated CSV of SCALE_INGESTION_BIG_MB
// megabytes (skipped unless set) through the service with a store that
// discards rows, and reports the peak heap and the process's peak RSS.
// Run: go test -c -o /tmp/ing.test ./scale/ingestion &&
// SCALE_INGESTION_BIG_MB=200 /usr/bin/time -v /tmp/ing.test -test.run TestStreamingMemory -test.v
func TestStreamingMemory(t *testing.T) {
	mb, _ := strconv.Atoi(os.Getenv("SCALE_INGESTION_BIG_MB"))
	if mb <= 0 {
		t.Skip("set SCALE_INGESTION_BIG_MB to run")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "big.csv")
	rows, err := writeBigStatement(path, int64(mb)<<20)
	if err != nil {
		t.Fatal(err)
	}
	st := &discardStore{Store: memory.NewStore()}
	svc, err := ingestion.New(ingestion.Deps{Transactions: st, Uploads: st, Accounts: st, TempDir: dir, Decoders: statements.New(),
		Limits: ingestion.Limits{MaxFileBytes: int64(mb+16) << 20}})
	if err != nil {
		t.Fatal(err)
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	res, err := svc.Import(context.Background(), ingestion.Request{User: "u", FileName: "big.csv", Body: f})
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	if res.Upload.Counts.Inserted != rows {
		t.Fatalf("inserted %d of %d rows", res.Upload.Counts.Inserted, rows)
	}
	t.Logf("%d MiB, %d rows in %v (%.0f rows/s); peak heap in use %d MiB; %s", mb, rows, el.Round(time.Millisecond),
		float64(rows)/el.Seconds(), peak.Load()>>20, vmHWM())
}

// vmHWM reads the process's peak resident set size from /proc.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "VmHWM unavailable"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return "peak RSS " + strings.Join(strings.Fields(l)[1:], " ")
		}
	}
	return "VmHWM unavailable"
}

// BenchmarkImportCSV runs the whole service path (spool, hash, two parse
// passes, normalize, fingerprint, batch insert) on a generated 100k-row CSV
// with a store that discards rows; it reports rows/s.
func BenchmarkImportCSV(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "bench.csv")
	rows, err := writeBigStatement(path, 8<<20)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		st := &discardStore{Store: memory.NewStore()}
		svc, err := ingestion.New(ingestion.Deps{Transactions: st, Uploads: st, Accounts: st, TempDir: dir, Decoders: statements.New()})
		if err != nil {
			b.Fatal(err)
		}
		res, err := svc.Import(context.Background(), ingestion.Request{User: "u", Body: strings.NewReader(string(data))})
		if err != nil || res.Upload.Counts.Inserted != rows {
			b.Fatalf("%v %+v", err, res.Upload.Counts)
		}
		total += rows
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}
