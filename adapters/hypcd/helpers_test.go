package hypcd_test

import (
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

func input(e categorization.Example) ports.ClassifyInput {
	return ports.ClassifyInput{ID: e.ID, Description: e.Description, Amount: e.Amount, Currency: e.Currency, Date: e.Date}
}

func labelledSet(es []categorization.Example, labels []scale.CategoryID, seed int64) ports.TrainingSet {
	set := ports.TrainingSet{Labels: labels, Seed: seed}
	for _, e := range es {
		set.Labelled = append(set.Labelled, ports.LabelledItem{ClassifyInput: input(e), Category: e.Category})
	}
	return set
}

func nil2(es []categorization.Example) []ports.ClassifyInput {
	out := make([]ports.ClassifyInput, len(es))
	for i, e := range es {
		out[i] = input(e)
	}
	return out
}
