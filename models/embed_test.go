package models_test

import (
	"context"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/models"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// TestShippedModel loads the embedded default model and checks it on
// freshly generated held-out data (a seed the model never saw).
func TestShippedModel(t *testing.T) {
	is := is.New(t)
	m, err := hypcd.LoadFS(models.Default, "default")
	is.NoErr(err)
	info := m.Info()
	is.Equal(info.FeatureSchema, hypcd.FeatureSchema)
	is.Equal(info.Labels, categorization.CorpusCategories())
	is.True(info.Metrics["accuracy"] >= 0.95)

	test := categorization.Generate(categorization.CorpusConfig{Seed: 424242, Size: 3000})
	items := make([]ports.ClassifyInput, len(test))
	truth := make([]scale.CategoryID, len(test))
	for i, e := range test {
		items[i], truth[i] = e.Input(), e.Category
	}
	preds, err := m.Predict(context.Background(), items)
	is.NoErr(err)
	got := make([]scale.CategoryID, len(preds))
	for i, p := range preds {
		got[i] = p.Category
	}
	s := categorization.Score(truth, got)
	t.Logf("held-out accuracy %.4f macro-F1 %.4f", s.Accuracy, s.MacroF1)
	is.True(s.Accuracy >= 0.95)
}
