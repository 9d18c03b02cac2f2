package anomaly

import (
	"fmt"
	"math"
	"slices"

	"github.com/scalehq/scale/scale"
)

// Detector thresholds.
const (
	outlierZ           = 4.5
	outlierRatio       = 3.0
	madFloor           = 0.1
	minMerchantHistory = 8
	categoryFactor     = 4.0
	minCategoryHistory = 40
	minCategoryShops   = 3
	baselineCap        = 120

	newMerchantMinDebits = 60
	newMerchantMinDays   = 30
	newMerchantFactor    = 3.0

	duplicateDays      = 2
	habitWindowDays    = 21
	habitMinOccurrence = 2

	priceMinRise = 0.02
	priceMaxRise = 1.0

	burstWindowDays = 2
	burstMinCount   = 3
	burstRateDays   = 180
	burstMaxP       = 1e-5
	burstMinHistory = 90
)

// amountOutliers flags payments far above the merchant's earlier payments
// (robust z on log amounts) or, with too little merchant history, far above
// the category's 95th percentile.
func amountOutliers(items []item) []Finding {
	var out []Finding
	byMerchant := map[string][]float64{}
	byCategory := map[string][]int64{}
	shops := map[string]map[string]bool{}
	for _, it := range items {
		cur := it.t.Amount.Currency
		cat := string(cur) + "|" + string(it.t.Label.Category)
		x := math.Log(float64(it.abs))
		if base := byMerchant[it.ck]; len(base) >= minMerchantHistory {
			med := medianFloat(base)
			sd := 1.4826 * math.Max(madFloat(base, med), madFloor)
			z := (x - med) / sd
			if ratio := math.Exp(x - med); z >= outlierZ && ratio >= outlierRatio {
				out = append(out, finding(it, scale.AnomalyAmountOutlier, z/(z+outlierZ), fmt.Sprintf(
					"You paid %s at %s on %s, about %.0f times your usual %s there (based on %d earlier payments).",
					money(it.abs, cur), name(it.t), it.t.Date, ratio, money(int64(math.Round(math.Exp(med))), cur), len(base))))
			}
		} else if base := byCategory[cat]; it.t.Label.Category != "" && len(base) >= minCategoryHistory && len(shops[cat]) >= minCategoryShops {
			s := slices.Sorted(slices.Values(base))
			p95 := s[int(0.95*float64(len(s)-1))]
			if r := float64(it.abs) / (categoryFactor * float64(p95)); p95 > 0 && r >= 1 {
				out = append(out, finding(it, scale.AnomalyAmountOutlier, r/(r+1), fmt.Sprintf(
					"You paid %s at %s on %s, more than %.0f times the top 5%% of your %s payments (from %s).",
					money(it.abs, cur), name(it.t), it.t.Date, categoryFactor, it.t.Label.Category, money(p95, cur))))
			}
		}
		byMerchant[it.ck] = appendCapped(byMerchant[it.ck], x)
		if it.t.Label.Category != "" {
			byCategory[cat] = appendCapped(byCategory[cat], it.abs)
			if shops[cat] == nil {
				shops[cat] = map[string]bool{}
			}
			shops[cat][it.key] = true
		}
	}
	return out
}

func appendCapped[T any](xs []T, x T) []T {
	if len(xs) >= baselineCap {
		xs = xs[1:]
	}
	return append(xs, x)
}

// newMerchants flags a first payment to a merchant that is large for this
// user.
func newMerchants(items []item) []Finding {
	var out []Finding
	seen := map[string]bool{}
	sorted := map[scale.Currency][]int64{}
	firstDay := map[scale.Currency]int{}
	for _, it := range items {
		cur := it.t.Amount.Currency
		if _, ok := firstDay[cur]; !ok {
			firstDay[cur] = it.day
		}
		prior := sorted[cur]
		if !seen[it.key] && len(prior) >= newMerchantMinDebits && it.day-firstDay[cur] >= newMerchantMinDays {
			p90 := prior[int(0.9*float64(len(prior)-1))]
			if p90 > 0 && float64(it.abs) >= newMerchantFactor*float64(p90) {
				r := float64(it.abs) / (newMerchantFactor * float64(p90))
				out = append(out, finding(it, scale.AnomalyNewMerchant, r/(r+1), fmt.Sprintf(
					"First payment to %s: %s on %s. Nine in ten of your payments are below %s.",
					name(it.t), money(it.abs, cur), it.t.Date, money(p90, cur))))
			}
		}
		seen[it.key] = true
		i, _ := slices.BinarySearch(prior, it.abs)
		sorted[cur] = slices.Insert(prior, i, it.abs)
	}
	return out
}

// duplicates flags the second of two equal charges at one merchant within
// two days, unless that amount is a habit there.
func duplicates(items []item) []Finding {
	type ka struct {
		ck  string
		abs int64
	}
	byKey := map[ka][]int{} // indexes into items, in order
	for i, it := range items {
		k := ka{it.ck, it.abs}
		byKey[k] = append(byKey[k], i)
	}
	var out []Finding
	for _, idx := range byKey {
		for n := 1; n < len(idx); n++ {
			prev, cur := items[idx[n-1]], items[idx[n]]
			gap := cur.day - prev.day
			if gap > duplicateDays {
				continue
			}
			others := 0
			for _, j := range idx {
				if j != idx[n] && j != idx[n-1] && abs(items[j].day-cur.day) <= habitWindowDays {
					others++
				}
			}
			if others >= habitMinOccurrence {
				continue
			}
			c := cur.t.Amount.Currency
			when := fmt.Sprintf("on %s", cur.t.Date)
			if gap > 0 {
				when = fmt.Sprintf("on %s and %s", prev.t.Date, cur.t.Date)
			}
			out = append(out, finding(cur, scale.AnomalyDuplicateCharge, 0.9-0.1*float64(gap), fmt.Sprintf(
				"%s charged %s twice within 48 hours (%s).", name(cur.t), money(cur.abs, c), when)))
		}
	}
	sortFindings(out)
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// regularGap reports whether a gap in days is a whole weekly, biweekly,
// monthly, quarterly or yearly period.
func regularGap(g int) bool {
	for _, p := range [][2]int{{6, 8}, {13, 15}, {26, 35}, {85, 98}, {355, 376}} {
		if g >= p[0] && g <= p[1] {
			return true
		}
	}
	return false
}

// priceIncreases flags a regular charge that costs more than the three
// regular charges before it.
func priceIncreases(items []item) []Finding {
	var out []Finding
	hist := map[string][]item{}
	for _, it := range items {
		h := hist[it.ck]
		if n := len(h); n >= 3 {
			a, b, c := h[n-3], h[n-2], h[n-1]
			g1, g2, g3 := b.day-a.day, c.day-b.day, it.day-c.day
			price := c.abs
			same := a.abs == price && b.abs == price
			regular := regularGap(g1) && regularGap(g2) && abs(g1-g2) <= 5 && abs(g3-g2) <= 5
			rise := float64(it.abs-price) / float64(price)
			if same && regular && rise >= priceMinRise && rise <= priceMaxRise {
				cur := it.t.Amount.Currency
				out = append(out, finding(it, scale.AnomalyPriceIncrease, 0.5+2*rise, fmt.Sprintf(
					"%s raised its price from %s to %s (+%.0f%%) on %s.",
					name(it.t), money(price, cur), money(it.abs, cur), rise*100, it.t.Date)))
			}
		}
		hist[it.ck] = append(h, it)
	}
	return out
}

// bursts flags payments that make an improbable number of charges at one
// merchant within two days.
func bursts(items []item) []Finding {
	var out []Finding
	days := map[string][]int{}
	first := map[scale.Currency]int{}
	for _, it := range items {
		if _, ok := first[it.t.Amount.Currency]; !ok {
			first[it.t.Amount.Currency] = it.day
		}
		observed := it.day - first[it.t.Amount.Currency] - burstWindowDays + 1
		d := append(days[it.ck], it.day)
		days[it.ck] = d
		inWindow, prior := 0, 0
		for i := len(d) - 1; i >= 0; i-- {
			switch age := it.day - d[i]; {
			case age < burstWindowDays:
				inWindow++
			case age < burstWindowDays+burstRateDays:
				prior++
			default:
				i = 0
			}
		}
		if inWindow < burstMinCount || observed < burstMinHistory {
			continue
		}
		rate := math.Max(float64(prior)/float64(min(observed, burstRateDays)), 1.0/365)
		lambda := rate * burstWindowDays
		p := poissonTail(inWindow, lambda)
		if p >= burstMaxP {
			continue
		}
		usual := "less than once a month"
		if m := rate * 30.44; m >= 1 {
			usual = fmt.Sprintf("about %.0f times a month", m)
		}
		out = append(out, finding(it, scale.AnomalyFrequencyBurst, -math.Log10(p)/10, fmt.Sprintf(
			"%d payments to %s within two days (up to %s); you usually pay there %s.",
			inWindow, name(it.t), it.t.Date, usual)))
	}
	return out
}

// poissonTail returns P(N >= k) for N ~ Poisson(lambda), summing the tail
// directly so that tiny probabilities stay accurate.
func poissonTail(k int, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	term := math.Exp(-lambda + float64(k)*math.Log(lambda) - lg)
	sum := 0.0
	for i := k; i < k+200 && term > sum*1e-15; i++ {
		sum += term
		term *= lambda / float64(i+1)
	}
	return math.Min(1, sum)
}
