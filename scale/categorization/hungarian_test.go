package categorization

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/matryer/is"
)

func totalCost(cost [][]float64, a []int) float64 {
	s := 0.0
	for i, j := range a {
		if j >= 0 {
			s += cost[i][j]
		}
	}
	return s
}

// bruteForce returns the minimal total cost over all assignments of rows
// to distinct columns (rows ≤ cols).
func bruteForce(cost [][]float64) float64 {
	best := math.Inf(1)
	used := make([]bool, len(cost[0]))
	var rec func(i int, acc float64)
	rec = func(i int, acc float64) {
		if i == len(cost) {
			best = math.Min(best, acc)
			return
		}
		for j := range used {
			if !used[j] {
				used[j] = true
				rec(i+1, acc+cost[i][j])
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func TestHungarianKnown(t *testing.T) {
	is := is.New(t)
	cost := [][]float64{{4, 1, 3}, {2, 0, 5}, {3, 2, 2}}
	a := Hungarian(cost)
	is.Equal(totalCost(cost, a), 5.0) // 1 + 2 + 2
	is.Equal(a, []int{1, 0, 2})
}

func TestHungarianMatchesBruteForce(t *testing.T) {
	is := is.New(t)
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		rows, cols := 1+r.IntN(6), 1+r.IntN(6)
		cost := make([][]float64, rows)
		for i := range cost {
			cost[i] = make([]float64, cols)
			for j := range cost[i] {
				cost[i][j] = float64(r.IntN(20)) - 10
			}
		}
		a := Hungarian(cost)
		is.Equal(len(a), rows)
		seen := map[int]bool{}
		assigned := 0
		for _, j := range a {
			if j >= 0 {
				is.True(!seen[j]) // a column is used once
				seen[j] = true
				assigned++
			}
		}
		is.Equal(assigned, min(rows, cols))
		if rows <= cols {
			is.Equal(totalCost(cost, a), bruteForce(cost))
		}
	}
}

func TestHungarianEmpty(t *testing.T) {
	is := is.New(t)
	is.Equal(len(Hungarian(nil)), 0)
}
