package sdk

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// Stable error codes of the category and rule operations.
const (
	// CodeCategoryInvalid is a category name that is empty or too long.
	CodeCategoryInvalid = "category.invalid"
	// CodeCategoryExists is a name the user already has, ignoring case,
	// including the names of the default taxonomy.
	CodeCategoryExists = "category.exists"
	// CodeCategoryDefault refuses to rename or delete a default category.
	CodeCategoryDefault = "category.default_immutable"
	// CodeCategoryInUse refuses to delete a category a rule still assigns.
	CodeCategoryInUse = "category.in_use"
	// CodeRuleInvalid is a rule that fails validation.
	CodeRuleInvalid = "rule.invalid"
	// CodeDiscoveryInvalid is an accept request without members.
	CodeDiscoveryInvalid = "categorization.discovery_invalid"
)

// MaxCategoryNameLen bounds a category name, in characters.
const MaxCategoryNameLen = 64

// MaxDiscoverItems bounds how many uncategorized transactions one discovery
// looks at (the most recent ones).
const MaxDiscoverItems = 5000

// Categories returns the default taxonomy followed by the user's own
// categories (oldest first). Default categories have an empty User.
func (s *Scale) Categories(ctx context.Context, user scale.UserID) ([]scale.Category, error) {
	own, err := s.ports.Store.ListCategories(ctx, user)
	if err != nil {
		return nil, err
	}
	return append(scale.DefaultCategories(), own...), nil
}

// ownCategory returns one of the user's own categories or KindNotFound.
func (s *Scale) ownCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) (scale.Category, error) {
	own, err := s.ports.Store.ListCategories(ctx, user)
	if err != nil {
		return scale.Category{}, err
	}
	for _, c := range own {
		if c.ID == id {
			return c, nil
		}
	}
	return scale.Category{}, scale.NotFound(scale.CodeNotFound, "category not found")
}

// categoryName checks and trims a category name; a default category's name
// is KindConflict.
func categoryName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxCategoryNameLen {
		return "", scale.InvalidFields(CodeCategoryInvalid, "The category is not valid.",
			scale.FieldError{Field: "name", Message: "must be 1 to 64 characters"})
	}
	for _, d := range scale.DefaultCategories() {
		if strings.EqualFold(d.Name, name) {
			return "", scale.Conflict(CodeCategoryExists, "%q is a default category", d.Name)
		}
	}
	return name, nil
}

// CreateCategory adds a category of the user's own. A name the user already
// has, ignoring case and including the default names, is KindConflict
// (category.exists).
func (s *Scale) CreateCategory(ctx context.Context, user scale.UserID, name string) (scale.Category, error) {
	name, err := categoryName(name)
	if err != nil {
		return scale.Category{}, err
	}
	c := scale.Category{ID: scale.CategoryID(scale.NewID()), User: user, Name: name, CreatedAt: s.ports.Clock.Now()}
	if err := s.ports.Store.CreateCategory(ctx, c); err != nil {
		return scale.Category{}, err
	}
	return c, nil
}

// RenameCategory renames one of the user's own categories. Default
// categories cannot be renamed (KindFailedPrecondition,
// category.default_immutable); another user's id is KindNotFound.
func (s *Scale) RenameCategory(ctx context.Context, user scale.UserID, id scale.CategoryID, name string) (scale.Category, error) {
	if scale.IsDefaultCategory(id) {
		return scale.Category{}, scale.E(scale.KindFailedPrecondition, CodeCategoryDefault, "default categories cannot be renamed")
	}
	c, err := s.ownCategory(ctx, user, id)
	if err != nil {
		return scale.Category{}, err
	}
	if c.Name, err = categoryName(name); err != nil {
		return scale.Category{}, err
	}
	if err := s.ports.Store.UpdateCategory(ctx, c); err != nil {
		return scale.Category{}, err
	}
	return c, nil
}

// DeleteCategory deletes one of the user's own categories. Default
// categories cannot be deleted, nor can a category a rule still assigns
// (both KindFailedPrecondition). The user's transactions in the category
// become uncategorized and the corrections that put transactions in it are
// forgotten, so no later import labels a row with it. Another user's id is
// KindNotFound.
func (s *Scale) DeleteCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) error {
	if scale.IsDefaultCategory(id) {
		return scale.E(scale.KindFailedPrecondition, CodeCategoryDefault, "default categories cannot be deleted")
	}
	if _, err := s.ownCategory(ctx, user, id); err != nil {
		return err
	}
	rules, err := s.ports.Store.ListRules(ctx, user)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.Category == id {
			return scale.E(scale.KindFailedPrecondition, CodeCategoryInUse,
				"rule %s still assigns this category: delete or change it first", r.ID)
		}
	}
	var ups []ports.LabelUpdate
	if err := s.Accounts.Each(ctx, user, ports.TransactionQuery{Categories: []scale.CategoryID{id}}, func(t scale.Transaction) error {
		ups = append(ups, ports.LabelUpdate{ID: t.ID, Label: scale.Label{Category: scale.Uncategorized}})
		return nil
	}); err != nil {
		return err
	}
	// Relabel first: if deleting then fails, a retry finishes the job.
	if len(ups) > 0 {
		if _, err := s.ports.Store.SetLabels(ctx, user, ups); err != nil {
			return err
		}
	}
	return s.ports.Store.DeleteCategory(ctx, user, id)
}

// Rules returns the user's rules in the order they run.
func (s *Scale) Rules(ctx context.Context, user scale.UserID) ([]scale.Rule, error) {
	return s.ports.Store.ListRules(ctx, user)
}

// Rule returns one of the user's rules; another user's id is KindNotFound.
func (s *Scale) Rule(ctx context.Context, user scale.UserID, id scale.RuleID) (scale.Rule, error) {
	if !scale.ValidID(string(id)) {
		return scale.Rule{}, scale.NotFound(scale.CodeNotFound, "rule not found")
	}
	return s.ports.Store.GetRule(ctx, user, id)
}

// RuleProblems lists everything wrong with r for user: the checks of
// scale.Rule.Validate, a category that is neither a default one nor the
// user's, and an account that is not the user's. Nil means r is valid.
func (s *Scale) RuleProblems(ctx context.Context, user scale.UserID, r scale.Rule) ([]scale.FieldError, error) {
	var fs []scale.FieldError
	if err := r.Validate(); err != nil {
		var se *scale.Error
		if !errors.As(err, &se) {
			return nil, err
		}
		fs = append(fs, se.Fields...)
	}
	if r.Category != "" {
		ok, err := s.categoryExists(ctx, user, r.Category)
		if err != nil {
			return nil, err
		}
		if !ok {
			fs = append(fs, scale.FieldError{Field: "category", Message: "is not one of your categories"})
		}
	}
	if r.Account != "" {
		if _, err := s.Accounts.Account(ctx, user, r.Account); err != nil {
			if scale.KindOf(err) != scale.KindNotFound {
				return nil, err
			}
			fs = append(fs, scale.FieldError{Field: "account_id", Message: "is not one of your accounts"})
		}
	}
	return fs, nil
}

func (s *Scale) checkRule(ctx context.Context, user scale.UserID, r scale.Rule) error {
	fs, err := s.RuleProblems(ctx, user, r)
	if err != nil {
		return err
	}
	if len(fs) > 0 {
		return scale.InvalidFields(CodeRuleInvalid, "The rule is not valid.", fs...)
	}
	return nil
}

// CreateRule validates r (see RuleProblems) and stores it as a new rule of
// user; ID, User and the timestamps are set here.
func (s *Scale) CreateRule(ctx context.Context, user scale.UserID, r scale.Rule) (scale.Rule, error) {
	r.ID, r.User = scale.RuleID(scale.NewID()), user
	r.Pattern = strings.TrimSpace(r.Pattern)
	if err := s.checkRule(ctx, user, r); err != nil {
		return scale.Rule{}, err
	}
	now := s.ports.Clock.Now()
	r.CreatedAt, r.UpdatedAt = now, now
	if err := s.ports.Store.CreateRule(ctx, r); err != nil {
		return scale.Rule{}, err
	}
	return r, nil
}

// UpdateRule replaces the user's rule r.ID with r if the result is valid
// (see RuleProblems), keeping its creation time. Another user's id is
// KindNotFound.
func (s *Scale) UpdateRule(ctx context.Context, user scale.UserID, r scale.Rule) (scale.Rule, error) {
	cur, err := s.Rule(ctx, user, r.ID)
	if err != nil {
		return scale.Rule{}, err
	}
	r.User, r.CreatedAt = user, cur.CreatedAt
	r.Pattern = strings.TrimSpace(r.Pattern)
	if err := s.checkRule(ctx, user, r); err != nil {
		return scale.Rule{}, err
	}
	r.UpdatedAt = s.ports.Clock.Now()
	if err := s.ports.Store.UpdateRule(ctx, r); err != nil {
		return scale.Rule{}, err
	}
	return r, nil
}

// DeleteRule deletes one of the user's rules; another user's id is
// KindNotFound.
func (s *Scale) DeleteRule(ctx context.Context, user scale.UserID, id scale.RuleID) error {
	if !scale.ValidID(string(id)) {
		return scale.NotFound(scale.CodeNotFound, "rule not found")
	}
	return s.ports.Store.DeleteRule(ctx, user, id)
}

// DiscoverCategories proposes new categories among the user's
// uncategorized transactions matching q (newest first, at most limit, which
// is capped at MaxDiscoverItems). MemberIDs of the proposals are
// transaction ids. It also returns how many transactions it looked at.
// Nothing is relabelled.
func (s *Scale) DiscoverCategories(ctx context.Context, user scale.UserID, q ports.TransactionQuery, limit int) ([]ports.DiscoveredCategory, int, error) {
	if limit <= 0 || limit > MaxDiscoverItems {
		limit = MaxDiscoverItems
	}
	q.Uncategorized, q.Ascending, q.After = true, false, nil
	var items []ports.ClassifyInput
	for len(items) < limit {
		q.Limit = min(ports.MaxPageSize, limit-len(items))
		p, err := s.ports.Store.ListTransactions(ctx, user, q)
		if err != nil {
			return nil, 0, err
		}
		for _, t := range p.Items {
			items = append(items, categorization.InputOf(t).ClassifyInput)
		}
		if p.Next == nil {
			break
		}
		q.After = p.Next
	}
	if len(items) == 0 {
		return nil, 0, nil
	}
	ds, err := s.Categorization.Discover(ctx, user, items)
	if err != nil {
		return nil, 0, err
	}
	return ds, len(items), nil
}

// AcceptDiscovered applies a discovered category the user confirmed: it
// creates the user's category name, or reuses the default or own category
// of that name (ignoring case), and labels the user's transactions ids with
// it (source correction, confidence 1: a user decision). Ids the user does
// not own are ignored. It returns the category and how many transactions
// were relabelled.
func (s *Scale) AcceptDiscovered(ctx context.Context, user scale.UserID, name string, ids []scale.TransactionID) (scale.Category, int, error) {
	var fs []scale.FieldError
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxCategoryNameLen {
		fs = append(fs, scale.FieldError{Field: "name", Message: "must be 1 to 64 characters"})
	}
	if len(ids) == 0 || len(ids) > categorization.MaxBatch {
		fs = append(fs, scale.FieldError{Field: "member_ids", Message: "must list 1 to 10000 transaction ids"})
	}
	if len(fs) > 0 {
		return scale.Category{}, 0, scale.InvalidFields(CodeDiscoveryInvalid, "The accepted category is not valid.", fs...)
	}
	all, err := s.Categories(ctx, user)
	if err != nil {
		return scale.Category{}, 0, err
	}
	members := make([]string, 0, len(ids))
	for _, id := range ids {
		if scale.ValidID(string(id)) {
			members = append(members, string(id))
		}
	}
	var cat scale.Category
	var ups []ports.LabelUpdate
	found := false
	for _, c := range all {
		if strings.EqualFold(c.Name, name) {
			cat, found = c, true
			break
		}
	}
	if found {
		label := scale.Label{Category: cat.ID, Source: scale.SourceCorrection, Confidence: 1}
		for _, id := range members {
			ups = append(ups, ports.LabelUpdate{ID: scale.TransactionID(id), Label: label})
		}
	} else {
		cat, ups, err = s.Categorization.Accept(ctx, user, ports.DiscoveredCategory{MemberIDs: members}, name)
		if err != nil {
			return scale.Category{}, 0, err
		}
	}
	n := 0
	if len(ups) > 0 {
		if n, err = s.ports.Store.SetLabels(ctx, user, ups); err != nil {
			return scale.Category{}, 0, err
		}
	}
	return cat, n, nil
}
