package sdk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale/accounts"
)

// Ports are the driven adapters the engine runs on. Store, Queue and Clock
// are required; Model is the categorization model serving requests.
type Ports struct {
	Store ports.Store
	Queue ports.Queue
	Clock ports.Clock
	Model ports.Model
	// Trainer trains new models; without it training jobs are refused.
	Trainer ports.Trainer
}

// Options are the optional settings.
type Options struct {
	// Logger receives the services' logs (default: discard).
	Logger *slog.Logger
}

// Scale is the engine: every domain service over one set of ports.
type Scale struct {
	// Accounts manages profiles, accounts and the transaction ledger.
	Accounts *accounts.Service

	ports Ports
	log   *slog.Logger
}

// New wires the services. It returns an error naming a missing port.
func New(p Ports, o Options) (*Scale, error) {
	if p.Store == nil || p.Queue == nil || p.Clock == nil {
		return nil, errors.New("sdk: Ports.Store, Queue and Clock are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	acc, err := accounts.New(accounts.Deps{
		Profiles: p.Store, Accounts: p.Store, Transactions: p.Store, Clock: p.Clock, Logger: o.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Scale{Accounts: acc, ports: p, log: o.Logger}, nil
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
	probes := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"store", s.ports.Store.Ping},
	}
	if pq, ok := s.ports.Queue.(Pinger); ok {
		probes = append(probes, struct {
			name string
			fn   func(context.Context) error
		}{"queue", pq.Ping})
	}
	probes = append(probes, struct {
		name string
		fn   func(context.Context) error
	}{"model", func(context.Context) error {
		if s.ports.Model == nil {
			return errors.New("no model loaded")
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
