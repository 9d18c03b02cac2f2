package hypcd

import (
	"context"
	"math"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // gomlx graph DSL
	"github.com/gomlx/gomlx/pkg/core/tensors"
	gctx "github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale/categorization"
)

// TestForwardMatchesGomlx proves that the pure-Go forward pass used for
// serving computes what the gomlx graph computes, within 1e-5, on the
// weights of a trained model.
func TestForwardMatchesGomlx(t *testing.T) {
	is := is.New(t)
	cfg := DefaultConfig()
	cfg.Steps, cfg.BatchSize, cfg.Buckets = 25, 32, 1<<12
	es := categorization.Generate(categorization.CorpusConfig{Seed: 5, Size: 600})
	set := ports.TrainingSet{Labels: categorization.CorpusCategories(), Seed: 3}
	for _, e := range es {
		set.Labelled = append(set.Labelled, ports.LabelledItem{ClassifyInput: e.Input(), Category: e.Category})
	}
	m, err := NewTrainer(cfg, "parity", "0").TrainModel(context.Background(), set, nil)
	is.NoErr(err)

	backend, err := newBackend()
	is.NoErr(err)
	defer backend.Finalize()
	gc := gctx.New()
	vars := newNetVars(gc, m.w)
	temp := m.man.Temperature
	exec := gctx.MustNewExec(backend, gc.Reuse(), func(_ *gctx.Context, ids *Node) (*Node, *Node) {
		z := encodeG(vars, m.cfg, ids)
		p := prototypesG(vars, m.cfg, ids.Graph())
		return z, Softmax(DivScalar(Neg(poincareDistG(z, p, m.cfg.Curvature)), temp), -1)
	})
	n, l := 64, m.cfg.MaxTokens
	flat := make([]int32, n*l)
	for i := 0; i < n; i++ {
		m.feat.ids(es[i].Input(), flat[i*l:(i+1)*l])
	}
	out := exec.MustExec(tensors.FromFlatDataAndDimensions(flat, n, l))
	zG := tensors.MustCopyFlatData[float32](out[0])
	pG := tensors.MustCopyFlatData[float32](out[1])

	s := m.newScratch()
	maxDZ, maxDP := 0.0, 0.0
	for i := 0; i < n; i++ {
		z := m.embedIDs(flat[i*l:(i+1)*l], s.bag, s.hid, s.u)
		for j, v := range z {
			maxDZ = math.Max(maxDZ, math.Abs(v-float64(zG[i*m.w.d+j])))
		}
		z2 := sqNorm(z)
		sum := 0.0
		for k := range m.protos {
			s.dist[k] = poincareDist(z, m.protos[k], z2, m.proto2[k], m.cfg.Curvature)
			sum += math.Exp(-s.dist[k] / temp)
		}
		for k := range m.protos {
			p := math.Exp(-s.dist[k]/temp) / sum
			maxDP = math.Max(maxDP, math.Abs(p-float64(pG[i*m.w.k+k])))
		}
	}
	t.Logf("max |Δz| = %.2e, max |Δprob| = %.2e", maxDZ, maxDP)
	is.True(maxDZ < 1e-5)
	is.True(maxDP < 1e-5)
}
