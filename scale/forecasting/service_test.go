package forecasting_test

import (
	"context"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

func newService(t *testing.T, now time.Time, hs ...synth.History) (*forecasting.Service, *memory.Store) {
	t.Helper()
	st := memory.NewStore()
	for _, h := range hs {
		createAccounts(t, st, h.Transactions)
		if _, err := st.InsertTransactions(context.Background(), h.User, h.Transactions); err != nil {
			t.Fatal(err)
		}
	}
	svc := forecasting.NewService(forecasting.Deps{Transactions: st, Categories: st, Clock: memory.NewClock(now)})
	return svc, st
}

func TestServiceForecastPagesThroughHistory(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	hs := synth.Generate(synth.Config{Users: 2, Years: 2, Seed: 11})
	now := hs[0].To.AddDays(1).Time().Add(-time.Hour) // evening of the last day
	svc, st := newService(t, now, hs...)
	is.NoErr(st.CreateCategory(ctx, scale.Category{ID: "c-own", User: hs[0].User, Name: "Hobbies", CreatedAt: now}))

	f, err := svc.Forecast(ctx, hs[0].User, forecasting.Params{Horizon: 30, By: forecasting.ByCategory})
	is.NoErr(err)
	is.Equal(f.AsOf, hs[0].To)
	is.Equal(f.GeneratedAt, now)
	is.Equal(f.History.Input.Total, len(hs[0].Transactions)) // every page read (more than MaxPageSize rows)
	is.True(len(hs[0].Transactions) > 1000)
	is.Equal(f.History.Input.Used, len(hs[0].Transactions))
	is.Equal(f.Accounts, []scale.AccountID{hs[0].Account}) // never another user's data

	ss, err := svc.Recurring(ctx, hs[0].User, scale.Date{})
	is.NoErr(err)
	is.Equal(len(ss), len(f.Recurring))

	fs, err := svc.Forecasts(ctx, hs[0].User, forecasting.Params{Horizon: 7})
	is.NoErr(err)
	is.Equal(len(fs), 1)
}

func TestServiceValidatesParams(t *testing.T) {
	is := is.New(t)
	svc, _ := newService(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	_, err := svc.Forecast(context.Background(), "nobody", forecasting.Params{Horizon: 120, By: "week"})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	e := err.(*scale.Error)
	is.Equal(len(e.Fields), 2)

	f, err := svc.Forecast(context.Background(), "nobody", forecasting.Params{Horizon: 7})
	is.NoErr(err) // an empty history is a zero forecast with a flag
	is.Equal(f.Quality[0].Code, forecasting.FlagNoHistory)

	ss, err := svc.Recurring(context.Background(), "nobody", scale.Date{})
	is.NoErr(err)
	is.Equal(len(ss), 0)
}

// createAccounts opens every account the transactions are booked on: a store
// refuses rows on accounts their user does not have.
func createAccounts(t *testing.T, st *memory.Store, txs []scale.Transaction) {
	t.Helper()
	seen := map[scale.AccountID]bool{}
	for _, x := range txs {
		if seen[x.Account] {
			continue
		}
		seen[x.Account] = true
		err := st.CreateAccount(context.Background(), scale.Account{ID: x.Account, User: x.User, Name: "synthetic",
			Kind: scale.AccountChecking, Currency: x.Amount.Currency})
		if err != nil {
			t.Fatal(err)
		}
	}
}
