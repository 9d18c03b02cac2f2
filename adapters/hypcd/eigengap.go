package hypcd

import (
	"math"
	"sort"
)

// eigenvalues returns the eigenvalues of the symmetric matrix a in
// decreasing order (cyclic Jacobi rotations).
func eigenvalues(a [][]float64) []float64 {
	n := len(a)
	m := make([][]float64, n)
	for i := range m {
		m[i] = append([]float64(nil), a[i]...)
	}
	for sweep := 0; sweep < 50; sweep++ {
		off := 0.0
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				off += m[p][q] * m[p][q]
			}
		}
		if off < 1e-18 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				if math.Abs(m[p][q]) < 1e-15 {
					continue
				}
				theta := (m[q][q] - m[p][p]) / (2 * m[p][q])
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					mkp, mkq := m[k][p], m[k][q]
					m[k][p], m[k][q] = c*mkp-s*mkq, s*mkp+c*mkq
				}
				for k := 0; k < n; k++ {
					mpk, mqk := m[p][k], m[q][k]
					m[p][k], m[q][k] = c*mpk-s*mqk, s*mpk+c*mqk
				}
			}
		}
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = m[i][i]
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(vals)))
	return vals
}

// neighbourK is the neighbour whose distance sets a payee's affinity scale
// in eigengapK.
const neighbourK = 7

// eigengapK estimates the number of clusters among n points (payees) from
// their pairwise distances d and weights w, as in self-tuning spectral
// clustering (Zelnik-Manor and Perona): a Gaussian affinity whose scale at
// each point is its distance to its neighbourK-th nearest point, weighted
// by w and normalized (D^-1/2 A D^-1/2); k is where the gap between the
// k-th and (k+1)-th largest eigenvalues is widest, 2 ≤ k ≤ maxK. Fewer than
// three points make one cluster.
func eigengapK(d [][]float64, w []float64, maxK int) int {
	n := len(d)
	if n < 3 {
		return 1
	}
	sig := make([]float64, n)
	for i := range d {
		row := append([]float64(nil), d[i]...)
		sort.Float64s(row) // row[0] is the point itself
		sig[i] = math.Max(row[min(neighbourK, n-1)], 1e-6)
	}
	a := make([][]float64, n)
	deg := make([]float64, n)
	for i := range d {
		a[i] = make([]float64, n)
		for j := range d {
			a[i][j] = math.Exp(-d[i][j] * d[i][j] / (2 * sig[i] * sig[j]))
			deg[i] += a[i][j] * w[j]
		}
	}
	for i := range a {
		for j := range a[i] {
			a[i][j] *= math.Sqrt(w[i] * w[j] / (deg[i] * deg[j]))
		}
	}
	vals := eigenvalues(a)
	k, best := 1, math.Inf(-1)
	for c := 2; c <= min(maxK, n-1); c++ {
		if g := vals[c-1] - vals[c]; g > best {
			k, best = c, g
		}
	}
	return k
}
