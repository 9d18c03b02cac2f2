package sdk

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// registry serves each user's active model, falling back to the base model.
// It re-checks the store at most every refresh per user, so every server
// instance picks up a newly activated version within that time without a
// restart, and swaps it atomically: a request holds the model it started
// with, later requests get the new one.
type registry struct {
	base    ports.Model
	models  ports.ModelStore
	trainer ports.Trainer
	clock   ports.Clock
	refresh time.Duration
	log     *slog.Logger

	mu    sync.Mutex
	users map[scale.UserID]*userModel
}

type userModel struct {
	mu        sync.Mutex
	model     ports.Model
	version   scale.ModelVersionID
	checkedAt time.Time
}

// Model implements categorization.ModelSource.
func (r *registry) Model(ctx context.Context, user scale.UserID) (ports.Model, error) {
	r.mu.Lock()
	um := r.users[user]
	if um == nil {
		um = &userModel{}
		r.users[user] = um
	}
	r.mu.Unlock()

	um.mu.Lock()
	defer um.mu.Unlock()
	now := r.clock.Now()
	if !um.checkedAt.IsZero() && now.Sub(um.checkedAt) < r.refresh {
		return r.orBase(um.model)
	}
	um.checkedAt = now
	if r.trainer == nil {
		return r.orBase(um.model)
	}
	versions, err := r.models.ListModelVersions(ctx, user)
	if err != nil {
		// Keep serving what we have; the store may be briefly away.
		r.log.WarnContext(ctx, "model registry check failed", "err", err)
		return r.orBase(um.model)
	}
	var active scale.ModelVersionID
	for _, v := range versions {
		if v.Active {
			active = v.ID
		}
	}
	if active == "" {
		um.model, um.version = nil, ""
		return r.orBase(nil)
	}
	if active == um.version && um.model != nil {
		return um.model, nil
	}
	mv, err := r.models.GetModelVersion(ctx, user, active)
	if err != nil {
		r.log.WarnContext(ctx, "loading the active model failed", "err", err)
		return r.orBase(um.model)
	}
	if err := r.install(um, mv); err != nil {
		r.log.ErrorContext(ctx, "the active model does not load; serving the previous one", "version", mv.ID, "err", err)
		return r.orBase(um.model)
	}
	return um.model, nil
}

func (r *registry) install(um *userModel, mv scale.ModelVersion) error {
	m, err := r.trainer.Load(mv.Artifact)
	if err != nil {
		return err
	}
	um.model, um.version = m, mv.ID
	return nil
}

func (r *registry) orBase(m ports.Model) (ports.Model, error) {
	if m != nil {
		return m, nil
	}
	if r.base == nil {
		return nil, scale.E(scale.KindUnavailable, "model.unavailable", "no categorization model is loaded")
	}
	return r.base, nil
}

// Activated implements training.Swapper: the new version is served by this
// process at once (other processes pick it up at their next check).
func (r *registry) Activated(ctx context.Context, user scale.UserID, mv scale.ModelVersion) error {
	if r.trainer == nil {
		return nil
	}
	r.mu.Lock()
	um := r.users[user]
	if um == nil {
		um = &userModel{}
		r.users[user] = um
	}
	r.mu.Unlock()
	if len(mv.Artifact) == 0 {
		full, err := r.models.GetModelVersion(ctx, user, mv.ID)
		if err != nil {
			return err
		}
		mv = full
	}
	um.mu.Lock()
	defer um.mu.Unlock()
	if err := r.install(um, mv); err != nil {
		return err
	}
	um.checkedAt = r.clock.Now()
	return nil
}
