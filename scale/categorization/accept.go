package categorization

import (
	"context"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Accept turns a discovered category the user confirmed into one of the
// user's categories named name (the proposal's name when empty) and
// returns the label updates of its members (source correction, confidence
// 1), for the caller to apply with ports.TransactionStore.SetLabels. A
// name the user already has is KindConflict (from the store).
func (s *Service) Accept(ctx context.Context, user scale.UserID, d ports.DiscoveredCategory, name string) (scale.Category, []ports.LabelUpdate, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = strings.TrimSpace(d.Name)
	}
	if name == "" || len(name) > 64 {
		return scale.Category{}, nil, scale.InvalidFields(CodeInputInvalid, "The category needs a name.",
			scale.FieldError{Field: "name", Message: "must be 1 to 64 characters"})
	}
	c := scale.Category{ID: scale.CategoryID(scale.NewID()), User: user, Name: name, CreatedAt: s.d.Clock.Now()}
	if err := s.d.Categories.CreateCategory(ctx, c); err != nil {
		return scale.Category{}, nil, err
	}
	ups := make([]ports.LabelUpdate, 0, len(d.MemberIDs))
	for _, id := range d.MemberIDs {
		ups = append(ups, ports.LabelUpdate{ID: scale.TransactionID(id),
			Label: scale.Label{Category: c.ID, Source: scale.SourceCorrection, Confidence: 1}})
	}
	return c, ups, nil
}
