package httpclient

import (
	"context"
	"net/http"
	"time"
)

// The operations of classification, categories, rules and discovery.
var (
	opClassify                 = Operation{"classify", http.MethodPost, "/classify"}
	opClassifyBatch            = Operation{"classify-batch", http.MethodPost, "/classify/batch"}
	opListCategories           = Operation{"list-categories", http.MethodGet, "/categories"}
	opCreateCategory           = Operation{"create-category", http.MethodPost, "/categories"}
	opUpdateCategory           = Operation{"update-category", http.MethodPatch, "/categories/{id}"}
	opDeleteCategory           = Operation{"delete-category", http.MethodDelete, "/categories/{id}"}
	opListRules                = Operation{"list-rules", http.MethodGet, "/rules"}
	opCreateRule               = Operation{"create-rule", http.MethodPost, "/rules"}
	opGetRule                  = Operation{"get-rule", http.MethodGet, "/rules/{id}"}
	opUpdateRule               = Operation{"update-rule", http.MethodPatch, "/rules/{id}"}
	opDeleteRule               = Operation{"delete-rule", http.MethodDelete, "/rules/{id}"}
	opDiscoverCategories       = Operation{"discover-categories", http.MethodPost, "/categories/discover"}
	opAcceptDiscoveredCategory = Operation{"accept-discovered-category", http.MethodPost, "/categories/discover/accept"}
)

func init() {
	operations = append(operations, opClassify, opClassifyBatch,
		opListCategories, opCreateCategory, opUpdateCategory, opDeleteCategory,
		opListRules, opCreateRule, opGetRule, opUpdateRule, opDeleteRule,
		opDiscoverCategories, opAcceptDiscoveredCategory)
}

// ClassifyItem is a transaction to classify; it need not be stored.
type ClassifyItem struct {
	// Description is the bank's description (required).
	Description string `json:"description"`
	Merchant    string `json:"merchant,omitempty"`
	// Amount is the signed decimal amount in the major unit, not zero.
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	// Date is the booking date, "YYYY-MM-DD".
	Date string `json:"date,omitempty"`
	// AccountID lets rules that apply to one account only match.
	AccountID string `json:"account_id,omitempty"`
}

// ClassifyResult is the category decided for one item.
type ClassifyResult struct {
	// Category is a category id, Uncategorized below the confidence
	// threshold.
	Category string `json:"category"`
	// LabelSource is SourceRule, SourceCorrection or SourceModel.
	LabelSource string  `json:"label_source"`
	Confidence  float64 `json:"confidence"`
	// RuleID is the deciding rule, with SourceRule.
	RuleID string `json:"rule_id,omitempty"`
	// Suggested is the model's best known category, even when too unsure.
	Suggested string `json:"suggested,omitempty"`
	// Novel is the discovered cluster the item fits, when it fits no known
	// category.
	Novel string `json:"novel,omitempty"`
}

// Classify decides the category of one transaction: the caller's rules,
// then past corrections, then the model. Nothing is stored.
func (c *Client) Classify(ctx context.Context, item ClassifyItem) (ClassifyResult, error) {
	var out ClassifyResult
	err := c.call(ctx, opClassify, nil, nil, item, &out)
	return out, err
}

// ClassifyBatch classifies 1 to 10,000 items in one call and answers in
// their order; a 422 problem lists every bad field (body.items[3].amount).
func (c *Client) ClassifyBatch(ctx context.Context, items []ClassifyItem) ([]ClassifyResult, error) {
	in := struct {
		Items []ClassifyItem `json:"items"`
	}{items}
	var out struct {
		Items []ClassifyResult `json:"items"`
	}
	err := c.call(ctx, opClassifyBatch, nil, nil, in, &out)
	return out.Items, err
}

// Category is a spending or income category.
type Category struct {
	// ID is the lower-case name of a default category, a generated id for
	// the caller's own.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Default categories cannot be renamed or deleted.
	Default bool `json:"default"`
	// CreatedAt is set for the caller's own categories.
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// Categories lists the default taxonomy followed by the caller's own
// categories.
func (c *Client) Categories(ctx context.Context) ([]Category, error) {
	var out struct {
		Items []Category `json:"items"`
	}
	err := c.call(ctx, opListCategories, nil, nil, nil, &out)
	return out.Items, err
}

// CreateCategory adds a category of the caller's; a name that exists,
// ignoring case, is a 409 problem with code category.exists.
func (c *Client) CreateCategory(ctx context.Context, name string) (Category, error) {
	var out Category
	err := c.call(ctx, opCreateCategory, nil, nil, struct {
		Name string `json:"name"`
	}{name}, &out)
	return out, err
}

// RenameCategory renames one of the caller's categories (operation
// update-category).
func (c *Client) RenameCategory(ctx context.Context, id, name string) (Category, error) {
	var out Category
	err := c.call(ctx, opUpdateCategory, []string{id}, nil, struct {
		Name string `json:"name"`
	}{name}, &out)
	return out, err
}

// DeleteCategory deletes one of the caller's categories; its transactions
// become uncategorized.
func (c *Client) DeleteCategory(ctx context.Context, id string) error {
	return c.call(ctx, opDeleteCategory, []string{id}, nil, nil, nil)
}

// Rule fields and matches.
const (
	FieldMerchant    = "merchant"
	FieldDescription = "description"
	FieldAny         = "any"
	MatchEquals      = "equals"
	MatchContains    = "contains"
	MatchRegex       = "regex"
)

// Rule assigns a category to the transactions it matches.
type Rule struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	// Field is one of the Field* constants, Match one of the Match*.
	Field   string `json:"field"`
	Match   string `json:"match"`
	Pattern string `json:"pattern"`
	// MinAmount and MaxAmount bound the signed amount, decimal strings in
	// the profile currency; empty is no bound.
	MinAmount string `json:"min_amount,omitempty"`
	MaxAmount string `json:"max_amount,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	// Priority orders rules, ascending; the first match decides.
	Priority  int       `json:"priority"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NewRule creates a rule. Category is required, and a pattern, an amount
// bound or an account; Field defaults to any and Match to contains.
type NewRule struct {
	Category  string `json:"category"`
	Field     string `json:"field,omitempty"`
	Match     string `json:"match,omitempty"`
	Pattern   string `json:"pattern,omitempty"`
	MinAmount string `json:"min_amount,omitempty"`
	MaxAmount string `json:"max_amount,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	Priority  int    `json:"priority,omitempty"`
}

// RulePatch changes a rule; nil fields are kept, and an empty pattern,
// amount bound or account removes that condition.
type RulePatch struct {
	Category  *string `json:"category,omitempty"`
	Field     *string `json:"field,omitempty"`
	Match     *string `json:"match,omitempty"`
	Pattern   *string `json:"pattern,omitempty"`
	MinAmount *string `json:"min_amount,omitempty"`
	MaxAmount *string `json:"max_amount,omitempty"`
	AccountID *string `json:"account_id,omitempty"`
	Priority  *int    `json:"priority,omitempty"`
}

// Rules lists the caller's rules in the order they run.
func (c *Client) Rules(ctx context.Context) ([]Rule, error) {
	var out struct {
		Items []Rule `json:"items"`
	}
	err := c.call(ctx, opListRules, nil, nil, nil, &out)
	return out.Items, err
}

// CreateRule adds a rule; a 422 problem lists every bad field.
func (c *Client) CreateRule(ctx context.Context, r NewRule) (Rule, error) {
	var out Rule
	err := c.call(ctx, opCreateRule, nil, nil, r, &out)
	return out, err
}

// Rule returns one of the caller's rules.
func (c *Client) Rule(ctx context.Context, id string) (Rule, error) {
	var out Rule
	err := c.call(ctx, opGetRule, []string{id}, nil, nil, &out)
	return out, err
}

// UpdateRule changes the fields set in patch.
func (c *Client) UpdateRule(ctx context.Context, id string, patch RulePatch) (Rule, error) {
	var out Rule
	err := c.call(ctx, opUpdateRule, []string{id}, nil, patch, &out)
	return out, err
}

// DeleteRule deletes one of the caller's rules.
func (c *Client) DeleteRule(ctx context.Context, id string) error {
	return c.call(ctx, opDeleteRule, []string{id}, nil, nil, nil)
}

// DiscoverRequest bounds the transactions discovery looks at; the zero
// value looks at the most recent 5,000 uncategorized ones.
type DiscoverRequest struct {
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// DiscoveredCategory is a proposed category.
type DiscoveredCategory struct {
	// Key names the proposal within one answer.
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	Tokens    []string `json:"tokens"`
	Examples  []string `json:"examples"`
	MemberIDs []string `json:"member_ids"`
	Size      int      `json:"size"`
	// Score is the mean silhouette, -1 to 1; higher is crisper.
	Score float64 `json:"score"`
}

// Discovery lists the proposals of one discovery run.
type Discovery struct {
	// Considered is how many uncategorized transactions were looked at.
	Considered int                  `json:"considered"`
	Items      []DiscoveredCategory `json:"items"`
}

// DiscoverCategories proposes categories for groups of look-alike
// uncategorized transactions. Nothing is changed.
func (c *Client) DiscoverCategories(ctx context.Context, r DiscoverRequest) (Discovery, error) {
	var out Discovery
	err := c.call(ctx, opDiscoverCategories, nil, nil, r, &out)
	return out, err
}

// AcceptedCategory is the category a proposal was accepted into.
type AcceptedCategory struct {
	Category Category `json:"category"`
	// Relabelled is how many of the caller's transactions were put in it.
	Relabelled int `json:"relabelled"`
}

// AcceptDiscoveredCategory creates (or reuses) the category name and puts
// the caller's transactions among memberIDs in it as corrections.
func (c *Client) AcceptDiscoveredCategory(ctx context.Context, name string, memberIDs []string) (AcceptedCategory, error) {
	in := struct {
		Name      string   `json:"name"`
		MemberIDs []string `json:"member_ids"`
	}{name, memberIDs}
	var out AcceptedCategory
	err := c.call(ctx, opAcceptDiscoveredCategory, nil, nil, in, &out)
	return out, err
}
