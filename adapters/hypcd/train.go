package hypcd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	gctx "github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// backendConfig is the simplego configuration: parallelism=-1 avoids the
// worker-pool deadlock of gomlx v0.26.0's default configuration.
const backendConfig = "parallelism=-1"

func newBackend() (backends.Backend, error) { return simplego.New(backendConfig) }

// Trainer trains HypCD models with gomlx and loads them. It implements
// ports.Trainer.
type Trainer struct {
	cfg     Config
	name    string
	version string
	onStep  func(step, steps int, loss float64)
}

// OnStep sets a hook called after every training step with the step
// number (from 1), the number of steps and the smoothed loss; the
// command-line tool draws its progress line with it.
func (t *Trainer) OnStep(fn func(step, steps int, loss float64)) { t.onStep = fn }

var _ ports.Trainer = (*Trainer)(nil)

// NewTrainer returns a trainer; zero fields of cfg take DefaultConfig's
// values. name and version are written into every manifest.
func NewTrainer(cfg Config, name, version string) *Trainer {
	if name == "" {
		name = "hypcd"
	}
	if version == "" {
		version = "dev"
	}
	return &Trainer{cfg: cfg.withDefaults(), name: name, version: version}
}

// Load deserializes an artifact produced by Train.
func (t *Trainer) Load(artifact []byte) (ports.Model, error) { return Load(artifact) }

// prepared is a training set turned into feature ids.
type prepared struct {
	ids    [][]int32
	label  []int32 // -1 when unlabelled
	calib  []int   // held-out labelled rows
	train  []int   // labelled rows used for training
	unlab  []int
	labels []scale.CategoryID
}

func (t *Trainer) prepare(set ports.TrainingSet, f featurizer) (*prepared, error) {
	if len(set.Labels) == 0 || len(set.Labelled) == 0 {
		return nil, scale.Invalid(CodeTrainingInvalid, "training needs labels and labelled items")
	}
	index := map[scale.CategoryID]int32{}
	for i, l := range set.Labels {
		if _, dup := index[l]; dup {
			return nil, scale.Invalid(CodeTrainingInvalid, "label %q is listed twice", l)
		}
		index[l] = int32(i)
	}
	p := &prepared{labels: append([]scale.CategoryID(nil), set.Labels...)}
	for i, it := range set.Labelled {
		k, ok := index[it.Category]
		if !ok {
			return nil, scale.InvalidFields(CodeTrainingInvalid, "A labelled item has a category outside the label set.",
				scale.FieldError{Field: fmt.Sprintf("labelled[%d].category", i), Message: "is not in the label set"})
		}
		ids := make([]int32, f.maxLen)
		f.ids(it.ClassifyInput, ids)
		p.ids = append(p.ids, ids)
		p.label = append(p.label, k)
	}
	for _, it := range set.Unlabelled {
		ids := make([]int32, f.maxLen)
		f.ids(it, ids)
		p.unlab = append(p.unlab, len(p.ids))
		p.ids = append(p.ids, ids)
		p.label = append(p.label, -1)
	}
	r := rand.New(rand.NewPCG(uint64(set.Seed), 0xca1b))
	perm := r.Perm(len(set.Labelled))
	nCalib := len(perm) / 10
	if nCalib < 20 {
		p.train, p.calib = perm, perm
	} else {
		p.calib, p.train = perm[:nCalib], perm[nCalib:]
	}
	return p, nil
}

// dataHash fingerprints the training data for the manifest.
func dataHash(set ports.TrainingSet) string {
	h := sha256.New()
	row := func(in ports.ClassifyInput, cat scale.CategoryID) {
		fmt.Fprintf(h, "%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\n", in.Description, in.Merchant, in.Amount, in.Currency, in.Date, cat)
	}
	for _, it := range set.Labelled {
		row(it.ClassifyInput, it.Category)
	}
	for _, it := range set.Unlabelled {
		row(it, "?")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// steps picks the number of training steps.
func (t *Trainer) steps(nTrain int) int {
	if t.cfg.Steps > 0 {
		return t.cfg.Steps
	}
	return min(max(2*nTrain/t.cfg.BatchSize, 200), 600)
}

// Train fits a model on set and returns its artifact and held-out metrics.
func (t *Trainer) Train(ctx context.Context, set ports.TrainingSet, progress ports.TrainProgress) (artifact []byte, metrics map[string]float64, err error) {
	m, err := t.TrainModel(ctx, set, progress)
	if err != nil {
		return nil, nil, err
	}
	art, err := m.Artifact()
	if err != nil {
		return nil, nil, err
	}
	return art, m.Info().Metrics, nil
}

// TrainModel is Train returning the loaded model.
func (t *Trainer) TrainModel(ctx context.Context, set ports.TrainingSet, progress ports.TrainProgress) (m *Model, err error) {
	start := time.Now()
	cfg := t.cfg
	f := featurizer{buckets: cfg.Buckets, maxLen: cfg.MaxTokens}
	p, err := t.prepare(set, f)
	if err != nil {
		return nil, err
	}
	heads := len(p.labels)
	selfDistill := len(p.unlab) > 0 && cfg.ExtraHeads > 0
	if selfDistill {
		heads += cfg.ExtraHeads
	}
	steps := t.steps(len(p.train) + len(p.unlab))
	w := initWeights(cfg, heads, set.Seed)
	loss, err := t.fit(ctx, cfg, p, w, heads, selfDistill, steps, set.Seed, progress)
	if err != nil {
		return nil, err
	}
	man := manifest{Format: FormatName, FormatVersion: FormatVersion, Name: t.name, Version: t.version,
		FeatureSchema: FeatureSchema, Config: cfg, Labels: p.labels, Heads: heads, Seed: set.Seed,
		TrainingData: dataHash(set), Temperature: 1, Radius: make([]float64, len(p.labels))}
	encodeWeights(&man, w)
	m = newModel(man, w)
	m.calibrate(p)
	if len(set.Unlabelled) > 0 {
		seen := map[string]bool{}
		for _, it := range set.Labelled {
			seen[MerchantKey(it.ClassifyInput)] = true
		}
		found, known, err := m.discover(ctx, set.Unlabelled, seen)
		if err != nil {
			return nil, err
		}
		if len(found) > 0 {
			m.man.KnownPayees = known
		}
		for _, c := range found {
			m.man.Clusters = append(m.man.Clusters, c.cluster)
		}
		m = newModel(m.man, w)
	}
	m.man.Metrics = m.heldOutMetrics(p)
	m.man.Metrics["train_seconds"] = time.Since(start).Seconds()
	m.man.Metrics["steps"] = float64(steps)
	m.man.Metrics["final_loss"] = loss
	m.man.Metrics["discovered"] = float64(len(m.man.Clusters))
	return m, nil
}

// Artifact serializes the model (manifest and weights in one byte slice).
func (m *Model) Artifact() ([]byte, error) {
	man, w, err := m.Parts()
	if err != nil {
		return nil, err
	}
	return JoinArtifact(man, w), nil
}

// Parts returns the model's manifest (JSON) and weights, the two files of a
// model directory.
func (m *Model) Parts() (manifestJSON, weightsBin []byte, err error) {
	man := m.man
	w := encodeWeights(&man, m.w)
	j, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, nil, scale.Internal(err, CodeTrainingFailed)
	}
	return j, w, nil
}

// fit runs the gomlx training loop and copies the trained variables into w.
func (t *Trainer) fit(ctx context.Context, cfg Config, p *prepared, w *weights, heads int, selfDistill bool,
	steps int, seed int64, progress ports.TrainProgress) (finalLoss float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = scale.Internal(fmt.Errorf("gomlx: %v", r), CodeTrainingFailed)
		}
	}()
	backend, err := newBackend()
	if err != nil {
		return 0, scale.Internal(err, CodeTrainingFailed)
	}
	defer backend.Finalize()
	gc := gctx.New()
	vars := newNetVars(gc, w)
	modelFn := func(c *gctx.Context, _ any, in []*graph.Node) []*graph.Node {
		loss := lossG(vars, cfg, heads, selfDistill, in)
		train.AddLoss(c, loss)
		return []*graph.Node{loss}
	}
	opt := optimizers.Adam().LearningRate(cfg.LearningRate).Done()
	trainer := train.NewTrainer(backend, gc, modelFn, nil, opt, nil, nil)
	b := newBatcher(cfg, p, seed)
	ema := math.NaN()
	for step := 0; step < steps; step++ {
		if err := ctx.Err(); err != nil {
			return 0, scale.Wrap(err, scale.KindUnavailable, CodeCancelled, "training was cancelled")
		}
		in := b.next(float32(step) / float32(max(steps-1, 1)))
		ms, err := trainer.TrainStep(nil, in, nil)
		for _, tt := range in {
			tt.FinalizeAll()
		}
		if err != nil {
			return 0, scale.Internal(err, CodeTrainingFailed)
		}
		l := lossValue(ms[0])
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return 0, scale.Internal(fmt.Errorf("loss is %v at step %d", l, step), CodeTrainingFailed)
		}
		if math.IsNaN(ema) {
			ema = l
		}
		ema = 0.95*ema + 0.05*l
		if progress != nil {
			progress(min(99, 100*(step+1)/steps), ema)
		}
		if t.onStep != nil {
			t.onStep(step+1, steps, ema)
		}
	}
	for i, v := range vars.list() {
		data, _ := w.tensors()
		copy(data[i], tensors.MustCopyFlatData[float32](v.MustValue()))
	}
	return ema, nil
}

func lossValue(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	f, _ := strconv.ParseFloat(fmt.Sprint(t.Value()), 64)
	return f
}

// batcher draws training batches: half labelled, half unlabelled when
// there are unlabelled items, each in two token-dropout views, with the
// contrastive masks built on the host.
type batcher struct {
	cfg        Config
	p          *prepared
	r          *rand.Rand
	lab, unl   []int
	li, ui     int
	nLab, nUnl int
}

func newBatcher(cfg Config, p *prepared, seed int64) *batcher {
	b := &batcher{cfg: cfg, p: p, r: rand.New(rand.NewPCG(uint64(seed), 0xba7c))}
	b.nLab = cfg.BatchSize
	if len(p.unlab) > 0 {
		b.nLab = cfg.BatchSize / 2
	}
	b.nUnl = cfg.BatchSize - b.nLab
	return b
}

func (b *batcher) draw(pool []int, order *[]int, pos *int) int {
	if *pos >= len(*order) {
		*order = append((*order)[:0], pool...)
		b.r.Shuffle(len(*order), func(i, j int) { (*order)[i], (*order)[j] = (*order)[j], (*order)[i] })
		*pos = 0
	}
	v := (*order)[*pos]
	*pos++
	return v
}

func (b *batcher) view(src []int32, dst []int32) {
	kept := 0
	for i, id := range src {
		if id != 0 && b.r.Float64() >= b.cfg.TokenDropout {
			dst[i] = id
			kept++
		} else {
			dst[i] = 0
		}
	}
	if kept == 0 {
		copy(dst, src)
	}
}

func (b *batcher) next(lambda float32) []*tensors.Tensor {
	n, l := b.cfg.BatchSize, b.cfg.MaxTokens
	rows := make([]int, 0, n)
	for i := 0; i < b.nLab; i++ {
		rows = append(rows, b.draw(b.p.train, &b.lab, &b.li))
	}
	for i := 0; i < b.nUnl; i++ {
		rows = append(rows, b.draw(b.p.unlab, &b.unl, &b.ui))
	}
	ids1, ids2 := make([]int32, n*l), make([]int32, n*l)
	labels := make([]int32, n)
	labMask := make([]float32, n)
	for i, r := range rows {
		b.view(b.p.ids[r], ids1[i*l:(i+1)*l])
		b.view(b.p.ids[r], ids2[i*l:(i+1)*l])
		if k := b.p.label[r]; k >= 0 {
			labels[i], labMask[i] = k, 1
		}
	}
	m := 2 * n
	supPos, instPos, valid := make([]float32, m*m), make([]float32, m*m), make([]float32, m*m)
	supRow := make([]float32, m)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			if i == j {
				continue
			}
			valid[i*m+j] = 1
			if j == (i+n)%m {
				instPos[i*m+j] = 1
			}
			if labMask[i%n] == 1 && labMask[j%n] == 1 && labels[i%n] == labels[j%n] {
				supPos[i*m+j] = 1
			}
		}
		supRow[i] = labMask[i%n]
	}
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(ids1, n, l),
		tensors.FromFlatDataAndDimensions(ids2, n, l),
		tensors.FromFlatDataAndDimensions(labels, n),
		tensors.FromFlatDataAndDimensions(labMask, n),
		tensors.FromFlatDataAndDimensions(supPos, m, m),
		tensors.FromFlatDataAndDimensions(instPos, m, m),
		tensors.FromFlatDataAndDimensions(valid, m, m),
		tensors.FromFlatDataAndDimensions(supRow, m),
		tensors.FromScalar(lambda),
	}
}

// calibrate fits the softmax temperature (minimum negative log-likelihood
// on held-out labelled rows) and each category's radius (the 95th
// percentile of its held-out members' distance to the prototype, widened a
// little).
func (m *Model) calibrate(p *prepared) {
	s := m.newScratch()
	known := len(m.labels)
	type row struct {
		d     []float64
		label int
	}
	rows := make([]row, 0, len(p.calib))
	for _, i := range p.calib {
		z := m.embedIDs(p.ids[i], s.bag, s.hid, s.u)
		z2 := sqNorm(z)
		d := make([]float64, known)
		for k := 0; k < known; k++ {
			d[k] = poincareDist(z, m.protos[k], z2, m.proto2[k], m.cfg.Curvature)
		}
		rows = append(rows, row{d, int(p.label[i])})
	}
	bestT, bestNLL := 1.0, math.Inf(1)
	for t := 0.05; t < 20; t *= 1.1 {
		nll := 0.0
		for _, r := range rows {
			mn := r.d[0]
			for _, v := range r.d {
				mn = math.Min(mn, v)
			}
			sum := 0.0
			for _, v := range r.d {
				sum += math.Exp(-(v - mn) / t)
			}
			nll += (r.d[r.label]-mn)/t + math.Log(sum)
		}
		if nll < bestNLL {
			bestT, bestNLL = t, nll
		}
	}
	m.man.Temperature = bestT
	all := []float64{}
	per := make([][]float64, known)
	for _, r := range rows {
		per[r.label] = append(per[r.label], r.d[r.label])
		all = append(all, r.d[r.label])
	}
	global := quantile(all, 0.95)
	for k := range per {
		if len(per[k]) >= 10 {
			m.man.Radius[k] = quantile(per[k], 0.95) * 1.1
		} else {
			m.man.Radius[k] = global * 1.1
		}
	}
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

// heldOutMetrics measures the model on the held-out labelled rows.
func (m *Model) heldOutMetrics(p *prepared) map[string]float64 {
	s := m.newScratch()
	right, confRight, confWrong, wrong := 0, 0.0, 0.0, 0
	for _, i := range p.calib {
		sc := m.score(m.embedIDs(p.ids[i], s.bag, s.hid, s.u), s)
		if sc.best == int(p.label[i]) {
			right++
			confRight += sc.confidence
		} else {
			wrong++
			confWrong += sc.confidence
		}
	}
	out := map[string]float64{
		"accuracy":    float64(right) / float64(max(len(p.calib), 1)),
		"held_out":    float64(len(p.calib)),
		"temperature": m.man.Temperature,
	}
	if right > 0 {
		out["confidence_right"] = confRight / float64(right)
	}
	if wrong > 0 {
		out["confidence_wrong"] = confWrong / float64(wrong)
	}
	return out
}
