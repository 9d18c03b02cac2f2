package memory

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Store implements ports.Store in memory. It is safe for concurrent use.
// Times are truncated to microseconds on write, as PostgreSQL stores them,
// so that both adapters round-trip the same values.
type Store struct {
	mu sync.RWMutex

	profiles    map[scale.UserID]scale.Profile
	accounts    map[scale.AccountID]scale.Account
	txs         map[scale.UserID]*userTxs
	uploads     map[scale.UploadID]scale.Upload
	categories  map[scale.CategoryID]scale.Category
	rules       map[scale.RuleID]scale.Rule
	corrections map[scale.UserID]map[string]ports.Correction
	jobs        map[scale.JobID]scale.TrainingJob
	models      map[scale.ModelVersionID]scale.ModelVersion
	anomalies   map[scale.AnomalyID]scale.Anomaly
}

type userTxs struct {
	byID map[scale.TransactionID]scale.Transaction
	byFP map[string]scale.TransactionID
}

var _ ports.Store = (*Store)(nil)

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		profiles:    map[scale.UserID]scale.Profile{},
		accounts:    map[scale.AccountID]scale.Account{},
		txs:         map[scale.UserID]*userTxs{},
		uploads:     map[scale.UploadID]scale.Upload{},
		categories:  map[scale.CategoryID]scale.Category{},
		rules:       map[scale.RuleID]scale.Rule{},
		corrections: map[scale.UserID]map[string]ports.Correction{},
		jobs:        map[scale.JobID]scale.TrainingJob{},
		models:      map[scale.ModelVersionID]scale.ModelVersion{},
		anomalies:   map[scale.AnomalyID]scale.Anomaly{},
	}
}

// Ping always succeeds: memory is always there.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

func notFound(what string) error {
	return scale.NotFound(scale.CodeNotFound, "%s not found", what)
}

func usec(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Microsecond).UTC()
}

func usecPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := usec(*t)
	return &v
}

func copyInt64(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneTx(t scale.Transaction) scale.Transaction {
	t.Raw = maps.Clone(t.Raw)
	t.CreatedAt, t.UpdatedAt = usec(t.CreatedAt), usec(t.UpdatedAt)
	return t
}

func cloneUpload(u scale.Upload) scale.Upload {
	u.Rejections = slices.Clone(u.Rejections)
	u.CreatedAt = usec(u.CreatedAt)
	u.FinishedAt = usecPtr(u.FinishedAt)
	return u
}

func cloneJob(j scale.TrainingJob) scale.TrainingJob {
	j.Metrics = maps.Clone(j.Metrics)
	j.HeartbeatAt, j.StartedAt, j.FinishedAt = usecPtr(j.HeartbeatAt), usecPtr(j.StartedAt), usecPtr(j.FinishedAt)
	j.CreatedAt, j.UpdatedAt = usec(j.CreatedAt), usec(j.UpdatedAt)
	return j
}

func cloneModel(m scale.ModelVersion, withArtifact bool) scale.ModelVersion {
	m.Metrics = maps.Clone(m.Metrics)
	if withArtifact {
		m.Artifact = slices.Clone(m.Artifact)
	} else {
		m.Artifact = nil
	}
	m.CreatedAt = usec(m.CreatedAt)
	return m
}

func cloneRule(r scale.Rule) scale.Rule {
	r.MinAmount, r.MaxAmount = copyInt64(r.MinAmount), copyInt64(r.MaxAmount)
	r.CreatedAt, r.UpdatedAt = usec(r.CreatedAt), usec(r.UpdatedAt)
	return r
}

func limitOf(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, ports.MaxPageSize)
}
