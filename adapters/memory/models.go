package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/scalehq/scale/scale"
)

// CreateModelVersion implements ports.ModelStore.
func (s *Store) CreateModelVersion(ctx context.Context, m scale.ModelVersion) (scale.ModelVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.models[m.ID]; ok {
		return scale.ModelVersion{}, scale.Conflict(scale.CodeConflict, "model version %s already exists", m.ID)
	}
	next := 1
	for _, o := range s.models {
		if o.User != m.User {
			continue
		}
		if m.Job != "" && o.Job == m.Job {
			return scale.ModelVersion{}, scale.Conflict("model.job_published", "job %s already published a model", m.Job)
		}
		next = max(next, o.Version+1)
	}
	m.Version = next
	m.Active = false
	m = cloneModel(m, true)
	s.models[m.ID] = m
	return cloneModel(m, true), nil
}

// GetModelVersion implements ports.ModelStore.
func (s *Store) GetModelVersion(ctx context.Context, user scale.UserID, id scale.ModelVersionID) (scale.ModelVersion, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.models[id]
	if !ok || m.User != user {
		return scale.ModelVersion{}, notFound("model version")
	}
	return cloneModel(m, true), nil
}

// ActiveModel implements ports.ModelStore.
func (s *Store) ActiveModel(ctx context.Context, user scale.UserID) (scale.ModelVersion, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range s.models {
		if m.User == user && m.Active {
			return cloneModel(m, true), nil
		}
	}
	return scale.ModelVersion{}, notFound("active model")
}

// ListModelVersions implements ports.ModelStore.
func (s *Store) ListModelVersions(ctx context.Context, user scale.UserID) ([]scale.ModelVersion, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []scale.ModelVersion
	for _, m := range s.models {
		if m.User == user {
			out = append(out, cloneModel(m, false))
		}
	}
	slices.SortFunc(out, func(a, b scale.ModelVersion) int { return cmp.Compare(b.Version, a.Version) })
	return out, nil
}

// ActivateModel implements ports.ModelStore.
func (s *Store) ActivateModel(ctx context.Context, user scale.UserID, id scale.ModelVersionID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.models[id]
	if !ok || m.User != user {
		return notFound("model version")
	}
	for k, o := range s.models {
		if o.User == user && o.Active {
			o.Active = false
			s.models[k] = o
		}
	}
	m.Active = true
	s.models[id] = m
	return nil
}

// PruneModels implements ports.ModelStore.
func (s *Store) PruneModels(ctx context.Context, user scale.UserID, keep int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var mine []scale.ModelVersion
	for _, m := range s.models {
		if m.User == user {
			mine = append(mine, m)
		}
	}
	slices.SortFunc(mine, func(a, b scale.ModelVersion) int { return cmp.Compare(b.Version, a.Version) })
	n := 0
	for i, m := range mine {
		if i >= keep && !m.Active {
			delete(s.models, m.ID)
			n++
		}
	}
	return n, nil
}

// ModelUsers implements ports.ModelStore.
func (s *Store) ModelUsers(ctx context.Context) ([]scale.UserID, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[scale.UserID]bool{}
	var out []scale.UserID
	for _, m := range s.models {
		if !seen[m.User] {
			seen[m.User] = true
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return out, nil
}
