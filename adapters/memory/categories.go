package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// ListCategories implements ports.CategoryStore.
func (s *Store) ListCategories(ctx context.Context, user scale.UserID) ([]scale.Category, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []scale.Category
	for _, c := range s.categories {
		if c.User == user {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b scale.Category) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (s *Store) nameTaken(user scale.UserID, name string, except scale.CategoryID) bool {
	for _, c := range s.categories {
		if c.User == user && c.ID != except && strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

// CreateCategory implements ports.CategoryStore.
func (s *Store) CreateCategory(ctx context.Context, c scale.Category) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.categories[c.ID]; ok {
		return scale.Conflict("category.exists", "category %s already exists", c.ID)
	}
	if s.nameTaken(c.User, c.Name, "") {
		return scale.Conflict("category.exists", "a category named %q already exists", c.Name)
	}
	c.CreatedAt = usec(c.CreatedAt)
	s.categories[c.ID] = c
	return nil
}

// UpdateCategory implements ports.CategoryStore.
func (s *Store) UpdateCategory(ctx context.Context, c scale.Category) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.categories[c.ID]
	if !ok || old.User != c.User {
		return notFound("category")
	}
	if s.nameTaken(c.User, c.Name, c.ID) {
		return scale.Conflict("category.exists", "a category named %q already exists", c.Name)
	}
	old.Name = c.Name
	s.categories[c.ID] = old
	return nil
}

// DeleteCategory implements ports.CategoryStore.
func (s *Store) DeleteCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.categories[id]
	if !ok || c.User != user {
		return notFound("category")
	}
	delete(s.categories, id)
	for key, c := range s.corrections[user] {
		if c.Category == id {
			delete(s.corrections[user], key)
		}
	}
	return nil
}

// ListRules implements ports.CategoryStore.
func (s *Store) ListRules(ctx context.Context, user scale.UserID) ([]scale.Rule, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []scale.Rule
	for _, r := range s.rules {
		if r.User == user {
			out = append(out, cloneRule(r))
		}
	}
	slices.SortFunc(out, func(a, b scale.Rule) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// CreateRule implements ports.CategoryStore.
func (s *Store) CreateRule(ctx context.Context, r scale.Rule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rules[r.ID]; ok {
		return scale.Conflict(scale.CodeConflict, "rule %s already exists", r.ID)
	}
	s.rules[r.ID] = cloneRule(r)
	return nil
}

// GetRule implements ports.CategoryStore.
func (s *Store) GetRule(ctx context.Context, user scale.UserID, id scale.RuleID) (scale.Rule, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.rules[id]
	if !ok || r.User != user {
		return scale.Rule{}, notFound("rule")
	}
	return cloneRule(r), nil
}

// UpdateRule implements ports.CategoryStore.
func (s *Store) UpdateRule(ctx context.Context, r scale.Rule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.rules[r.ID]
	if !ok || old.User != r.User {
		return notFound("rule")
	}
	r.CreatedAt = old.CreatedAt
	s.rules[r.ID] = cloneRule(r)
	return nil
}

// DeleteRule implements ports.CategoryStore.
func (s *Store) DeleteRule(ctx context.Context, user scale.UserID, id scale.RuleID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rules[id]
	if !ok || r.User != user {
		return notFound("rule")
	}
	delete(s.rules, id)
	return nil
}

// PutCorrection implements ports.CategoryStore.
func (s *Store) PutCorrection(ctx context.Context, c ports.Correction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.corrections[c.User]
	if m == nil {
		m = map[string]ports.Correction{}
		s.corrections[c.User] = m
	}
	c.UpdatedAt = usec(c.UpdatedAt)
	m[c.Key] = c
	return nil
}

// ListCorrections implements ports.CategoryStore.
func (s *Store) ListCorrections(ctx context.Context, user scale.UserID) ([]ports.Correction, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []ports.Correction
	for _, c := range s.corrections[user] {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ports.Correction) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}
