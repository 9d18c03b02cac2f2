package memory

import (
	"context"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// KeywordModel is a deterministic keyword baseline ports.Model for tests and
// examples: no training, no ML. The production model is adapters/hypcd.
type KeywordModel struct {
	keywords map[string]scale.CategoryID
}

var _ ports.Model = (*KeywordModel)(nil)

// NewKeywordModel returns a model mapping lower-case keywords to categories.
// With a nil map it uses a small built-in list over the default taxonomy.
func NewKeywordModel(keywords map[string]scale.CategoryID) *KeywordModel {
	if keywords == nil {
		keywords = map[string]scale.CategoryID{
			"coffee": "food", "restaurant": "food", "grocer": "food", "supermarket": "food", "pizza": "food",
			"uber": "transport", "taxi": "transport", "fuel": "transport", "train": "transport", "metro": "transport",
			"electric": "utilities", "water": "utilities", "internet": "utilities", "phone": "utilities",
			"salary": "salary", "payroll": "salary", "amazon": "shopping", "store": "shopping",
			"netflix": "entertainment", "cinema": "entertainment", "spotify": "entertainment",
			"pharmacy": "health", "doctor": "health", "school": "education", "tuition": "education",
			"bank fee": "finance", "interest": "finance", "loan": "finance", "transfer to": "people",
		}
	}
	return &KeywordModel{keywords: keywords}
}

// Info implements ports.Model.
func (m *KeywordModel) Info() ports.ModelInfo {
	seen := map[scale.CategoryID]bool{}
	var labels []scale.CategoryID
	for _, c := range scale.DefaultCategories() {
		labels = append(labels, c.ID)
		seen[c.ID] = true
	}
	for _, c := range m.keywords {
		if !seen[c] {
			seen[c] = true
			labels = append(labels, c)
		}
	}
	return ports.ModelInfo{Name: "keyword-baseline", Version: "1", FeatureSchema: "keywords", Labels: labels}
}

// Predict implements ports.Model: the longest matching keyword wins with
// confidence 0.9; no match is Uncategorized with confidence 0.
func (m *KeywordModel) Predict(ctx context.Context, items []ports.ClassifyInput) ([]ports.Prediction, error) {
	out := make([]ports.Prediction, len(items))
	for i, it := range items {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		text := strings.ToLower(it.Description + " " + it.Merchant)
		best := ""
		for k := range m.keywords {
			if len(k) > len(best) && strings.Contains(text, k) {
				best = k
			}
		}
		if best == "" {
			out[i] = ports.Prediction{Category: scale.Uncategorized}
			continue
		}
		out[i] = ports.Prediction{Category: m.keywords[best], Confidence: 0.9}
	}
	return out, nil
}

// Discover implements ports.Model: it groups unmatched items by their first
// word, proposing groups of at least three.
func (m *KeywordModel) Discover(ctx context.Context, items []ports.ClassifyInput) ([]ports.DiscoveredCategory, error) {
	preds, err := m.Predict(ctx, items)
	if err != nil {
		return nil, err
	}
	groups := map[string]*ports.DiscoveredCategory{}
	var order []string
	for i, it := range items {
		if preds[i].Category != scale.Uncategorized {
			continue
		}
		f := strings.Fields(strings.ToLower(it.Description))
		if len(f) == 0 {
			continue
		}
		g := groups[f[0]]
		if g == nil {
			g = &ports.DiscoveredCategory{Key: "new:" + f[0], Name: f[0], Tokens: []string{f[0]}}
			groups[f[0]] = g
			order = append(order, f[0])
		}
		g.MemberIDs = append(g.MemberIDs, it.ID)
		if len(g.Examples) < 3 {
			g.Examples = append(g.Examples, it.Description)
		}
	}
	var out []ports.DiscoveredCategory
	for _, k := range order {
		if g := groups[k]; len(g.MemberIDs) >= 3 {
			g.Score = float64(len(g.MemberIDs)) / float64(len(items))
			out = append(out, *g)
		}
	}
	return out, nil
}
