package anomaly

import (
	"github.com/scalehq/scale/scale"
)

// Expected is one injected anomaly: its kind and the transactions that make
// it up (any of them flagged with the kind counts as detected).
type Expected struct {
	Kind         scale.AnomalyKind
	Transactions []scale.TransactionID
}

// Score is precision and recall for one kind, or for all kinds.
type Score struct {
	// Kind is empty for the overall score.
	Kind scale.AnomalyKind `json:"kind,omitempty"`
	// Injected counts expected anomalies; Detected those found.
	Injected int `json:"injected"`
	Detected int `json:"detected"`
	// Findings counts findings; TruePositives those on an injected
	// transaction.
	Findings      int     `json:"findings"`
	TruePositives int     `json:"true_positives"`
	Precision     float64 `json:"precision"`
	Recall        float64 `json:"recall"`
}

// Evaluation scores findings against injected ground truth.
type Evaluation struct {
	Overall Score   `json:"overall"`
	ByKind  []Score `json:"by_kind"`
}

// Kinds lists the detector kinds in report order.
func Kinds() []scale.AnomalyKind {
	return []scale.AnomalyKind{scale.AnomalyAmountOutlier, scale.AnomalyNewMerchant, scale.AnomalyDuplicateCharge,
		scale.AnomalyPriceIncrease, scale.AnomalyFrequencyBurst}
}

// Evaluate scores findings against truth. A finding is a true positive when
// its transaction belongs to an injected anomaly (of any kind: flagging an
// injected transaction is right even if another detector was meant to); an
// injected anomaly is detected when a finding of its kind names one of its
// transactions.
func Evaluate(findings []Finding, truth []Expected) Evaluation {
	injected := map[scale.TransactionID]bool{}
	for _, e := range truth {
		for _, id := range e.Transactions {
			injected[id] = true
		}
	}
	type key struct {
		id   scale.TransactionID
		kind scale.AnomalyKind
	}
	flagged := map[key]bool{}
	per := map[scale.AnomalyKind]*Score{}
	var ev Evaluation
	for _, k := range Kinds() {
		per[k] = &Score{Kind: k}
	}
	for _, f := range findings {
		flagged[key{f.Transaction, f.Kind}] = true
		s := per[f.Kind]
		if s == nil {
			s = &Score{Kind: f.Kind}
			per[f.Kind] = s
		}
		s.Findings++
		ev.Overall.Findings++
		if injected[f.Transaction] {
			s.TruePositives++
			ev.Overall.TruePositives++
		}
	}
	for _, e := range truth {
		s := per[e.Kind]
		if s == nil {
			s = &Score{Kind: e.Kind}
			per[e.Kind] = s
		}
		s.Injected++
		ev.Overall.Injected++
		for _, id := range e.Transactions {
			if flagged[key{id, e.Kind}] {
				s.Detected++
				ev.Overall.Detected++
				break
			}
		}
	}
	finish := func(s *Score) {
		s.Precision, s.Recall = 1, 1
		if s.Findings > 0 {
			s.Precision = float64(s.TruePositives) / float64(s.Findings)
		}
		if s.Injected > 0 {
			s.Recall = float64(s.Detected) / float64(s.Injected)
		}
	}
	finish(&ev.Overall)
	for _, k := range Kinds() {
		finish(per[k])
		ev.ByKind = append(ev.ByKind, *per[k])
	}
	return ev
}
