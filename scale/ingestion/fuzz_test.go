package ingestion

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/scalehq/scale/scale"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxRows: 2000, MaxRecordBytes: 8 << 10, MaxWorkbookBytes: 1 << 20,
	MaxUncompressedBytes: 4 << 20, MaxCells: 100_000, HeaderScanRows: 30}

// checkParse asserts the invariants every parse keeps, whatever the input:
// no panic, errors are *scale.Error of a client kind, and every OK record
// is a real transaction row.
func checkParse(t *testing.T, data []byte, opt Options) {
	t.Helper()
	opt.Limits = fuzzLimits
	_, recs, err := readAll(bytes.NewReader(data), opt)
	if err != nil {
		if k := scale.KindOf(err); k != scale.KindInvalid && k != scale.KindTooLarge {
			t.Fatalf("error of kind %v: %v", k, err)
		}
	}
	for _, r := range recs {
		switch r.Status {
		case RecordOK:
			if !r.Date.Valid() || r.Amount == 0 {
				t.Fatalf("OK record with date %v amount %d", r.Date, r.Amount)
			}
			if len([]rune(r.Description)) > scale.MaxDescriptionLen || len([]rune(r.Counterparty)) > scale.MaxMerchantLen {
				t.Fatalf("field too long")
			}
		case RecordSkipped, RecordRejected:
			if r.Reason == "" {
				t.Fatalf("record without a reason")
			}
		}
	}
}

func addSamples(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "statements", pattern))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	addSamples(f, "*.csv")
	addSamples(f, "*.tsv")
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, Options{}) })
}

func FuzzParseOFX(f *testing.F) {
	addSamples(f, "*.ofx")
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, Options{}) })
}

func FuzzParseXLSX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, Options{Password: "s3cret"}) })
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"-12,50", "1.234,56", "1,16,890.00", "+ £1,100.00", "INR 299.00", "(5.00)", "12.50-", "7.80 CR", "Rs.100", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		v, empty, err := ParseAmount(s, comma)
		if err != nil {
			if scale.KindOf(err) != scale.KindInvalid {
				t.Fatalf("kind %v", scale.KindOf(err))
			}
			return
		}
		if empty && v != 0 {
			t.Fatalf("empty with value %d", v)
		}
		// The canonical rendering of a parsed amount parses back to it.
		back, _, err := ParseAmount(scale.FormatDecimal(v, AmountScale), false)
		if err != nil || back != v {
			t.Fatalf("round trip %d -> %q -> %d, %v", v, scale.FormatDecimal(v, AmountScale), back, err)
		}
		InferDecimalComma([]string{s})
		parseNumericCell(s)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "3/18/2016", "22.02.18", "12-Dec-2019", "7 Feb 2026, 17:13", "20260105", "46082", "Feb 7, 2026", "2018-02-25 12:34:56 +0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var di dateInference
		di.observe(s)
		_, _ = di.order()
		for _, o := range []DateOrder{DateOrderUnknown, DateOrderDMY, DateOrderMDY} {
			if d, ok := ParseDate(s, o); ok && !d.Valid() {
				t.Fatalf("%q parsed to invalid %v", s, d)
			}
		}
		ParseDateOrder(s)
	})
}
