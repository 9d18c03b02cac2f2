package synth_test

import (
	"reflect"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

func TestGenerateIsDeterministic(t *testing.T) {
	is := is.New(t)
	a := synth.Generate(synth.Config{Users: 2, Years: 2, Seed: 9})
	b := synth.Generate(synth.Config{Users: 2, Years: 2, Seed: 9})
	is.True(reflect.DeepEqual(a, b))
	c := synth.Generate(synth.Config{Users: 2, Years: 2, Seed: 10})
	is.True(!reflect.DeepEqual(a[0].Transactions, c[0].Transactions))
}

func TestGenerateHistories(t *testing.T) {
	is := is.New(t)
	hs := synth.Generate(synth.Config{Users: 3, Years: 3, Seed: 1})
	is.Equal(len(hs), 3)
	for _, h := range hs {
		is.Equal(h.To, h.From.AddMonths(36).AddDays(-1))
		is.True(len(h.Transactions) > 2000)
		is.True(len(h.Streams) >= 7)
		ids := map[scale.TransactionID]bool{}
		for i, tx := range h.Transactions {
			is.NoErr(tx.Validate())
			is.Equal(tx.User, h.User)
			is.True(!tx.Date.Before(h.From) && !tx.Date.After(h.To))
			if i > 0 {
				is.True(h.Transactions[i-1].Date.Compare(tx.Date) <= 0) // sorted by date
			}
			ids[tx.ID] = true
		}
		is.Equal(len(ids), len(h.Transactions)) // unique ids
		kinds := map[scale.AnomalyKind]int{}
		for _, a := range h.Anomalies {
			kinds[a.Kind]++
			for _, id := range a.Transactions {
				is.True(ids[id]) // ground truth names real transactions
			}
		}
		is.True(len(kinds) >= 4)
	}
	clean := synth.Generate(synth.Config{Users: 1, Years: 2, Seed: 1, NoAnomalies: true})
	is.Equal(len(clean[0].Anomalies), 0)
}
