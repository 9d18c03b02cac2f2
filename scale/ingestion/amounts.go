package ingestion

import (
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scalehq/scale/scale"
)

// AmountScale is the number of fraction digits of Record.Amount: parsers
// keep amounts in ten-thousandths of the major unit until the currency is
// known, then MinorUnits converts them exactly.
const AmountScale = 4

var pow10 = [...]int64{1, 10, 100, 1000, 10000}

// MinorUnits converts an amount in ten-thousandths of the major unit to
// minor units of cur, exactly: an amount with more fraction digits than the
// currency has (12.345 EUR) is an error, never a rounding.
func MinorUnits(amount int64, cur scale.Currency) (int64, error) {
	d := cur.MinorDigits()
	if d > AmountScale {
		d = AmountScale
	}
	div := pow10[AmountScale-d]
	if amount%div != 0 {
		return 0, scale.Invalid(scale.CodeMoneyInvalid, "the amount has more fraction digits than %s allows", cur)
	}
	return amount / div, nil
}

// amountStyle is what the whole column says about its numbers.
type amountStyle struct {
	comma, point int // votes for decimal comma / decimal point
	// point3 and comma3 count the cells whose one separator has three
	// digits after it ("45.000", "1,000"): grouping or three decimals.
	point3, comma3 int
}

// decimalComma decides; fallback applies when no cell was unambiguous.
func (s amountStyle) decimalComma(fallback bool) bool {
	if s.comma == s.point {
		return fallback
	}
	return s.comma > s.point
}

// groupingOnly decides a column without one unambiguous cell whose
// separators all stand before three digits, in two cells or more and a
// currency with fewer than three decimals: they group thousands
// ("Rp 45.000" and "Rp 850.000" are rupiah, not 45 and 850). It reports
// the decimal comma that makes them so.
func (s amountStyle) groupingOnly(cur scale.Currency) (decimalComma, ok bool) {
	if s.comma != 0 || s.point != 0 || cur != "" && cur.MinorDigits() >= 3 {
		return false, false
	}
	switch {
	case s.point3 > 1 && s.comma3 == 0:
		return true, true
	case s.comma3 > 1 && s.point3 == 0:
		return false, true
	}
	return false, false // one cell is no pattern: the separator decides as before
}

// observe adds one cell's evidence.
func (s *amountStyle) observe(cell string) {
	c, _, ok := cleanAmount(cell)
	if !ok {
		return
	}
	lc, lp := strings.LastIndexByte(c, ','), strings.LastIndexByte(c, '.')
	switch {
	case lc >= 0 && lp >= 0:
		if lc > lp {
			s.comma++
		} else {
			s.point++
		}
	case lc >= 0:
		if strings.Count(c, ",") > 1 {
			s.point++ // 1,234,567 or 1,16,890: grouping commas
		} else if digitsAfter(c, lc) != 3 {
			s.comma++
		} else {
			s.comma3++
		}
	case lp >= 0:
		if strings.Count(c, ".") > 1 {
			s.comma++ // 1.234.567: grouping points
		} else if digitsAfter(c, lp) != 3 {
			s.point++
		} else {
			s.point3++
		}
	}
}

func digitsAfter(s string, i int) int {
	n := 0
	for _, r := range s[i+1:] {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// cleanAmount strips currency symbols and codes, spaces between a sign and
// the digits, and a trailing CR/DR marker. sign is +1 for CR, -1 for DR, 0
// otherwise. ok is false when the cell holds no digits.
func cleanAmount(cell string) (clean string, sign int, ok bool) {
	t := strings.TrimSpace(cell)
	if t == "" {
		return "", 0, false
	}
	up := strings.ToUpper(t)
	switch {
	case strings.HasSuffix(up, "CR"):
		sign, t = 1, t[:len(t)-2]
	case strings.HasSuffix(up, "DR"):
		sign, t = -1, t[:len(t)-2]
	case strings.HasSuffix(up, " C"):
		sign, t = 1, t[:len(t)-2] // SBI card "3,000.00 C"
	case strings.HasSuffix(up, " D"):
		sign, t = -1, t[:len(t)-2]
	case strings.HasSuffix(up, "+") && len(t) > 1:
		sign, t = 1, t[:len(t)-1] // Maybank "4,800.00+"
	}
	if strings.HasPrefix(strings.ToUpper(t), "RS.") {
		t = t[3:] // Indian rupee prefix "Rs."
	}
	if !currencyMarksOnly(t) {
		return "", 0, false
	}
	var b strings.Builder
	b.Grow(len(t))
	digits := false
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9':
			digits = true
			b.WriteRune(r)
		case r == '.' || r == ',' || r == '-' || r == '+' || r == '(' || r == ')' || r == '\'' || r == '\u2212':
			b.WriteRune(r)
		case r == ' ' || r == '\t' || unicode.Is(unicode.Zs, r):
			// Keep a space only between digits (a thousands separator).
			if i > 0 && digits && i+1 < len(t) && isDigitAt(t, i+utf8.RuneLen(r)) {
				b.WriteByte(' ')
			}
		case unicode.IsLetter(r) || unicode.Is(unicode.Sc, r):
			// currency symbol or code: INR, EUR, Rs., £, €
		default:
			return "", 0, false
		}
	}
	if !digits {
		return "", 0, false
	}
	return strings.TrimSpace(b.String()), sign, true
}

// currencyMarksOnly reports whether the letters and symbols of an amount
// cell are currency marks (see currencyMark: "EUR 12,50", "12.50 usd",
// "R$ 1.234,56", "-312,40 kr") standing before the first digit or after
// the last one: "12abc34", "1E3", "1O.00" or "x12" are not amounts,
// whatever digits they hold.
func currencyMarksOnly(t string) bool {
	first := strings.IndexFunc(t, unicode.IsDigit)
	last := strings.LastIndexFunc(t, unicode.IsDigit)
	if first < 0 {
		return true // no digits: refused by the caller
	}
	if strings.IndexFunc(t[first:last+1], unicode.IsLetter) >= 0 {
		return false
	}
	_, before := currencyMark(t[:first])
	_, after := currencyMark(t[last+1:])
	return before && after && !rMark(t[last+1:])
}

// currencyMarks are the currency symbols and words written next to an
// amount, lower-case, with the currency they name ("" when the mark is
// shared by several: kr is the Swedish, Norwegian, Danish and Icelandic
// krona/krone; $ is the dollar of a dozen countries and the peso of
// several — see dollarMark). ISO 4217 codes are marks too.
var currencyMarks = map[string]scale.Currency{
	"€": "EUR", "£": "GBP", "$": "", "us$": "USD", "₹": "INR", "rs": "INR", "rs.": "INR", "r$": "BRL",
	"s$": "SGD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "hk$": "HKD", "nz$": "NZD", "zł": "PLN",
	"kč": "CZK", "fr.": "CHF", "fr": "CHF", "¥": "JPY", "₩": "KRW", "₺": "TRY", "₪": "ILS", "₱": "PHP", "฿": "THB",
	"₫": "VND", "ft": "HUF", "lei": "RON", "rm": "MYR", "rp": "IDR", "r": "ZAR", "tl": "TRY", "kr": "", "kr.": "",
	"₦": "NGN", "₵": "GHS", "ksh": "KES", "₴": "UAH", "₸": "KZT",
}

// currencyMark reads the text around an amount's digits: ok when, signs
// and parentheses aside, it is empty or currency marks (a symbol, an ISO
// code, a word of currencyMarks, separated by spaces); cur is the
// currency the first of them names, "" when none names one.
func currencyMark(s string) (cur scale.Currency, ok bool) {
	if strings.Trim(s, " \t+-().,") == "" {
		return "", true // the common case: signs, spaces, a leading decimal point
	}
	for s != "" {
		var tok string
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if end := strings.IndexFunc(s, unicode.IsSpace); end >= 0 {
			tok, s = s[:end], s[end:]
		} else {
			tok, s = s, ""
		}
		if tok = strings.Trim(tok, "+-()\u2212"); tok == "" {
			continue
		}
		tok = strings.ToLower(tok)
		c, known := currencyMarks[tok]
		if !known {
			if p, err := scale.ParseCurrency(tok); err == nil && len(tok) == 3 {
				c, known = p, true
			} else if r, n := utf8.DecodeRuneInString(tok); n == len(tok) && unicode.Is(unicode.Sc, r) {
				known = true // another symbol: a mark, currency unknown
			}
		}
		if !known {
			return "", false
		}
		if cur == "" {
			cur = c
		}
	}
	return cur, true
}

// dollarMark reports an amount cell written with a bare "$" ("$45.00",
// "-$12.50", "$ 45.900,00"): USD only when nothing else names the
// statement's currency (a Colombian or Canadian statement writes "$" too).
func dollarMark(cell string) bool {
	if !strings.Contains(cell, "$") {
		return false
	}
	first := strings.IndexFunc(cell, unicode.IsDigit)
	if first < 0 {
		return false
	}
	return strings.Trim(cell[:first], " \t+-()\u2212") == "$"
}

// currencyAliases are codes banks write that ISO 4217 spells otherwise.
var currencyAliases = map[string]scale.Currency{"RMB": "CNY", "NTD": "TWD", "NT$": "TWD", "YEN": "JPY"}

// parseCurrencyCell reads a currency column's cell: an ISO 4217 code or a
// common alias ("RMB").
func parseCurrencyCell(c string) (scale.Currency, error) {
	if a, ok := currencyAliases[strings.ToUpper(strings.TrimSpace(c))]; ok {
		return a, nil
	}
	return scale.ParseCurrency(c)
}

// preambleCurrency reads a line above the header that names the
// statement's currency: a word for currency and an ISO code in the same
// line ("Currency,AED"; "Moneda: Pesos Colombianos (COP)").
func preambleCurrency(cells []string) scale.Currency {
	line := strings.Join(cells, " ")
	low := strings.ToLower(line)
	named := false
	for _, w := range []string{"currency", "moneda", "währung", "devise", "valuta", "valuuta", "waluta", "měna", "divisa"} {
		if strings.Contains(low, w) {
			named = true
			break
		}
	}
	if !named {
		return ""
	}
	for _, tok := range strings.FieldsFunc(line, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		if len(tok) == 3 {
			if c, err := scale.ParseCurrency(tok); err == nil {
				return c
			}
		}
	}
	return ""
}

// rMark reports a bare "R" after the digits: the rand is written before
// them ("R1 234.50"); "12.50R" may mean reversed, so it is no mark.
func rMark(after string) bool {
	return strings.EqualFold(strings.Trim(after, " \t+-()"), "r")
}

// amountCurrency is the currency an amount cell names by a mark before or
// after its digits ("INR 299.00", "₹350", "-38,75 USD"), or "".
func amountCurrency(cell string) scale.Currency {
	if cell == "" {
		return ""
	}
	if c := cell[0]; (c >= '0' && c <= '9' || c == '-' || c == '+') && cell[len(cell)-1] >= '0' && cell[len(cell)-1] <= '9' {
		return "" // the common case: no mark
	}
	first := strings.IndexFunc(cell, unicode.IsDigit)
	last := strings.LastIndexFunc(cell, unicode.IsDigit)
	if first < 0 {
		return ""
	}
	if c, _ := currencyMark(cell[:first]); c != "" {
		return c
	}
	if rMark(cell[last+1:]) {
		return ""
	}
	c, _ := currencyMark(trimCreditDebit(cell[last+1:]))
	return c
}

// trimCreditDebit drops a trailing CR or DR marker.
func trimCreditDebit(s string) string {
	t := strings.TrimSpace(s)
	if up := strings.ToUpper(t); strings.HasSuffix(up, "CR") || strings.HasSuffix(up, "DR") {
		return t[:len(t)-2]
	}
	return t
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// ParseAmount reads one amount cell in ten-thousandths of the major unit.
// decimalComma says which separator is the decimal one (infer it for the
// whole column with InferDecimalComma). empty is true when the cell holds
// no amount at all.
func ParseAmount(cell string, decimalComma bool) (amount int64, empty bool, err error) {
	amount, empty, _, err = parseAmountMarked(cell, decimalComma)
	return amount, empty, err
}

// explicitCredit reports whether an amount cell marks money in explicitly:
// a leading "+" or a trailing CR.
func explicitCredit(cell string) bool {
	c, sign, ok := cleanAmount(cell)
	return ok && (sign > 0 || strings.HasPrefix(c, "+"))
}

// parseAmountMarked is ParseAmount that also reports an explicit credit
// marker.
func parseAmountMarked(cell string, decimalComma bool) (amount int64, empty, credit bool, err error) {
	c, sign, ok := cleanAmount(cell)
	if !ok {
		if strings.TrimSpace(cell) == "" || strings.TrimSpace(cell) == "-" {
			return 0, true, false, nil
		}
		return 0, false, false, scale.Invalid(scale.CodeMoneyInvalid, "%q is not an amount", clip(cell, 40))
	}
	// "+ 1,100.00" and "- 5" after cleaning: a sign separated by nothing now.
	dec := "."
	if decimalComma {
		dec = ","
	}
	if strings.HasPrefix(c, dec) || strings.HasPrefix(c, "-"+dec) || strings.HasPrefix(c, "+"+dec) {
		c = strings.Replace(c, dec, "0"+dec, 1) // ".50", "-.50"
	}
	v, err := scale.ParseDecimal(c, AmountScale, scale.ParseOptions{DecimalComma: decimalComma, AllowThousands: true})
	if err != nil {
		return 0, false, false, scale.Invalid(scale.CodeMoneyInvalid, "%q is not an amount", clip(cell, 40))
	}
	switch {
	case sign > 0 && v < 0, sign < 0 && v > 0:
		v = -v
	}
	return v, false, sign > 0 || strings.HasPrefix(c, "+"), nil
}

// InferDecimalComma reports whether the cells of one column use a decimal
// comma, from the unambiguous cells among them ("12,50", "1.234,56"); a
// column with no evidence uses a decimal point.
func InferDecimalComma(cells []string) bool {
	var s amountStyle
	for _, c := range cells {
		s.observe(c)
	}
	return s.decimalComma(false)
}

// parseNumericCell reads a spreadsheet's raw numeric value ("-13.75",
// "1234.5699999999999", "1E-3") rounded half away from zero to
// ten-thousandths, exactly (no float). ok is false when the cell is not a
// plain number.
func parseNumericCell(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'E' || c == 'e') {
			return 0, false
		}
	}
	if strings.ContainsAny(s, "eE") {
		// Bound the exponent so big.Rat cannot be made to allocate wildly.
		i := strings.IndexAny(s, "eE")
		exp := strings.TrimLeft(s[i+1:], "+-")
		if len(exp) > 2 {
			return 0, false
		}
	}
	if i := strings.IndexByte(s, '.'); !strings.ContainsAny(s, "eE") && (i < 0 || len(s)-i-1 <= AmountScale) {
		if v, err := scale.ParseDecimal(s, AmountScale, scale.ParseOptions{}); err == nil {
			return v, true // the common case: an exact short decimal
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, false
	}
	return ratToUnits(r)
}

// ratToUnits rounds r half away from zero to ten-thousandths.
func ratToUnits(r *big.Rat) (int64, bool) {
	x := new(big.Rat).Mul(r, big.NewRat(pow10[AmountScale], 1))
	num, den := new(big.Int).Set(x.Num()), x.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, false
	}
	v := q.Int64()
	if neg {
		v = -v
	}
	return v, true
}

// exactRatToUnits converts r to ten-thousandths only when that is exact.
func exactRatToUnits(r *big.Rat) (int64, bool) {
	x := new(big.Rat).Mul(r, big.NewRat(pow10[AmountScale], 1))
	if !x.IsInt() || !x.Num().IsInt64() {
		return 0, false
	}
	return x.Num().Int64(), true
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
