package scale

import (
	"regexp"
	"strings"
	"time"
)

// Category is a spending or income category. The default taxonomy is shared
// by every user (User is empty); users add their own.
type Category struct {
	ID        CategoryID
	User      UserID
	Name      string
	CreatedAt time.Time
}

// Uncategorized is the category of a transaction no rule, correction or
// confident model prediction placed.
const Uncategorized CategoryID = "uncategorized"

// DefaultCategories returns the default taxonomy, in display order.
func DefaultCategories() []Category {
	names := []string{"Food", "Transport", "Utilities", "Salary", "Shopping", "Entertainment",
		"Health", "Education", "Finance", "People", "Misc", "Uncategorized"}
	cs := make([]Category, len(names))
	for i, n := range names {
		cs[i] = Category{ID: CategoryID(strings.ToLower(n)), Name: n}
	}
	return cs
}

// IsDefaultCategory reports whether id belongs to the default taxonomy.
func IsDefaultCategory(id CategoryID) bool {
	for _, c := range DefaultCategories() {
		if c.ID == id {
			return true
		}
	}
	return false
}

// RuleField is the transaction field a rule looks at.
type RuleField string

// The fields a rule can match.
const (
	FieldMerchant    RuleField = "merchant"
	FieldDescription RuleField = "description"
	FieldAny         RuleField = "any"
)

// RuleMatch is how a rule compares its pattern.
type RuleMatch string

// The match operators; comparisons ignore case.
const (
	MatchEquals   RuleMatch = "equals"
	MatchContains RuleMatch = "contains"
	MatchRegex    RuleMatch = "regex"
)

// Rule assigns Category to the transactions it matches. All set conditions
// must hold. Rules run before the model, in ascending Priority.
type Rule struct {
	ID       RuleID
	User     UserID
	Category CategoryID
	Field    RuleField
	Match    RuleMatch
	Pattern  string
	// MinAmount and MaxAmount bound the signed amount in minor units.
	MinAmount *int64
	MaxAmount *int64
	Account   AccountID
	Priority  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MaxRulePatternLen bounds a rule's pattern.
const MaxRulePatternLen = 256

// Validate checks the rule, including that a regex pattern compiles.
func (r Rule) Validate() error {
	var fs []FieldError
	if r.Category == "" {
		fs = append(fs, FieldError{"category", "is required"})
	}
	switch r.Field {
	case FieldMerchant, FieldDescription, FieldAny:
	default:
		fs = append(fs, FieldError{"field", "must be merchant, description or any"})
	}
	switch r.Match {
	case MatchEquals, MatchContains:
	case MatchRegex:
		if _, err := regexp.Compile(r.Pattern); err != nil {
			fs = append(fs, FieldError{"pattern", "is not a valid regular expression"})
		}
	default:
		fs = append(fs, FieldError{"match", "must be equals, contains or regex"})
	}
	if strings.TrimSpace(r.Pattern) == "" && r.MinAmount == nil && r.MaxAmount == nil && r.Account == "" {
		fs = append(fs, FieldError{"pattern", "a rule needs a pattern, an amount range or an account"})
	}
	if len(r.Pattern) > MaxRulePatternLen {
		fs = append(fs, FieldError{"pattern", "is too long"})
	}
	if r.MinAmount != nil && r.MaxAmount != nil && *r.MinAmount > *r.MaxAmount {
		fs = append(fs, FieldError{"min_amount", "must not exceed max_amount"})
	}
	if len(fs) > 0 {
		return InvalidFields("rule.invalid", "The rule is not valid.", fs...)
	}
	return nil
}
