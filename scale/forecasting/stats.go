package forecasting

import (
	"math"
	"slices"
)

// quantileSorted returns the p-quantile of sorted xs by linear
// interpolation between order statistics (Hyndman–Fan type 7).
func quantileSorted(xs []float64, p float64) float64 {
	n := len(xs)
	switch n {
	case 0:
		return 0
	case 1:
		return xs[0]
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return xs[n-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return quantileSorted(s, 0.5)
}

// mad returns the median absolute deviation from m.
func mad(xs []float64, m float64) float64 {
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return median(d)
}

func roundMinor(x float64) int64 { return int64(math.Round(x)) }
