package categorization

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

// Baseline is the comparison classifier: TF-IDF over the words of the
// description, nearest centroid by cosine similarity, and spherical
// k-means for items that fit no centroid. It implements ports.Model.
type Baseline struct {
	vocab     map[string]int
	idf       []float64
	centroids [][]float64
	labels    []scale.CategoryID
	// minSim is the similarity below which an item fits no category: the
	// 5th percentile of the training items' similarity to their centroid.
	minSim float64
	// newK is the number of clusters Discover makes.
	newK     int
	seed     int64
	clusters [][]float64
}

var _ ports.Model = (*Baseline)(nil)

// baselineWords lower-cases s and keeps the alphabetic words.
func baselineWords(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if strings.ContainsAny(t, "0123456789") || len(t) < 2 {
			continue
		}
		out = append(out, t)
	}
	return out
}

// TrainBaseline fits the baseline on labelled items. newK is the number of
// new categories Discover looks for (the baseline is given the true number;
// HypCD estimates it).
func TrainBaseline(items []ports.LabelledItem, labels []scale.CategoryID, newK int, seed int64) *Baseline {
	b := &Baseline{vocab: map[string]int{}, labels: labels, newK: newK, seed: seed}
	df := []float64{}
	docs := make([][]string, len(items))
	for i, it := range items {
		docs[i] = uniqWords(baselineWords(it.Description + " " + it.Merchant))
		for _, w := range docs[i] {
			id, ok := b.vocab[w]
			if !ok {
				id = len(df)
				b.vocab[w] = id
				df = append(df, 0)
			}
			df[id]++
		}
	}
	b.idf = make([]float64, len(df))
	for i, d := range df {
		b.idf[i] = math.Log((1+float64(len(items)))/(1+d)) + 1
	}
	index := map[scale.CategoryID]int{}
	for i, l := range labels {
		index[l] = i
	}
	b.centroids = make([][]float64, len(labels))
	for i := range b.centroids {
		b.centroids[i] = make([]float64, len(df))
	}
	for i, it := range items {
		k, ok := index[it.Category]
		if !ok {
			continue
		}
		for id, v := range b.vector(docs[i]) {
			b.centroids[k][id] += v
		}
	}
	for _, c := range b.centroids {
		normalize(c)
	}
	sims := make([]float64, 0, len(items))
	for i, it := range items {
		if k, ok := index[it.Category]; ok {
			sims = append(sims, dotSparse(b.vector(docs[i]), b.centroids[k]))
		}
	}
	sort.Float64s(sims)
	if len(sims) > 0 {
		b.minSim = sims[len(sims)/20]
	}
	return b
}

func uniqWords(ws []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func normalize(v []float64) {
	n := 0.0
	for _, x := range v {
		n += x * x
	}
	if n == 0 {
		return
	}
	n = math.Sqrt(n)
	for i := range v {
		v[i] /= n
	}
}

// vector is the L2-normalized TF-IDF vector of a document's words.
func (b *Baseline) vector(words []string) map[int]float64 {
	v := map[int]float64{}
	for _, w := range words {
		if id, ok := b.vocab[w]; ok {
			v[id] += b.idf[id]
		}
	}
	n := 0.0
	for _, x := range v {
		n += x * x
	}
	if n > 0 {
		n = math.Sqrt(n)
		for k := range v {
			v[k] /= n
		}
	}
	return v
}

func dotSparse(v map[int]float64, c []float64) float64 {
	s := 0.0
	for k, x := range v {
		s += x * c[k]
	}
	return s
}

// Info describes the baseline.
func (b *Baseline) Info() ports.ModelInfo {
	return ports.ModelInfo{Name: "tfidf-centroid", Version: "1", FeatureSchema: "words", Labels: b.labels}
}

// Predict returns the nearest centroid; the confidence is the cosine
// similarity. Items that fit no centroid get the nearest discovered
// cluster as Novel once FitClusters ran.
func (b *Baseline) Predict(ctx context.Context, items []ports.ClassifyInput) ([]ports.Prediction, error) {
	out := make([]ports.Prediction, len(items))
	for i, in := range items {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, scale.Wrap(ctx.Err(), scale.KindUnavailable, CodeModelFailed, "classification was cancelled")
		}
		v := b.vector(baselineWords(in.Description + " " + in.Merchant))
		best, bs := 0, -1.0
		for k, c := range b.centroids {
			if s := dotSparse(v, c); s > bs {
				best, bs = k, s
			}
		}
		out[i] = ports.Prediction{Category: b.labels[best], Confidence: math.Max(0, math.Min(1, bs))}
		if bs < b.minSim && len(b.clusters) > 0 {
			bc, bcs := 0, -1.0
			for k, c := range b.clusters {
				if s := dotSparse(v, c); s > bcs {
					bc, bcs = k, s
				}
			}
			out[i].Novel = fmt.Sprintf("new:%d", bc+1)
		}
	}
	return out, nil
}

// FitClusters runs Discover on items and remembers the clusters, so that
// Predict reports them (the transductive setting).
func (b *Baseline) FitClusters(ctx context.Context, items []ports.ClassifyInput) error {
	_, err := b.Discover(ctx, items)
	return err
}

// Discover clusters the items that fit no centroid with spherical k-means
// into newK clusters named by their most frequent words.
func (b *Baseline) Discover(ctx context.Context, items []ports.ClassifyInput) ([]ports.DiscoveredCategory, error) {
	var vs []map[int]float64
	var idx []int
	for i, in := range items {
		v := b.vector(baselineWords(in.Description + " " + in.Merchant))
		bs := -1.0
		for _, c := range b.centroids {
			bs = math.Max(bs, dotSparse(v, c))
		}
		if bs < b.minSim {
			vs = append(vs, v)
			idx = append(idx, i)
		}
	}
	k := min(b.newK, len(vs))
	if k == 0 {
		b.clusters = nil
		return nil, ctx.Err()
	}
	r := rand.New(rand.NewPCG(uint64(b.seed), 0xba5e))
	dim := len(b.idf)
	cents := make([][]float64, k)
	for j, p := range r.Perm(len(vs))[:k] {
		cents[j] = make([]float64, dim)
		for id, x := range vs[p] {
			cents[j][id] = x
		}
	}
	assign := make([]int, len(vs))
	for iter := 0; iter < 20; iter++ {
		for i, v := range vs {
			best, bs := 0, -1.0
			for j, c := range cents {
				if s := dotSparse(v, c); s > bs {
					best, bs = j, s
				}
			}
			assign[i] = best
		}
		for j := range cents {
			for d := range cents[j] {
				cents[j][d] = 0
			}
		}
		for i, v := range vs {
			for id, x := range v {
				cents[assign[i]][id] += x
			}
		}
		for _, c := range cents {
			normalize(c)
		}
	}
	b.clusters = cents
	out := make([]ports.DiscoveredCategory, k)
	for j := range out {
		out[j].Key = fmt.Sprintf("new:%d", j+1)
	}
	for i, a := range assign {
		out[a].MemberIDs = append(out[a].MemberIDs, items[idx[i]].ID)
		if len(out[a].Examples) < 5 {
			out[a].Examples = append(out[a].Examples, items[idx[i]].Description)
		}
	}
	return out, nil
}
