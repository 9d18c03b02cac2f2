package redisqueue_test

import (
	"context"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/redisqueue/redistest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/ports/porttest"
	"github.com/scalehq/scale/scale"
)

func TestQueueContract(t *testing.T) {
	redistest.Addr(t)
	porttest.TestQueue(t, func(t *testing.T) porttest.QueueHarness {
		q := redistest.Queue(t, redisqueue.Config{})
		return porttest.QueueHarness{Queue: q, Start: func() {
			if err := q.Start(); err != nil {
				t.Fatalf("Start: %v", err)
			}
		}}
	})
}

func TestNewNeedsAnAddress(t *testing.T) {
	is := is.New(t)
	_, err := redisqueue.New(redisqueue.Config{})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
}

func TestPingUnreachable(t *testing.T) {
	is := is.New(t)
	q, err := redisqueue.New(redisqueue.Config{Addr: "127.0.0.1:1"})
	is.NoErr(err)
	defer q.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err = q.Ping(ctx)
	is.Equal(scale.KindOf(err), scale.KindUnavailable)
	is.Equal(scale.CodeOf(err), redisqueue.CodeUnavailable)
}

func TestEnqueueAfterShutdown(t *testing.T) {
	is := is.New(t)
	q := redistest.Queue(t, redisqueue.Config{})
	q.Shutdown()
	err := q.Enqueue(context.Background(), ports.Job{Type: "t", Key: "k"})
	is.Equal(scale.KindOf(err), scale.KindUnavailable)
}

func TestHandlerSeesKeyAndAttempts(t *testing.T) {
	is := is.New(t)
	q := redistest.Queue(t, redisqueue.Config{})
	got := make(chan ports.Job, 1)
	q.Handle("test.meta", func(ctx context.Context, j ports.Job, attempt int) error {
		got <- j
		return nil
	})
	is.NoErr(q.Start())
	is.NoErr(q.Enqueue(context.Background(), ports.Job{Type: "test.meta", Key: "job-42", MaxAttempts: 7}))
	select {
	case j := <-got:
		is.Equal(j.Key, "job-42")
		is.Equal(j.MaxAttempts, 7)
	case <-time.After(10 * time.Second):
		t.Fatal("job did not run")
	}
}

func TestUnknownTypeIsNotRetried(t *testing.T) {
	is := is.New(t)
	q := redistest.Queue(t, redisqueue.Config{})
	is.NoErr(q.Start())
	is.NoErr(q.Enqueue(context.Background(), ports.Job{Type: "test.nobody", Key: "k-" + scale.NewID(), MaxAttempts: 5}))
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := q.Stats(context.Background())
		is.NoErr(err)
		if s.Archived == 1 {
			is.Equal(s.Retry, 0)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats = %+v, want one archived task", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
