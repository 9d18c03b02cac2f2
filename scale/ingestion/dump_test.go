package ingestion

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func readRecords(path string, opt Options) (Reader, []Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r, err := Open(f, opt)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var recs []Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r, recs, nil
		}
		if err != nil {
			return r, recs, err
		}
		recs = append(recs, rec)
	}
}

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob("testdata/statements/" + os.Getenv("DUMP"))
	for _, f := range files {
		var opt Options
		if p := os.Getenv("PROFILE"); p != "" {
			m, _ := LookupProfile(p)
			opt.Mapping = &m
		}
		r, recs, err := readRecords(f, opt)
		t.Logf("== %s err=%v", f, err)
		if r != nil {
			t.Logf("format=%s cur=%s", r.Format(), r.Currency())
		}
		for _, rec := range recs {
			t.Logf("%d st=%d %q %s %d %s desc=%q cp=%q ref=%q cat=%q", rec.Line, rec.Status, rec.Reason, rec.Date, rec.Amount, rec.Currency, rec.Description, rec.Counterparty, rec.Reference, rec.Category)
		}
	}
}
