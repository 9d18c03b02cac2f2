package sdk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
	"github.com/scalehq/scale/scale/anomaly"
	"github.com/scalehq/scale/scale/categorization"
	"github.com/scalehq/scale/scale/forecasting"
	"github.com/scalehq/scale/scale/ingestion"
	"github.com/scalehq/scale/scale/training"
)

// Ports are the driven adapters the engine runs on. Store, Queue and Clock
// are required.
type Ports struct {
	Store ports.Store
	Queue ports.Queue
	Clock ports.Clock
	// Model is the base categorization model, served to every user who has
	// no trained version of their own.
	Model ports.Model
	// Trainer trains new models and loads users' versions; without it
	// training jobs fail and every user gets the base model.
	Trainer ports.Trainer
	// Statements decode XLSX and OFX statements (adapters/statements);
	// without them imports accept CSV/TSV only.
	Statements ports.StatementDecoders
}

// Options are the optional settings.
type Options struct {
	// Logger receives the services' logs (default: discard).
	Logger *slog.Logger
	// Threshold is the minimum model confidence for a label (default 0.5).
	Threshold float64
	// Ingestion limits; zero fields take the defaults.
	Limits ingestion.Limits
	// TempDir is where uploads are spooled (default os.TempDir()).
	TempDir string
	// Training configures training jobs and housekeeping.
	Training training.Config
	// ModelRefresh is how often a user's active model version is re-checked
	// (default 5s): the delay for a new version to reach every instance.
	ModelRefresh time.Duration
}

// Scale is the engine: every domain service over one set of ports.
type Scale struct {
	// Accounts manages profiles, accounts and the transaction ledger.
	Accounts *accounts.Service
	// Categorization runs rules, corrections and the model.
	Categorization *categorization.Service
	// Ingestion imports statement files.
	Ingestion *ingestion.Service
	// Training runs training jobs and keeps the model registry; nil when
	// Ports.Trainer is nil.
	Training *training.Service
	// Forecasting detects recurring streams and forecasts cash flow.
	Forecasting *forecasting.Service
	// Anomalies finds and explains unusual transactions.
	Anomalies *anomaly.Service

	ports    Ports
	registry *registry
	log      *slog.Logger
}

// New wires the services. It returns an error naming a missing port.
func New(p Ports, o Options) (*Scale, error) {
	if p.Store == nil || p.Queue == nil || p.Clock == nil {
		return nil, errors.New("sdk: Ports.Store, Queue and Clock are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ModelRefresh <= 0 {
		o.ModelRefresh = 5 * time.Second
	}
	s := &Scale{ports: p, log: o.Logger}
	s.registry = &registry{base: p.Model, models: p.Store, trainer: p.Trainer, clock: p.Clock,
		refresh: o.ModelRefresh, log: o.Logger, users: map[scale.UserID]*userModel{}}
	var err error
	if s.Accounts, err = accounts.New(accounts.Deps{
		Profiles: p.Store, Accounts: p.Store, Transactions: p.Store, Clock: p.Clock, Logger: o.Logger,
	}); err != nil {
		return nil, err
	}
	if s.Categorization, err = categorization.NewService(categorization.Deps{
		Categories: p.Store, Models: s.registry, Clock: p.Clock, Logger: o.Logger, Threshold: o.Threshold,
	}); err != nil {
		return nil, err
	}
	if s.Ingestion, err = ingestion.New(ingestion.Deps{
		Transactions: p.Store, Uploads: p.Store, Accounts: p.Store, Labeller: s.Categorization,
		Clock: p.Clock, Logger: o.Logger, Limits: o.Limits, TempDir: o.TempDir, Decoders: p.Statements,
	}); err != nil {
		return nil, err
	}
	if p.Trainer != nil {
		if s.Training, err = training.New(training.Deps{
			Jobs: p.Store, Models: p.Store, Transactions: p.Store, Queue: p.Queue, Trainer: p.Trainer,
			Swapper: s.registry, Clock: p.Clock, Logger: o.Logger, Config: o.Training,
		}); err != nil {
			return nil, err
		}
	}
	s.Forecasting = forecasting.NewService(forecasting.Deps{Transactions: p.Store, Categories: p.Store, Clock: p.Clock, Logger: o.Logger})
	s.Anomalies = anomaly.NewService(anomaly.Deps{Transactions: p.Store, Anomalies: p.Store, Clock: p.Clock, Logger: o.Logger})
	return s, nil
}

// RegisterJobs registers every background job handler on q: training runs,
// housekeeping and anomaly scans. A worker process calls it before starting
// its queue; the embedded server calls it on the in-process queue.
func (s *Scale) RegisterJobs(q ports.Queue) {
	if s.Training != nil {
		s.Training.Register(q)
	}
	q.Handle(anomaly.JobScan, s.Anomalies.HandleScan)
}

// RunHousekeeping enqueues the periodic housekeeping jobs until ctx ends.
func (s *Scale) RunHousekeeping(ctx context.Context) error {
	if s.Training == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.Training.RunSchedule(ctx)
}

// Model returns the model that serves user now (their active version or the
// base model).
func (s *Scale) Model(ctx context.Context, user scale.UserID) (ports.Model, error) {
	return s.registry.Model(ctx, user)
}

// Check is the result of one readiness probe.
type Check struct {
	Name     string
	Err      error
	Duration time.Duration
}

// Pinger is implemented by ports that can report their health (the queue
// adapters do).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ready checks every dependency the engine runs on, each within timeout.
func (s *Scale) Ready(ctx context.Context, timeout time.Duration) []Check {
	type probe struct {
		name string
		fn   func(context.Context) error
	}
	probes := []probe{{"store", s.ports.Store.Ping}}
	if pq, ok := s.ports.Queue.(Pinger); ok {
		probes = append(probes, probe{"queue", pq.Ping})
	}
	probes = append(probes, probe{"model", func(context.Context) error {
		if s.ports.Model == nil {
			return errors.New("no base model loaded")
		}
		return nil
	}})
	out := make([]Check, len(probes))
	done := make(chan struct{}, len(probes))
	for i, p := range probes {
		go func() {
			c, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			err := p.fn(c)
			out[i] = Check{Name: p.name, Err: err, Duration: time.Since(start)}
			done <- struct{}{}
		}()
	}
	for range probes {
		<-done
	}
	return out
}
