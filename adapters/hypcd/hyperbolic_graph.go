package hypcd

import (
	"math"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // gomlx graph DSL
)

// Graph versions of the Poincaré-ball operations, used in training and in
// the parity check of the pure-Go forward pass (hyperbolic.go).

const minNorm = 1e-5

func scalarLike(x *Node, v float64) *Node { return Scalar(x.Graph(), x.DType(), v) }

// safeNorm clamps the squared norm before Sqrt: the gradient of the norm of
// a zero vector would otherwise be NaN.
func safeNorm(x *Node) *Node {
	return Sqrt(MaxScalar(ReduceAndKeep(Square(x), ReduceSum, -1), minNorm*minNorm))
}

func clipFeatureG(z *Node, r float64) *Node {
	return Mul(z, MinScalar(Div(scalarLike(z, r), safeNorm(z)), 1.0))
}

func expMap0G(u *Node, c float64) *Node {
	n := MulScalar(safeNorm(u), math.Sqrt(c))
	return Mul(u, Div(Tanh(MinScalar(n, 15)), n))
}

func projectG(x *Node, c float64) *Node {
	return Mul(x, MinScalar(Div(scalarLike(x, (1-1e-3)/math.Sqrt(c)), safeNorm(x)), 1.0))
}

func acoshG(x *Node) *Node {
	x = MaxScalar(x, 1+1e-6)
	return Log(Add(x, Sqrt(AddScalar(Square(x), -1))))
}

// poincareDistG returns d_c(x_i, y_j) for x:[N,D], y:[M,D] as [N,M].
func poincareDistG(x, y *Node, c float64) *Node {
	x2, y2 := ReduceSum(Square(x), -1), ReduceSum(Square(y), -1)
	xy := MatMul(x, Transpose(y, 0, 1))
	sq := MaxScalar(Add(Sub(InsertAxes(x2, -1), MulScalar(xy, 2)), InsertAxes(y2, 0)), 0)
	den := MaxScalar(Mul(InsertAxes(OnePlus(MulScalar(Neg(x2), c)), -1), InsertAxes(OnePlus(MulScalar(Neg(y2), c)), 0)), 1e-6)
	return DivScalar(acoshG(OnePlus(Div(MulScalar(sq, 2*c), den))), math.Sqrt(c))
}

func cosineG(x, y *Node) *Node {
	return MatMul(Div(x, safeNorm(x)), Transpose(Div(y, safeNorm(y)), 0, 1))
}

// supConMasked is the supervised contrastive loss with host-built masks:
// pos marks positives, valid excludes self, rowW weights the anchors.
func supConMasked(sim, pos, valid, rowW *Node) *Node {
	mx := StopGradient(ReduceAndKeep(sim, ReduceMax, -1))
	lse := Add(Log(AddScalar(ReduceSum(Mul(Exp(Sub(sim, mx)), valid), -1), 1e-12)), Squeeze(mx, -1))
	npos := MaxScalar(ReduceSum(pos, -1), 1)
	meanPos := Sub(Div(ReduceSum(Mul(pos, sim), -1), npos), lse)
	return Neg(Div(ReduceAllSum(Mul(meanPos, rowW)), MaxScalar(ReduceAllSum(rowW), 1)))
}
