package ingestion

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"strconv"
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// FingerprintVersion is the version of the canonical fingerprint that
// Fingerprint computes; docs/fingerprint.md specifies it with test vectors.
const FingerprintVersion = "v1"

// FingerprintInput is what identifies one transaction of one account.
type FingerprintInput struct {
	Account  scale.AccountID
	Date     scale.Date
	Amount   int64 // minor units
	Currency scale.Currency
	// Description is the row's text as read; Fingerprint normalizes it.
	Description string
	// Reference is the bank's id of the row; when non-empty it alone (with
	// the account) identifies the transaction.
	Reference string
	// Occurrence is the 0-based index of this row among the rows of the
	// same statement with the same account, date, amount, currency and
	// normalized description, in file order.
	Occurrence int
}

// Fingerprint returns the canonical v1 fingerprint: the lower-case hex
// SHA-256 of a unit-separated (0x1F) canonical string.
//
//	with a reference:    "scale-fp" US "v1" US "ref" US account US reference
//	without a reference: "scale-fp" US "v1" US "row" US account US YYYY-MM-DD US
//	                     amount-minor US currency US normalized-description US occurrence
func Fingerprint(in FingerprintInput) string {
	return hex.EncodeToString(fingerprintSum(in))
}

func fingerprintSum(in FingerprintInput) []byte {
	h := sha256.New()
	if ref := strings.TrimSpace(in.Reference); ref != "" {
		h.Write([]byte("scale-fp\x1fv1\x1fref\x1f" + string(in.Account) + "\x1f" + ref))
		return h.Sum(nil)
	}
	h.Write([]byte("scale-fp\x1fv1\x1frow\x1f"))
	h.Write([]byte(contentKey(in.Account, in.Date, in.Amount, in.Currency, NormalizeDescription(in.Description))))
	h.Write([]byte("\x1f" + strconv.Itoa(in.Occurrence)))
	return h.Sum(nil)
}

// contentKey is the part of a reference-less fingerprint that identical
// rows share.
func contentKey(acct scale.AccountID, d scale.Date, amount int64, cur scale.Currency, normDesc string) string {
	return string(acct) + "\x1f" + isoDate(d) + "\x1f" + strconv.FormatInt(amount, 10) + "\x1f" + string(cur) + "\x1f" + normDesc
}

// isoDate writes YYYY-MM-DD like scale.Date.String, without fmt.
func isoDate(d scale.Date) string {
	var b [10]byte
	y, m, dd := d.Year, int(d.Month), d.Day
	if y < 0 || y > 9999 {
		return d.String()
	}
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[5], b[6], b[7] = '-', byte('0'+m/10%10), byte('0'+m%10), '-'
	b[8], b[9] = byte('0'+dd/10%10), byte('0'+dd%10)
	return string(b[:])
}

// NormalizeDescription is the description as the fingerprint sees it:
// lower-case (Unicode simple folding), every run of white space, control
// and invisible format characters collapsed to one space, trimmed. Digits
// and punctuation are kept: they carry card numbers, references and times
// that tell otherwise identical rows apart.
func NormalizeDescription(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u00a0' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// occurrences counts identical reference-less rows of one statement, in
// file order. It keeps a 64-bit hash and a counter per distinct row, so a
// file of millions of rows costs tens of MiB, not the rows themselves.
// (Two distinct rows whose hashes collide would share a counter; at 64
// bits that is about one chance in 10^6 for a file of millions of rows,
// and it only shifts an occurrence index.)
type occurrences struct {
	seed maphash.Seed
	n    map[uint64]uint32
}

func newOccurrences() *occurrences {
	return &occurrences{seed: maphash.MakeSeed(), n: map[uint64]uint32{}}
}

// reset forgets every count.
func (o *occurrences) reset() { clear(o.n) }

// next returns the occurrence index of a row with this content key.
func (o *occurrences) next(key string) int {
	k := maphash.String(o.seed, key)
	c := o.n[k]
	o.n[k] = c + 1
	return int(c)
}
