package categorization

import (
	"context"
	"log/slog"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// DefaultThreshold is the model confidence below which a transaction stays
// uncategorized.
const DefaultThreshold = 0.5

// MaxBatch bounds the inputs of one ClassifyBatch or Discover call.
const MaxBatch = 10000

// Deps are the collaborators of the Service.
type Deps struct {
	Categories ports.CategoryStore
	Models     ModelSource
	Clock      ports.Clock
	Logger     *slog.Logger
	// Threshold is the minimum model confidence; 0 means DefaultThreshold.
	Threshold float64
}

// Service runs the categorization pipeline: rules, then corrections, then
// the model, then Uncategorized.
type Service struct {
	d Deps
}

// NewService checks d and returns the service.
func NewService(d Deps) (*Service, error) {
	if d.Categories == nil || d.Models == nil {
		return nil, scale.Invalid(CodeDepsInvalid, "categorization needs a category store and a model source")
	}
	if d.Clock == nil {
		d.Clock = ports.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Threshold <= 0 || d.Threshold > 1 {
		d.Threshold = DefaultThreshold
	}
	return &Service{d: d}, nil
}

// Input is a transaction to classify: what the model sees plus the account
// (for account rules).
type Input struct {
	ports.ClassifyInput
	Account scale.AccountID
}

// Result is the pipeline's decision for one input.
type Result struct {
	// Label is the decision with its source and confidence.
	Label scale.Label
	// Rule is the rule that decided, when Label.Source is rule.
	Rule scale.RuleID
	// Suggested is the model's best known category, also when its
	// confidence was below the threshold.
	Suggested scale.CategoryID
	// Novel is the discovered cluster ("new:2") the model placed the input
	// in, a suggestion only: such inputs stay uncategorized.
	Novel string
}

// Classify categorizes one transaction of user.
func (s *Service) Classify(ctx context.Context, user scale.UserID, in Input) (Result, error) {
	rs, err := s.ClassifyBatch(ctx, user, []Input{in})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// pipeline is the user's rules and corrections, loaded once per call.
type pipeline struct {
	rules       []compiledRule
	corrections map[string]scale.CategoryID
}

func (s *Service) load(ctx context.Context, user scale.UserID) (*pipeline, error) {
	rules, err := s.d.Categories.ListRules(ctx, user)
	if err != nil {
		return nil, err
	}
	cs, err := s.d.Categories.ListCorrections(ctx, user)
	if err != nil {
		return nil, err
	}
	p := &pipeline{rules: compileRules(rules), corrections: make(map[string]scale.CategoryID, len(cs))}
	for _, c := range cs {
		p.corrections[c.Key] = c.Category
	}
	return p, nil
}

// decide applies rules and corrections; ok is false when the model must
// decide.
func (p *pipeline) decide(in Input) (Result, bool) {
	for _, r := range p.rules {
		if r.matches(in) {
			return Result{Label: scale.Label{Category: r.rule.Category, Source: scale.SourceRule, Confidence: 1}, Rule: r.rule.ID}, true
		}
	}
	for _, k := range []string{normalizeKey(in.Merchant), normalizeKey(in.Description)} {
		if c, ok := p.corrections[k]; ok && k != "" {
			return Result{Label: scale.Label{Category: c, Source: scale.SourceCorrection, Confidence: 1}}, true
		}
	}
	return Result{}, false
}

// ClassifyBatch categorizes many transactions of user in order, with one
// model call for all those no rule or correction decided.
func (s *Service) ClassifyBatch(ctx context.Context, user scale.UserID, ins []Input) ([]Result, error) {
	if len(ins) > MaxBatch {
		return nil, scale.E(scale.KindTooLarge, CodeBatchTooLarge, "at most %d transactions per batch", MaxBatch)
	}
	out := make([]Result, len(ins))
	if len(ins) == 0 {
		return out, nil
	}
	p, err := s.load(ctx, user)
	if err != nil {
		return nil, err
	}
	var pending []int
	for i, in := range ins {
		if r, ok := p.decide(in); ok {
			out[i] = r
		} else {
			pending = append(pending, i)
		}
	}
	if len(pending) == 0 {
		return out, nil
	}
	m, err := s.d.Models.Model(ctx, user)
	if err != nil {
		return nil, err
	}
	items := make([]ports.ClassifyInput, len(pending))
	for j, i := range pending {
		items[j] = ins[i].ClassifyInput
	}
	preds, err := m.Predict(ctx, items)
	if err != nil {
		return nil, err
	}
	if len(preds) != len(items) {
		return nil, scale.E(scale.KindInternal, CodeModelFailed, "the model answered %d of %d items", len(preds), len(items))
	}
	for j, i := range pending {
		pr := preds[j]
		conf := min(max(pr.Confidence, 0), 1)
		r := Result{Suggested: pr.Category, Novel: pr.Novel,
			Label: scale.Label{Category: pr.Category, Source: scale.SourceModel, Confidence: conf}}
		if conf < s.d.Threshold || pr.Novel != "" || pr.Category == "" {
			r.Label.Category = scale.Uncategorized
		}
		out[i] = r
	}
	return out, nil
}

// LabelBatch labels transactions of user for ingestion, in order. Rows that
// already carry an import label keep it.
func (s *Service) LabelBatch(ctx context.Context, user scale.UserID, txs []scale.Transaction) ([]scale.Label, error) {
	out := make([]scale.Label, len(txs))
	var ins []Input
	var idx []int
	for i, tx := range txs {
		if tx.Label.Source == scale.SourceImport && tx.Label.Category != "" {
			out[i] = tx.Label
			continue
		}
		ins = append(ins, InputOf(tx))
		idx = append(idx, i)
	}
	rs, err := s.ClassifyBatch(ctx, user, ins)
	if err != nil {
		return nil, err
	}
	for j, i := range idx {
		out[i] = rs[j].Label
	}
	return out, nil
}

// InputOf returns the classification input of a stored transaction.
func InputOf(tx scale.Transaction) Input {
	return Input{Account: tx.Account, ClassifyInput: ports.ClassifyInput{ID: string(tx.ID), Description: tx.Description,
		Merchant: tx.Merchant, Amount: tx.Amount.Minor, Currency: tx.Amount.Currency, Date: tx.Date}}
}

// Correct records that user puts tx in category: it stores a correction
// under CorrectionKey(tx.Merchant, tx.Description), so later transactions
// with the same key get category, and returns tx relabelled (source
// correction, confidence 1) for the caller to save.
func (s *Service) Correct(ctx context.Context, user scale.UserID, tx scale.Transaction, category scale.CategoryID) (scale.Transaction, ports.Correction, error) {
	if err := s.checkCategory(ctx, user, category); err != nil {
		return scale.Transaction{}, ports.Correction{}, err
	}
	key := CorrectionKey(tx.Merchant, tx.Description)
	if key == "" {
		return scale.Transaction{}, ports.Correction{}, scale.InvalidFields(CodeInputInvalid, "The transaction has no merchant or description words to remember.",
			scale.FieldError{Field: "description", Message: "has no words"})
	}
	now := s.d.Clock.Now()
	c := ports.Correction{User: user, Key: key, Category: category, UpdatedAt: now}
	if err := s.d.Categories.PutCorrection(ctx, c); err != nil {
		return scale.Transaction{}, ports.Correction{}, err
	}
	tx.Label = scale.Label{Category: category, Source: scale.SourceCorrection, Confidence: 1}
	tx.UpdatedAt = now
	s.d.Logger.InfoContext(ctx, "categorization: correction recorded", slog.String("user", string(user)), slog.String("category", string(category)))
	return tx, c, nil
}

// checkCategory accepts the default taxonomy and the user's own categories.
func (s *Service) checkCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) error {
	if scale.IsDefaultCategory(id) {
		return nil
	}
	own, err := s.d.Categories.ListCategories(ctx, user)
	if err != nil {
		return err
	}
	for _, c := range own {
		if c.ID == id {
			return nil
		}
	}
	return scale.InvalidFields(CodeUnknownCategory, "The category does not exist.",
		scale.FieldError{Field: "category", Message: "is not a category of this user"})
}

// Discover proposes new categories among items that fit no known category
// of the user's model. Proposals are suggestions: nothing is relabelled.
func (s *Service) Discover(ctx context.Context, user scale.UserID, items []ports.ClassifyInput) ([]ports.DiscoveredCategory, error) {
	if len(items) > MaxBatch {
		return nil, scale.E(scale.KindTooLarge, CodeBatchTooLarge, "at most %d transactions per discovery", MaxBatch)
	}
	m, err := s.d.Models.Model(ctx, user)
	if err != nil {
		return nil, err
	}
	return m.Discover(ctx, items)
}
