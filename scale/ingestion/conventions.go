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
// "Purchased By" or "Merchant").
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
		has("Clearing Date") && (has("Purchased By") || has("Merchant"))
}

// statusSpend is a purchase history that writes every amount unsigned and
// says by its status what happened (Google Pay / Google Play activity:
// "Complete" is a purchase, "Refunded" money back, "Cancelled" nothing).
// It is recognized by its columns — "Product" and "Payment method" beside
// the status — and a status that says "Complete" or "Refunded": Revolut
// (a "Product" column, "COMPLETED"), an investment platform's deposits
// ("Payment method", "Completed") and a bank's unsigned column with a
// "Completed" status are not purchase histories.
type statusSpend struct {
	complete, refunded int
}

func (s *statusSpend) observe(status string) {
	switch normalizeStatus(status) {
	case "complete":
		s.complete++
	case "refunded":
		s.refunded++
	}
}

// applies decides for the whole file.
func (s statusSpend) applies(names []string, signs signStyle) bool {
	if signs.negative > 0 || signs.credit > 0 || s.complete+s.refunded == 0 {
		return false
	}
	product, method := false, false
	for _, h := range names {
		switch strings.ToLower(strings.Join(strings.Fields(h), " ")) {
		case "product":
			product = true
		case "payment method":
			method = true
		}
	}
	return product && method
}

// statusSign is the sign of an unsigned amount by its status, when
// statusSpend applies: refunds are money in, everything else out.
func statusSign(status string) int64 {
	if normalizeStatus(status) == "refunded" {
		return 1
	}
	return -1
}

func normalizeStatus(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// directionWords are the debit/credit indicators a column is recognized
// by from its values (PhonePe "Type": DEBIT/CREDIT); "+" and "-" count
// only when both appear, as a column of "-" alone may mean empty. Single
// letters do not count: "C" and "D" may mean cleared and disputed, cheque
// and direct deposit. The column's name must allow it (directionName).
var directionWords = map[string]int64{
	"dr": -1, "cr": 1, "debit": -1, "credit": 1, "db": -1, "debet": -1, "soll": -1, "haben": 1,
	"af": -1, "bij": 1, "débit": -1, "crédit": 1, "débito": -1, "crédito": 1, "debito": -1, "credito": 1,
	"in": 1, "out": -1, "refund": 1, "sent": -1, "received": 1, "money sent": -1, "money received": 1,
}

// columnVotes counts, for one column no header synonym names, the values
// that are debit/credit indicators, those that are currency codes and
// those that are neither.
type columnVotes struct {
	words, signs, codes, other int
	minus, plus                bool // "-" and "+" seen
	firstCode                  scale.Currency
	// debits, credits and empty count the indicator words by side (a
	// column that marks only its credits: see marksCreditsOnly).
	debits, credits, empty int
	// recTx and recOther count Swedbank Baltic record types: 20 is a
	// transaction; 10, 82, 86 and 900 are balances, turnover, interest.
	recTx, recOther int
}

func (v *columnVotes) observe(cell string) {
	c := strings.TrimSpace(cell)
	if c == "" {
		v.empty++
		return
	}
	switch c {
	case "20":
		v.recTx++
		return
	case "10", "82", "86", "900":
		v.recOther++
		return
	}
	if len(c) > len("money received") {
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
	if sign, ok := directionWords[c]; ok {
		v.words++
		if sign < 0 {
			v.debits++
		} else {
			v.credits++
		}
		return
	}
	switch c {
	case "-":
		v.signs++
		v.minus = true
	case "+":
		v.signs++
		v.plus = true
	default:
		v.other++
	}
}

// indicator reports a column of debit/credit indicators only.
func (v columnVotes) indicator() bool {
	if v.other > 0 || v.codes > 0 || v.words+v.signs == 0 {
		return false
	}
	return v.signs == 0 || v.minus && v.plus
}

// marksCreditsOnly reports an indicator column that marks its credits
// and leaves its debits empty (ICICI card "BillingAmountSign": "CR" or
// nothing).
func (v columnVotes) marksCreditsOnly() bool {
	return v.credits > 0 && v.debits == 0 && v.empty > 0
}

// recordTypes reports a column of Swedbank Baltic record types only.
func (v columnVotes) recordTypes() bool {
	return v.recTx > 0 && v.recOther > 0 && v.other+v.words+v.signs+v.codes == 0
}

// currencyCodes reports a column of ISO 4217 codes only (Swedbank
// "Valuta", Navy Federal "Instructional Currency").
func (v columnVotes) currencyCodes() bool {
	return v.codes > 0 && v.other+v.words+v.signs == 0
}

// currencyColumn is the first column of currency codes only whose name
// says currency in a language where no synonym may ("Valuta" is a value
// date in German and Italian; Navy Federal "Instructional Currency"), or
// -1. A column of codes under another name may be a country ("BTN") or a
// cost centre; an original or foreign currency is not the amount's.
func currencyColumn(votes []columnVotes, names []string) int {
	for i, v := range votes {
		if !v.currencyCodes() || i >= len(names) {
			continue
		}
		n := strings.ToLower(names[i])
		if strings.Contains(n, "original") || strings.Contains(n, "foreign") || strings.Contains(n, "orig") {
			continue
		}
		if strings.Contains(n, "valuta") || strings.Contains(n, "currency") || strings.Contains(n, "ccy") {
			return i
		}
	}
	return -1
}

// directionColumn picks the indicator column of an unsigned amount column
// at amount among the columns whose name allows one (directionName): the
// first to its right, else the nearest to its left; -1 when there is
// none.
func directionColumn(votes []columnVotes, names []string, amount int) int {
	ok := func(i int) bool { return votes[i].indicator() && i < len(names) && directionName(names[i]) }
	for i := amount + 1; i < len(votes); i++ {
		if ok(i) {
			return i
		}
	}
	for i := amount - 1; i >= 0; i-- {
		if ok(i) {
			return i
		}
	}
	return -1
}

// directionName reports a column name under which debit/credit words
// are the amount's direction: none, or one that speaks of a type, a sign
// or a direction ("Type", "Txn Type", "Sign", "Dr/Cr"). "Card" or
// "Payment method" holding "Debit"/"Credit" names a card, not a sign.
func directionName(name string) bool {
	n := strings.ToLower(name)
	if strings.TrimSpace(n) == "" || strings.Contains(n, "d/c") || strings.Contains(n, "c/d") || strings.Contains(n, "+/-") {
		return true
	}
	words := strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		switch w {
		case "card", "method", "funding", "account", "instrument":
			return false
		}
	}
	for _, w := range words {
		switch w {
		case "type", "tipo", "typ", "sign", "direction", "indicator", "dr", "cr", "debit", "credit", "soll", "haben", "af", "bij":
			return true
		}
	}
	return false
}

// balanceFiller are the words a dated balance line may carry after its
// marker ("Saldo finale", "Beginning balance as of 03/01/2024").
var balanceFiller = map[string]bool{
	"as": true, "of": true, "at": true, "on": true, "am": true, "au": true, "per": true, "al": true, "del": true,
	"finale": true, "iniziale": true, "final": true, "initial": true, "inicial": true, "contabile": true,
	"disponibile": true, "du": true, "le": true, "la": true, "vom": true, "zum": true, "den": true, "the": true,
	"balance": true, "eur": true, "usd": true, "gbp": true, "chf": true, "precedent": true, "précédent": true,
	"crediteur": true, "créditeur": true, "debiteur": true, "débiteur": true, "anterior": true, "actual": true,
	"precedente": true, "attuale": true, "nouveau": true, "ancien": true, "końcowe": true, "początkowe": true,
	"konečný": true, "počáteční": true, "d": true, "à": true, "a": true, "el": true, "de": true,
}

// isBalanceLine reports a description that is only a balance marker, with
// dates, amounts and filler words: "Saldo finale", "Closing balance
// 31.03.2024". A payee that starts like one ("SALDO RECHNUNG AMAZON")
// is not.
func isBalanceLine(desc string) bool {
	return balanceLineWith(desc, 0)
}

// balanceLineWith is isBalanceLine that also wants at least minWords words
// (marker and filler together): a dated row with an amount whose text is
// the bare word "SALDO" is more likely a payee than a balance.
func balanceLineWith(desc string, minWords int) bool {
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
		return len(strings.Fields(m))+len(rest) >= minWords
	}
	return false
}

// mergeSubHeader reads a second header row under the first (a merged
// "Amount" cell over "Debit" and "Credit"): when the row holds no digit
// and names a debit or a credit column under the amount's cell or the one
// after it, its names take their roles, split columns replace the amount
// column, and it reports true.
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
		under := i == l.cols[roleAmount] || i == l.cols[roleAmount]+1
		split = split || under && (syn.role == roleDebit || syn.role == roleCredit)
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
