package hypcd_test

import (
	"context"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
)

// checkModelContract is the reusable contract of ports.Model: answers in
// order, one per input, confidence in [0,1], context cancellation honoured,
// and safe for concurrent use.
func checkModelContract(t *testing.T, m ports.Model, items []ports.ClassifyInput) {
	t.Helper()
	is := is.New(t)
	ctx := context.Background()
	all, err := m.Predict(ctx, items)
	is.NoErr(err)
	is.Equal(len(all), len(items))
	for i, p := range all {
		is.True(p.Confidence >= 0 && p.Confidence <= 1 && !math.IsNaN(p.Confidence))
		is.True(p.Category != "")
		one, err := m.Predict(ctx, items[i:i+1])
		is.NoErr(err)
		is.Equal(one[0], p) // order preserved: item i's answer does not depend on the batch
	}
	rev := make([]ports.ClassifyInput, len(items))
	for i := range items {
		rev[len(items)-1-i] = items[i]
	}
	back, err := m.Predict(ctx, rev)
	is.NoErr(err)
	for i := range items {
		is.Equal(back[len(items)-1-i], all[i])
	}
	empty, err := m.Predict(ctx, nil)
	is.NoErr(err)
	is.Equal(len(empty), 0)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = m.Predict(cancelled, items)
	is.True(err != nil)
	_, err = m.Discover(cancelled, items)
	is.True(err != nil)

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 3; r++ {
				got, err := m.Predict(ctx, items)
				if err != nil || !reflect.DeepEqual(got, all) {
					errs <- "concurrent Predict disagreed"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	info := m.Info()
	is.True(len(info.Labels) > 0)
}
