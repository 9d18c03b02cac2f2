package hypcd

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// formatWords are words some banks put before the payee (card, direct
// debit and transfer markers); a merchant key skips them.
var formatWords = setOf(`kartenzahlung lastschrift ueberweisung gutschrift cb an faster direct dep bank giro des bill
 contactless debit`)

// MerchantKey returns a transaction's merchant key: its first two cleaned
// words (no numbers, references, handles, boilerplate, cities or format
// markers), the second cut to four letters so that truncated descriptions
// of one payee share a key. Items with one key are treated as one payee.
func MerchantKey(in ports.ClassifyInput) string {
	var out []string
	for _, w := range Words(in) {
		if formatWords[w] {
			continue
		}
		out = append(out, w)
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 2 && len(out[1]) > 4 {
		out[1] = out[1][:4]
	}
	return strings.Join(out, " ")
}

// payee is one merchant key among the items discovery looks at.
type payee struct {
	key     string
	members []int // indices into the items
	unknown int   // members the model placed outside every known category
}

// payeeStats are the non-lexical features of a payee: its amount range
// (median and spread of the log amount in US dollars) and sign. Cadence
// (recurrence on one day of the month, direct-debit channel) was tried and
// left out: subscriptions of different categories share it, so it tied
// streaming, e-learning and gym payees together.
type payeeStats struct {
	logAmount, spread, credit float64
}

func statsOf(items []ports.ClassifyInput, members []int) payeeStats {
	var s payeeStats
	n := float64(len(members))
	logs := make([]float64, 0, len(members))
	for _, i := range members {
		in := items[i]
		major := math.Abs(float64(in.Amount)) / math.Pow10(in.Currency.MinorDigits())
		rate := usdRate[string(in.Currency)]
		if rate == 0 {
			rate = 1
		}
		logs = append(logs, math.Log(major/rate+1))
		if in.Amount > 0 {
			s.credit++
		}
	}
	sort.Float64s(logs)
	s.logAmount = logs[len(logs)/2]
	mean := 0.0
	for _, l := range logs {
		mean += l
	}
	mean /= n
	for _, l := range logs {
		s.spread += (l - mean) * (l - mean)
	}
	s.spread = math.Sqrt(s.spread / n)
	s.credit /= n
	return s
}

// payeeSpace holds the four views of the payees discovery clusters: their
// words (TF-IDF over words and character trigrams), their mean point of
// the ball, their standardized non-lexical statistics, and their merchant
// type (the ISO 18245 merchant-category groups their words point to,
// mccVector, and those of the well-known brands they name, brandList),
// which ties payees that share no word: a pharmacy and a hospital, a
// cinema and a concert-ticket agency, WALGREENS and LABCORP.
type payeeSpace struct {
	lex  []map[string]float64
	ball [][]float64
	num  [][]float64
	mcc  [][]float64 // merchant type: unit vector over mccGroups, zero when unknown
	w    []float64   // weight of each payee (its number of items)
}

// Weights of the views in the payee distance. The ball is shaped mostly by
// the labelled (known) categories, so it weighs least: 0.25 rather than
// 0.5 raised GCD New on 6 of 8 development runs (mean 0.651 -> 0.686,
// models/README.md).
const (
	lexWeight  = 1.0
	ballWeight = 0.25
	numWeight  = 1.0
	// mccWeight weighs the merchant type (mccGroups), a prior beside the
	// words: 0.5 raised mean GCD New over 8 development runs from 0.686
	// to 0.900 (0.25 gave 0.832; 1.0 gave 0.812, the eigengap then
	// finding 2 clusters on 3 runs), models/README.md.
	mccWeight = 0.5
)

func lexOf(words []string) map[string]float64 {
	v := map[string]float64{}
	for _, w := range words {
		if formatWords[w] {
			continue
		}
		v["w:"+w]++
		p := "^" + w + "$"
		for i := 0; i+3 <= len(p); i++ {
			v["c:"+p[i:i+3]] += 0.5
		}
	}
	return v
}

func newPayeeSpace(items []ports.ClassifyInput, pts [][]float64, ps []payee) *payeeSpace {
	sp := &payeeSpace{}
	df := map[string]float64{}
	cache := map[string]map[int]float64{}
	for _, p := range ps {
		v := map[string]float64{}
		t := make([]float64, len(mccGroups))
		for _, i := range p.members {
			ws := Words(items[i])
			for f, x := range lexOf(ws) {
				v[f] += x / float64(len(p.members))
			}
			for g, x := range mccVector(ws, cache) {
				t[g] += x
			}
			for g, x := range brandList.groupsOf(brandWordsOf(items[i])) {
				t[g] += x
			}
		}
		normalize(t)
		sp.mcc = append(sp.mcc, t)
		for f := range v {
			df[f]++
		}
		sp.lex = append(sp.lex, v)
		dim := len(pts[p.members[0]])
		b := make([]float64, dim)
		for _, i := range p.members {
			for j, x := range pts[i] {
				b[j] += x
			}
		}
		normalize(b)
		sp.ball = append(sp.ball, b)

		s := statsOf(items, p.members)
		sp.num = append(sp.num, []float64{s.logAmount, s.spread, s.credit})
		sp.w = append(sp.w, float64(len(p.members)))
	}
	n := float64(len(ps))
	for _, v := range sp.lex {
		for f := range v {
			v[f] *= math.Log((n+1)/(df[f]+1)) + 1
		}
		norm := 0.0
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for f := range v {
			v[f] /= math.Max(norm, 1e-12)
		}
	}
	// Standardize every statistic over the payees, weighted by size.
	if len(sp.num) > 0 {
		tot := 0.0
		for _, w := range sp.w {
			tot += w
		}
		for d := range sp.num[0] {
			mean, vr := 0.0, 0.0
			for i, x := range sp.num {
				mean += sp.w[i] * x[d]
			}
			mean /= tot
			for i, x := range sp.num {
				vr += sp.w[i] * (x[d] - mean) * (x[d] - mean)
			}
			sd := math.Sqrt(vr / tot)
			for _, x := range sp.num {
				if sd > 1e-9 {
					x[d] = (x[d] - mean) / sd
				} else {
					x[d] = 0
				}
			}
		}
	}
	return sp
}

func normalize(x []float64) {
	n := math.Sqrt(sqNorm(x))
	if n > 0 {
		scaleInPlace(x, 1/n)
	}
}

// dist is the distance between payees i and j, each view scaled to about
// [0, 1].
func (sp *payeeSpace) dist(i, j int) float64 {
	a, b := sp.lex[i], sp.lex[j]
	if len(a) > len(b) {
		a, b = b, a
	}
	lex := 0.0
	for f, x := range a {
		lex += x * b[f]
	}
	ball := 0.0
	for d := range sp.ball[i] {
		ball += sp.ball[i][d] * sp.ball[j][d]
	}
	num := 0.0
	for d := range sp.num[i] {
		e := sp.num[i][d] - sp.num[j][d]
		num += e * e
	}
	num = math.Sqrt(num/float64(len(sp.num[i]))) / 2
	mcc := sqDist(sp.mcc[i], sp.mcc[j]) / 2
	return (lexWeight*(1-lex) + ballWeight*(1-ball)/2 + numWeight*math.Min(num, 1) + mccWeight*mcc) /
		(lexWeight + ballWeight + numWeight + mccWeight)
}

// distMatrix returns all pairwise payee distances.
func (sp *payeeSpace) distMatrix() [][]float64 {
	n := len(sp.w)
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d[i][j] = sp.dist(i, j)
			d[j][i] = d[i][j]
		}
	}
	return d
}

// vectors returns every payee as one dense vector: its views scaled so that
// squared Euclidean distances add up as in dist.
func (sp *payeeSpace) vectors() [][]float64 {
	vocab := map[string]int{}
	var names []string
	for _, v := range sp.lex {
		for f := range v {
			if _, ok := vocab[f]; !ok {
				vocab[f] = -1
				names = append(names, f)
			}
		}
	}
	sort.Strings(names)
	for i, f := range names {
		vocab[f] = i
	}
	out := make([][]float64, len(sp.w))
	for i := range out {
		x := make([]float64, 0, len(names)+len(sp.ball[i])+len(sp.num[i]))
		x = x[:len(names)]
		for f, v := range sp.lex[i] {
			x[vocab[f]] = v * math.Sqrt(lexWeight)
		}
		for _, v := range sp.ball[i] {
			x = append(x, v*math.Sqrt(ballWeight))
		}
		for _, v := range sp.num[i] {
			x = append(x, v*math.Sqrt(numWeight/float64(len(sp.num[i])))/2)
		}
		for _, v := range sp.mcc[i] {
			x = append(x, v*math.Sqrt(mccWeight))
		}

		out[i] = x
	}
	return out
}

// wkmeans is weighted Euclidean k-means with k-means++ seeding, the best
// of a few restarts (lowest weighted inertia).
func wkmeans(xs [][]float64, w []float64, k int, r *rand.Rand) []int {
	var best []int
	bestIn := math.Inf(1)
	for rep := 0; rep < 8; rep++ {
		a, in := wkmeansOnce(xs, w, k, r)
		if in < bestIn {
			best, bestIn = a, in
		}
	}
	return best
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		e := a[i] - b[i]
		s += e * e
	}
	return s
}

func wkmeansOnce(xs [][]float64, w []float64, k int, r *rand.Rand) ([]int, float64) {
	n, dim := len(xs), len(xs[0])
	cents := [][]float64{append([]float64(nil), xs[r.IntN(n)]...)}
	dmin := make([]float64, n)
	for i := range dmin {
		dmin[i] = math.Inf(1)
	}
	for len(cents) < k {
		last := cents[len(cents)-1]
		tot := 0.0
		for i, x := range xs {
			dmin[i] = math.Min(dmin[i], sqDist(x, last))
			tot += w[i] * dmin[i]
		}
		u := r.Float64() * tot
		pick := n - 1
		for i := range xs {
			u -= w[i] * dmin[i]
			if u <= 0 {
				pick = i
				break
			}
		}
		cents = append(cents, append([]float64(nil), xs[pick]...))
	}
	assign := make([]int, n)
	inertia := 0.0
	for iter := 0; iter < 50; iter++ {
		changed := false
		inertia = 0
		for i, x := range xs {
			b, bd := 0, math.Inf(1)
			for j, c := range cents {
				if d := sqDist(x, c); d < bd {
					b, bd = j, d
				}
			}
			inertia += w[i] * bd
			if assign[i] != b {
				assign[i], changed = b, true
			}
		}
		if !changed && iter > 0 {
			break
		}
		sums := make([][]float64, k)
		ws := make([]float64, k)
		for j := range sums {
			sums[j] = make([]float64, dim)
		}
		for i, x := range xs {
			a := assign[i]
			ws[a] += w[i]
			for d, v := range x {
				sums[a][d] += w[i] * v
			}
		}
		for j := range cents {
			if ws[j] > 0 {
				scaleInPlace(sums[j], 1/ws[j])
				cents[j] = sums[j]
			}
		}
	}
	return assign, inertia
}

// discoverPayees clusters payees, not items: it groups items by
// MerchantKey, takes as new the payees most of whose items fit no known
// category or, with seen (the labelled training payees), the payees never
// seen that recur among items, and clusters them by weighted k-means over
// their words, mean ball point, amount range and merchant type (mccGroups),
// the number of clusters the eigengap of the recurring payees' affinity.
// It also returns the seen payees some of whose items fit no known
// category: they stay known.
func (m *Model) discoverPayees(ctx context.Context, items []ports.ClassifyInput, seen map[string]bool) ([]found, []string, error) {
	s := m.newScratch()
	pts := make([][]float64, len(items))
	byKey := map[string]int{}
	var ps []payee
	for i, in := range items {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, nil, scale.Wrap(ctx.Err(), scale.KindUnavailable, CodeCancelled, "discovery was cancelled")
		}
		sc := m.score(m.embed(in, s), s)
		pts[i] = sc.z
		key := MerchantKey(in)
		if key == "" {
			key = "\x00" + in.Description // no payee words: the item stands alone
		}
		j, ok := byKey[key]
		if !ok {
			j = len(ps)
			byKey[key] = j
			ps = append(ps, payee{key: key})
		}
		ps[j].members = append(ps[j].members, i)
		if sc.unknown {
			ps[j].unknown++
		}
	}
	// A payee is new when most of its items fit no known category or, in
	// transductive training, when it recurs among the unlabelled items but
	// never occurs among the labelled ones.
	var novel []payee
	var known []string
	rows := 0
	for _, p := range ps {
		isNew := 2*p.unknown > len(p.members)
		if seen != nil && !strings.HasPrefix(p.key, "\x00") {
			switch {
			case seen[p.key]:
				isNew = false
				if p.unknown > 0 {
					known = append(known, p.key)
				}
			case len(p.members) >= minUnseenPayee:
				isNew = true
			}
		}
		if isNew {
			novel = append(novel, p)
			rows += len(p.members)
		}
	}
	sort.Strings(known)
	if rows < m.cfg.MinClusterSize {
		return nil, known, nil
	}
	sort.SliceStable(novel, func(i, j int) bool { return len(novel[i].members) > len(novel[j].members) })
	main := novel
	if len(main) > maxPayees {
		main = novel[:maxPayees]
	}
	sp := newPayeeSpace(items, pts, main)
	d := sp.distMatrix()
	xs := sp.vectors()
	r := rand.New(rand.NewPCG(uint64(m.man.Seed), 0xd15c))
	levels := map[int][]int{}
	for k := 2; k <= min(m.cfg.MaxClusters, len(main)); k++ {
		levels[k] = wkmeans(xs, sp.w, k, r)
	}
	// The number of clusters: the eigengap of the payees that recur (main
	// is sorted by size), whose profiles are reliable.
	recur := 0
	for recur < len(main) && len(main[recur].members) >= minUnseenPayee {
		recur++
	}
	sub := make([][]float64, recur)
	for i := range sub {
		sub[i] = d[i][:recur]
	}
	k := eigengapK(sub, sp.w[:recur], min(m.cfg.MaxClusters, len(main)))
	assign := levels[k]
	if assign == nil {
		assign = make([]int, len(main)) // one cluster
	}
	members := make([][]int, k)
	keys := make([][]string, k)
	for i, p := range main {
		members[assign[i]] = append(members[assign[i]], p.members...)
		keys[assign[i]] = append(keys[assign[i]], p.key)
	}
	// Payees beyond maxPayees join the cluster of their nearest payee.
	if len(novel) > len(main) {
		all := newPayeeSpace(items, pts, novel)
		for i := len(main); i < len(novel); i++ {
			best, bd := 0, math.Inf(1)
			for j := range main {
				if v := all.dist(i, j); v < bd {
					best, bd = j, v
				}
			}
			members[assign[best]] = append(members[assign[best]], novel[i].members...)
			keys[assign[best]] = append(keys[assign[best]], novel[i].key)
		}
	}
	var idx []int
	var out []found
	for c := 0; c < k; c++ {
		if len(members[c]) < m.cfg.MinClusterSize {
			continue
		}
		sort.Ints(members[c])
		group := make([][]float64, len(members[c]))
		for i, j := range members[c] {
			group[i] = pts[j]
		}
		var merchants []string
		for _, key := range keys[c] {
			if !strings.HasPrefix(key, "\x00") {
				merchants = append(merchants, key)
			}
		}
		sort.Strings(merchants)
		idx = append(idx, members[c]...)
		out = append(out, found{cluster: cluster{Centroid: kleinMidpoint(group, m.cfg.Curvature, len(group[0])),
			Size: len(members[c]), Merchants: merchants}, members: members[c]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size > out[j].Size })
	name(out, items, idx)
	for i := range out {
		out[i].Key = fmt.Sprintf("new:%d", i+1)
		out[i].score = clusterSilhouette(d, sp.w, assign, main, out[i].Merchants)
	}
	return out, known, nil
}

// minUnseenPayee is the number of unlabelled items from which a payee never
// seen among the labelled items counts as new (with half of every known
// category labelled, a known payee hides 3 times with probability 1/8).
const minUnseenPayee = 3

// maxPayees bounds the payees clustered directly (average linkage is cubic).
const maxPayees = 400

// clusterSilhouette is the mean silhouette of the payees of one cluster.
func clusterSilhouette(d [][]float64, w []float64, assign []int, ps []payee, merchants []string) float64 {
	in := map[string]bool{}
	for _, k := range merchants {
		in[k] = true
	}
	k := 0
	for _, a := range assign {
		k = max(k, a+1)
	}
	sum, tot := 0.0, 0.0
	for i, p := range ps {
		if !in[p.key] {
			continue
		}
		ds, ws := make([]float64, k), make([]float64, k)
		for j := range ps {
			if i != j {
				ds[assign[j]] += w[j] * d[i][j]
				ws[assign[j]] += w[j]
			}
		}
		own := assign[i]
		s := 0.0
		if ws[own] > 0 {
			a, b := ds[own]/ws[own], math.Inf(1)
			for c := 0; c < k; c++ {
				if c != own && ws[c] > 0 {
					b = math.Min(b, ds[c]/ws[c])
				}
			}
			if !math.IsInf(b, 1) && math.Max(a, b) > 0 {
				s = (b - a) / math.Max(a, b)
			}
		}
		sum += w[i] * s
		tot += w[i]
	}
	if tot == 0 {
		return 0
	}
	return sum / tot
}
