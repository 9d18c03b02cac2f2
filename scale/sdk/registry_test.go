package sdk_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
	"github.com/scalehq/scale/scale/sdk"
)

// artifactTrainer "loads" a keyword model whose only keyword is the
// artifact's text, so a test can tell which version served a request.
type artifactTrainer struct{}

func (artifactTrainer) Train(context.Context, ports.TrainingSet, ports.TrainProgress) ([]byte, map[string]float64, error) {
	return nil, nil, scale.E(scale.KindFailedPrecondition, "test.no_training", "not used")
}

func (artifactTrainer) Load(artifact []byte) (ports.Model, error) {
	return memory.NewKeywordModel(map[string]scale.CategoryID{"coffee": scale.CategoryID(artifact)}), nil
}

// TestModelSwapUnderLoad publishes new versions while requests classify in
// parallel: every request succeeds, each is answered by the base model or
// one published version, and a second engine sharing the store (another
// server instance) picks up the active version without a restart.
func TestModelSwapUnderLoad(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	store, clock := memory.NewStore(), memory.NewClock(time.Now())
	newEngine := func() *sdk.Scale {
		s, err := sdk.New(sdk.Ports{Store: store, Queue: memory.NewQueue(memory.QueueConfig{}), Clock: clock,
			Model: memory.NewKeywordModel(map[string]scale.CategoryID{"coffee": "food"}), Trainer: artifactTrainer{}},
			sdk.Options{ModelRefresh: time.Second})
		is.NoErr(err)
		return s
	}
	a, b := newEngine(), newEngine()
	const user scale.UserID = "swapper"
	in := categorization.Input{ClassifyInput: ports.ClassifyInput{Description: "COFFEE BAR", Amount: -450, Currency: "EUR"}}

	var failures, requests atomic.Int64
	seen := sync.Map{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, err := a.Categorization.Classify(ctx, user, in)
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				seen.Store(r.Label.Category, true)
			}
		}()
	}
	for _, v := range []string{"shopping", "misc", "transport"} {
		mv, err := store.CreateModelVersion(ctx, scale.ModelVersion{ID: scale.ModelVersionID(scale.NewID()), User: user,
			Artifact: []byte(v), CreatedAt: clock.Now()})
		is.NoErr(err)
		is.NoErr(store.ActivateModel(ctx, user, mv.ID))
		clock.Advance(2 * time.Second) // past the refresh interval: the next request re-checks
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	is.Equal(failures.Load(), int64(0))
	is.True(requests.Load() > 0)
	seen.Range(func(k, _ any) bool {
		switch k.(scale.CategoryID) {
		case "food", "shopping", "misc", "transport":
		default:
			t.Errorf("a request was answered by an unknown model: %v", k)
		}
		return true
	})
	r, err := a.Categorization.Classify(ctx, user, in)
	is.NoErr(err)
	is.Equal(r.Label.Category, scale.CategoryID("transport")) // the last activated version
	r, err = b.Categorization.Classify(ctx, user, in)
	is.NoErr(err)
	is.Equal(r.Label.Category, scale.CategoryID("transport")) // another instance, no restart
	r, err = b.Categorization.Classify(ctx, "someone-else", in)
	is.NoErr(err)
	is.Equal(r.Label.Category, scale.CategoryID("food")) // users without a version get the base model
}
