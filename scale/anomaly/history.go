package anomaly

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// item is a debit of the history with what the detectors need.
type item struct {
	t   *scale.Transaction
	day int   // days since 1970-01-01
	abs int64 // positive amount in minor units
	key string
	ck  string // currency + merchant key
}

// prepare returns the debits of txs in (date, id) order.
func prepare(txs []scale.Transaction) []item {
	out := make([]item, 0, len(txs))
	keys := map[string]string{}
	for i := range txs {
		t := &txs[i]
		if t.Amount.Minor >= 0 {
			continue
		}
		raw := t.Merchant
		if strings.TrimSpace(raw) == "" {
			raw = t.Description
		}
		k, ok := keys[raw]
		if !ok {
			k = merchantKey(raw)
			keys[raw] = k
		}
		if k == "" {
			continue
		}
		out = append(out, item{t: t, day: int(t.Date.Time().Unix() / 86400), abs: -t.Amount.Minor, key: k,
			ck: string(t.Amount.Currency) + "|" + k})
	}
	slices.SortFunc(out, func(a, b item) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.t.ID, b.t.ID)) })
	return out
}

var noise = map[string]bool{"pos": true, "card": true, "debit": true, "purchase": true, "payment": true,
	"ref": true, "sepa": true, "www": true, "com": true, "visa": true, "mastercard": true, "online": true}

// merchantKey lower-cases s and keeps up to four tokens without digits or
// payment-rail noise.
func merchantKey(s string) string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := make([]string, 0, 4)
	for _, f := range fields {
		if noise[f] || len([]rune(f)) < 2 || strings.IndexFunc(f, unicode.IsDigit) >= 0 {
			continue
		}
		if out = append(out, f); len(out) == 4 {
			break
		}
	}
	return strings.Join(out, " ")
}

func name(t *scale.Transaction) string {
	if s := strings.TrimSpace(t.Merchant); s != "" {
		return s
	}
	return strings.TrimSpace(t.Description)
}

// money formats minor units of cur as "12.50 EUR".
func money(minor int64, cur scale.Currency) string {
	return scale.Money{Minor: minor, Currency: cur}.Decimal() + " " + string(cur)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func medianFloat(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func madFloat(xs []float64, m float64) float64 {
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return medianFloat(d)
}
