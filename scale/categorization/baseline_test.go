package categorization

import (
	"context"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

func TestBaselineLearnsCorpus(t *testing.T) {
	is := is.New(t)
	train := Generate(CorpusConfig{Seed: 1, Size: 3000})
	test := Generate(CorpusConfig{Seed: 2, Size: 1000})
	items := make([]ports.LabelledItem, len(train))
	for i, e := range train {
		items[i] = ports.LabelledItem{ClassifyInput: e.Input(), Category: e.Category}
	}
	b := TrainBaseline(items, CorpusCategories(), 3, 1)
	ins := make([]ports.ClassifyInput, len(test))
	truth := make([]scale.CategoryID, len(test))
	for i, e := range test {
		ins[i], truth[i] = e.Input(), e.Category
	}
	ps, err := b.Predict(context.Background(), ins)
	is.NoErr(err)
	pred := make([]scale.CategoryID, len(ps))
	for i, p := range ps {
		pred[i] = p.Category
		is.True(p.Confidence >= 0 && p.Confidence <= 1)
	}
	s := Score(truth, pred)
	is.True(s.Accuracy > 0.8)
}
