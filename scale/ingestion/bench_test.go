package ingestion

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/scalehq/scale/adapters/statements"
)

// writeStatement writes a realistic semicolon-separated, decimal-comma
// statement of n rows (about 95 bytes a row) to w.
func writeStatement(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, `"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";"Beguenstigter/Zahlungspflichtiger";"Betrag";"Waehrung"`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "\"%02d.%02d.2025\";\"%02d.%02d.2025\";\"KARTENZAHLUNG\";\"REF %09d Filiale %d\";\"Händler %d\";\"-%d,%02d\";\"EUR\"\n",
			i%28+1, i/28%12+1, i%28+1, i/28%12+1, i, i%97, i%5000, i%900+1, i%100)
	}
	return bw.Flush()
}

// BenchmarkParseCSV parses a generated 100k-row CSV; it reports rows/s.
func BenchmarkParseCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := writeStatement(&buf, 100_000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := Open(bytes.NewReader(data), Options{Decoders: statements.New()})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || rec.Status != RecordOK {
				b.Fatalf("%v %v", err, rec.Reason)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
