package scale

import (
	"log/slog"
	"math"
	"strconv"
	"strings"
)

// Money is an exact amount: Minor units (cents for EUR and USD, yen for JPY,
// fils for KWD) of Currency. Money never passes through a float.
type Money struct {
	Minor    int64    `json:"minor"`
	Currency Currency `json:"currency"`
}

// NewMoney returns Money after checking the currency.
func NewMoney(minor int64, cur Currency) (Money, error) {
	if !cur.Valid() {
		return Money{}, Invalid(CodeCurrencyInvalid, "%q is not a supported ISO 4217 currency code", string(cur))
	}
	return Money{Minor: minor, Currency: cur}, nil
}

// ParseOptions controls how ParseDecimal reads an amount.
type ParseOptions struct {
	// DecimalComma reads "," as the decimal separator and "." as the
	// thousands separator (1.234,56).
	DecimalComma bool
	// AllowThousands accepts thousands separators, including the Indian
	// lakh grouping (1,16,890.00). Without it, a separator is an error.
	AllowThousands bool
}

// ParseMoney reads a decimal string in the major unit ("-12.50") as Money
// of cur. It is exact: more fraction digits than the currency has is an
// error, never a rounding.
func ParseMoney(s string, cur Currency, opt ParseOptions) (Money, error) {
	if !cur.Valid() {
		return Money{}, Invalid(CodeCurrencyInvalid, "%q is not a supported ISO 4217 currency code", string(cur))
	}
	minor, err := ParseDecimal(s, cur.MinorDigits(), opt)
	if err != nil {
		return Money{}, err
	}
	return Money{Minor: minor, Currency: cur}, nil
}

// ParseDecimal reads a decimal string as an integer count of 10^-digits
// units. It accepts a leading sign (+ or -), a trailing minus ("12.50-"),
// parentheses for negatives ("(12.50)"), and, when opt allows, thousands
// separators. It never rounds: extra non-zero fraction digits are an error.
func ParseDecimal(s string, digits int, opt ParseOptions) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, Invalid(CodeMoneyInvalid, "%q is not a valid amount: %s", truncate(s, 40), why)
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return bad("empty")
	}
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg, t = true, strings.TrimSpace(t[1:len(t)-1])
	}
	switch {
	case strings.HasPrefix(t, "-"), strings.HasPrefix(t, "\u2212"):
		if neg {
			return bad("two signs")
		}
		neg = true
		t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "\u2212")
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	case strings.HasSuffix(t, "-"):
		neg, t = true, t[:len(t)-1]
	}
	t = strings.TrimSpace(t)
	dec, thou := byte('.'), byte(',')
	if opt.DecimalComma {
		dec, thou = ',', '.'
	}
	intPart, frac := t, ""
	if i := strings.IndexByte(t, dec); i >= 0 {
		intPart, frac = t[:i], t[i+1:]
		if strings.IndexByte(frac, dec) >= 0 {
			return bad("more than one decimal separator")
		}
	}
	if strings.IndexByte(frac, thou) >= 0 || strings.ContainsAny(frac, " '") {
		return bad("separator in the fraction")
	}
	if intPart == "" && frac == "" {
		return bad("no digits")
	}
	// Thousands separators: ",", "." (with DecimalComma), space, apostrophe.
	if strings.IndexByte(intPart, thou) >= 0 || strings.ContainsAny(intPart, " '\u00a0\u202f") {
		if !opt.AllowThousands {
			return bad("thousands separators are not allowed here")
		}
		groups := strings.FieldsFunc(intPart, func(r rune) bool {
			return r == rune(thou) || r == ' ' || r == '\'' || r == '\u00a0' || r == '\u202f'
		})
		if len(groups) < 2 || !validGrouping(groups) {
			return bad("misplaced thousands separator")
		}
		intPart = strings.Join(groups, "")
	}
	var v uint64
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return bad("unexpected character")
		}
		if v > (math.MaxInt64-9)/10 {
			return 0, Invalid(CodeMoneyOverflow, "amount %q is out of range", truncate(s, 40))
		}
		v = v*10 + uint64(c-'0')
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return bad("unexpected character")
		}
	}
	if len(frac) > digits {
		if strings.Trim(frac[digits:], "0") != "" {
			return bad("more fraction digits than the currency has")
		}
		frac = frac[:digits]
	}
	for i := 0; i < digits; i++ {
		d := uint64(0)
		if i < len(frac) {
			d = uint64(frac[i] - '0')
		}
		if v > (math.MaxInt64-d)/10 {
			return 0, Invalid(CodeMoneyOverflow, "amount %q is out of range", truncate(s, 40))
		}
		v = v*10 + d
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// validGrouping accepts western groups (1,234,567) and Indian ones
// (12,34,567): the last group has 3 digits; the first 1–3; the middle ones
// all 3 or all 2.
func validGrouping(g []string) bool {
	if l := len(g[0]); l < 1 || l > 3 {
		return false
	}
	if len(g[len(g)-1]) != 3 {
		return false
	}
	mid := g[1 : len(g)-1]
	if len(mid) == 0 {
		return true
	}
	w := len(mid[0])
	if w != 2 && w != 3 {
		return false
	}
	for _, m := range mid {
		if len(m) != w {
			return false
		}
	}
	return true
}

// FormatDecimal writes minor units as a plain decimal string with the given
// number of fraction digits: FormatDecimal(-1250, 2) == "-12.50".
func FormatDecimal(minor int64, digits int) string {
	u := uint64(minor)
	if minor < 0 {
		u = -u // two's complement: correct for math.MinInt64 too
	}
	d := strconv.FormatUint(u, 10)
	if len(d) <= digits {
		d = strings.Repeat("0", digits-len(d)+1) + d
	}
	if digits > 0 {
		d = d[:len(d)-digits] + "." + d[len(d)-digits:]
	}
	if minor < 0 {
		return "-" + d
	}
	return d
}

// Decimal returns m as a decimal string in the major unit: "-12.50" for
// -1250 EUR, "500" for 500 JPY, "1.250" for 1250 KWD.
func (m Money) Decimal() string { return FormatDecimal(m.Minor, m.Currency.MinorDigits()) }

// String returns "-12.50 EUR".
func (m Money) String() string { return m.Decimal() + " " + string(m.Currency) }

// LogValue redacts the amount: only the currency reaches logs.
func (m Money) LogValue() slog.Value {
	return slog.GroupValue(slog.String("amount", "[redacted]"), slog.String("currency", string(m.Currency)))
}

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Minor == 0 }

// Neg returns -m.
func (m Money) Neg() Money { return Money{Minor: -m.Minor, Currency: m.Currency} }

// Add returns m+o. Different currencies are refused, never converted, and
// an overflow is an error.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, Invalid(CodeCurrencyMismatch, "cannot add %s to %s", o.Currency, m.Currency)
	}
	s := m.Minor + o.Minor
	if (o.Minor > 0 && s < m.Minor) || (o.Minor < 0 && s > m.Minor) {
		return Money{}, Invalid(CodeMoneyOverflow, "amount out of range")
	}
	return Money{Minor: s, Currency: m.Currency}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
