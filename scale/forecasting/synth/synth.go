package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/scalehq/scale/scale"
)

// Config chooses what to generate.
type Config struct {
	// Users is the number of users (default 5).
	Users int
	// Years is the length of each history in years (default 4).
	Years int
	// Seed makes the run reproducible.
	Seed uint64
	// Start is the first day (default 2021-01-01).
	Start scale.Date
	// Currency of every amount (default EUR).
	Currency scale.Currency
	// NoAnomalies leaves out the injected anomalies.
	NoAnomalies bool
}

// History is one synthetic user's history with its ground truth.
type History struct {
	User     scale.UserID
	Account  scale.AccountID
	Currency scale.Currency
	From, To scale.Date
	// Transactions are sorted by (date, id).
	Transactions []scale.Transaction
	// Streams are the recurring streams that were generated.
	Streams []StreamTruth
	// Anomalies are the injected anomalies.
	Anomalies []Injected
}

// StreamTruth describes a generated recurring stream.
type StreamTruth struct {
	Merchant string
	// Period is "weekly", "monthly", "quarterly" or "yearly".
	Period string
	// Rule is "last_business_day", "fixed_day", "weekday".
	Rule string
}

// Injected is one injected anomaly: its kind and the transactions a
// detector should flag.
type Injected struct {
	Kind         scale.AnomalyKind
	Transactions []scale.TransactionID
	Note         string
}

func (c Config) withDefaults() Config {
	if c.Users <= 0 {
		c.Users = 5
	}
	if c.Years <= 0 {
		c.Years = 4
	}
	if c.Start.IsZero() {
		c.Start = scale.Date{Year: 2021, Month: time.January, Day: 1}
	}
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	return c
}

// Generate returns one History per user.
func Generate(c Config) []History {
	c = c.withDefaults()
	out := make([]History, c.Users)
	for u := range out {
		out[u] = generateUser(c, u)
	}
	return out
}

type merchant struct {
	name     string
	category scale.CategoryID
	mean     float64 // in major units
	weight   float64
}

var discretionary = []merchant{
	{"LIDL SAGT DANKE", "food", 18, 3},
	{"ALDI SUED", "food", 22, 2.5},
	{"BAECKEREI KAMPS", "food", 6, 3},
	{"CAFE CENTRAL", "food", 9, 2},
	{"PIZZERIA NAPOLI", "food", 28, 1},
	{"SUSHI BAR KYOTO", "food", 35, 0.6},
	{"DM DROGERIE", "shopping", 16, 1},
	{"H&M", "shopping", 45, 0.4},
	{"ZALANDO", "shopping", 60, 0.3},
	{"IKEA", "shopping", 75, 0.15},
	{"SHELL TANKSTELLE", "transport", 55, 0.5},
	{"UBER TRIP", "transport", 17, 0.6},
	{"CINEMAXX", "entertainment", 24, 0.3},
	{"STEAM GAMES", "entertainment", 20, 0.15},
	{"APOTHEKE AM MARKT", "health", 14, 0.4},
}

var employers = []string{"ACME GMBH", "NORDWIND AG", "BLUE OCEAN LTD", "SIEMENS AG", "KRAUSE & SOEHNE"}
var newShops = []string{"LUXUS UHREN BOUTIQUE", "SUNNY TRAVEL AGENCY", "GADGET WORLD ONLINE", "PREMIUM BIKES", "ART GALLERY NOVA", "JEWELRY PALACE"}

// weekdayRate is the mean number of discretionary purchases per weekday
// (Sunday first).
var weekdayRate = [7]float64{0.9, 1.5, 1.5, 1.6, 1.7, 2.3, 2.7}

// domRate is the payday effect by day of month.
func domRate(d scale.Date) float64 {
	switch {
	case d.Day <= 7:
		return 1.3
	case d.Day >= 22:
		return 0.8
	}
	return 1.0
}

type gen struct {
	r       *rand.Rand
	h       *History
	seq     int
	scale   float64
	growth  float64
	account scale.AccountID
}

func (g *gen) add(d scale.Date, major float64, name string, cat scale.CategoryID) *scale.Transaction {
	minor := int64(math.Round(major * 100))
	if minor == 0 {
		minor = -1
	}
	g.seq++
	id := fmt.Sprintf("%s-t%06d", g.h.User, g.seq)
	t := scale.Transaction{
		ID:          scale.TransactionID(id),
		Fingerprint: "synth:" + id,
		User:        g.h.User,
		Account:     g.account,
		Date:        d,
		Amount:      scale.Money{Minor: minor, Currency: g.h.Currency},
		Description: fmt.Sprintf("%s REF %d", name, g.r.IntN(900000)+100000),
		Merchant:    name,
		Label:       scale.Label{Category: cat, Source: scale.SourceImport, Confidence: 1},
	}
	g.h.Transactions = append(g.h.Transactions, t)
	return &g.h.Transactions[len(g.h.Transactions)-1]
}

// level is the price level on day i (2% a year).
func (g *gen) level(i int) float64 { return math.Pow(1+g.growth, float64(i)/365.25) }

func lognormal(r *rand.Rand, sigma float64) float64 {
	return math.Exp(r.NormFloat64()*sigma - sigma*sigma/2)
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func weekend(d scale.Date) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }

func lastBusinessDay(y int, m time.Month) scale.Date {
	d := scale.Date{Year: y, Month: m, Day: daysIn(y, m)}
	for weekend(d) {
		d = d.AddDays(-1)
	}
	return d
}

func dayOf(y int, m time.Month, dom int, following bool) scale.Date {
	d := scale.Date{Year: y, Month: m, Day: min(dom, daysIn(y, m))}
	for following && weekend(d) {
		d = d.AddDays(1)
	}
	return d
}

type subscription struct {
	name   string
	price  float64
	dom    int
	yearly bool
}

func generateUser(c Config, u int) History {
	h := History{
		User:     scale.UserID(fmt.Sprintf("synth-u%02d", u+1)),
		Account:  scale.AccountID(fmt.Sprintf("synth-a%02d", u+1)),
		Currency: c.Currency,
		From:     c.Start,
	}
	end := c.Start.AddMonths(12 * c.Years).AddDays(-1)
	h.To = end
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, uint64(u)+1)), h: &h, account: h.Account}
	g.scale = 0.7 + 0.9*g.r.Float64()
	g.growth = 0.02
	employer := employers[u%len(employers)] + " GEHALT"
	salary := math.Round(2600 * g.scale)
	rent := math.Round(950*g.scale) + 0.5
	subs := []subscription{
		{"NETFLIX.COM", 12.99, 3 + g.r.IntN(20), false},
		{"SPOTIFY AB", 9.99, 3 + g.r.IntN(20), false},
		{"FITX FITNESSSTUDIO", 24.90, 1 + g.r.IntN(10), false},
		{"AMAZON PRIME", 89.90, 3 + g.r.IntN(15), true},
	}
	subs = subs[:2+g.r.IntN(3)]
	hasLoan := u%2 == 0
	hasTransit := u%3 != 1
	insuranceDay := 5 + g.r.IntN(15)
	phone := 29.99 + float64(g.r.IntN(3))*10
	h.Streams = append(h.Streams,
		StreamTruth{employer, "monthly", "last_business_day"},
		StreamTruth{"HAUSVERWALTUNG MIETE", "monthly", "fixed_day"},
		StreamTruth{"REWE MARKT", "weekly", "weekday"},
		StreamTruth{"ALLIANZ VERSICHERUNG", "yearly", "fixed_day"},
		StreamTruth{"STADTWERKE STROM", "quarterly", "fixed_day"},
		StreamTruth{"TELEKOM MOBILFUNK", "monthly", "fixed_day"},
	)
	if hasLoan {
		h.Streams = append(h.Streams, StreamTruth{"SANTANDER KREDIT RATE", "monthly", "fixed_day"})
	}
	for _, s := range subs {
		p := "monthly"
		if s.yearly {
			p = "yearly"
		}
		h.Streams = append(h.Streams, StreamTruth{s.name, p, "fixed_day"})
	}

	// Price increases: one subscription rises once, after a year or more.
	type rise struct {
		sub  int
		from scale.Date
		pct  float64
	}
	var rises []rise
	if !c.NoAnomalies {
		for i, s := range subs {
			if s.yearly || g.r.Float64() < 0.3 {
				continue
			}
			from := c.Start.AddDays(400 + g.r.IntN(max(1, end.Sub(c.Start)-500)))
			rises = append(rises, rise{i, from, 0.12 + 0.15*g.r.Float64()})
		}
	}
	priceOf := func(i int, d scale.Date) (float64, bool) {
		p := subs[i].price
		for _, r := range rises {
			if r.sub == i && !d.Before(r.from) {
				return math.Round(p*(1+r.pct)*100) / 100, true
			}
		}
		return p, false
	}
	firstAtNewPrice := map[int]bool{}

	for d, i := c.Start, 0; !d.After(end); d, i = d.AddDays(1), i+1 {
		lv := g.level(i)
		y, m := d.Year, d.Month
		if d == lastBusinessDay(y, m) {
			g.add(d, salary*math.Pow(1.03, float64(d.Year-c.Start.Year)), employer, "salary")
		}
		if d == dayOf(y, m, 1, true) {
			g.add(d, -rent, "HAUSVERWALTUNG MIETE", "misc")
		}
		if hasLoan && d == dayOf(y, m, 15, true) {
			g.add(d, -math.Round(320*g.scale), "SANTANDER KREDIT RATE", "finance")
		}
		if d == dayOf(y, m, 20, false) {
			g.add(d, -phone, "TELEKOM MOBILFUNK", "utilities")
		}
		if (m-1)%3 == 0 && d == dayOf(y, m, 10, true) {
			g.add(d, -math.Round(140*g.scale*lv*(0.9+0.2*g.r.Float64())*100)/100, "STADTWERKE STROM", "utilities")
		}
		if m == time.January && d.Day == insuranceDay {
			g.add(d, -math.Round(420*g.scale*lv), "ALLIANZ VERSICHERUNG", "finance")
		}
		for si, s := range subs {
			due := d.Day == min(s.dom, daysIn(y, m))
			if s.yearly {
				due = due && m == time.January
			}
			if !due {
				continue
			}
			p, raised := priceOf(si, d)
			t := g.add(d, -p, s.name, "entertainment")
			if raised && !firstAtNewPrice[si] {
				firstAtNewPrice[si] = true
				for _, r := range rises {
					if r.sub == si {
						h.Anomalies = append(h.Anomalies, Injected{scale.AnomalyPriceIncrease, []scale.TransactionID{t.ID},
							fmt.Sprintf("%s +%.0f%%", s.name, r.pct*100)})
					}
				}
			}
		}
		if d.Weekday() == time.Saturday {
			g.add(d, -math.Round(80*g.scale*lv*lognormal(g.r, 0.2)*100)/100, "REWE MARKT", "food")
		}
		if hasTransit && !weekend(d) {
			g.add(d, -2.90, "MVG FAHRKARTE", "transport")
		}
		n := poisson(g.r, weekdayRate[d.Weekday()]*domRate(d))
		for range n {
			mm := pick(g.r)
			g.add(d, -math.Round(mm.mean*g.scale*lv*lognormal(g.r, 0.35)*100)/100, mm.name, mm.category)
		}
	}
	if !c.NoAnomalies {
		g.inject(c, end)
	}
	slices.SortFunc(h.Transactions, func(a, b scale.Transaction) int {
		if x := a.Date.Compare(b.Date); x != 0 {
			return x
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return h
}

func pick(r *rand.Rand) merchant {
	var total float64
	for _, m := range discretionary {
		total += m.weight
	}
	x := r.Float64() * total
	for _, m := range discretionary {
		if x < m.weight {
			return m
		}
		x -= m.weight
	}
	return discretionary[len(discretionary)-1]
}

// inject adds about five anomalies a year, none in the first 120 days.
func (g *gen) inject(c Config, end scale.Date) {
	h := g.h
	span := end.Sub(c.Start) - 150
	events := c.Years * 4
	kinds := []scale.AnomalyKind{scale.AnomalyAmountOutlier, scale.AnomalyNewMerchant, scale.AnomalyDuplicateCharge, scale.AnomalyFrequencyBurst}
	base := len(h.Transactions)
	for e := range events {
		kind := kinds[e%len(kinds)]
		d := c.Start.AddDays(120 + g.r.IntN(span))
		lv := g.level(d.Sub(c.Start))
		switch kind {
		case scale.AnomalyAmountOutlier:
			mm := discretionary[g.r.IntN(6)]
			t := g.add(d, -math.Round(mm.mean*g.scale*lv*(7+5*g.r.Float64())*100)/100, mm.name, mm.category)
			h.Anomalies = append(h.Anomalies, Injected{kind, []scale.TransactionID{t.ID}, mm.name})
		case scale.AnomalyNewMerchant:
			name := newShops[(e/len(kinds)+int(g.scale*100))%len(newShops)] + fmt.Sprintf(" %c", 'A'+rune(e))
			t := g.add(d, -math.Round((700+1500*g.r.Float64())*g.scale), name, "shopping")
			h.Anomalies = append(h.Anomalies, Injected{kind, []scale.TransactionID{t.ID}, name})
		case scale.AnomalyDuplicateCharge:
			var orig *scale.Transaction
			for tries := 0; tries < 200 && orig == nil; tries++ {
				t := &h.Transactions[g.r.IntN(base)]
				if t.Amount.Minor < -300 && t.Date.Sub(c.Start) > 120 && t.Merchant != "MVG FAHRKARTE" {
					orig = t
				}
			}
			if orig == nil {
				continue
			}
			o := *orig
			t := g.add(o.Date.AddDays(g.r.IntN(2)), float64(o.Amount.Minor)/100, o.Merchant, o.Label.Category)
			h.Anomalies = append(h.Anomalies, Injected{kind, []scale.TransactionID{t.ID}, o.Merchant})
		case scale.AnomalyFrequencyBurst:
			var ids []scale.TransactionID
			for range 4 + g.r.IntN(3) {
				t := g.add(d, -math.Round((5+45*g.r.Float64())*100)/100, "STEAM GAMES", "entertainment")
				ids = append(ids, t.ID)
			}
			h.Anomalies = append(h.Anomalies, Injected{kind, ids, "STEAM GAMES"})
		}
	}
}
