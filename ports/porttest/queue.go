package porttest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// QueueHarness is a fresh queue plus a way to start its worker. Handlers are
// registered before Start is called.
type QueueHarness struct {
	Queue ports.Queue
	// Start runs the worker; the factory registers its shutdown on t.
	Start func()
}

// QueueFactory returns a fresh queue (its own key space) and registers its
// cleanup on t.
type QueueFactory func(t *testing.T) QueueHarness

// TestQueue runs the contract suite of ports.Queue.
func TestQueue(t *testing.T, newQueue QueueFactory) {
	t.Run("runs_with_payload", func(t *testing.T) {
		h := newQueue(t)
		got := make(chan string, 1)
		h.Queue.Handle("test.echo", func(ctx context.Context, j ports.Job, attempt int) error {
			got <- string(j.Payload)
			return nil
		})
		h.Start()
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.echo", Key: "k-" + scale.NewID(), Payload: []byte(`{"n":1}`)}), "Enqueue")
		select {
		case p := <-got:
			if p != `{"n":1}` {
				t.Fatalf("payload = %q", p)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("job did not run")
		}
	})
	t.Run("same_key_runs_once", func(t *testing.T) {
		h := newQueue(t)
		var runs atomic.Int32
		release := make(chan struct{})
		h.Queue.Handle("test.once", func(ctx context.Context, j ports.Job, attempt int) error {
			runs.Add(1)
			<-release
			return nil
		})
		h.Start()
		key := "once-" + scale.NewID()
		for range 5 {
			must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.once", Key: key}), "Enqueue same key")
		}
		waitFor(t, 15*time.Second, func() bool { return runs.Load() >= 1 })
		// Enqueue again while it runs and after it finished.
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.once", Key: key}), "Enqueue while running")
		close(release)
		time.Sleep(1500 * time.Millisecond)
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.once", Key: key}), "Enqueue after done")
		time.Sleep(2500 * time.Millisecond)
		if n := runs.Load(); n != 1 {
			t.Fatalf("a job with one key ran %d times, want 1", n)
		}
	})
	t.Run("retries_transient_errors", func(t *testing.T) {
		h := newQueue(t)
		var mu sync.Mutex
		var attempts []int
		done := make(chan struct{})
		h.Queue.Handle("test.flaky", func(ctx context.Context, j ports.Job, attempt int) error {
			mu.Lock()
			attempts = append(attempts, attempt)
			n := len(attempts)
			mu.Unlock()
			if n < 3 {
				return scale.E(scale.KindUnavailable, scale.CodeUnavailable, "try again")
			}
			close(done)
			return nil
		})
		h.Start()
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.flaky", Key: "flaky-" + scale.NewID(), MaxAttempts: 5}), "Enqueue")
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("transient failures were not retried; attempts = %v", attempts)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(attempts) != 3 || attempts[0] != 1 || attempts[2] != 3 {
			t.Fatalf("attempts = %v, want [1 2 3]", attempts)
		}
	})
	t.Run("final_errors_are_not_retried", func(t *testing.T) {
		h := newQueue(t)
		var runs atomic.Int32
		h.Queue.Handle("test.final", func(ctx context.Context, j ports.Job, attempt int) error {
			runs.Add(1)
			return scale.Invalid(scale.CodeInvalid, "bad payload")
		})
		h.Start()
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.final", Key: "final-" + scale.NewID(), MaxAttempts: 5}), "Enqueue")
		waitFor(t, 15*time.Second, func() bool { return runs.Load() >= 1 })
		time.Sleep(3 * time.Second)
		if n := runs.Load(); n != 1 {
			t.Fatalf("a job failing with KindInvalid ran %d times, want 1", n)
		}
	})
	t.Run("run_at_delays", func(t *testing.T) {
		h := newQueue(t)
		ran := make(chan time.Time, 1)
		h.Queue.Handle("test.later", func(ctx context.Context, j ports.Job, attempt int) error {
			ran <- time.Now()
			return nil
		})
		h.Start()
		at := time.Now().Add(2 * time.Second)
		must(t, h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.later", Key: "later-" + scale.NewID(), RunAt: at}), "Enqueue")
		select {
		case got := <-ran:
			if got.Before(at.Add(-50 * time.Millisecond)) {
				t.Fatalf("job ran %v before its RunAt", at.Sub(got))
			}
		case <-time.After(20 * time.Second):
			t.Fatal("delayed job never ran")
		}
	})
	t.Run("rejects_job_without_key", func(t *testing.T) {
		h := newQueue(t)
		err := h.Queue.Enqueue(ctxOf(t), ports.Job{Type: "test.nokey"})
		var se *scale.Error
		if !errors.As(err, &se) || se.Kind != scale.KindInvalid {
			t.Fatalf("Enqueue without key: err = %v, want KindInvalid", err)
		}
	})
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
