package redisqueue_test

import (
	"context"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/redisqueue/redistest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// A handler still running at Shutdown sees its context cancelled, and the
// error it returns puts the task back for another worker.
func TestShutdownCancelsHandlersAndRetriesTheirTasks(t *testing.T) {
	is := is.New(t)
	name := "scaletest-" + scale.NewID()
	a := redistest.Queue(t, redisqueue.Config{Queue: name, ShutdownTimeout: 2 * time.Second})
	b := redistest.Queue(t, redisqueue.Config{Queue: name})
	started, cancelled := make(chan struct{}), make(chan struct{})
	a.Handle("test.long", func(ctx context.Context, j ports.Job, attempt int) error {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return scale.E(scale.KindUnavailable, scale.CodeUnavailable, "released")
	})
	again := make(chan int, 1)
	b.Handle("test.long", func(ctx context.Context, j ports.Job, attempt int) error {
		again <- attempt
		return nil
	})
	is.NoErr(a.Start())
	is.NoErr(a.Enqueue(context.Background(), ports.Job{Type: "test.long", Key: "long-1"}))
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("job did not start")
	}
	t0 := time.Now()
	a.Shutdown()
	<-cancelled
	is.True(time.Since(t0) < 2*time.Second) // released before the hard stop
	is.NoErr(b.Start())
	select {
	case n := <-again:
		is.Equal(n, 2)
	case <-time.After(10 * time.Second):
		t.Fatal("released task was not run again")
	}
}
