package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// PutAnomalies implements ports.AnomalyStore.
func (s *Store) PutAnomalies(ctx context.Context, user scale.UserID, as []scale.Anomaly) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type key struct {
		tx   scale.TransactionID
		kind scale.AnomalyKind
	}
	seen := map[key]bool{}
	for _, a := range s.anomalies {
		if a.User == user {
			seen[key{a.Transaction, a.Kind}] = true
		}
	}
	n := 0
	for _, a := range as {
		if a.User != user {
			return n, scale.Invalid(scale.CodeInvalid, "finding belongs to another user")
		}
		k := key{a.Transaction, a.Kind}
		if seen[k] {
			continue
		}
		if _, ok := s.anomalies[a.ID]; ok {
			continue
		}
		seen[k] = true
		a.CreatedAt, a.UpdatedAt = usec(a.CreatedAt), usec(a.UpdatedAt)
		s.anomalies[a.ID] = a
		n++
	}
	return n, nil
}

// GetAnomaly implements ports.AnomalyStore.
func (s *Store) GetAnomaly(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.anomalies[id]
	if !ok || a.User != user {
		return scale.Anomaly{}, notFound("anomaly")
	}
	return a, nil
}

// ListAnomalies implements ports.AnomalyStore.
func (s *Store) ListAnomalies(ctx context.Context, user scale.UserID, q ports.AnomalyQuery) (ports.AnomalyPage, error) {
	s.mu.RLock()
	var items []scale.Anomaly
	for _, a := range s.anomalies {
		if a.User != user || (q.Status != "" && a.Status != q.Status) || (q.Kind != "" && a.Kind != q.Kind) {
			continue
		}
		if q.After != nil {
			if cmp.Or(a.Date.Compare(q.After.Date), cmp.Compare(string(a.ID), string(q.After.ID))) >= 0 {
				continue
			}
		}
		items = append(items, a)
	}
	s.mu.RUnlock()
	slices.SortFunc(items, func(a, b scale.Anomaly) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.ID, a.ID))
	})
	var page ports.AnomalyPage
	if l := limitOf(q.Limit); len(items) > l {
		items = items[:l]
		last := items[l-1]
		page.Next = &ports.TransactionCursor{Date: last.Date, ID: scale.TransactionID(last.ID)}
	}
	page.Items = items
	return page, nil
}

// SetAnomalyStatus implements ports.AnomalyStore.
func (s *Store) SetAnomalyStatus(ctx context.Context, user scale.UserID, id scale.AnomalyID, st scale.AnomalyStatus, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.anomalies[id]
	if !ok || a.User != user {
		return notFound("anomaly")
	}
	a.Status, a.UpdatedAt = st, usec(at)
	s.anomalies[id] = a
	return nil
}
