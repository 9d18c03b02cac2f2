package training

import (
	"context"
	"hash/fnv"
	"slices"
	"strconv"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// labelSources are the sources whose labels the model learns from: people
// (imports, corrections) and their rules, never the model itself.
var labelSources = []scale.LabelSource{scale.SourceImport, scale.SourceCorrection, scale.SourceRule}

// unlabelledSources are the transactions the model may learn structure
// from without a label: unlabelled ones and the model's own guesses.
var unlabelledSources = []scale.LabelSource{scale.SourceNone, scale.SourceModel}

func itoa(n int) string { return strconv.Itoa(n) }

// labelled reports whether tx carries a label to learn from.
func labelled(tx scale.Transaction) bool {
	return tx.Label.Category != "" && tx.Label.Category != scale.Uncategorized
}

// eachTransaction calls fn for every transaction of user with label source
// src, page by page, until fn returns false.
func (s *Service) eachTransaction(ctx context.Context, user scale.UserID, src scale.LabelSource, fn func(scale.Transaction) bool) error {
	q := ports.TransactionQuery{LabelSource: &src, Ascending: true}
	return ports.EachTransaction(ctx, s.txs, user, q, func(tx scale.Transaction) error {
		if !fn(tx) {
			return ports.StopWalk
		}
		return nil
	})
}

// countLabels counts the user's labelled transactions, stopping at limit.
func (s *Service) countLabels(ctx context.Context, user scale.UserID, limit int) (int, error) {
	n := 0
	for _, src := range labelSources {
		err := s.eachTransaction(ctx, user, src, func(tx scale.Transaction) bool {
			if labelled(tx) {
				n++
			}
			return n < limit
		})
		if err != nil || n >= limit {
			return n, err
		}
	}
	return n, nil
}

func input(tx scale.Transaction) ports.ClassifyInput {
	return ports.ClassifyInput{
		ID: string(tx.ID), Description: tx.Description, Merchant: tx.Merchant,
		Amount: tx.Amount.Minor, Currency: tx.Amount.Currency, Date: tx.Date,
	}
}

// trainingSet gathers the user's labelled transactions, up to
// MaxUnlabelled unlabelled ones, and the label set: the default taxonomy
// (without uncategorized) followed by the user's other labels in order.
func (s *Service) trainingSet(ctx context.Context, user scale.UserID, job scale.JobID) (ports.TrainingSet, error) {
	var set ports.TrainingSet
	seen := map[scale.CategoryID]bool{scale.Uncategorized: true}
	for _, c := range scale.DefaultCategories() {
		if !seen[c.ID] {
			seen[c.ID] = true
			set.Labels = append(set.Labels, c.ID)
		}
	}
	var extra []scale.CategoryID
	for _, src := range labelSources {
		err := s.eachTransaction(ctx, user, src, func(tx scale.Transaction) bool {
			if labelled(tx) {
				set.Labelled = append(set.Labelled, ports.LabelledItem{ClassifyInput: input(tx), Category: tx.Label.Category})
				if !seen[tx.Label.Category] {
					seen[tx.Label.Category] = true
					extra = append(extra, tx.Label.Category)
				}
			}
			return true
		})
		if err != nil {
			return ports.TrainingSet{}, err
		}
	}
	slices.Sort(extra)
	set.Labels = append(set.Labels, extra...)
	for _, src := range unlabelledSources {
		if len(set.Unlabelled) >= s.cfg.MaxUnlabelled {
			break
		}
		err := s.eachTransaction(ctx, user, src, func(tx scale.Transaction) bool {
			set.Unlabelled = append(set.Unlabelled, input(tx))
			return len(set.Unlabelled) < s.cfg.MaxUnlabelled
		})
		if err != nil {
			return ports.TrainingSet{}, err
		}
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(job))
	set.Seed = int64(h.Sum64() >> 1)
	return set, nil
}
