package ingestion

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

// fingerprintVector is one line of the test vectors in docs/fingerprint.md.
type fingerprintVector struct {
	Account     string `json:"account"`
	Date        string `json:"date"`
	Amount      int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
	Description string `json:"description"`
	Reference   string `json:"reference,omitempty"`
	Occurrence  int    `json:"occurrence"`
	Fingerprint string `json:"fingerprint"`
}

func (v fingerprintVector) input() (FingerprintInput, error) {
	d, err := scale.ParseDate(v.Date)
	return FingerprintInput{Account: scale.AccountID(v.Account), Date: d, Amount: v.Amount, Currency: scale.Currency(v.Currency),
		Description: v.Description, Reference: v.Reference, Occurrence: v.Occurrence}, err
}

// TestFingerprintVectors checks every vector published in docs/fingerprint.md.
func TestFingerprintVectors(t *testing.T) {
	is := is.New(t)
	f, err := os.Open("../../docs/fingerprint.md")
	is.NoErr(err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	in, n := false, 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "<!-- vectors:begin -->":
			in = true
			continue
		case line == "<!-- vectors:end -->":
			in = false
		}
		if !in || !strings.HasPrefix(line, "{") {
			continue
		}
		var v fingerprintVector
		is.NoErr(json.Unmarshal([]byte(line), &v))
		fi, err := v.input()
		is.NoErr(err)
		is.Equal(Fingerprint(fi), v.Fingerprint) // vector from docs/fingerprint.md
		n++
	}
	is.NoErr(sc.Err())
	is.True(n >= 8) // the doc publishes the vectors
}

func TestFingerprintProperties(t *testing.T) {
	is := is.New(t)
	base := FingerprintInput{Account: "a", Date: scale.Date{Year: 2026, Month: 1, Day: 15}, Amount: -350, Currency: "EUR", Description: "Coffee Shop"}
	same := base
	same.Description = "  COFFEE\u00a0\tshop "
	is.Equal(Fingerprint(base), Fingerprint(same)) // normalization ignores case and spacing
	second := base
	second.Occurrence = 1
	is.True(Fingerprint(base) != Fingerprint(second)) // genuine repeats differ
	ref1 := base
	ref1.Reference = "X1"
	ref2 := ref1
	ref2.Amount, ref2.Description = -999, "other"
	is.Equal(Fingerprint(ref1), Fingerprint(ref2)) // the reference identifies the row
	other := ref1
	other.Account = "b"
	is.True(Fingerprint(ref1) != Fingerprint(other)) // per account
	key := contentKey(base.Account, base.Date, base.Amount, base.Currency, NormalizeDescription(base.Description))
	is.Equal(rowFingerprint(key, 1), Fingerprint(second)) // the service's fast path agrees
	is.Equal(len(Fingerprint(base)), 64)
}
