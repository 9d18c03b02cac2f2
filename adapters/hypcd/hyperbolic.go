package hypcd

import "math"

// Pure-Go Poincaré-ball maths, the same operations in the same order as the
// graph versions in hyperbolic_graph.go, in float64.

func sqNorm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

func safeNormGo(x []float64) float64 { return math.Sqrt(math.Max(sqNorm(x), minNorm*minNorm)) }

func scaleInPlace(x []float64, s float64) {
	for i := range x {
		x[i] *= s
	}
}

// toBall clips u to radius r, maps it by exp₀ and projects it into the ball
// of curvature c, in place.
func toBall(u []float64, r, c float64) {
	scaleInPlace(u, math.Min(r/safeNormGo(u), 1))
	n := safeNormGo(u) * math.Sqrt(c)
	scaleInPlace(u, math.Tanh(math.Min(n, 15))/n)
	scaleInPlace(u, math.Min((1-1e-3)/math.Sqrt(c)/safeNormGo(u), 1))
}

// expToBall maps a tangent vector (no clipping) into the ball, in place.
func expToBall(u []float64, c float64) {
	n := safeNormGo(u) * math.Sqrt(c)
	scaleInPlace(u, math.Tanh(math.Min(n, 15))/n)
	scaleInPlace(u, math.Min((1-1e-3)/math.Sqrt(c)/safeNormGo(u), 1))
}

// poincareDist is d_c(x, y), with x2 = |x|², y2 = |y|² precomputed.
func poincareDist(x, y []float64, x2, y2, c float64) float64 {
	xy := 0.0
	for i := range x {
		xy += x[i] * y[i]
	}
	sq := math.Max(x2-2*xy+y2, 0)
	den := math.Max((1-c*x2)*(1-c*y2), 1e-6)
	a := math.Max(1+2*c*sq/den, 1+1e-6)
	return math.Log(a+math.Sqrt(a*a-1)) / math.Sqrt(c)
}

// kleinMidpoint returns the Einstein midpoint of ball points (the
// hyperbolic centroid used by k-means), computed in the Klein model.
func kleinMidpoint(points [][]float64, c float64, dim int) []float64 {
	acc := make([]float64, dim)
	wsum := 0.0
	for _, p := range points {
		p2 := sqNorm(p)
		s := 2 / (1 + c*p2)
		k2 := s * s * p2
		gamma := 1 / math.Sqrt(math.Max(1-c*k2, 1e-9))
		for i := range acc {
			acc[i] += gamma * s * p[i]
		}
		wsum += gamma
	}
	if wsum == 0 {
		return acc
	}
	scaleInPlace(acc, 1/wsum)
	k2 := sqNorm(acc)
	scaleInPlace(acc, 1/(1+math.Sqrt(math.Max(1-c*k2, 0))))
	return acc
}
