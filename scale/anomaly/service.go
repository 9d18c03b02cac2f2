package anomaly

import (
	"context"
	"log/slog"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Deps are what the Service needs.
type Deps struct {
	Transactions ports.TransactionStore
	Anomalies    ports.AnomalyStore
	// Clock defaults to the system clock.
	Clock ports.Clock
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Service scans histories for anomalies, lists findings and records the
// owner's feedback.
type Service struct {
	d Deps
}

// NewService returns a Service; Transactions and Anomalies are required.
func NewService(d Deps) *Service {
	if d.Clock == nil {
		d.Clock = ports.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{d: d}
}

// DefaultLimit is the page size of List when the query sets none.
const DefaultLimit = 50

// Scan runs every detector over the user's whole history and stores the
// findings not stored before (one per transaction and kind). It returns how
// many were new; scanning again without new transactions stores nothing.
func (s *Service) Scan(ctx context.Context, user scale.UserID) (int, error) {
	txs, err := s.history(ctx, user)
	if err != nil {
		return 0, err
	}
	fs := Detect(txs)
	if len(fs) == 0 {
		s.d.Logger.InfoContext(ctx, "anomaly scan", "user", user, "transactions", len(txs), "findings", 0, "new", 0)
		return 0, nil
	}
	now := s.d.Clock.Now().UTC()
	as := make([]scale.Anomaly, len(fs))
	for i, f := range fs {
		as[i] = scale.Anomaly{
			ID: scale.AnomalyID(scale.NewID()), User: user, Transaction: f.Transaction, Kind: f.Kind,
			Score: f.Score, Reason: f.Reason, Status: scale.AnomalyOpen, Date: f.Date, CreatedAt: now, UpdatedAt: now,
		}
	}
	n, err := s.d.Anomalies.PutAnomalies(ctx, user, as)
	if err != nil {
		return 0, scale.Wrap(err, scale.KindOf(err), CodeStore, "The findings could not be stored.")
	}
	s.d.Logger.InfoContext(ctx, "anomaly scan", "user", user, "transactions", len(txs), "findings", len(fs), "new", n)
	return n, nil
}

// List returns one page of the user's findings, newest first. Limit 0
// means DefaultLimit; Status and Kind filter when set.
func (s *Service) List(ctx context.Context, user scale.UserID, q ports.AnomalyQuery) (ports.AnomalyPage, error) {
	var fs []scale.FieldError
	if q.Limit < 0 || q.Limit > ports.MaxPageSize {
		fs = append(fs, scale.FieldError{Field: "limit", Message: "must be between 1 and 1000"})
	}
	switch q.Status {
	case "", scale.AnomalyOpen, scale.AnomalyDismissed, scale.AnomalyConfirmed:
	default:
		fs = append(fs, scale.FieldError{Field: "status", Message: "must be open, dismissed or confirmed"})
	}
	if q.Kind != "" && !validKind(q.Kind) {
		fs = append(fs, scale.FieldError{Field: "kind", Message: "is not a known anomaly kind"})
	}
	if len(fs) > 0 {
		return ports.AnomalyPage{}, scale.InvalidFields(CodeInvalidQuery, "The anomaly query is not valid.", fs...)
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	page, err := s.d.Anomalies.ListAnomalies(ctx, user, q)
	if err != nil {
		return ports.AnomalyPage{}, scale.Wrap(err, scale.KindOf(err), CodeStore, "The findings could not be listed.")
	}
	if page.Items == nil {
		page.Items = []scale.Anomaly{}
	}
	return page, nil
}

func validKind(k scale.AnomalyKind) bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Get returns one finding, or KindNotFound.
func (s *Service) Get(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error) {
	return s.d.Anomalies.GetAnomaly(ctx, user, id)
}

// Dismiss records that the owner considers the finding harmless and
// returns it updated; KindNotFound for an unknown id.
func (s *Service) Dismiss(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error) {
	return s.feedback(ctx, user, id, scale.AnomalyDismissed)
}

// Confirm records that the owner considers the finding a real problem and
// returns it updated; KindNotFound for an unknown id.
func (s *Service) Confirm(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error) {
	return s.feedback(ctx, user, id, scale.AnomalyConfirmed)
}

func (s *Service) feedback(ctx context.Context, user scale.UserID, id scale.AnomalyID, st scale.AnomalyStatus) (scale.Anomaly, error) {
	if err := s.d.Anomalies.SetAnomalyStatus(ctx, user, id, st, s.d.Clock.Now().UTC()); err != nil {
		return scale.Anomaly{}, err
	}
	s.d.Logger.InfoContext(ctx, "anomaly feedback", "user", user, "anomaly", id, "status", st)
	return s.d.Anomalies.GetAnomaly(ctx, user, id)
}

// history loads every transaction of the user, oldest first.
func (s *Service) history(ctx context.Context, user scale.UserID) ([]scale.Transaction, error) {
	var out []scale.Transaction
	err := ports.EachTransaction(ctx, s.d.Transactions, user, ports.TransactionQuery{Ascending: true},
		func(t scale.Transaction) error { out = append(out, t); return nil })
	if err != nil {
		return nil, scale.Wrap(err, scale.KindOf(err), CodeStore, "The transaction history could not be read.")
	}
	return out, nil
}
