package httpapi_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalehq/scale/scale"
)

// acceptanceTruth is what one file of testdata/acceptance must give:
// written by hand from the file (not from this code's output) when the
// corpus was made — real bank layouts (statement-formats.md) with their
// quirks, and hostile files.
type acceptanceTruth struct {
	// Status is the HTTP status of the import, or "4xx" for any client
	// error (a file that is refused as a whole).
	Status        any    `json:"status"`
	Inserted      int    `json:"inserted"`
	Duplicates    int    `json:"duplicates"`
	Skipped       int    `json:"skipped"`
	RejectedLines []int  `json:"rejected_lines"`
	SumHundredths int64  `json:"sum_hundredths"` // of the stored amounts, in hundredths of the major unit
	SameUserAs    string `json:"same_user_as"`   // imported by the user of that earlier file (overlaps)
	Profile       string `json:"profile"`        // sent as the import's profile (headerless layouts, card exports)
}

// TestAcceptanceCorpus imports every statement of testdata/acceptance
// through POST /api/v1/imports and checks, per file, the counts, the
// rejected line numbers and the sum of the amounts then listed by GET
// /api/v1/transactions against the file's truth — the way the issue says
// ingestion is checked.
func TestAcceptanceCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "acceptance")
	raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]acceptanceTruth
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	a := newAPIServer(t)
	names := make([]string, 0, len(truth))
	for name := range truth {
		names = append(names, name)
	}
	// A file that overlaps another (same_user_as) comes after it.
	var depth func(string) int
	depth = func(n string) int {
		if up := truth[n].SameUserAs; up != "" && up != n {
			return 1 + depth(up)
		}
		return 0
	}
	slices.SortFunc(names, func(a, b string) int {
		if da, db := depth(a), depth(b); da != db {
			return da - db
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		want := truth[name]
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			user := want.SameUserAs
			if user == "" {
				user = name
			}
			tok := tokenFor(t, "acceptance-"+user, scale.RoleUser)
			var fields map[string]string
			if want.Profile != "" {
				fields = map[string]string{"profile": want.Profile}
			}
			st, _, b := a.upload(t, tok, name, body, fields, false)
			if want.Status == "4xx" {
				if st < 400 || st > 499 {
					t.Fatalf("status %d, want a 4xx problem: %s", st, b)
				}
				return
			}
			if float64(st) != want.Status {
				t.Fatalf("status %d, want %v: %s", st, want.Status, b)
			}
			got := decode[importBody](t, b)
			lines := []int{}
			for _, r := range got.Rejections {
				lines = append(lines, r.Line)
			}
			if got.Counts.Inserted != want.Inserted || got.Counts.Duplicates != want.Duplicates ||
				got.Counts.Skipped != want.Skipped || !slices.Equal(lines, want.RejectedLines) {
				t.Fatalf("counts %+v, rejected lines %v; want inserted %d, duplicates %d, skipped %d, rejected lines %v",
					got.Counts, lines, want.Inserted, want.Duplicates, want.Skipped, want.RejectedLines)
			}
			stored, sum := storedOfUpload(t, a, tok, got.ID)
			if stored != want.Inserted || sum != want.SumHundredths {
				t.Fatalf("%d stored rows summing to %d hundredths; want %d rows, %d", stored, sum, want.Inserted, want.SumHundredths)
			}
		})
	}
}

// storedOfUpload lists the user's transactions of one upload, page by
// page, and returns how many there are and the sum of their amounts in
// hundredths.
func storedOfUpload(t *testing.T, a *apiServer, tok, upload string) (int, int64) {
	t.Helper()
	n, sum := 0, int64(0)
	q := url.Values{"limit": {"200"}}
	for {
		st, _, b := a.call(t, "GET", "/api/v1/transactions?"+q.Encode(), tok, "")
		if st != 200 {
			t.Fatalf("listing: %d %s", st, b)
		}
		page := decode[struct {
			Items []struct {
				Amount string `json:"amount"`
				Upload string `json:"upload_id"`
			} `json:"items"`
			Next string `json:"next"`
		}](t, b)
		for _, it := range page.Items {
			if it.Upload != upload {
				continue
			}
			v, err := scale.ParseDecimal(it.Amount, 2, scale.ParseOptions{})
			if err != nil {
				t.Fatalf("amount %q: %v", it.Amount, err)
			}
			n++
			sum += v
		}
		if page.Next == "" {
			return n, sum
		}
		q.Set("cursor", page.Next)
	}
}
