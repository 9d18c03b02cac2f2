package hypcd_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

func tinyConfig() hypcd.Config {
	cfg := hypcd.DefaultConfig()
	cfg.Steps, cfg.BatchSize, cfg.Buckets, cfg.LearningRate = 150, 32, 1<<12, 1e-2
	return cfg
}

var (
	tinyOnce sync.Once
	tinyArt  []byte
	tinyMet  map[string]float64
	tinyErr  error
	gcdOnce  sync.Once
	gcdModel *hypcd.Model
	gcdSplit categorization.GCDSplit
	gcdErr   error
)

// tiny trains (once per test binary) a small model on 1,500 generated rows.
func tiny(t *testing.T) ([]byte, map[string]float64) {
	t.Helper()
	tinyOnce.Do(func() {
		es := categorization.Generate(categorization.CorpusConfig{Seed: 11, Size: 1500})
		tinyArt, tinyMet, tinyErr = hypcd.NewTrainer(tinyConfig(), "tiny", "t1").Train(context.Background(),
			labelledSet(es, categorization.CorpusCategories(), 4), nil)
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyArt, tinyMet
}

// transductive trains (once) a small model on a GCD split.
func transductive(t *testing.T) (*hypcd.Model, categorization.GCDSplit) {
	t.Helper()
	gcdOnce.Do(func() {
		es := categorization.Generate(categorization.CorpusConfig{Seed: 21, Size: 1500})
		gcdSplit = categorization.SplitGCD(es, categorization.DefaultNewCategories(), 0.5, 2)
		set := labelledSet(gcdSplit.Labelled, gcdSplit.Old, 5)
		set.Unlabelled = nil2(gcdSplit.Unlabelled)
		gcdModel, gcdErr = hypcd.NewTrainer(tinyConfig(), "gcd", "t1").TrainModel(context.Background(), set, nil)
	})
	if gcdErr != nil {
		t.Fatal(gcdErr)
	}
	return gcdModel, gcdSplit
}

func TestModelContract(t *testing.T) {
	is := is.New(t)
	art, _ := tiny(t)
	m, err := hypcd.Load(art)
	is.NoErr(err)
	items := nil2(categorization.Generate(categorization.CorpusConfig{Seed: 77, Size: 60}))
	checkModelContract(t, m, items)
	g, _ := transductive(t)
	checkModelContract(t, g, items)
}

func TestTrainReportsMetricsAndLearns(t *testing.T) {
	is := is.New(t)
	art, met := tiny(t)
	is.True(met["accuracy"] > 0.8)
	m, err := hypcd.Load(art)
	is.NoErr(err)
	test := categorization.Generate(categorization.CorpusConfig{Seed: 78, Size: 800})
	preds, err := m.Predict(context.Background(), nil2(test))
	is.NoErr(err)
	right := 0
	for i, p := range preds {
		if p.Category == test[i].Category {
			right++
		}
	}
	is.True(float64(right)/float64(len(test)) > 0.8)
	info := m.Info()
	is.Equal(info.Name, "tiny")
	is.Equal(info.FeatureSchema, hypcd.FeatureSchema)
	is.Equal(info.Labels, categorization.CorpusCategories())
}

// TestConfidenceIsCalibrated: on held-out data, wrong answers get visibly
// lower confidence than right ones.
func TestConfidenceIsCalibrated(t *testing.T) {
	is := is.New(t)
	art, _ := tiny(t)
	m, err := hypcd.Load(art)
	is.NoErr(err)
	test := categorization.Generate(categorization.CorpusConfig{Seed: 79, Size: 2000})
	preds, err := m.Predict(context.Background(), nil2(test))
	is.NoErr(err)
	var right, wrong []float64
	for i, p := range preds {
		if p.Category == test[i].Category {
			right = append(right, p.Confidence)
		} else {
			wrong = append(wrong, p.Confidence)
		}
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	t.Logf("right %d mean conf %.3f; wrong %d mean conf %.3f", len(right), mean(right), len(wrong), mean(wrong))
	is.True(len(wrong) > 0)
	is.True(mean(wrong) < mean(right)-0.15)
}

func TestTrainingIsDeterministic(t *testing.T) {
	is := is.New(t)
	es := categorization.Generate(categorization.CorpusConfig{Seed: 12, Size: 300})
	cfg := tinyConfig()
	cfg.Steps = 8
	var ws [][]byte
	for i := 0; i < 2; i++ {
		m, err := hypcd.NewTrainer(cfg, "d", "1").TrainModel(context.Background(), labelledSet(es, categorization.CorpusCategories(), 9), nil)
		is.NoErr(err)
		_, w, err := m.Parts()
		is.NoErr(err)
		ws = append(ws, w)
	}
	is.True(bytes.Equal(ws[0], ws[1]))
}

func TestArtifactRoundTripAndCorruption(t *testing.T) {
	is := is.New(t)
	art, _ := tiny(t)
	m, err := hypcd.Load(art)
	is.NoErr(err)
	man, w, err := hypcd.SplitArtifact(art)
	is.NoErr(err)
	m2, err := hypcd.LoadParts(man, w)
	is.NoErr(err)
	items := nil2(categorization.Generate(categorization.CorpusConfig{Seed: 80, Size: 50}))
	a, _ := m.Predict(context.Background(), items)
	b, _ := m2.Predict(context.Background(), items)
	is.Equal(a, b)
	tr := hypcd.NewTrainer(hypcd.Config{}, "", "")
	_, err = tr.Load(art)
	is.NoErr(err)

	bad := append([]byte(nil), w...)
	bad[100] ^= 0xff
	_, err = hypcd.LoadParts(man, bad)
	is.Equal(scale.CodeOf(err), hypcd.CodeArtifactInvalid)
	_, err = hypcd.Load([]byte("nonsense"))
	is.Equal(scale.CodeOf(err), hypcd.CodeArtifactInvalid)
	_, err = hypcd.LoadParts([]byte(`{"format":"other"}`), w)
	is.Equal(scale.CodeOf(err), hypcd.CodeArtifactInvalid)
}

func TestTrainRejectsBadSets(t *testing.T) {
	is := is.New(t)
	tr := hypcd.NewTrainer(tinyConfig(), "", "")
	_, _, err := tr.Train(context.Background(), ports.TrainingSet{}, nil)
	is.Equal(scale.CodeOf(err), hypcd.CodeTrainingInvalid)
	set := ports.TrainingSet{Labels: []scale.CategoryID{"food"}, Labelled: []ports.LabelledItem{{Category: "nope"}}}
	_, _, err = tr.Train(context.Background(), set, nil)
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	es := categorization.Generate(categorization.CorpusConfig{Seed: 1, Size: 100})
	_, _, err = tr.Train(ctx, labelledSet(es, categorization.CorpusCategories(), 1), nil)
	is.Equal(scale.CodeOf(err), hypcd.CodeCancelled)
}

func TestDiscoverProposesNamedCategories(t *testing.T) {
	is := is.New(t)
	m, sp := transductive(t)
	ds, err := m.Discover(context.Background(), nil2(sp.Unlabelled))
	is.NoErr(err)
	is.True(len(ds) >= 2)
	for _, d := range ds {
		is.True(d.Key != "" && d.Name != "")
		is.True(len(d.Tokens) > 0)
		is.True(len(d.MemberIDs) >= hypcd.DefaultConfig().MinClusterSize)
		is.True(len(d.Examples) > 0)
		t.Logf("%s %q %v (%d members)", d.Key, d.Name, d.Tokens, len(d.MemberIDs))
	}
	// Old-category items are not proposed as new ones (mostly).
	isNew := map[string]bool{}
	for _, e := range sp.Unlabelled {
		for _, n := range sp.New {
			if e.Category == n {
				isNew[e.ID] = true
			}
		}
	}
	members, newMembers := 0, 0
	for _, d := range ds {
		for _, id := range d.MemberIDs {
			members++
			if isNew[id] {
				newMembers++
			}
		}
	}
	is.True(float64(newMembers) > 0.8*float64(members))
	// The transductive model remembers its clusters.
	preds, err := m.Predict(context.Background(), nil2(sp.Unlabelled))
	is.NoErr(err)
	novel := 0
	for _, p := range preds {
		if p.Novel != "" {
			novel++
		}
	}
	is.True(novel > 0)
}

func TestTransductiveDiscoveryGroupsPayees(t *testing.T) {
	is := is.New(t)
	m, sp := transductive(t)
	preds, err := m.Predict(context.Background(), nil2(sp.Unlabelled))
	is.NoErr(err)
	// Every payee sits in one cluster, and most new items are found.
	byPayee := map[string]string{}
	newItems, found := 0, 0
	isNew := map[scale.CategoryID]bool{}
	for _, c := range sp.New {
		isNew[c] = true
	}
	for i, e := range sp.Unlabelled {
		key := hypcd.MerchantKey(e.Input())
		if preds[i].Novel != "" {
			if prev, ok := byPayee[key]; ok {
				is.Equal(prev, preds[i].Novel)
			}
			byPayee[key] = preds[i].Novel
		}
		if isNew[e.Category] {
			newItems++
			if preds[i].Novel != "" {
				found++
			}
		}
	}
	is.True(len(byPayee) > 0)
	is.True(float64(found) > 0.8*float64(newItems))
	// The model round-trips with its payees.
	art, err := m.Artifact()
	is.NoErr(err)
	m2, err := hypcd.Load(art)
	is.NoErr(err)
	preds2, err := m2.Predict(context.Background(), nil2(sp.Unlabelled))
	is.NoErr(err)
	is.Equal(preds, preds2)
}
