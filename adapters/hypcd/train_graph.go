package hypcd

import (
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // gomlx graph DSL
)

// Temperatures and mixing weights of the HypCD losses (train_HypSimGCD.py).
const (
	tempInfoAngle = 0.1
	tempSupAngle  = 0.07
	tempInfoDist  = 1.0
	tempSupDist   = 0.5
	supWeight     = 0.35
	clsWeight     = 0.35
	teacherSharp  = 2.0
)

// stepInputs is the order of the training step's input tensors.
const (
	inIDs1 = iota
	inIDs2
	inLabels
	inLabMask
	inSupPos
	inInstPos
	inValid
	inSupRow
	inLambda
	numInputs
)

// lossG builds the HypCD training loss: cross-entropy over prototype
// distances on labelled items, the hybrid angle/distance InfoNCE (all
// items, two views) and SupCon (labelled), and, with spare heads,
// self-distillation between views plus mean-entropy maximisation.
func lossG(v netVars, cfg Config, heads int, selfDistill bool, in []*Node) *Node {
	c := cfg.Curvature
	g := in[inIDs1].Graph()
	z1, z2 := encodeG(v, cfg, in[inIDs1]), encodeG(v, cfg, in[inIDs2])
	p := prototypesG(v, cfg, g)
	l1 := DivScalar(Neg(poincareDistG(z1, p, c)), cfg.ProtoTemperature)
	l2 := DivScalar(Neg(poincareDistG(z2, p, c)), cfg.ProtoTemperature)

	oh := Mul(OneHot(in[inLabels], heads, dtypes.Float32), InsertAxes(in[inLabMask], -1))
	nLab := MaxScalar(ReduceAllSum(in[inLabMask]), 1)
	ce := Neg(Div(Add(ReduceAllSum(Mul(oh, LogSoftmax(l1, -1))), ReduceAllSum(Mul(oh, LogSoftmax(l2, -1)))), MulScalar(nLab, 2)))

	z := Concatenate([]*Node{z1, z2}, 0)
	simD := Neg(poincareDistG(z, z, c))
	simA := cosineG(z, z)
	ones := OnesLike(in[inSupRow])
	infoA := supConMasked(DivScalar(simA, tempInfoAngle), in[inInstPos], in[inValid], ones)
	supA := supConMasked(DivScalar(simA, tempSupAngle), in[inSupPos], in[inValid], in[inSupRow])
	infoD := supConMasked(DivScalar(simD, tempInfoDist), in[inInstPos], in[inValid], ones)
	supD := supConMasked(DivScalar(simD, tempSupDist), in[inSupPos], in[inValid], in[inSupRow])
	lam := in[inLambda]
	angle := Add(MulScalar(infoA, 1-supWeight), MulScalar(supA, supWeight))
	dist := Add(MulScalar(infoD, 1-supWeight), MulScalar(supD, supWeight))
	rep := Add(Mul(OneMinus(lam), angle), Mul(lam, dist))
	if !selfDistill {
		return Add(ce, rep)
	}
	n := float64(2 * in[inIDs1].Shape().Dimensions[0])
	t1 := StopGradient(Softmax(MulScalar(l1, teacherSharp), -1))
	t2 := StopGradient(Softmax(MulScalar(l2, teacherSharp), -1))
	sd := Neg(DivScalar(Add(ReduceAllSum(Mul(t2, LogSoftmax(l1, -1))), ReduceAllSum(Mul(t1, LogSoftmax(l2, -1)))), n))
	avg := DivScalar(ReduceSum(Concatenate([]*Node{Softmax(l1, -1), Softmax(l2, -1)}, 0), 0), n)
	memax := AddScalar(ReduceAllSum(Mul(avg, Log(AddScalar(avg, 1e-12)))), math.Log(float64(heads)))
	cluster := Add(sd, memax)
	return Add(Add(MulScalar(ce, clsWeight), MulScalar(cluster, 1-clsWeight)), rep)
}
