package ingestion

import (
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// Sign conventions a statement does not spell out in its amounts, read
// from its header and from what its columns hold (newTable applies them
// when no mapping is given).

// positiveSpendHeaders reports card exports that write purchases as
// positive amounts and payments as negative ones, recognized by header
// names no other layout uses: American Express ("Card Member",
// "Extended Details", "Appears On Your Statement As"), Discover
// ("Trans. Date" with "Post Date") and Apple Card ("Clearing Date" with
// "Purchased By").
func positiveSpendHeaders(names []string) bool {
	has := func(n string) bool {
		for _, h := range names {
			if strings.EqualFold(strings.Join(strings.Fields(h), " "), n) {
				return true
			}
		}
		return false
	}
	return has("Card Member") || has("Extended Details") || has("Appears On Your Statement As") ||
		has("Trans. Date") && has("Post Date") ||
		has("Clearing Date") && has("Purchased By")
}

// statusSpend is a purchase history that writes every amount unsigned and
// says by its status what happened (Google Pay / Google Play activity:
// "Complete" is a purchase, "Refunded" money back, "Cancelled" nothing).
// It is recognized by an unsigned amount column next to a status column
// that says "Complete(d)" or "Refunded", in a file with a "Payment method"
// or "Product" column or a refund: a bank's unsigned column with a
// "Completed" status alone is not enough.
type statusSpend struct {
	complete, refunded int
}

func (s *statusSpend) observe(status string) {
	switch normalizeStatus(status) {
	case "complete", "completed":
		s.complete++
	case "refunded", "refund":
		s.refunded++
	}
}

// applies decides for the whole file.
func (s statusSpend) applies(names []string, signs signStyle) bool {
	if signs.negative > 0 || signs.credit > 0 || s.complete == 0 {
		return false
	}
	if s.refunded > 0 {
		return true
	}
	for _, h := range names {
		switch strings.ToLower(strings.Join(strings.Fields(h), " ")) {
		case "payment method", "product":
			return true
		}
	}
	return false
}

// statusSign is the sign of an unsigned amount by its status, when
// statusSpend applies: refunds are money in, everything else out.
func statusSign(status string) int64 {
	switch normalizeStatus(status) {
	case "refunded", "refund":
		return 1
	}
	return -1
}

func normalizeStatus(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// directionWords are the debit/credit indicators a column is recognized
// by from its values alone (Kotak "Dr / Cr", Navy Federal "Credit Debit
// Indicator", PhonePe "Type"); single letters and signs count only when
// both sides appear ("D" and "C", "-" and "+"), as a column of "C" alone
// may mean cleared and one of "-" alone empty.
var directionWords = map[string]int64{
	"dr": -1, "cr": 1, "debit": -1, "credit": 1, "db": -1, "debet": -1, "soll": -1, "haben": 1,
	"af": -1, "bij": 1, "débit": -1, "crédit": 1,
}

// columnVotes counts, for one column no header synonym names, the values
// that are debit/credit indicators, those that are currency codes and
// those that are neither.
type columnVotes struct {
	words, letters, codes, other int
	debitLetter, credit          bool
	firstCode                    scale.Currency
}

func (v *columnVotes) observe(cell string) {
	c := strings.TrimSpace(cell)
	if c == "" {
		return
	}
	if len(c) > len("crédit") {
		v.other++
		return
	}
	if len(c) == 3 {
		if cur, err := scale.ParseCurrency(c); err == nil {
			v.codes++
			if v.firstCode == "" {
				v.firstCode = cur
			}
			return
		}
	}
	c = strings.ToLower(c)
	if _, ok := directionWords[c]; ok {
		v.words++
		return
	}
	switch c {
	case "d", "s", "-":
		v.letters++
		v.debitLetter = true
	case "c", "h", "+":
		v.letters++
		v.credit = true
	default:
		v.other++
	}
}

// indicator reports a column of debit/credit indicators only.
func (v columnVotes) indicator() bool {
	if v.other > 0 || v.codes > 0 || v.words+v.letters == 0 {
		return false
	}
	return v.letters == 0 || v.debitLetter && v.credit
}

// currencyCodes reports a column of ISO 4217 codes only (Swedbank
// "Valuta", Navy Federal "Instructional Currency").
func (v columnVotes) currencyCodes() bool {
	return v.codes > 0 && v.other+v.words+v.letters == 0
}

// currencyColumn is the first column of currency codes only, or -1.
func currencyColumn(votes []columnVotes) int {
	for i, v := range votes {
		if v.currencyCodes() {
			return i
		}
	}
	return -1
}

// directionColumn picks the indicator column of an unsigned amount column
// at amount: the first indicator column to its right (Kotak writes one
// after the amount and another after the balance), else the nearest to
// its left; -1 when there is none.
func directionColumn(votes []columnVotes, amount int) int {
	for i := amount + 1; i < len(votes); i++ {
		if votes[i].indicator() {
			return i
		}
	}
	for i := amount - 1; i >= 0; i-- {
		if votes[i].indicator() {
			return i
		}
	}
	return -1
}

// balanceFiller are the words a dated balance line may carry after its
// marker ("Saldo finale", "Beginning balance as of 03/01/2024").
var balanceFiller = map[string]bool{
	"as": true, "of": true, "at": true, "on": true, "am": true, "au": true, "per": true, "al": true, "del": true,
	"finale": true, "iniziale": true, "final": true, "initial": true, "inicial": true, "contabile": true,
	"disponibile": true, "du": true, "le": true, "la": true, "vom": true, "zum": true, "den": true, "the": true,
	"balance": true, "eur": true, "usd": true, "gbp": true, "chf": true,
}

// isBalanceLine reports a description that is only a balance marker, with
// dates, amounts and filler words: "Saldo finale", "Closing balance
// 31.03.2024". A payee that starts like one ("SALDO RECHNUNG AMAZON")
// is not.
func isBalanceLine(desc string) bool {
	d := strings.TrimSpace(desc)
	if len(d) < 2 {
		return false
	}
	for _, m := range balanceMarkersByStart[[2]byte{lowerASCII(d[0]), lowerASCII(d[1])}] {
		if len(d) < len(m) || !strings.EqualFold(d[:len(m)], m) {
			continue
		}
		rest := strings.FieldsFunc(strings.ToLower(d[len(m):]), func(r rune) bool { return !unicode.IsLetter(r) })
		for _, w := range rest {
			if !balanceFiller[w] {
				return false
			}
		}
		return true
	}
	return false
}

// mergeSubHeader reads a second header row under the first (a merged
// "Amount" cell over "Debit" and "Credit"): when the row holds no digit
// and names a debit or a credit column, its names take their roles, split
// columns replace the amount column, and it reports true.
func mergeSubHeader(l *layout, cells []string) bool {
	for _, c := range cells {
		if strings.IndexFunc(c, unicode.IsDigit) >= 0 {
			return false // a row of data, not of names
		}
	}
	var roles [roleCount]int
	for r := range roles {
		roles[r] = -1
	}
	split := false
	for i, c := range cells {
		n, _ := normalizeHeader(c)
		syn, ok := headerSynonyms[n]
		if !ok || n == "" {
			continue
		}
		if roles[syn.role] < 0 {
			roles[syn.role] = i
		}
		split = split || syn.role == roleDebit || syn.role == roleCredit
	}
	if !split {
		return false
	}
	for r, i := range roles {
		if i < 0 || role(r) == roleDate {
			continue
		}
		l.cols[r] = i
		if role(r) == roleDescription {
			l.descCols = []int{i}
		}
	}
	l.cols[roleAmount] = -1
	for i, c := range cells {
		if c = strings.TrimSpace(c); c != "" && i < len(l.names) {
			l.names[i] = strings.TrimSpace(l.names[i] + " " + c)
		}
	}
	return true
}

// balanceMarkersByStart files balanceMarkers under their first two bytes,
// so that a description is compared with the few that could start it.
var balanceMarkersByStart = func() map[[2]byte][]string {
	m := map[[2]byte][]string{}
	for _, b := range balanceMarkers {
		k := [2]byte{b[0], b[1]}
		m[k] = append(m[k], b)
	}
	return m
}()

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
