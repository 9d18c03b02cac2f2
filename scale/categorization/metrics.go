package categorization

import (
	"sort"

	"github.com/scalehq/scale/scale"
)

// CategoryScore is one row of the per-category table.
type CategoryScore struct {
	Category  scale.CategoryID
	Support   int
	Precision float64
	Recall    float64
	F1        float64
}

// Scores are the classification metrics of a set of predictions.
type Scores struct {
	N           int
	Accuracy    float64
	MacroF1     float64
	PerCategory []CategoryScore
}

// Score compares predicted with true categories (same length). Macro-F1
// averages over the categories present in truth.
func Score(truth, pred []scale.CategoryID) Scores {
	s := Scores{N: len(truth)}
	tp, fp, fn := map[scale.CategoryID]int{}, map[scale.CategoryID]int{}, map[scale.CategoryID]int{}
	support := map[scale.CategoryID]int{}
	right := 0
	for i, t := range truth {
		p := pred[i]
		support[t]++
		if p == t {
			right++
			tp[t]++
		} else {
			fp[p]++
			fn[t]++
		}
	}
	if s.N > 0 {
		s.Accuracy = float64(right) / float64(s.N)
	}
	cats := make([]scale.CategoryID, 0, len(support))
	for c := range support {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
	for _, c := range cats {
		cs := CategoryScore{Category: c, Support: support[c]}
		if d := tp[c] + fp[c]; d > 0 {
			cs.Precision = float64(tp[c]) / float64(d)
		}
		if d := tp[c] + fn[c]; d > 0 {
			cs.Recall = float64(tp[c]) / float64(d)
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		s.PerCategory = append(s.PerCategory, cs)
		s.MacroF1 += cs.F1
	}
	if len(cats) > 0 {
		s.MacroF1 /= float64(len(cats))
	}
	return s
}

// GCDScores are the generalized-category-discovery accuracies.
type GCDScores struct {
	All, Old, New float64
	NOld, NNew    int
}

// GCDAccuracy is the HypCD paper's metric ("v2", split_cluster_acc_v2):
// one Hungarian matching between predicted labels (known category names or
// cluster keys) and true categories over all items, maximising agreement;
// accuracy is then reported over all items and over the items whose true
// category is old (labelled in training) or new.
func GCDAccuracy(truth []scale.CategoryID, pred []string, old []scale.CategoryID) GCDScores {
	ti, pi := map[scale.CategoryID]int{}, map[string]int{}
	var tl []scale.CategoryID
	var pl []string
	for i, t := range truth {
		if _, ok := ti[t]; !ok {
			ti[t] = len(tl)
			tl = append(tl, t)
		}
		if _, ok := pi[pred[i]]; !ok {
			pi[pred[i]] = len(pl)
			pl = append(pl, pred[i])
		}
	}
	count := make([][]float64, len(pl))
	for i := range count {
		count[i] = make([]float64, len(tl))
	}
	for i, t := range truth {
		count[pi[pred[i]]][ti[t]]++
	}
	cost := make([][]float64, len(pl))
	for i := range cost {
		cost[i] = make([]float64, len(tl))
		for j := range cost[i] {
			cost[i][j] = -count[i][j]
		}
	}
	match := Hungarian(cost)
	isOld := map[scale.CategoryID]bool{}
	for _, c := range old {
		isOld[c] = true
	}
	var s GCDScores
	right, rightOld, rightNew := 0, 0, 0
	for i, t := range truth {
		ok := match[pi[pred[i]]] == ti[t]
		if ok {
			right++
		}
		if isOld[t] {
			s.NOld++
			if ok {
				rightOld++
			}
		} else {
			s.NNew++
			if ok {
				rightNew++
			}
		}
	}
	if len(truth) > 0 {
		s.All = float64(right) / float64(len(truth))
	}
	if s.NOld > 0 {
		s.Old = float64(rightOld) / float64(s.NOld)
	}
	if s.NNew > 0 {
		s.New = float64(rightNew) / float64(s.NNew)
	}
	return s
}
