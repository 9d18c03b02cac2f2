package porttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// TestModel runs the contract suite of ports.Model against a loaded model.
func TestModel(t *testing.T, m ports.Model) {
	items := []ports.ClassifyInput{
		{ID: "1", Description: "STARBUCKS COFFEE 1234 BERLIN", Amount: -450, Currency: "EUR", Date: scale.Date{Year: 2026, Month: 3, Day: 1}},
		{ID: "2", Description: "ACME CORP SALARY MARCH", Amount: 350000, Currency: "EUR", Date: scale.Date{Year: 2026, Month: 3, Day: 28}},
		{ID: "3", Description: "UBER *TRIP HELP.UBER.COM", Amount: -1890, Currency: "EUR", Date: scale.Date{Year: 2026, Month: 3, Day: 2}},
		{ID: "4", Description: "", Amount: -1, Currency: "EUR", Date: scale.Date{Year: 2026, Month: 3, Day: 2}},
		{ID: "5", Description: "zzzz \u0000 \xff\xfe weird", Merchant: "\u202e", Amount: -999999999, Currency: "JPY", Date: scale.Date{Year: 2026, Month: 3, Day: 2}},
	}
	info := m.Info()
	if len(info.Labels) == 0 {
		t.Fatal("Info().Labels is empty")
	}
	known := map[scale.CategoryID]bool{scale.Uncategorized: true}
	for _, l := range info.Labels {
		known[l] = true
	}
	t.Run("answers_every_item_in_order", func(t *testing.T) {
		out, err := m.Predict(context.Background(), items)
		must(t, err, "Predict")
		if len(out) != len(items) {
			t.Fatalf("Predict returned %d predictions for %d items", len(out), len(items))
		}
		for i, p := range out {
			if p.Confidence < 0 || p.Confidence > 1 || p.Confidence != p.Confidence {
				t.Fatalf("item %d: confidence %v outside [0,1]", i, p.Confidence)
			}
			if !known[p.Category] {
				t.Fatalf("item %d: category %q is not in the model's label set", i, p.Category)
			}
		}
		// Order: each item alone gives the same answer as in the batch.
		for i := range items {
			one, err := m.Predict(context.Background(), items[i:i+1])
			must(t, err, "Predict one")
			if one[0].Category != out[i].Category {
				t.Fatalf("item %d: alone %q, in batch %q (order not preserved)", i, one[0].Category, out[i].Category)
			}
		}
	})
	t.Run("empty_batch", func(t *testing.T) {
		out, err := m.Predict(context.Background(), nil)
		must(t, err, "Predict(nil)")
		if len(out) != 0 {
			t.Fatalf("Predict(nil) = %d predictions", len(out))
		}
	})
	t.Run("honours_cancelled_context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		big := make([]ports.ClassifyInput, 5000)
		for i := range big {
			big[i] = items[i%3]
		}
		_, err := m.Predict(ctx, big)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Predict with a cancelled context: err = %v, want context.Canceled", err)
		}
	})
	t.Run("concurrent_use", func(t *testing.T) {
		want, err := m.Predict(context.Background(), items)
		must(t, err, "Predict")
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					got, err := m.Predict(context.Background(), items)
					if err != nil {
						errs <- err
						return
					}
					for i := range got {
						if got[i] != want[i] {
							errs <- fmt.Errorf("goroutine %d: item %d = %+v, want %+v", g, i, got[i], want[i])
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	})
	t.Run("discover_returns_members_of_input", func(t *testing.T) {
		var in []ports.ClassifyInput
		for i := range 30 {
			in = append(in, ports.ClassifyInput{ID: fmt.Sprintf("u%d", i), Description: fmt.Sprintf("QWERTY GYM MEMBERSHIP %d", i%3), Amount: -2999, Currency: "EUR", Date: scale.Date{Year: 2026, Month: 3, Day: 1 + i%28}})
		}
		got, err := m.Discover(context.Background(), in)
		must(t, err, "Discover")
		ids := map[string]bool{}
		for _, it := range in {
			ids[it.ID] = true
		}
		for _, c := range got {
			if c.Key == "" || c.Name == "" {
				t.Fatalf("discovered category without key or name: %+v", c)
			}
			for _, id := range c.MemberIDs {
				if !ids[id] {
					t.Fatalf("discovered member %q is not an input id", id)
				}
			}
		}
	})
}
