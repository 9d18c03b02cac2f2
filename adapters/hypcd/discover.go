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

// maxSilhouetteSample bounds the points used to choose the number of
// clusters (silhouette is quadratic).
const maxSilhouetteSample = 600

// silhouettePenalty is subtracted from the mean silhouette per cluster.
const silhouettePenalty = 0.01

// Discover proposes new categories among the items that fit no known
// category: hyperbolic k-means over their ball points, the number of
// clusters chosen by silhouette, each named by its most distinctive words.
func (m *Model) Discover(ctx context.Context, items []ports.ClassifyInput) ([]ports.DiscoveredCategory, error) {
	cs, _, err := m.discover(ctx, items, nil)
	if err != nil {
		return nil, err
	}
	out := make([]ports.DiscoveredCategory, len(cs))
	for i, c := range cs {
		ids := make([]string, len(c.members))
		for j, k := range c.members {
			ids[j] = items[k].ID
		}
		out[i] = ports.DiscoveredCategory{Key: c.Key, Name: c.Name, Tokens: c.Tokens, MemberIDs: ids,
			Examples: c.Examples, Score: c.score}
	}
	return out, nil
}

// found is a discovered cluster with its members (indices into the items).
type found struct {
	cluster
	members []int
	score   float64
}

// discover clusters the new categories among items: by payee in
// transductive training (seen holds the payees of the labelled training
// items, nil outside training; it also returns the seen payees some of
// whose items fit no known category) or when the model was configured so,
// otherwise by item.
func (m *Model) discover(ctx context.Context, items []ports.ClassifyInput, seen map[string]bool) ([]found, []string, error) {
	if seen != nil || m.cfg.PayeeDiscovery {
		return m.discoverPayees(ctx, items, seen)
	}
	cs, err := m.discoverItems(ctx, items)
	return cs, nil, err
}

// discoverItems is hyperbolic k-means over the ball points of the items
// that fit no known category, the number of clusters chosen by silhouette.
func (m *Model) discoverItems(ctx context.Context, items []ports.ClassifyInput) ([]found, error) {
	s := m.newScratch()
	var pts [][]float64
	var idx []int
	for i, in := range items {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, scale.Wrap(ctx.Err(), scale.KindUnavailable, CodeCancelled, "discovery was cancelled")
		}
		sc := m.score(m.embed(in, s), s)
		if sc.unknown {
			pts = append(pts, sc.z)
			idx = append(idx, i)
		}
	}
	if len(pts) < m.cfg.MinClusterSize {
		return nil, nil
	}
	r := rand.New(rand.NewPCG(uint64(m.man.Seed), 0xd15c))
	k := chooseK(pts, m.cfg, r)
	assign, cents := kmeans(pts, k, m.cfg.Curvature, r)
	sil := silhouettePerCluster(pts, assign, k, m.cfg.Curvature)
	var out []found
	for c := 0; c < k; c++ {
		var members []int
		for i, a := range assign {
			if a == c {
				members = append(members, idx[i])
			}
		}
		if len(members) < m.cfg.MinClusterSize {
			continue
		}
		out = append(out, found{cluster: cluster{Centroid: cents[c], Size: len(members)}, members: members, score: sil[c]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size > out[j].Size })
	name(out, items, idx)
	for i := range out {
		out[i].Key = fmt.Sprintf("new:%d", i+1)
	}
	return out, nil
}

// chooseK picks the number of clusters with the best mean silhouette on a
// sample; a single cluster when nothing separates.
func chooseK(pts [][]float64, cfg Config, r *rand.Rand) int {
	sample := pts
	if len(pts) > maxSilhouetteSample {
		sample = make([][]float64, 0, maxSilhouetteSample)
		step := float64(len(pts)) / maxSilhouetteSample
		for i := 0; i < maxSilhouetteSample; i++ {
			sample = append(sample, pts[int(float64(i)*step)])
		}
	}
	maxK := min(cfg.MaxClusters, len(sample)/cfg.MinClusterSize)
	bestK, best := 1, 0.15-silhouettePenalty
	for k := 2; k <= maxK; k++ {
		assign, _ := kmeans(sample, k, cfg.Curvature, r)
		sil := silhouettePerCluster(sample, assign, k, cfg.Curvature)
		counts := make([]int, k)
		for _, a := range assign {
			counts[a]++
		}
		mean := 0.0
		for c := range sil {
			mean += sil[c] * float64(counts[c])
		}
		mean /= float64(len(sample))
		// Occam penalty: silhouette keeps creeping up as k grows on
		// data without crisp clusters; each extra cluster must earn it.
		if score := mean - silhouettePenalty*float64(k); score > best {
			bestK, best = k, score
		}
	}
	return bestK
}

// kmeans is Lloyd's algorithm with the Poincaré distance, k-means++
// seeding and Einstein-midpoint centroids.
func kmeans(pts [][]float64, k int, c float64, r *rand.Rand) ([]int, [][]float64) {
	n := len(pts)
	p2 := make([]float64, n)
	for i, p := range pts {
		p2[i] = sqNorm(p)
	}
	cents := [][]float64{append([]float64(nil), pts[r.IntN(n)]...)}
	dmin := make([]float64, n)
	for i := range dmin {
		dmin[i] = math.Inf(1)
	}
	for len(cents) < k {
		last := cents[len(cents)-1]
		l2 := sqNorm(last)
		tot := 0.0
		for i, p := range pts {
			d := poincareDist(p, last, p2[i], l2, c)
			dmin[i] = math.Min(dmin[i], d*d)
			tot += dmin[i]
		}
		u := r.Float64() * tot
		pick := n - 1
		for i := range pts {
			u -= dmin[i]
			if u <= 0 {
				pick = i
				break
			}
		}
		cents = append(cents, append([]float64(nil), pts[pick]...))
	}
	assign := make([]int, n)
	for iter := 0; iter < 30; iter++ {
		c2 := make([]float64, k)
		for j := range cents {
			c2[j] = sqNorm(cents[j])
		}
		changed := false
		for i, p := range pts {
			best, bd := 0, math.Inf(1)
			for j, ct := range cents {
				if d := poincareDist(p, ct, p2[i], c2[j], c); d < bd {
					best, bd = j, d
				}
			}
			if assign[i] != best || iter == 0 {
				changed = changed || assign[i] != best
				assign[i] = best
			}
		}
		groups := make([][][]float64, k)
		for i, a := range assign {
			groups[a] = append(groups[a], pts[i])
		}
		for j := range cents {
			if len(groups[j]) > 0 {
				cents[j] = kleinMidpoint(groups[j], c, len(pts[0]))
			}
		}
		if !changed && iter > 0 {
			break
		}
	}
	return assign, cents
}

// silhouettePerCluster returns the mean silhouette of each cluster.
func silhouettePerCluster(pts [][]float64, assign []int, k int, c float64) []float64 {
	n := len(pts)
	p2 := make([]float64, n)
	for i, p := range pts {
		p2[i] = sqNorm(p)
	}
	sum := make([]float64, k)
	cnt := make([]int, k)
	for i := range pts {
		dsum := make([]float64, k)
		dcnt := make([]int, k)
		for j := range pts {
			if i == j {
				continue
			}
			dsum[assign[j]] += poincareDist(pts[i], pts[j], p2[i], p2[j], c)
			dcnt[assign[j]]++
		}
		own := assign[i]
		if dcnt[own] == 0 {
			cnt[own]++
			continue
		}
		a := dsum[own] / float64(dcnt[own])
		b := math.Inf(1)
		for j := 0; j < k; j++ {
			if j != own && dcnt[j] > 0 {
				b = math.Min(b, dsum[j]/float64(dcnt[j]))
			}
		}
		sv := 0.0
		if !math.IsInf(b, 1) && math.Max(a, b) > 0 {
			sv = (b - a) / math.Max(a, b)
		}
		sum[own] += sv
		cnt[own]++
	}
	for j := range sum {
		if cnt[j] > 0 {
			sum[j] /= float64(cnt[j])
		}
	}
	return sum
}

// name gives every cluster its most distinctive words (frequent in the
// cluster, rare among the other candidates) and up to five examples.
func name(cs []found, items []ports.ClassifyInput, candidates []int) {
	df := map[string]int{}
	words := map[int][]string{}
	for _, i := range candidates {
		ws := uniq(Words(items[i]))
		words[i] = ws
		for _, w := range ws {
			df[w]++
		}
	}
	total := float64(len(candidates))
	for ci := range cs {
		c := &cs[ci]
		local := map[string]int{}
		for _, i := range c.members {
			for _, w := range words[i] {
				local[w]++
			}
		}
		type tw struct {
			w string
			s float64
		}
		var ranked []tw
		n := float64(len(c.members))
		for w, k := range local {
			p := float64(k) / n
			if p < 0.05 {
				continue
			}
			ranked = append(ranked, tw{w, p * math.Log(p/((float64(df[w])+1)/(total+1))+1)})
		}
		sort.Slice(ranked, func(i, j int) bool {
			if ranked[i].s != ranked[j].s {
				return ranked[i].s > ranked[j].s
			}
			return ranked[i].w < ranked[j].w
		})
		for i := 0; i < len(ranked) && i < 5; i++ {
			c.Tokens = append(c.Tokens, ranked[i].w)
		}
		switch len(c.Tokens) {
		case 0:
			c.Name = "New category"
		case 1:
			c.Name = title(c.Tokens[0])
		default:
			c.Name = title(c.Tokens[0]) + " / " + title(c.Tokens[1])
		}
		for i := 0; i < len(c.members) && i < 5; i++ {
			c.Examples = append(c.Examples, items[c.members[i]].Description)
		}
	}
}

func uniq(ws []string) []string {
	seen := map[string]bool{}
	out := ws[:0:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func title(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
