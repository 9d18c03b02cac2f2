package categorization

import (
	"regexp"
	"sort"
	"strings"

	"github.com/scalehq/scale/scale"
)

// compiledRule is a rule ready to match, compiled once per call.
type compiledRule struct {
	rule    scale.Rule
	pattern string
	re      *regexp.Regexp
}

// compileRules orders rules by ascending priority (then age) and compiles
// their patterns; rules that cannot be compiled or whose pattern is too
// long are skipped.
func compileRules(rules []scale.Rule) []compiledRule {
	sorted := append([]scale.Rule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Priority != sorted[j].Priority {
			return sorted[i].Priority < sorted[j].Priority
		}
		return sorted[i].CreatedAt.Before(sorted[j].CreatedAt)
	})
	out := make([]compiledRule, 0, len(sorted))
	for _, r := range sorted {
		if len(r.Pattern) > scale.MaxRulePatternLen || r.Category == "" {
			continue
		}
		c := compiledRule{rule: r, pattern: strings.ToLower(strings.TrimSpace(r.Pattern))}
		if r.Match == scale.MatchRegex && r.Pattern != "" {
			re, err := regexp.Compile("(?i)" + r.Pattern)
			if err != nil {
				continue
			}
			c.re = re
		}
		out = append(out, c)
	}
	return out
}

// matches reports whether every condition of the rule holds for in.
func (c compiledRule) matches(in Input) bool {
	r := c.rule
	if r.MinAmount != nil && in.Amount < *r.MinAmount {
		return false
	}
	if r.MaxAmount != nil && in.Amount > *r.MaxAmount {
		return false
	}
	if r.Account != "" && r.Account != in.Account {
		return false
	}
	if c.pattern == "" && c.re == nil {
		return true
	}
	var fields []string
	switch r.Field {
	case scale.FieldMerchant:
		fields = []string{in.Merchant}
	case scale.FieldDescription:
		fields = []string{in.Description}
	default:
		fields = []string{in.Merchant, in.Description}
	}
	for _, f := range fields {
		if c.matchText(f) {
			return true
		}
	}
	return false
}

func (c compiledRule) matchText(s string) bool {
	switch c.rule.Match {
	case scale.MatchEquals:
		return strings.EqualFold(strings.TrimSpace(s), c.pattern)
	case scale.MatchContains:
		return s != "" && strings.Contains(strings.ToLower(s), c.pattern)
	case scale.MatchRegex:
		return c.re != nil && c.re.MatchString(s)
	}
	return false
}

// CorrectionKey normalizes a transaction's merchant (or, without one, its
// description) into the key its correction is remembered under: lower
// case, words only, without numbers and references, single spaces.
func CorrectionKey(merchant, description string) string {
	if k := normalizeKey(merchant); k != "" {
		return k
	}
	return normalizeKey(description)
}

func normalizeKey(s string) string {
	var words []string
	for _, t := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '&' || r > 127)
	}) {
		if strings.ContainsAny(t, "0123456789") {
			continue
		}
		words = append(words, t)
	}
	return strings.Join(words, " ")
}
