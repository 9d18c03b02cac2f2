package hypcd

import (
	"context"
	"math"
	"runtime"
	"sync"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Model is a trained HypCD classifier served by a pure-Go forward pass. It
// is immutable after Load and safe for concurrent use.
type Model struct {
	man      manifest
	cfg      Config
	feat     featurizer
	w        *weights
	protos   [][]float64 // every head as a point of the ball
	proto2   []float64
	labels   []scale.CategoryID
	clusters []cluster
	cent2    []float64
	payees   map[string]int // merchant key → index of its discovered cluster, -1 for a known payee
}

var _ ports.Model = (*Model)(nil)

// newModel prepares a model from its manifest and weights.
func newModel(man manifest, w *weights) *Model {
	cfg := man.Config.withDefaults()
	m := &Model{man: man, cfg: cfg, feat: featurizer{buckets: cfg.Buckets, maxLen: cfg.MaxTokens}, w: w,
		labels: man.Labels, clusters: man.Clusters}
	for k := 0; k < w.k; k++ {
		p := make([]float64, w.d)
		for j := range p {
			p[j] = float64(w.proto[k*w.d+j])
		}
		expToBall(p, cfg.Curvature)
		m.protos = append(m.protos, p)
		m.proto2 = append(m.proto2, sqNorm(p))
	}
	for i, c := range m.clusters {
		m.cent2 = append(m.cent2, sqNorm(c.Centroid))
		for _, k := range c.Merchants {
			if m.payees == nil {
				m.payees = map[string]int{}
			}
			m.payees[k] = i
		}
	}
	for _, k := range man.KnownPayees {
		if m.payees == nil {
			m.payees = map[string]int{}
		}
		m.payees[k] = -1
	}
	return m
}

// Info describes the model.
func (m *Model) Info() ports.ModelInfo {
	metrics := make(map[string]float64, len(m.man.Metrics))
	for k, v := range m.man.Metrics {
		metrics[k] = v
	}
	return ports.ModelInfo{Name: m.man.Name, Version: m.man.Version, FeatureSchema: m.man.FeatureSchema,
		Labels: append([]scale.CategoryID(nil), m.labels...), Metrics: metrics}
}

// embedIDs runs the encoder on hashed ids and returns the ball point.
func (m *Model) embedIDs(ids []int32, bag, hid, u []float64) []float64 {
	w := m.w
	for i := range bag {
		bag[i] = 0
	}
	n := 0
	for _, id := range ids {
		if id == 0 {
			continue
		}
		n++
		row := w.emb[int(id)*w.e : int(id)*w.e+w.e]
		for j, x := range row {
			bag[j] += float64(x)
		}
	}
	if n > 0 {
		scaleInPlace(bag, 1/float64(n))
	}
	for j := 0; j < w.h; j++ {
		hid[j] = float64(w.b1[j])
	}
	for i, x := range bag {
		if x == 0 {
			continue
		}
		row := w.w1[i*w.h : i*w.h+w.h]
		for j, wv := range row {
			hid[j] += x * float64(wv)
		}
	}
	for j := range u {
		u[j] = float64(w.b2[j])
	}
	for i, x := range hid {
		if x <= 0 {
			continue
		}
		row := w.w2[i*w.d : i*w.d+w.d]
		for j, wv := range row {
			u[j] += x * float64(wv)
		}
	}
	z := make([]float64, w.d)
	copy(z, u)
	toBall(z, m.cfg.ClipRadius, m.cfg.Curvature)
	return z
}

// scratch holds per-call buffers of the forward pass.
type scratch struct {
	ids          []int32
	bag, hid, u  []float64
	dist, logits []float64
}

func (m *Model) newScratch() *scratch {
	return &scratch{ids: make([]int32, m.cfg.MaxTokens), bag: make([]float64, m.w.e), hid: make([]float64, m.w.h),
		u: make([]float64, m.w.d), dist: make([]float64, m.w.k), logits: make([]float64, m.w.k)}
}

// embed featurizes and encodes one transaction.
func (m *Model) embed(in ports.ClassifyInput, s *scratch) []float64 {
	m.feat.ids(in, s.ids)
	return m.embedIDs(s.ids, s.bag, s.hid, s.u)
}

// scored is the forward pass's verdict on one item.
type scored struct {
	z          []float64
	best       int // best known head
	bestAll    int // best head including the spare ones
	dist       float64
	confidence float64
	unknown    bool
}

func (m *Model) score(z []float64, s *scratch) scored {
	z2 := sqNorm(z)
	known := len(m.labels)
	best, bestAll := 0, 0
	for k := range m.protos {
		s.dist[k] = poincareDist(z, m.protos[k], z2, m.proto2[k], m.cfg.Curvature)
		if k < known && s.dist[k] < s.dist[best] {
			best = k
		}
		if s.dist[k] < s.dist[bestAll] {
			bestAll = k
		}
	}
	t := m.man.Temperature
	sum := 0.0
	for k := 0; k < known; k++ {
		sum += math.Exp(-(s.dist[k] - s.dist[best]) / t)
	}
	conf := 1 / sum
	over := s.dist[best] - m.man.Radius[best]
	if over > 0 {
		conf *= math.Exp(-over)
	}
	return scored{z: z, best: best, bestAll: bestAll, dist: s.dist[best], confidence: math.Min(math.Max(conf, 0), 1),
		unknown: bestAll >= known || over > 0}
}

// parallelMin is the batch size from which Predict spreads the work over
// the available CPUs.
const parallelMin = 256

// Predict answers every input in order. Large batches are split over the
// available CPUs; the answers do not depend on the split.
func (m *Model) Predict(ctx context.Context, items []ports.ClassifyInput) ([]ports.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, scale.Wrap(err, scale.KindUnavailable, CodeCancelled, "classification was cancelled")
	}
	out := make([]ports.Prediction, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items)/parallelMin+1)
	if workers <= 1 {
		return out, m.predictRange(ctx, items, out)
	}
	chunk := (len(items) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(items))
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = m.predictRange(ctx, items[lo:hi], out[lo:hi])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (m *Model) predictRange(ctx context.Context, items []ports.ClassifyInput, out []ports.Prediction) error {
	s := m.newScratch()
	for i, in := range items {
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return scale.Wrap(err, scale.KindUnavailable, CodeCancelled, "classification was cancelled")
			}
		}
		sc := m.score(m.embed(in, s), s)
		p := ports.Prediction{Category: m.labels[sc.best], Confidence: sc.confidence}
		if len(m.clusters) > 0 {
			c, ok := 0, false
			if m.payees != nil {
				c, ok = m.payees[MerchantKey(in)]
			}
			if ok {
				if c >= 0 {
					p.Novel = m.clusters[c].Key
				}
			} else if sc.unknown {
				p.Novel = m.clusters[m.nearestCluster(sc.z)].Key
			}
		}
		out[i] = p
	}
	return nil
}

func (m *Model) nearestCluster(z []float64) int {
	z2 := sqNorm(z)
	best, bd := 0, math.Inf(1)
	for i, c := range m.clusters {
		if d := poincareDist(z, c.Centroid, z2, m.cent2[i], m.cfg.Curvature); d < bd {
			best, bd = i, d
		}
	}
	return best
}
