package hypcd

import (
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // gomlx graph DSL
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// netVars are the trainable variables of the encoder and the prototypes.
type netVars struct {
	emb, w1, b1, w2, b2, proto *context.Variable
}

// tensorNames lists the weight tensors in artifact order.
var tensorNames = []string{"emb", "w1", "b1", "w2", "b2", "proto"}

func (v netVars) list() []*context.Variable {
	return []*context.Variable{v.emb, v.w1, v.b1, v.w2, v.b2, v.proto}
}

// newNetVars creates the variables in ctx from initial weights.
func newNetVars(ctx *context.Context, w *weights) netVars {
	c := ctx.In("hypcd")
	t := func(data []float32, dims ...int) *tensors.Tensor {
		return tensors.FromFlatDataAndDimensions(data, dims...)
	}
	return netVars{
		emb:   c.VariableWithValue("emb", t(w.emb, w.v, w.e)),
		w1:    c.VariableWithValue("w1", t(w.w1, w.e, w.h)),
		b1:    c.VariableWithValue("b1", t(w.b1, w.h)),
		w2:    c.VariableWithValue("w2", t(w.w2, w.h, w.d)),
		b2:    c.VariableWithValue("b2", t(w.b2, w.d)),
		proto: c.VariableWithValue("proto", t(w.proto, w.k, w.d)),
	}
}

// encodeG maps ids [B,L] (0 = pad) to points of the ball [B,D].
func encodeG(v netVars, cfg Config, ids *Node) *Node {
	g := ids.Graph()
	dims := ids.Shape().Dimensions
	b, l := dims[0], dims[1]
	emb := v.emb.ValueGraph(g)
	e := Reshape(Gather(emb, Reshape(ids, b*l, 1)), b, l, cfg.EmbedDim)
	sum := ReduceSum(e, 1)
	isPad := ConvertDType(Equal(ids, ScalarZero(g, dtypes.Int32)), dtypes.Float32)
	nPad := ReduceAndKeep(isPad, ReduceSum, -1)
	row0 := Gather(emb, Zeros(g, shapes.Make(dtypes.Int32, 1, 1)))
	h := Div(Sub(sum, Mul(nPad, row0)), MaxScalar(Sub(Scalar(g, dtypes.Float32, float64(l)), nPad), 1))
	h = MaxScalar(Add(MatMul(h, v.w1.ValueGraph(g)), InsertAxes(v.b1.ValueGraph(g), 0)), 0)
	u := Add(MatMul(h, v.w2.ValueGraph(g)), InsertAxes(v.b2.ValueGraph(g), 0))
	return projectG(expMap0G(clipFeatureG(u, cfg.ClipRadius), cfg.Curvature), cfg.Curvature)
}

// prototypesG returns the prototypes as points of the ball [K,D].
func prototypesG(v netVars, cfg Config, g *Graph) *Node {
	return projectG(expMap0G(v.proto.ValueGraph(g), cfg.Curvature), cfg.Curvature)
}
