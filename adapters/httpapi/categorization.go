package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
	"github.com/scalehq/scale/scale/sdk"
)

// classifyBatchMaxBody bounds the body of a batch classification: 10,000
// items of typical size fit well within 4 MiB (huma refuses a body of
// exactly the limit, hence the extra byte).
const classifyBatchMaxBody = 4<<20 + 1

// ClassifyItem is one transaction to classify.
type ClassifyItem struct {
	Description string `json:"description" minLength:"1" maxLength:"1024" doc:"The bank's description of the transaction." example:"CARD PAYMENT STARBUCKS BERLIN 4411"`
	Merchant    string `json:"merchant,omitempty" maxLength:"256" doc:"Merchant name, when known." example:"Starbucks"`
	Amount      string `json:"amount" maxLength:"32" pattern:"^[+-]?[0-9]+(\\.[0-9]+)?$" doc:"Signed decimal amount in the currency's major unit; negative when money leaves the account. Not zero." example:"-4.20"`
	Currency    string `json:"currency" minLength:"3" maxLength:"3" doc:"ISO 4217 currency of the amount." example:"EUR"`
	Date        string `json:"date,omitempty" format:"date" doc:"Booking date." example:"2026-03-01"`
	AccountID   string `json:"account_id,omitempty" maxLength:"64" doc:"The account, for your rules that apply to one account only." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
}

// ClassifyResult is the category decided for one item.
type ClassifyResult struct {
	Category    string  `json:"category" doc:"Category id; 'uncategorized' when no rule, correction or confident prediction placed it." example:"food"`
	LabelSource string  `json:"label_source" enum:"rule,correction,model" doc:"Who decided: one of your rules, one of your past corrections, or the model." example:"model"`
	Confidence  float64 `json:"confidence" minimum:"0" maximum:"1" doc:"Confidence of the category, 0 to 1 (1 for rules and corrections)." example:"0.93"`
	RuleID      string  `json:"rule_id,omitempty" doc:"The rule that decided, when label_source is rule." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
	Suggested   string  `json:"suggested,omitempty" doc:"The model's best known category, also when its confidence was too low to use." example:"food"`
	Novel       string  `json:"novel,omitempty" doc:"The discovered cluster the model placed the item in, when it fits no known category; a suggestion only." example:"new:2"`
}

// ClassifyInput classifies one item.
type ClassifyInput struct {
	Body ClassifyItem
}

// ClassifyOutput is the decision for one item.
type ClassifyOutput struct {
	Body ClassifyResult
}

// ClassifyBatchInput classifies many items at once.
type ClassifyBatchInput struct {
	Body struct {
		Items []ClassifyItem `json:"items" minItems:"1" maxItems:"10000" doc:"The items to classify, 1 to 10,000."`
	}
}

// ClassifyBatchOutput answers a batch in order.
type ClassifyBatchOutput struct {
	Body struct {
		Items []ClassifyResult `json:"items" doc:"One result per item, in the order of the request."`
	}
}

// Category is a spending or income category.
type Category struct {
	ID        string     `json:"id" doc:"Category id: the lower-case name for default categories, a generated id for yours." example:"food"`
	Name      string     `json:"name" doc:"Display name." example:"Food"`
	Default   bool       `json:"default" doc:"Whether it belongs to the default taxonomy, which cannot be renamed or deleted." example:"true"`
	CreatedAt *time.Time `json:"created_at,omitempty" doc:"When you created it; absent for default categories." example:"2026-03-01T09:30:00Z"`
}

func categoryOut(c scale.Category) Category {
	out := Category{ID: string(c.ID), Name: c.Name, Default: c.User == "" && scale.IsDefaultCategory(c.ID)}
	if !out.Default && !c.CreatedAt.IsZero() {
		t := c.CreatedAt
		out.CreatedAt = &t
	}
	return out
}

// CategoryOutput is one category.
type CategoryOutput struct {
	Body Category
}

// CategoryListOutput lists the categories available to the caller.
type CategoryListOutput struct {
	Body struct {
		Items []Category `json:"items" doc:"The default taxonomy in display order, then your own categories, oldest first."`
	}
}

// CreateCategoryInput adds a category.
type CreateCategoryInput struct {
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"64" doc:"Display name; unique among your and the default categories, ignoring case." example:"Pets"`
	}
}

// CategoryIDInput names a category.
type CategoryIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Category id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91"`
}

// UpdateCategoryInput renames a category.
type UpdateCategoryInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Category id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a91"`
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"64" doc:"New display name." example:"Pet care"`
	}
}

// Rule assigns a category to the transactions it matches.
type Rule struct {
	ID        string    `json:"id" doc:"Rule id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
	Category  string    `json:"category" doc:"The category id it assigns." example:"food"`
	Field     string    `json:"field" enum:"merchant,description,any" doc:"The field the pattern is compared with." example:"merchant"`
	Match     string    `json:"match" enum:"equals,contains,regex" doc:"How the pattern is compared, ignoring case." example:"contains"`
	Pattern   string    `json:"pattern" doc:"The text or regular expression; empty when only amount or account conditions apply." example:"starbucks"`
	MinAmount string    `json:"min_amount,omitempty" doc:"Smallest signed amount it applies to, a decimal string in the major unit of your profile currency." example:"-50.00"`
	MaxAmount string    `json:"max_amount,omitempty" doc:"Largest signed amount it applies to, a decimal string in the major unit of your profile currency." example:"-1.00"`
	AccountID string    `json:"account_id,omitempty" doc:"The only account it applies to." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Priority  int       `json:"priority" doc:"Rules run in ascending priority, then oldest first; the first match decides." example:"10"`
	CreatedAt time.Time `json:"created_at" doc:"When it was created." example:"2026-03-01T09:30:00Z"`
	UpdatedAt time.Time `json:"updated_at" doc:"When it last changed." example:"2026-03-01T09:30:00Z"`
}

func ruleOut(r scale.Rule, digits int) Rule {
	out := Rule{ID: string(r.ID), Category: string(r.Category), Field: string(r.Field), Match: string(r.Match),
		Pattern: r.Pattern, AccountID: string(r.Account), Priority: r.Priority, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.MinAmount != nil {
		out.MinAmount = scale.FormatDecimal(*r.MinAmount, digits)
	}
	if r.MaxAmount != nil {
		out.MaxAmount = scale.FormatDecimal(*r.MaxAmount, digits)
	}
	return out
}

// RuleOutput is one rule.
type RuleOutput struct {
	Body Rule
}

// RuleListOutput lists the caller's rules.
type RuleListOutput struct {
	Body struct {
		Items []Rule `json:"items" doc:"Your rules in the order they run."`
	}
}

// RuleIDInput names a rule.
type RuleIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Rule id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
}

// CreateRuleInput adds a rule.
type CreateRuleInput struct {
	Body struct {
		Category  string `json:"category" minLength:"1" maxLength:"64" doc:"The category id it assigns: a default category or one of yours." example:"food"`
		Field     string `json:"field,omitempty" enum:"merchant,description,any" default:"any" doc:"The field the pattern is compared with." example:"merchant"`
		Match     string `json:"match,omitempty" enum:"equals,contains,regex" default:"contains" doc:"How the pattern is compared, ignoring case." example:"contains"`
		Pattern   string `json:"pattern,omitempty" maxLength:"256" doc:"The text or regular expression (RE2 syntax). A rule needs a pattern, an amount bound or an account." example:"starbucks"`
		MinAmount string `json:"min_amount,omitempty" maxLength:"32" doc:"Smallest signed amount it applies to, a decimal string in the major unit of your profile currency." example:"-50.00"`
		MaxAmount string `json:"max_amount,omitempty" maxLength:"32" doc:"Largest signed amount it applies to, a decimal string in the major unit of your profile currency." example:"-1.00"`
		AccountID string `json:"account_id,omitempty" maxLength:"64" doc:"The only account it applies to; one of yours." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
		Priority  int    `json:"priority,omitempty" minimum:"-1000000" maximum:"1000000" doc:"Rules run in ascending priority, then oldest first." example:"10"`
	}
}

// UpdateRuleInput changes the fields present in the body.
type UpdateRuleInput struct {
	ID   string `path:"id" maxLength:"64" doc:"Rule id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"`
	Body struct {
		Category  *string `json:"category,omitempty" minLength:"1" maxLength:"64" doc:"New category id." example:"shopping"`
		Field     *string `json:"field,omitempty" enum:"merchant,description,any" doc:"New field." example:"description"`
		Match     *string `json:"match,omitempty" enum:"equals,contains,regex" doc:"New comparison." example:"regex"`
		Pattern   *string `json:"pattern,omitempty" maxLength:"256" doc:"New pattern; empty removes it." example:"^amzn mktp"`
		MinAmount *string `json:"min_amount,omitempty" maxLength:"32" doc:"New lower amount bound; empty removes it." example:"-100.00"`
		MaxAmount *string `json:"max_amount,omitempty" maxLength:"32" doc:"New upper amount bound; empty removes it." example:"0.00"`
		AccountID *string `json:"account_id,omitempty" maxLength:"64" doc:"New account; empty makes the rule apply to every account." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
		Priority  *int    `json:"priority,omitempty" minimum:"-1000000" maximum:"1000000" doc:"New priority." example:"5"`
	}
}

// DiscoverInput bounds the transactions discovery looks at.
type DiscoverInput struct {
	Body *struct {
		From  string `json:"from,omitempty" format:"date" doc:"Only transactions booked on or after this date." example:"2026-01-01"`
		To    string `json:"to,omitempty" format:"date" doc:"Only transactions booked on or before this date." example:"2026-03-31"`
		Limit int    `json:"limit,omitempty" minimum:"1" maximum:"5000" doc:"At most this many of your most recent uncategorized transactions (default and maximum 5,000)." example:"2000"`
	}
}

// DiscoveredCategory is a proposed category.
type DiscoveredCategory struct {
	Key       string   `json:"key" doc:"The proposal's key within this answer." example:"new:1"`
	Name      string   `json:"name" doc:"A suggested name from its most distinctive words." example:"Climbing Gym"`
	Tokens    []string `json:"tokens" doc:"Its most distinctive words." example:"climbing,boulder,gym"`
	Examples  []string `json:"examples" doc:"Descriptions of a few members." example:"BOULDERHAUS CLIMBING GYM BERLIN"`
	MemberIDs []string `json:"member_ids" doc:"The ids of your transactions in it." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
	Size      int      `json:"size" doc:"How many transactions it holds." example:"14"`
	Score     float64  `json:"score" doc:"How well separated it is (mean silhouette, -1 to 1; higher is crisper)." example:"0.42"`
}

// DiscoverOutput lists the proposals.
type DiscoverOutput struct {
	Body struct {
		Considered int                  `json:"considered" doc:"How many uncategorized transactions were looked at." example:"380"`
		Items      []DiscoveredCategory `json:"items" doc:"Proposed categories, largest first; empty when nothing stands out."`
	}
}

// AcceptDiscoveredInput confirms a proposal.
type AcceptDiscoveredInput struct {
	Body struct {
		Name      string   `json:"name" minLength:"1" maxLength:"64" doc:"The category's name: an existing category of that name (yours or a default one) is reused, otherwise one is created." example:"Climbing"`
		MemberIDs []string `json:"member_ids" minItems:"1" maxItems:"10000" doc:"The transactions to put in it, usually the proposal's member_ids; ids that are not yours are ignored." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
	}
}

// AcceptDiscoveredOutput is the category and how many transactions it got.
type AcceptDiscoveredOutput struct {
	Body struct {
		Category   Category `json:"category" doc:"The category the transactions now belong to."`
		Relabelled int      `json:"relabelled" doc:"How many of your transactions were put in it (label source correction)." example:"14"`
	}
}

var categorizationTags = []string{"Categorization"}

func (h *handlers) registerCategorization(api huma.API) {
	h.registerClassify(api)
	h.registerCategories(api)
	h.registerRules(api)
	h.registerDiscovery(api)
}

func (h *handlers) registerClassify(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "classify", Method: http.MethodPost, Path: "/classify",
		Summary: "Classify one transaction", Tags: categorizationTags,
		Description: "Decides the category of one transaction that need not be stored: your rules first, then your " +
			"past corrections, then the model; below the confidence threshold the answer is `uncategorized` with " +
			"the model's suggestion. Nothing is stored.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *ClassifyInput) (*ClassifyOutput, error) {
		item, fs := classifyInputOf(in.Body, "body.")
		if len(fs) > 0 {
			return nil, problem(ctx, h.log, scale.InvalidFields(categorization.CodeInputInvalid, "The item is not valid.", fs...))
		}
		r, err := h.s.Categorization.Classify(ctx, userOf(ctx), item)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &ClassifyOutput{Body: classifyOut(r)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "classify-batch", Method: http.MethodPost, Path: "/classify/batch",
		Summary: "Classify up to 10,000 transactions", Tags: categorizationTags,
		Description: "Classifies every item like `classify`, in one model call, and answers in the order of the " +
			"request. The body may be up to 4 MiB. Every bad item field is listed in the 422 problem " +
			"(for example `body.items[3].amount`). Nothing is stored.",
		MaxBodyBytes: classifyBatchMaxBody,
		Errors:       []int{http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *ClassifyBatchInput) (*ClassifyBatchOutput, error) {
		items := make([]categorization.Input, len(in.Body.Items))
		var fs []scale.FieldError
		for i, it := range in.Body.Items {
			var bad []scale.FieldError
			items[i], bad = classifyInputOf(it, fmt.Sprintf("body.items[%d].", i))
			fs = append(fs, bad...)
		}
		if len(fs) > 0 {
			return nil, problem(ctx, h.log, scale.InvalidFields(categorization.CodeInputInvalid, "Some items are not valid.", fs...))
		}
		rs, err := h.s.Categorization.ClassifyBatch(ctx, userOf(ctx), items)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &ClassifyBatchOutput{}
		out.Body.Items = make([]ClassifyResult, len(rs))
		for i, r := range rs {
			out.Body.Items[i] = classifyOut(r)
		}
		return out, nil
	})
}

// classifyInputOf turns an item into the pipeline's input, listing every bad
// field under prefix.
func classifyInputOf(it ClassifyItem, prefix string) (categorization.Input, []scale.FieldError) {
	var fs []scale.FieldError
	in := categorization.Input{Account: scale.AccountID(it.AccountID), ClassifyInput: ports.ClassifyInput{
		Description: it.Description, Merchant: it.Merchant}}
	cur, err := scale.ParseCurrency(it.Currency)
	if err != nil {
		fs = append(fs, scale.FieldError{Field: prefix + "currency", Message: "is not a supported ISO 4217 currency code"})
	} else {
		m, err := scale.ParseMoney(it.Amount, cur, scale.ParseOptions{})
		switch {
		case err != nil:
			fs = append(fs, scale.FieldError{Field: prefix + "amount",
				Message: "must be a decimal amount such as -12.50 with at most " + strconv.Itoa(cur.MinorDigits()) + " decimals"})
		case m.Minor == 0:
			fs = append(fs, scale.FieldError{Field: prefix + "amount", Message: "must not be zero"})
		}
		in.Amount, in.Currency = m.Minor, cur
	}
	if it.Date != "" {
		d, err := scale.ParseDate(it.Date)
		if err != nil {
			fs = append(fs, scale.FieldError{Field: prefix + "date", Message: "must be a date YYYY-MM-DD"})
		}
		in.Date = d
	}
	return in, fs
}

func classifyOut(r categorization.Result) ClassifyResult {
	out := ClassifyResult{Category: string(r.Label.Category), LabelSource: string(r.Label.Source),
		Confidence: r.Label.Confidence, RuleID: string(r.Rule), Suggested: string(r.Suggested), Novel: r.Novel}
	if out.Category == "" {
		out.Category = string(scale.Uncategorized)
	}
	return out
}

func (h *handlers) registerCategories(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: "/categories",
		Summary: "List categories", Tags: categorizationTags,
		Description: "Lists the default taxonomy (marked `default: true`) followed by your own categories.",
		Errors:      []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*CategoryListOutput, error) {
		cs, err := h.s.Categories(ctx, userOf(ctx))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &CategoryListOutput{}
		out.Body.Items = make([]Category, len(cs))
		for i, c := range cs {
			out.Body.Items[i] = categoryOut(c)
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "create-category", Method: http.MethodPost, Path: "/categories", DefaultStatus: http.StatusCreated,
		Summary: "Create a category", Tags: categorizationTags,
		Description: "Adds a category of your own. A name you already have, ignoring case and including the default " +
			"names, is 409 `category.exists`.",
		Errors: []int{http.StatusUnauthorized, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *CreateCategoryInput) (*CategoryOutput, error) {
		c, err := h.s.CreateCategory(ctx, userOf(ctx), in.Body.Name)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &CategoryOutput{Body: categoryOut(c)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "update-category", Method: http.MethodPatch, Path: "/categories/{id}",
		Summary: "Rename a category", Tags: categorizationTags,
		Description: "Renames one of your categories. Default categories cannot be renamed (409 " +
			"`category.default_immutable`); a name you already have is 409 `category.exists`; another user's id is 404.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *UpdateCategoryInput) (*CategoryOutput, error) {
		c, err := h.s.RenameCategory(ctx, userOf(ctx), scale.CategoryID(in.ID), in.Body.Name)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &CategoryOutput{Body: categoryOut(c)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "delete-category", Method: http.MethodDelete, Path: "/categories/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a category", Tags: categorizationTags,
		Description: "Deletes one of your categories; your transactions in it become uncategorized. Default categories " +
			"cannot be deleted (409 `category.default_immutable`), nor can a category one of your rules assigns " +
			"(409 `category.in_use`); another user's id is 404.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *CategoryIDInput) (*struct{}, error) {
		if err := h.s.DeleteCategory(ctx, userOf(ctx), scale.CategoryID(in.ID)); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return nil, nil
	})
}

// profileDigits returns the minor-unit digits of the caller's profile
// currency, the unit of rule amounts.
func (h *handlers) profileDigits(ctx context.Context) (int, error) {
	p, err := h.s.Accounts.Profile(ctx, userOf(ctx))
	if err != nil {
		return 0, err
	}
	return p.Currency.MinorDigits(), nil
}

// ruleAmount parses a rule amount bound; "" is no bound.
func ruleAmount(field, v string, digits int, fs *[]scale.FieldError) *int64 {
	if v == "" {
		return nil
	}
	n, err := scale.ParseDecimal(v, digits, scale.ParseOptions{})
	if err != nil {
		*fs = append(*fs, scale.FieldError{Field: field,
			Message: "must be a decimal amount such as -12.50 with at most " + strconv.Itoa(digits) + " decimals"})
		return nil
	}
	return &n
}

// checkRule lists every problem of r together with the amount fields that
// did not parse (bad), so one 422 names every bad field.
func (h *handlers) checkRule(ctx context.Context, r scale.Rule, bad []scale.FieldError) error {
	if len(bad) == 0 {
		return nil
	}
	more, err := h.s.RuleProblems(ctx, userOf(ctx), r)
	if err != nil {
		return err
	}
	for _, f := range more {
		if f.Field == "pattern" && r.Pattern == "" {
			continue // an amount bound was given, it just did not parse
		}
		bad = append(bad, f)
	}
	return scale.InvalidFields(sdk.CodeRuleInvalid, "The rule is not valid.", bad...)
}

func (h *handlers) registerRules(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "list-rules", Method: http.MethodGet, Path: "/rules",
		Summary: "List rules", Tags: categorizationTags,
		Description: "Lists your categorization rules in the order they run (ascending priority, then oldest first).",
		Errors:      []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*RuleListOutput, error) {
		digits, err := h.profileDigits(ctx)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		rs, err := h.s.Rules(ctx, userOf(ctx))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &RuleListOutput{}
		out.Body.Items = make([]Rule, len(rs))
		for i, r := range rs {
			out.Body.Items[i] = ruleOut(r, digits)
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "create-rule", Method: http.MethodPost, Path: "/rules", DefaultStatus: http.StatusCreated,
		Summary: "Create a rule", Tags: categorizationTags,
		Description: "Adds a rule: transactions matching every condition it sets get its category (label source " +
			"`rule`, confidence 1) before any correction or model is consulted. The category must be a default one " +
			"or yours and the account yours; every bad field is listed in the 422 problem.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *CreateRuleInput) (*RuleOutput, error) {
		digits, err := h.profileDigits(ctx)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		b := in.Body
		var bad []scale.FieldError
		r := scale.Rule{Category: scale.CategoryID(b.Category), Field: scale.RuleField(b.Field), Match: scale.RuleMatch(b.Match),
			Pattern: b.Pattern, Account: scale.AccountID(b.AccountID), Priority: b.Priority,
			MinAmount: ruleAmount("min_amount", b.MinAmount, digits, &bad), MaxAmount: ruleAmount("max_amount", b.MaxAmount, digits, &bad)}
		if err := h.checkRule(ctx, r, bad); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		r, err = h.s.CreateRule(ctx, userOf(ctx), r)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &RuleOutput{Body: ruleOut(r, digits)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "get-rule", Method: http.MethodGet, Path: "/rules/{id}",
		Summary: "Get a rule", Tags: categorizationTags,
		Description: "Returns one of your rules; another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *RuleIDInput) (*RuleOutput, error) {
		digits, err := h.profileDigits(ctx)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		r, err := h.s.Rule(ctx, userOf(ctx), scale.RuleID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &RuleOutput{Body: ruleOut(r, digits)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "update-rule", Method: http.MethodPatch, Path: "/rules/{id}",
		Summary: "Change a rule", Tags: categorizationTags,
		Description: "Changes the fields present in the body; an empty pattern, amount bound or account removes that " +
			"condition. The result is validated as a new rule would be; another user's id is 404.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *UpdateRuleInput) (*RuleOutput, error) {
		digits, err := h.profileDigits(ctx)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		r, err := h.s.Rule(ctx, userOf(ctx), scale.RuleID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		b := in.Body
		var bad []scale.FieldError
		if b.Category != nil {
			r.Category = scale.CategoryID(*b.Category)
		}
		if b.Field != nil {
			r.Field = scale.RuleField(*b.Field)
		}
		if b.Match != nil {
			r.Match = scale.RuleMatch(*b.Match)
		}
		if b.Pattern != nil {
			r.Pattern = *b.Pattern
		}
		if b.MinAmount != nil {
			r.MinAmount = ruleAmount("min_amount", *b.MinAmount, digits, &bad)
		}
		if b.MaxAmount != nil {
			r.MaxAmount = ruleAmount("max_amount", *b.MaxAmount, digits, &bad)
		}
		if b.AccountID != nil {
			r.Account = scale.AccountID(*b.AccountID)
		}
		if b.Priority != nil {
			r.Priority = *b.Priority
		}
		if err := h.checkRule(ctx, r, bad); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		if r, err = h.s.UpdateRule(ctx, userOf(ctx), r); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &RuleOutput{Body: ruleOut(r, digits)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "delete-rule", Method: http.MethodDelete, Path: "/rules/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a rule", Tags: categorizationTags,
		Description: "Deletes one of your rules; another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *RuleIDInput) (*struct{}, error) {
		if err := h.s.DeleteRule(ctx, userOf(ctx), scale.RuleID(in.ID)); err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return nil, nil
	})
}

func (h *handlers) registerDiscovery(api huma.API) {
	register(h, api, huma.Operation{
		OperationID: "discover-categories", Method: http.MethodPost, Path: "/categories/discover",
		Summary: "Discover new categories", Tags: categorizationTags,
		Description: "Looks at your most recent uncategorized transactions (at most 5,000, optionally within a date " +
			"range) and proposes categories for groups of look-alikes that fit no known category, each with a " +
			"suggested name, its distinctive words, examples and members. Nothing is changed: accept a proposal " +
			"with `accept-discovered-category`.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, func(ctx context.Context, in *DiscoverInput) (*DiscoverOutput, error) {
		var q ports.TransactionQuery
		limit := 0
		var fs []scale.FieldError
		if b := in.Body; b != nil {
			limit = b.Limit
			if b.From != "" {
				d, err := scale.ParseDate(b.From)
				if err != nil {
					fs = append(fs, scale.FieldError{Field: "body.from", Message: "must be a date YYYY-MM-DD"})
				}
				q.From = d
			}
			if b.To != "" {
				d, err := scale.ParseDate(b.To)
				if err != nil {
					fs = append(fs, scale.FieldError{Field: "body.to", Message: "must be a date YYYY-MM-DD"})
				}
				q.To = d
			}
		}
		if len(fs) > 0 {
			return nil, problem(ctx, h.log, scale.InvalidFields(categorization.CodeInputInvalid, "The discovery request is not valid.", fs...))
		}
		ds, n, err := h.s.DiscoverCategories(ctx, userOf(ctx), q, limit)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &DiscoverOutput{}
		out.Body.Considered = n
		out.Body.Items = make([]DiscoveredCategory, len(ds))
		for i, d := range ds {
			out.Body.Items[i] = DiscoveredCategory{Key: d.Key, Name: d.Name, Tokens: nonNil(d.Tokens), Examples: nonNil(d.Examples),
				MemberIDs: nonNil(d.MemberIDs), Size: len(d.MemberIDs), Score: d.Score}
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "accept-discovered-category", Method: http.MethodPost, Path: "/categories/discover/accept",
		Summary: "Accept a discovered category", Tags: categorizationTags,
		Description: "Confirms a proposal: creates your category `name` (or reuses the category of that name) and puts " +
			"the listed transactions of yours in it with label source `correction` and confidence 1. Ids that are " +
			"not yours are ignored; `relabelled` says how many changed.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *AcceptDiscoveredInput) (*AcceptDiscoveredOutput, error) {
		ids := make([]scale.TransactionID, len(in.Body.MemberIDs))
		for i, id := range in.Body.MemberIDs {
			ids[i] = scale.TransactionID(id)
		}
		c, n, err := h.s.AcceptDiscovered(ctx, userOf(ctx), in.Body.Name, ids)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &AcceptDiscoveredOutput{}
		out.Body.Category, out.Body.Relabelled = categoryOut(c), n
		return out, nil
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
