package categorization

import (
	"context"
	"sync/atomic"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// ModelSource gives the model that classifies a user's transactions. The
// training domain can satisfy it with per-user models it hot-swaps.
type ModelSource interface {
	Model(ctx context.Context, user scale.UserID) (ports.Model, error)
}

// StaticModel is a ModelSource serving one model to every user. The model
// is held behind an atomic pointer: Swap publishes a new one without
// locking readers.
type StaticModel struct {
	p atomic.Pointer[modelBox]
}

type modelBox struct{ m ports.Model }

// NewStaticModel returns a source serving m (which may be nil until the
// first Swap).
func NewStaticModel(m ports.Model) *StaticModel {
	s := &StaticModel{}
	if m != nil {
		s.p.Store(&modelBox{m})
	}
	return s
}

// Model returns the current model, or a KindUnavailable error when none is
// loaded.
func (s *StaticModel) Model(context.Context, scale.UserID) (ports.Model, error) {
	b := s.p.Load()
	if b == nil {
		return nil, scale.E(scale.KindUnavailable, CodeModelUnavailable, "no categorization model is loaded")
	}
	return b.m, nil
}

// Swap publishes m for all later calls and returns the previous model.
func (s *StaticModel) Swap(m ports.Model) ports.Model {
	old := s.p.Swap(&modelBox{m})
	if old == nil {
		return nil
	}
	return old.m
}
