package categorization

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/scalehq/scale/scale"
)

// Example is one generated transaction with its true category.
type Example struct {
	ID          string
	Date        scale.Date
	Description string
	// Amount is signed, in minor units of Currency.
	Amount   int64
	Currency scale.Currency
	Category scale.CategoryID
}

// CorpusConfig controls Generate.
type CorpusConfig struct {
	// Seed makes the corpus reproducible: the same seed and size always give
	// the same rows.
	Seed int64
	// Size is the number of rows.
	Size int
	// IDPrefix starts every row id ("t" when empty).
	IDPrefix string
	// Pool chooses the payees: PoolDefault (""), PoolAlternate or
	// PoolBlind, where the default new categories get other payees
	// (alternateMerchantTable, blindMerchantTable) for checking category
	// discovery on payees it was not developed on.
	Pool string
}

// The payee pools of CorpusConfig.Pool.
const (
	PoolDefault   = ""
	PoolAlternate = "alternate"
	PoolBlind     = "blind"
)

// ValidPool reports whether p names a payee pool.
func ValidPool(p string) bool { return p == PoolDefault || p == PoolAlternate || p == PoolBlind }

// CorpusCategories lists the categories the generator produces: the default
// taxonomy without Uncategorized.
func CorpusCategories() []scale.CategoryID {
	var ids []scale.CategoryID
	for _, c := range scale.DefaultCategories() {
		if c.ID != scale.Uncategorized {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// categoryWeight is the share of rows of each category.
var categoryWeight = map[scale.CategoryID]float64{
	"food": 0.20, "transport": 0.13, "utilities": 0.08, "salary": 0.04, "shopping": 0.13,
	"entertainment": 0.08, "health": 0.07, "education": 0.06, "finance": 0.07, "people": 0.08, "misc": 0.06,
}

// Generate returns a deterministic labelled corpus of bank transaction
// descriptions across many merchants per category, in the formats of
// several banks (card POS, UPI, NEFT/IMPS/ACH, SEPA direct debit, PayPal and
// Square prefixes, UK Faster Payments), with typos, truncation and noise,
// realistic signed amounts and monthly recurrence for bills, subscriptions
// and salaries.
func Generate(cfg CorpusConfig) []Example {
	g := newGenerator(cfg.Seed, cfg.Pool)
	prefix := cfg.IDPrefix
	if prefix == "" {
		prefix = "t"
	}
	out := make([]Example, cfg.Size)
	for i := range out {
		out[i] = g.example()
		out[i].ID = fmt.Sprintf("%s%06d", prefix, i+1)
	}
	return out
}

type generator struct {
	r         *rand.Rand
	merchants map[scale.CategoryID][]merchant
	cats      []scale.CategoryID
	cum       []float64
}

func newGenerator(seed int64, pool string) *generator {
	g := &generator{r: rand.New(rand.NewPCG(uint64(seed), 0x5ca1e)), merchants: parseMerchants(pool), cats: CorpusCategories()}
	total := 0.0
	for _, c := range g.cats {
		total += categoryWeight[c]
		g.cum = append(g.cum, total)
	}
	for i := range g.cum {
		g.cum[i] /= total
	}
	return g
}

func (g *generator) pick(n int) int { return g.r.IntN(n) }

func (g *generator) pickS(s []string) string { return s[g.r.IntN(len(s))] }

func (g *generator) example() Example {
	u := g.r.Float64()
	cat := g.cats[len(g.cats)-1]
	for i, c := range g.cum {
		if u < c {
			cat = g.cats[i]
			break
		}
	}
	ms := g.merchants[cat]
	// Popular merchants appear more often: weight 1/sqrt(rank).
	tot := 0.0
	for i := range ms {
		tot += 1 / math.Sqrt(float64(i+1))
	}
	v := g.r.Float64() * tot
	m := ms[len(ms)-1]
	for i := range ms {
		v -= 1 / math.Sqrt(float64(i+1))
		if v < 0 {
			m = ms[i]
			break
		}
	}
	reg := regionOf(m.regions[g.pick(len(m.regions))])
	date := g.date(m)
	amt := g.amount(m, reg)
	desc := g.describe(m, reg, date, amt)
	return Example{Date: date, Description: desc, Amount: amt, Currency: reg.currency, Category: cat}
}

func (g *generator) date(m merchant) scale.Date {
	month := time.Month(1 + g.pick(12))
	d := scale.Date{Year: 2025, Month: month, Day: 1}
	last := d.AddMonths(1).AddDays(-1).Day
	day := 1 + g.pick(last)
	if m.day > 0 {
		day = min(max(m.day+g.pick(3)-1, 1), last)
	}
	d.Day = day
	return d
}

func (g *generator) amount(m merchant, reg region) int64 {
	v := m.median * math.Exp(m.sigma*g.r.NormFloat64()) * reg.rate
	minor := int64(math.Round(v * 100))
	if reg.currency == "INR" && g.r.Float64() < 0.5 {
		minor = (minor / 100) * 100 // whole rupees are common
	}
	minor = max(minor, 100)
	switch m.sign {
	case '+':
		return minor
	case '~':
		if g.r.Float64() < 0.45 {
			return minor
		}
		return -minor
	}
	if m.category == "shopping" && g.r.Float64() < 0.03 {
		return minor // refund
	}
	return -minor
}

// digits returns n random decimal digits.
func (g *generator) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.pick(10)))
	}
	return b.String()
}

func (g *generator) upper(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('A' + g.pick(26)))
	}
	return b.String()
}

func (g *generator) card() string {
	switch g.pick(3) {
	case 0:
		return "XXXXXXXXXXXX" + g.digits(4)
	case 1:
		return "4" + g.digits(5) + "XXXXXX" + g.digits(4)
	}
	return "XX" + g.digits(4)
}

// merchantText returns the merchant as a bank might print it, with
// occasional typos, dropped words and truncation.
func (g *generator) merchantText(m merchant, reg region) string {
	name := m.name
	if name == "@P2P" {
		name = g.pickS(reg.first) + " " + g.pickS(reg.last)
	}
	words := strings.Fields(name)
	if len(words) > 2 && g.r.Float64() < 0.15 {
		words = words[:len(words)-1]
	}
	if g.r.Float64() < 0.12 {
		i := g.pick(len(words))
		words[i] = g.typo(words[i])
	}
	return strings.Join(words, " ")
}

func (g *generator) typo(w string) string {
	if len(w) < 4 {
		return w
	}
	b := []byte(w)
	i := 1 + g.pick(len(b)-2)
	switch g.pick(3) {
	case 0:
		b[i], b[i+1] = b[i+1], b[i]
	case 1:
		b = append(b[:i], b[i+1:]...)
	default:
		b = append(b[:i+1], b[i:]...)
	}
	return string(b)
}

var upiBanks = []string{"okicici", "oksbi", "okaxis", "ybl", "paytm", "okhdfcbank", "ibl", "axl"}
var ifsc = []string{"ICIC0001234", "HDFC0000240", "SBIN0004567", "UTIB0000012", "KKBK0000958", "YESB0000001"}
var monthAbbr = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

func squash(s string) string { return strings.ReplaceAll(s, " ", "") }

func trunc(s string, n int) string {
	if len(s) > n {
		return strings.TrimSpace(s[:n])
	}
	return s
}

// describe writes the description in one of the region's bank formats.
func (g *generator) describe(m merchant, reg region, d scale.Date, amt int64) string {
	name := g.merchantText(m, reg)
	city := g.pickS(reg.cities)
	credit := amt > 0
	recurring := m.day > 0 && g.r.Float64() < 0.75
	person := m.name == "@P2P"
	var s string
	switch reg.code {
	case 'I':
		s = g.describeIndia(m, name, city, d, credit, recurring, person)
	case 'U':
		s = g.describeUS(m, name, city, d, credit, recurring, person)
	case 'E':
		s = g.describeEuro(m, name, city, d, credit, recurring, person)
	default:
		s = g.describeUK(m, name, city, d, credit, recurring, person)
	}
	switch x := g.r.Float64(); {
	case x < 0.08:
		s = strings.ToLower(s)
	case x < 0.12:
		s = strings.Title(strings.ToLower(s)) //nolint:staticcheck // ASCII-only corpus
	case x < 0.16:
		s = strings.ReplaceAll(s, " ", "  ")
	}
	return s
}

func (g *generator) describeIndia(m merchant, name, city string, d scale.Date, credit, recurring, person bool) string {
	handle := strings.ToLower(squash(trunc(name, 12)))
	switch {
	case m.category == "salary":
		if g.pick(2) == 0 {
			return fmt.Sprintf("NEFT CR-%s-%s-SALARY FOR %s %d-N%s", g.pickS(ifsc), name, monthAbbr[int(d.Month)-1], d.Year, g.digits(12))
		}
		return fmt.Sprintf("NEFT/N%s/%s/SAL %s%d", g.digits(12), name, monthAbbr[int(d.Month)-1], d.Year%100)
	case person:
		dir := "DR"
		if credit {
			dir = "CR"
		}
		switch g.pick(3) {
		case 0:
			return fmt.Sprintf("UPI/%s/%s/%s/%s/Sent using Paytm", dir, g.digits(12), trunc(name, 20), g.pickS(upiBanks))
		case 1:
			return fmt.Sprintf("IMPS/P2A/%s/%s/%s", g.digits(12), name, g.pickS([]string{"HDFC BANK", "SBI", "AXIS BANK", "KOTAK"}))
		}
		return fmt.Sprintf("UPI-%s-%s@%s-%s-%s-NA", name, handle, g.pickS(upiBanks), g.pickS(ifsc), g.digits(12))
	case recurring:
		if g.pick(2) == 0 {
			return fmt.Sprintf("ACH/D-%s/%s", name, g.digits(9))
		}
		return fmt.Sprintf("NACH DR %s %s%s", trunc(name, 22), g.upper(4), g.digits(8))
	}
	switch g.pick(5) {
	case 0, 1:
		return fmt.Sprintf("UPI/DR/%s/%s/%s/%s", g.digits(12), trunc(name, 20), g.pickS(upiBanks), g.pickS([]string{"Payment", "UPI", "Pay", "Order"}))
	case 2:
		return fmt.Sprintf("UPI-%s-%s@%s-%s-%s-UPI", name, handle, g.pickS(upiBanks), g.pickS(ifsc), g.digits(12))
	case 3:
		return fmt.Sprintf("POS %s %s %s", g.card(), trunc(name, 23), city)
	}
	return fmt.Sprintf("PCD/%s/%s %s/%s", g.digits(4), name, city, d.String())
}

func (g *generator) describeUS(m merchant, name, city string, d scale.Date, credit, recurring, person bool) string {
	switch {
	case m.category == "salary":
		if g.pick(2) == 0 {
			return fmt.Sprintf("DIRECT DEP %s PPD ID: %s", name, g.digits(10))
		}
		return fmt.Sprintf("%s DES:PAYROLL ID:%s INDN:%s CO ID:%s PPD", name, g.digits(9), g.upper(6), g.digits(10))
	case person:
		switch {
		case credit && g.pick(2) == 0:
			return fmt.Sprintf("ZELLE FROM %s ON %02d/%02d REF # %s", name, int(d.Month), d.Day, g.upper(3)+g.digits(6))
		case credit:
			return fmt.Sprintf("VENMO CASHOUT %s %s", g.digits(10), name)
		case g.pick(2) == 0:
			return fmt.Sprintf("ZELLE PAYMENT TO %s CONF# %s", name, strings.ToLower(g.upper(9)))
		}
		return fmt.Sprintf("VENMO *%s VISA DIRECT NY", name)
	case recurring:
		if g.pick(2) == 0 {
			return fmt.Sprintf("ACH DEBIT %s PPD ID: %s", name, g.digits(10))
		}
		return fmt.Sprintf("%s DES:BILL PAY ID:%s INDN:%s CO ID:%s WEB", trunc(name, 20), g.digits(11), g.upper(8), g.digits(10))
	}
	store := "#" + g.digits(4)
	switch g.pick(6) {
	case 0, 1:
		return fmt.Sprintf("POS DEBIT %02d%02d %s %s %s", int(d.Month), d.Day, trunc(name, 22), store, city)
	case 2:
		return fmt.Sprintf("DEBIT CARD PURCHASE - %s %s CARD %s", name, city, g.digits(4))
	case 3:
		return fmt.Sprintf("SQ *%s %s", trunc(name, 20), strings.Title(strings.ToLower(city))) //nolint:staticcheck // ASCII-only corpus
	case 4:
		return fmt.Sprintf("PAYPAL *%s %s-%s-%s CA", trunc(squash(name), 15), g.digits(3), g.digits(3), g.digits(4))
	}
	return fmt.Sprintf("TST* %s %s %s", trunc(name, 20), store, city)
}

func (g *generator) describeEuro(m merchant, name, city string, d scale.Date, credit, recurring, person bool) string {
	switch {
	case m.category == "salary":
		return fmt.Sprintf("SEPA GUTSCHRIFT %s LOHN/GEHALT %02d/%d END-TO-END-REF %s", name, int(d.Month), d.Year, g.digits(10))
	case person:
		if credit {
			return fmt.Sprintf("SEPA GUTSCHRIFT %s %s IBAN DE%s", name, g.pickS([]string{"DANKE", "MIETE ANTEIL", "ESSEN", "GESCHENK"}), g.digits(20))
		}
		return fmt.Sprintf("SEPA-UEBERWEISUNG AN %s IBAN NL%sINGB%s", name, g.digits(2), g.digits(10))
	case recurring:
		if g.pick(2) == 0 {
			return fmt.Sprintf("SEPA-LASTSCHRIFT %s MANDAT %s GLAEUBIGER-ID DE%sZZZ%s", name, g.upper(2)+g.digits(8), g.digits(2), g.digits(11))
		}
		return fmt.Sprintf("SEPA DD %s REF %s", name, g.upper(3)+g.digits(9))
	}
	switch g.pick(5) {
	case 0, 1:
		return fmt.Sprintf("KARTENZAHLUNG %s %s %s", name, city, d.String())
	case 2:
		return fmt.Sprintf("CB %s %02d/%02d %s CARTE %s", trunc(name, 20), d.Day, int(d.Month), city, g.card())
	case 3:
		return fmt.Sprintf("PAYPAL *%s %s", trunc(squash(name), 15), g.digits(11))
	}
	return fmt.Sprintf("VISA %s %s NR %s", name, city, g.card())
}

func (g *generator) describeUK(m merchant, name, city string, d scale.Date, credit, recurring, person bool) string {
	switch {
	case m.category == "salary":
		if g.pick(2) == 0 {
			return fmt.Sprintf("BGC %s SALARY %s", name, g.digits(6))
		}
		return fmt.Sprintf("BANK GIRO CREDIT REF %s PAY %s", name, monthAbbr[int(d.Month)-1])
	case person:
		if credit {
			return fmt.Sprintf("FPI %s REF %s", name, g.upper(2)+g.digits(6))
		}
		return fmt.Sprintf("FASTER PAYMENT TO %s REF %s", name, strings.ToLower(g.pickS([]string{"DINNER", "RENT", "THANKS", "BILLS", "GIFT"})))
	case recurring:
		if g.pick(2) == 0 {
			return fmt.Sprintf("DD %s %s", name, g.digits(8))
		}
		return fmt.Sprintf("DIRECT DEBIT PAYMENT TO %s REF %s", trunc(name, 18), g.upper(3)+g.digits(7))
	}
	switch g.pick(4) {
	case 0, 1:
		return fmt.Sprintf("CARD PAYMENT TO %s ON %02d %s", trunc(name, 18), d.Day, monthAbbr[int(d.Month)-1])
	case 2:
		return fmt.Sprintf("%s %s GB %s", trunc(name, 20), city, g.card())
	}
	return fmt.Sprintf("CONTACTLESS %s %s", name, city)
}

// DefaultNewCategories are the categories SplitGCD holds back by default:
// they appear only unlabelled, as categories to discover.
func DefaultNewCategories() []scale.CategoryID {
	return []scale.CategoryID{"health", "education", "entertainment"}
}

// GCDSplit is a generalized-category-discovery split of a corpus.
type GCDSplit struct {
	Old, New []scale.CategoryID
	// Labelled holds a fraction of the Old categories' rows.
	Labelled []Example
	// Unlabelled holds the other Old rows and every New row; Category keeps
	// the truth for evaluation.
	Unlabelled []Example
}

// SplitGCD splits examples as in the HypCD paper: labelledFraction of each
// Old category's rows are labelled; the rest of them and all rows of the
// New categories are unlabelled.
func SplitGCD(examples []Example, newCats []scale.CategoryID, labelledFraction float64, seed int64) GCDSplit {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6cd))
	isNew := map[scale.CategoryID]bool{}
	for _, c := range newCats {
		isNew[c] = true
	}
	var s GCDSplit
	s.New = append(s.New, newCats...)
	for _, c := range CorpusCategories() {
		if !isNew[c] {
			s.Old = append(s.Old, c)
		}
	}
	for _, e := range examples {
		if !isNew[e.Category] && r.Float64() < labelledFraction {
			s.Labelled = append(s.Labelled, e)
		} else {
			s.Unlabelled = append(s.Unlabelled, e)
		}
	}
	return s
}
