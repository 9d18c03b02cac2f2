package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/ports/porttest"
)

func TestStoreContract(t *testing.T) {
	porttest.TestStore(t, func(t *testing.T) ports.Store { return memory.NewStore() })
}

func TestQueueContract(t *testing.T) {
	porttest.TestQueue(t, func(t *testing.T) porttest.QueueHarness {
		q := memory.NewQueue(memory.QueueConfig{})
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
		return porttest.QueueHarness{Queue: q, Start: q.Start}
	})
}

func TestKeywordModelContract(t *testing.T) {
	porttest.TestModel(t, memory.NewKeywordModel(nil))
}

func TestClockContract(t *testing.T) {
	porttest.TestClock(t, ports.SystemClock{})
	porttest.TestClock(t, memory.NewClock(time.Now()))
}
