package anomaly_test

import (
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/anomaly"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

// TestInjectedAnomalies asserts the figures of issue 7 as minimum
// thresholds on the deterministic synthetic histories.
func TestInjectedAnomalies(t *testing.T) {
	is := is.New(t)
	var fs []anomaly.Finding
	var truth []anomaly.Expected
	for _, h := range synth.Generate(synth.Config{Users: 4, Years: 3, Seed: 2}) {
		fs = append(fs, anomaly.Detect(h.Transactions)...)
		for _, a := range h.Anomalies {
			truth = append(truth, anomaly.Expected{Kind: a.Kind, Transactions: a.Transactions})
		}
	}
	ev := anomaly.Evaluate(fs, truth)
	t.Logf("overall %+v", ev.Overall)
	is.True(ev.Overall.Injected >= 40)
	is.True(ev.Overall.Precision >= 0.8)
	is.True(ev.Overall.Recall >= 0.8)
	for _, k := range ev.ByKind {
		t.Logf("%+v", k)
		is.True(k.Injected > 0)  // every kind is injected
		is.True(k.Recall >= 0.8) // and found
	}
	for _, f := range fs {
		is.True(f.Score >= 0.5 && f.Score <= 1)
		is.True(f.Reason != "")
	}
}

func TestEvaluate(t *testing.T) {
	is := is.New(t)
	truth := []anomaly.Expected{{Kind: "duplicate_charge", Transactions: []scale.TransactionID{"a"}}, {Kind: "frequency_burst", Transactions: []scale.TransactionID{"b", "c"}}}
	fs := []anomaly.Finding{{Transaction: "a", Kind: "duplicate_charge"}, {Transaction: "c", Kind: "frequency_burst"}, {Transaction: "x", Kind: "amount_outlier"}}
	ev := anomaly.Evaluate(fs, truth)
	is.Equal(ev.Overall.Findings, 3)
	is.Equal(ev.Overall.TruePositives, 2)
	is.Equal(ev.Overall.Detected, 2)
	is.Equal(ev.Overall.Recall, 1.0)
}
