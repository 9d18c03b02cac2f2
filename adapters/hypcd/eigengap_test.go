package hypcd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// blobs returns n points around each of k well-separated centres in the
// plane, their distance matrix and weights (1 to 5 items per point).
func blobs(k, n int, r *rand.Rand) ([][]float64, []float64) {
	var pts [][2]float64
	for c := 0; c < k; c++ {
		angle := 2 * math.Pi * float64(c) / float64(k)
		for i := 0; i < n; i++ {
			pts = append(pts, [2]float64{3*math.Cos(angle) + 0.4*r.NormFloat64(), 3*math.Sin(angle) + 0.4*r.NormFloat64()})
		}
	}
	d := make([][]float64, len(pts))
	w := make([]float64, len(pts))
	for i, p := range pts {
		d[i] = make([]float64, len(pts))
		for j, q := range pts {
			d[i][j] = math.Hypot(p[0]-q[0], p[1]-q[1])
		}
		w[i] = float64(1 + r.IntN(5))
	}
	return d, w
}

func TestEigengapFindsTheNumberOfClusters(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for k := 2; k <= 6; k++ {
		d, w := blobs(k, 20, r)
		if got := eigengapK(d, w, 8); got != k {
			t.Errorf("%d blobs: eigengapK = %d", k, got)
		}
	}
	if got := eigengapK([][]float64{{0, 1}, {1, 0}}, []float64{1, 1}, 8); got != 1 {
		t.Errorf("two points: eigengapK = %d, want 1", got)
	}
}

func TestEigenvaluesOfAKnownMatrix(t *testing.T) {
	// [[2,1],[1,2]] has eigenvalues 3 and 1.
	vals := eigenvalues([][]float64{{2, 1}, {1, 2}})
	if math.Abs(vals[0]-3) > 1e-9 || math.Abs(vals[1]-1) > 1e-9 {
		t.Fatalf("eigenvalues = %v, want [3 1]", vals)
	}
}
