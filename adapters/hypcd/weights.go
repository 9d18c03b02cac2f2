package hypcd

import (
	"math"
	"math/rand/v2"
)

// weights are the trained parameters, row-major float32 as in gomlx.
type weights struct {
	v, e, h, d, k int
	emb           []float32 // [v,e]
	w1            []float32 // [e,h]
	b1            []float32 // [h]
	w2            []float32 // [h,d]
	b2            []float32 // [d]
	proto         []float32 // [k,d] tangent vectors at the origin
}

// tensors returns the weight slices in tensorNames order with their shapes.
func (w *weights) tensors() ([][]float32, [][]int) {
	return [][]float32{w.emb, w.w1, w.b1, w.w2, w.b2, w.proto},
		[][]int{{w.v, w.e}, {w.e, w.h}, {w.h}, {w.h, w.d}, {w.d}, {w.k, w.d}}
}

// initWeights draws the initial parameters from a seeded generator.
func initWeights(cfg Config, k int, seed int64) *weights {
	r := rand.New(rand.NewPCG(uint64(seed), 0x1417))
	normal := func(n int, std float64) []float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = float32(r.NormFloat64() * std)
		}
		return out
	}
	w := &weights{v: cfg.Buckets, e: cfg.EmbedDim, h: cfg.Hidden, d: cfg.Dim, k: k}
	w.emb = normal(w.v*w.e, 0.5)
	w.w1 = normal(w.e*w.h, math.Sqrt(2/float64(w.e)))
	w.b1 = make([]float32, w.h)
	w.w2 = normal(w.h*w.d, math.Sqrt(1/float64(w.h)))
	w.b2 = make([]float32, w.d)
	w.proto = make([]float32, w.k*w.d)
	for i := 0; i < k; i++ {
		row := normal(w.d, 1)
		n := 0.0
		for _, x := range row {
			n += float64(x) * float64(x)
		}
		s := float32(1.5 / math.Sqrt(n))
		for j := range row {
			w.proto[i*w.d+j] = row[j] * s
		}
	}
	return w
}
