package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// CreateUpload implements ports.UploadStore.
func (s *Store) CreateUpload(ctx context.Context, u scale.Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.uploads[u.ID]; ok {
		return scale.Conflict(scale.CodeConflict, "upload %s already exists", u.ID)
	}
	for _, o := range s.uploads {
		if o.User == u.User && o.SHA256 == u.SHA256 {
			return scale.Conflict("ingestion.duplicate_file", "this file was already uploaded")
		}
	}
	s.uploads[u.ID] = cloneUpload(u)
	return nil
}

// GetUpload implements ports.UploadStore.
func (s *Store) GetUpload(ctx context.Context, user scale.UserID, id scale.UploadID) (scale.Upload, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.uploads[id]
	if !ok || u.User != user {
		return scale.Upload{}, notFound("upload")
	}
	return cloneUpload(u), nil
}

// FindUploadBySHA256 implements ports.UploadStore.
func (s *Store) FindUploadBySHA256(ctx context.Context, user scale.UserID, sha string) (scale.Upload, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, u := range s.uploads {
		if u.User == user && u.SHA256 == sha {
			return cloneUpload(u), nil
		}
	}
	return scale.Upload{}, notFound("upload")
}

// ListUploads implements ports.UploadStore.
func (s *Store) ListUploads(ctx context.Context, user scale.UserID, limit int, after *ports.UploadCursor) ([]scale.Upload, *ports.UploadCursor, error) {
	s.mu.RLock()
	var out []scale.Upload
	for _, u := range s.uploads {
		if u.User != user {
			continue
		}
		if after != nil {
			c := cmp.Or(u.CreatedAt.Compare(after.CreatedAt), cmp.Compare(u.ID, after.ID))
			if c >= 0 {
				continue
			}
		}
		out = append(out, cloneUpload(u))
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b scale.Upload) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	limit = limitOf(limit)
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		return out, &ports.UploadCursor{CreatedAt: last.CreatedAt, ID: last.ID}, nil
	}
	return out, nil, nil
}

// UpdateUpload implements ports.UploadStore.
func (s *Store) UpdateUpload(ctx context.Context, u scale.Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.uploads[u.ID]
	if !ok || old.User != u.User {
		return notFound("upload")
	}
	s.uploads[u.ID] = mergeUpload(old, u)
	return nil
}

func mergeUpload(old, u scale.Upload) scale.Upload {
	u = cloneUpload(u)
	old.Account, old.Status, old.Counts, old.Rejections = u.Account, u.Status, u.Counts, u.Rejections
	old.Error, old.FinishedAt, old.Format = u.Error, u.FinishedAt, u.Format
	return old
}
