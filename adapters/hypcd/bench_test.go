package hypcd_test

import (
	"context"
	"os"
	"testing"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale/categorization"
)

// The benchmarks run the shipped default model and the TF-IDF baseline on
// the same generated inputs, for side-by-side figures:
//
//	go test -run XXX -bench . ./adapters/hypcd

func benchModels(b *testing.B) (ports.Model, ports.Model, []ports.ClassifyInput) {
	b.Helper()
	m, err := hypcd.LoadFS(os.DirFS("../../models"), "default")
	if err != nil {
		b.Skip("shipped model not available:", err)
	}
	train := categorization.Generate(categorization.CorpusConfig{Seed: 1, Size: 20000})
	items := make([]ports.LabelledItem, len(train))
	for i, e := range train {
		items[i] = ports.LabelledItem{ClassifyInput: e.Input(), Category: e.Category}
	}
	base := categorization.TrainBaseline(items, categorization.CorpusCategories(), 3, 1)
	return m, base, nil2(categorization.Generate(categorization.CorpusConfig{Seed: 5, Size: 1000}))
}

func benchOne(b *testing.B, m ports.Model, items []ports.ClassifyInput) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Predict(ctx, items[i%len(items):i%len(items)+1]); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBatch(b *testing.B, m ports.Model, items []ports.ClassifyInput) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Predict(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPredictOne(b *testing.B) {
	m, _, items := benchModels(b)
	benchOne(b, m, items)
}

func BenchmarkPredictBatch1000(b *testing.B) {
	m, _, items := benchModels(b)
	benchBatch(b, m, items)
}

func BenchmarkBaselinePredictOne(b *testing.B) {
	_, base, items := benchModels(b)
	benchOne(b, base, items)
}

func BenchmarkBaselinePredictBatch1000(b *testing.B) {
	_, base, items := benchModels(b)
	benchBatch(b, base, items)
}
