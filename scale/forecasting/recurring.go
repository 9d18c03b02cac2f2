package forecasting

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scalehq/scale/scale"
)

// periodSpec describes how a period is recognized.
type periodSpec struct {
	period  Period
	days    float64
	lo, hi  float64 // range of the median gap
	tol     float64 // accepted deviation of a gap from a multiple of days
	months  int     // months per period for calendar periods, 0 otherwise
	minOccs int
}

var periodSpecs = []periodSpec{
	{Weekly, 7, 6, 8, 1, 0, 3},
	{Biweekly, 14, 12, 16, 2, 0, 3},
	{Monthly, 30.44, 26, 35, 4, 1, 3},
	{Quarterly, 91.31, 80, 102, 8, 3, 3},
	{Yearly, 365.25, 350, 380, 10, 12, 2},
}

const (
	minRegularity = 0.7
	maxSpread     = 0.35
	clusterGap    = 1.15
	// fixedPriceSpread is the largest relative spread of a fixed price.
	fixedPriceSpread = 0.02
)

type groupKey struct {
	cur scale.Currency
	dir scale.Type
	key string
}

// member is a transaction of a candidate stream.
type member struct {
	t   *scale.Transaction
	day int // dayNumber of t.Date
	abs int64
}

// DetectRecurring finds the recurring streams among txs, using only those
// dated on or before asOf. Streams of different currencies are separate.
// The result is ordered by direction (credits first), then next date, then
// key, and is deterministic.
func DetectRecurring(txs []scale.Transaction, asOf scale.Date) []Stream {
	ptrs := make([]*scale.Transaction, len(txs))
	for i := range txs {
		ptrs[i] = &txs[i]
	}
	return detect(ptrs, asOf)
}

func detect(txs []*scale.Transaction, asOf scale.Date) []Stream {
	groups := map[groupKey][]member{}
	keys := map[string]string{}
	for _, t := range txs {
		if t.Date.After(asOf) || t.Amount.Minor == 0 {
			continue
		}
		raw := t.Merchant
		if strings.TrimSpace(raw) == "" {
			raw = t.Description
		}
		key, ok := keys[raw]
		if !ok {
			key = normalizeText(raw)
			keys[raw] = key
		}
		if key == "" {
			continue
		}
		k := groupKey{t.Amount.Currency, t.Type(), key}
		groups[k] = append(groups[k], member{t: t, day: dayNumber(t.Date), abs: absMinor(t)})
	}
	gks := make([]groupKey, 0, len(groups))
	for k := range groups {
		gks = append(gks, k)
	}
	slices.SortFunc(gks, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.cur, b.cur), cmp.Compare(a.dir, b.dir), cmp.Compare(a.key, b.key))
	})
	var out []Stream
	for _, k := range gks {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		sortMembers(g)
		if s, ok := fitStream(g, k.key, asOf, 0); ok {
			out = append(out, s)
			continue
		}
		for i, c := range amountClusters(g) {
			if s, ok := fitStream(c, k.key, asOf, i+1); ok {
				out = append(out, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b Stream) int {
		return cmp.Or(cmp.Compare(a.Direction, b.Direction), a.NextDate.Compare(b.NextDate), cmp.Compare(a.Key, b.Key), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func sortMembers(m []member) {
	if slices.IsSortedFunc(m, compareMembers) {
		return
	}
	slices.SortFunc(m, compareMembers)
}

func compareMembers(a, b member) int {
	return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.t.ID, b.t.ID))
}

func sortTxs(txs []*scale.Transaction) {
	cmpTx := func(a, b *scale.Transaction) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	}
	if !slices.IsSortedFunc(txs, cmpTx) {
		slices.SortFunc(txs, cmpTx)
	}
}

// amountClusters splits date-sorted members into clusters of similar
// absolute amount (adjacent amounts within 15%), each date-sorted. The
// whole group is never returned as a cluster: it was tried already.
func amountClusters(g []member) [][]member {
	order := make([]int, len(g))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(g[a].abs, g[b].abs), cmp.Compare(a, b)) })
	cluster := make([]int, len(g))
	sizes := []int{0}
	for k, i := range order {
		if k > 0 && float64(g[i].abs) > float64(g[order[k-1]].abs)*clusterGap {
			sizes = append(sizes, 0)
		}
		cluster[i] = len(sizes) - 1
		sizes[len(sizes)-1]++
	}
	if len(sizes) == 1 {
		return nil
	}
	out := make([][]member, len(sizes))
	for i, m := range g {
		if sizes[cluster[i]] >= 2 {
			out[cluster[i]] = append(out[cluster[i]], m)
		}
	}
	return slices.DeleteFunc(out, func(c []member) bool { return c == nil })
}

// nearlyEqual reports whether two amounts are within 5% of each other.
func nearlyEqual(a, b member) bool {
	x, y := float64(a.abs), float64(b.abs)
	return math.Abs(x-y) <= 0.05*math.Max(x, y)
}

func absMinor(t *scale.Transaction) int64 {
	if t.Amount.Minor < 0 {
		return -t.Amount.Minor
	}
	return t.Amount.Minor
}

// fitStream decides whether date-sorted members form a stream.
func fitStream(m []member, key string, asOf scale.Date, cluster int) (Stream, bool) {
	gaps := make([]float64, len(m)-1)
	for i := 1; i < len(m); i++ {
		gaps[i-1] = float64(m[i].day - m[i-1].day)
	}
	medGap := median(gaps)
	var spec periodSpec
	found := false
	for _, p := range periodSpecs {
		if medGap >= p.lo && medGap <= p.hi {
			spec, found = p, true
			break
		}
	}
	if !found || len(m) < spec.minOccs {
		return Stream{}, false
	}
	if len(m) < 3 && (!nearlyEqual(m[0], m[1]) || math.Abs(gaps[0]-spec.days) > 5) {
		return Stream{}, false
	}
	regular, skipped := 0, 0
	for _, g := range gaps {
		switch {
		case math.Abs(g-spec.days) <= spec.tol:
			regular++
		case math.Abs(g-2*spec.days) <= 2*spec.tol:
			regular++
			skipped++
		}
	}
	regularity := float64(regular) / float64(len(gaps))
	if regularity < minRegularity {
		return Stream{}, false
	}
	amounts := make([]float64, len(m))
	for i, x := range m {
		amounts[i] = float64(x.abs)
	}
	medAmt := median(amounts)
	spread := mad(amounts, medAmt) / medAmt
	if spread > maxSpread {
		return Stream{}, false
	}
	sign := int64(1)
	if m[0].t.Amount.Minor < 0 {
		sign = -1
	}
	last := m[len(m)-1].t
	s := Stream{
		Direction:   last.Type(),
		Name:        displayName(*last),
		Key:         key,
		Currency:    last.Amount.Currency,
		Period:      spec.period,
		PeriodDays:  spec.days,
		Amount:      sign * roundMinor(medAmt),
		Tolerance:   math.Round(spread*1000) / 1000,
		FirstDate:   m[0].t.Date,
		LastDate:    last.Date,
		LastAmount:  last.Amount.Minor,
		Occurrences: len(m),
		Skipped:     skipped,
	}
	for i := 1; i < len(m); i++ {
		if m[i].abs != m[i-1].abs {
			s.priceChanges++
		}
	}
	s.ID = streamID(s, cluster)
	s.Accounts, s.Category = accountsAndCategory(m)
	s.Members = make([]scale.TransactionID, len(m))
	for i, x := range m {
		s.Members[i] = x.t.ID
	}
	recent := amounts[max(0, len(amounts)-12):]
	sortedRecent := slices.Sorted(slices.Values(recent))
	s.AmountLow = sign * roundMinor(quantileSorted(sortedRecent, 0.1))
	s.AmountHigh = sign * roundMinor(quantileSorted(sortedRecent, 0.9))
	if sign < 0 {
		s.AmountLow, s.AmountHigh = s.AmountHigh, s.AmountLow
	}
	recentMed := median(recent)
	for _, a := range recent {
		s.deviations = append(s.deviations, a/recentMed-1)
	}
	s.spread = deviationsOf(&s)
	// A fixed price follows its latest charges (a change is adopted after
	// two); a variable amount is the median of the last twelve, so that one
	// noisy charge does not move every projected occurrence.
	recentN := 12
	if spread <= fixedPriceSpread {
		recentN = 3
	}
	s.NextAmount = sign * roundMinor(median(amounts[max(0, len(amounts)-recentN):]))

	if spec.months > 0 {
		s.Rule, s.DayOfMonth, s.Adjustment = fitDayRule(m)
	} else {
		s.Rule, s.Weekday = RuleWeekday, modeWeekday(m).String()
	}
	s.NextDate = s.nextAfter(last.Date, asOf)
	overdue := float64(asOf.Sub(last.Date))
	s.Active = overdue <= 2*spec.days+spec.tol
	// Two yearly charges are as telling as four monthly ones.
	countScale := 3.0
	if spec.months >= 3 {
		countScale = 1
	}
	countFactor := 1 - math.Exp(-float64(len(m)-1)/countScale)
	amountFactor := 1 - 0.5*math.Min(1, spread/maxSpread)
	conf := regularity * countFactor * amountFactor
	if !s.Active {
		conf *= 0.5
	}
	s.Confidence = math.Round(conf*1000) / 1000
	s.Kind = classify(s)
	return s, true
}

func streamID(s Stream, cluster int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%s|%s|%d", s.Currency, s.Direction, s.Key, s.Period, cluster)
	return fmt.Sprintf("rs_%016x", h.Sum64())
}

func accountsAndCategory(m []member) ([]scale.AccountID, scale.CategoryID) {
	var accts []scale.AccountID
	counts := map[scale.CategoryID]int{}
	for _, x := range m {
		t := x.t
		if !slices.Contains(accts, t.Account) {
			accts = append(accts, t.Account)
		}
		counts[categoryOf(t)]++
	}
	slices.Sort(accts)
	best, bestN := scale.Uncategorized, 0
	for c, n := range counts {
		if n > bestN || n == bestN && c < best {
			best, bestN = c, n
		}
	}
	return accts, best
}

func categoryOf(t *scale.Transaction) scale.CategoryID {
	if t.Label.Category == "" {
		return scale.Uncategorized
	}
	return t.Label.Category
}

func modeWeekday(m []member) time.Weekday {
	var n [7]int
	for _, x := range m {
		n[weekdayOf(x.day)]++
	}
	best := 0
	for i := range n {
		if n[i] > n[best] {
			best = i
		}
	}
	return time.Weekday(best)
}

// fitDayRule picks the day rule that explains most member dates.
func fitDayRule(m []member) (DayRule, int, Adjustment) {
	var days [32]int
	for _, x := range m {
		days[x.t.Date.Day]++
	}
	dom := 1
	for d := 1; d <= 31; d++ {
		if days[d] > days[dom] {
			dom = d
		}
	}
	type cand struct {
		rule DayRule
		dom  int
		adj  Adjustment
	}
	cands := []cand{
		{RuleLastBusinessDay, 0, ""}, {RuleLastDay, 0, ""},
		{RuleFixedDay, dom, AdjustNone}, {RuleFixedDay, dom, AdjustFollowing}, {RuleFixedDay, dom, AdjustPreceding},
		// Month-end dates moved to the next business day have no common
		// day of month.
		{RuleFixedDay, 31, AdjustFollowing},
	}
	best, bestN := cands[2], -1
	for _, c := range cands {
		n := 0
		for _, x := range m {
			idx := monthIndex(x.t.Date)
			for _, k := range []int{idx - 1, idx, idx + 1} {
				if ruleDate(c.rule, c.dom, c.adj, k) == x.t.Date {
					n++
					break
				}
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best.rule, best.dom, best.adj
}

// nextAfter returns the first date of the stream after both last and asOf.
func (s Stream) nextAfter(last, asOf scale.Date) scale.Date {
	d := s.following(last)
	for !d.After(asOf) {
		d = s.following(d)
	}
	return d
}

// following returns the stream's next date after d, at least half a period
// later.
func (s Stream) following(d scale.Date) scale.Date {
	if s.Rule == RuleWeekday {
		return addDays(d, int(s.PeriodDays))
	}
	step := map[Period]int{Monthly: 1, Quarterly: 3, Yearly: 12}[s.Period]
	minGap := int(s.PeriodDays / 2)
	// A date moved into the next month by the business-day rule belongs to
	// the month before.
	base := monthIndex(d)
	if ruleDate(s.Rule, s.DayOfMonth, s.Adjustment, base-1) == d {
		base--
	}
	for k := 0; ; k += step {
		c := ruleDate(s.Rule, s.DayOfMonth, s.Adjustment, base+k)
		if dayNumber(c)-dayNumber(d) >= minGap {
			return c
		}
	}
}

// Dates returns the stream's expected dates in [from, to]; none for
// an inactive stream.
func (s Stream) Dates(from, to scale.Date) []scale.Date {
	if !s.Active || s.NextDate.IsZero() {
		return nil
	}
	var out []scale.Date
	for d := s.NextDate; !d.After(to); d = s.following(d) {
		if !d.Before(from) {
			out = append(out, d)
		}
	}
	return out
}

var kindWords = []struct {
	kind  StreamKind
	words []string
}{
	{KindSalary, []string{"salary", "payroll", "gehalt", "lohn", "wages", "salaire", "pay"}},
	{KindRent, []string{"rent", "miete", "landlord", "lease", "loyer", "housing"}},
	{KindLoan, []string{"emi", "loan", "mortgage", "kredit", "darlehen", "finance", "installment", "instalment"}},
	{KindBill, []string{"electric", "power", "strom", "gas", "water", "internet", "phone", "mobile", "telekom",
		"vodafone", "insurance", "versicherung", "tax", "utility", "utilities", "stadtwerke", "broadband"}},
}

// classify names the kind of a stream from its words, category, direction
// and regularity.
func classify(s Stream) StreamKind {
	words := strings.Fields(s.Key + " " + normalizeText(s.Name))
	has := func(list []string) bool {
		for _, w := range words {
			if slices.Contains(list, w) {
				return true
			}
		}
		return false
	}
	if s.Direction == scale.Credit {
		if s.Category == "salary" || has(kindWords[0].words) {
			return KindSalary
		}
		return KindIncome
	}
	for _, kw := range kindWords[1:] {
		if has(kw.words) {
			return kw.kind
		}
	}
	if s.Category == "utilities" {
		return KindBill
	}
	if (s.Tolerance <= fixedPriceSpread || s.priceChanges <= 2) && (s.Period == Monthly || s.Period == Yearly) {
		return KindSubscription
	}
	if s.Period == Monthly || s.Period == Quarterly {
		return KindBill
	}
	return KindOther
}
