package training

import (
	"context"

	"github.com/scalehq/scale/scale"
)

// ActiveModel returns the user's active model version with its artifact,
// or ErrBaseModel when the user has none and the shipped base model
// applies.
func (s *Service) ActiveModel(ctx context.Context, user scale.UserID) (scale.ModelVersion, error) {
	m, err := s.models.ActiveModel(ctx, user)
	if scale.KindOf(err) == scale.KindNotFound {
		return scale.ModelVersion{}, ErrBaseModel
	}
	return m, err
}

// ListModels returns the user's model versions, newest first, without
// artifacts.
func (s *Service) ListModels(ctx context.Context, user scale.UserID) ([]scale.ModelVersion, error) {
	return s.models.ListModelVersions(ctx, user)
}

// Activate makes one of the user's versions the active one (a manual
// rollback or roll-forward) and tells the Swapper.
func (s *Service) Activate(ctx context.Context, user scale.UserID, id scale.ModelVersionID) (scale.ModelVersion, error) {
	m, err := s.models.GetModelVersion(ctx, user, id)
	if err != nil {
		return scale.ModelVersion{}, err
	}
	if err := s.models.ActivateModel(ctx, user, id); err != nil {
		return scale.ModelVersion{}, err
	}
	m.Active = true
	s.log.InfoContext(ctx, "model version activated by hand", "user", user, "model", id, "version", m.Version)
	if s.swapper != nil {
		if err := s.swapper.Activated(ctx, user, m); err != nil {
			s.log.WarnContext(ctx, "swapper refused the model", "model", id, "err", err)
		}
	}
	return m, nil
}
