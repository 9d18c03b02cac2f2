package forecasting_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

var generatedAt = time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)

func oneUser(t *testing.T, years int) synth.History {
	t.Helper()
	return synth.Generate(synth.Config{Users: 1, Years: years, Seed: 7})[0]
}

func TestBuildMetadataIsComplete(t *testing.T) {
	is := is.New(t)
	h := oneUser(t, 2)
	f, err := forecasting.Build(h.Transactions, forecasting.Options{
		AsOf: h.To, Horizon: 30, By: forecasting.ByCategory, GeneratedAt: generatedAt,
		CategoryNames: map[scale.CategoryID]string{"food": "Groceries & dining"},
	})
	is.NoErr(err)
	is.Equal(f.Currency, scale.Currency("EUR"))
	is.Equal(f.AsOf, h.To)
	is.Equal(f.Horizon, 30)
	is.Equal(f.By, forecasting.ByCategory)
	is.Equal(f.GeneratedAt, generatedAt)
	is.Equal(f.Accounts, []scale.AccountID{h.Account})
	is.Equal(f.Method.Name, forecasting.MethodName)
	is.True(f.Method.Version != "")
	is.True(len(f.Method.Parameters) >= 5)
	is.Equal(f.History.From, h.From)
	is.Equal(f.History.To, h.To)
	is.Equal(f.History.Days, h.To.Sub(h.From)+1)
	is.Equal(f.History.ModelDays, 364)
	is.Equal(f.History.Input.Total, len(h.Transactions))
	is.Equal(f.History.Input.Used, len(h.Transactions)) // nothing dropped
	is.True(f.History.Input.Recurring > 0)
	is.Equal(len(f.Quality), 0) // two clean years: no flags
	is.Equal(len(f.Days), 30)
	is.Equal(f.Days[0].Date, h.To.AddDays(1))

	// Every category of the input is named, user names win over defaults.
	inCats := map[scale.CategoryID]bool{}
	for _, tx := range h.Transactions {
		inCats[tx.Label.Category] = true
	}
	named := map[scale.CategoryID]string{}
	for _, c := range f.Categories {
		named[c.ID] = c.Name
	}
	for c := range inCats {
		is.True(named[c] != "") // category present with a name
	}
	is.Equal(named["food"], "Groceries & dining")
	is.Equal(named["utilities"], "Utilities")

	// Per-category forecasts cover the categories and keep intervals ordered.
	is.True(len(f.ByCategory) >= 5)
	for _, c := range f.ByCategory {
		is.Equal(len(c.Days), 30)
		is.True(c.Category.Name != "")
		is.True(c.Total.P10 <= c.Total.P50 && c.Total.P50 <= c.Total.P90)
	}
	for _, d := range f.Days {
		is.True(d.P10 <= d.P50 && d.P50 <= d.P90)
	}
	is.True(f.Total.P10 <= f.Total.P50 && f.Total.P50 <= f.Total.P90)

	// The salary is recognized, so safe-to-spend runs to the next payday.
	is.True(f.SafeToSpend != nil)
	is.Equal(f.SafeToSpend.Until, date("2023-01-31"))
	is.Equal(f.SafeToSpend.Days, 31)
	is.Equal(f.SafeToSpend.Amount, f.SafeToSpend.CycleNet+f.SafeToSpend.CommittedRecurring)
	is.True(f.SafeToSpend.CommittedRecurring < 0) // rent and bills are due

	// The rent shows up as an event on its day.
	var rent bool
	for _, d := range f.Days {
		for _, e := range d.Events {
			if e.Kind == forecasting.KindRent {
				rent = d.Date == date("2023-01-02") // Jan 1st 2023 is a Sunday
			}
		}
	}
	is.True(rent)

	b, err := json.Marshal(f)
	is.NoErr(err)
	is.True(len(b) > 1000)
}

func TestBuildIsDeterministic(t *testing.T) {
	is := is.New(t)
	h := oneUser(t, 2)
	o := forecasting.Options{AsOf: h.To, Horizon: 45, By: forecasting.ByCategory}
	a, err := forecasting.Build(h.Transactions, o)
	is.NoErr(err)
	b, err := forecasting.Build(h.Transactions, o)
	is.NoErr(err)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	is.Equal(string(ja), string(jb))
}

func TestBuildValidation(t *testing.T) {
	tests := []struct {
		name   string
		o      forecasting.Options
		fields []string
	}{
		{"horizon too short", forecasting.Options{AsOf: date("2024-01-01"), Horizon: 6}, []string{"horizon"}},
		{"horizon too long", forecasting.Options{AsOf: date("2024-01-01"), Horizon: 91}, []string{"horizon"}},
		{"everything wrong", forecasting.Options{Horizon: 0, By: "merchant", Currency: "XXX"}, []string{"horizon", "by", "currency", "as_of"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			_, err := forecasting.Build(nil, tc.o)
			var e *scale.Error
			is.True(errors.As(err, &e))
			is.Equal(e.Kind, scale.KindInvalid)
			is.Equal(e.Code, forecasting.CodeInvalidParams)
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			is.Equal(got, tc.fields)
		})
	}
	is := is.New(t)
	for _, h := range []int{7, 90} {
		_, err := forecasting.Build(nil, forecasting.Options{AsOf: date("2024-01-01"), Horizon: h})
		is.NoErr(err)
	}
}

func TestBuildSeparatesCurrencies(t *testing.T) {
	is := is.New(t)
	h := oneUser(t, 1)
	usd := series("US PAYROLL", monthly(2021, time.January, 12, lastBusinessDay), 500000)
	for i := range usd {
		usd[i].Amount.Currency = "USD"
		usd[i].Account = "usd-account"
	}
	txs := append(append([]scale.Transaction{}, h.Transactions...), usd...)

	_, err := forecasting.Build(txs, forecasting.Options{AsOf: h.To, Horizon: 30})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	is.Equal(scale.CodeOf(err), forecasting.CodeCurrencyRequired)

	eur, err := forecasting.Build(txs, forecasting.Options{AsOf: h.To, Horizon: 30, Currency: "EUR"})
	is.NoErr(err)
	is.Equal(eur.History.Input.OtherCurrency, len(usd))
	is.Equal(eur.History.Input.OtherCurrencies, []scale.Currency{"USD"})
	is.Equal(eur.History.Input.Used+eur.History.Input.OtherCurrency, len(txs))
	is.Equal(eur.Accounts, []scale.AccountID{h.Account})
	for _, s := range eur.Recurring {
		is.Equal(s.Currency, scale.Currency("EUR"))
	}
	var flagged bool
	for _, q := range eur.Quality {
		flagged = flagged || q.Code == forecasting.FlagOtherCurrencies
	}
	is.True(flagged)

	us, err := forecasting.Build(txs, forecasting.Options{AsOf: h.To, Horizon: 30, Currency: "USD"})
	is.NoErr(err)
	is.Equal(us.Currency, scale.Currency("USD"))
	is.Equal(us.History.Input.Used, len(usd))
	is.Equal(us.Accounts, []scale.AccountID{"usd-account"})
	is.True(us.SafeToSpend != nil) // the USD payroll is the USD income

	// Restricting to one account counts the others as excluded.
	acc, err := forecasting.Build(txs, forecasting.Options{AsOf: h.To, Horizon: 30, Account: "usd-account"})
	is.NoErr(err)
	is.Equal(acc.Currency, scale.Currency("USD"))
	is.Equal(acc.History.Input.OtherCurrency, len(h.Transactions))
	is.Equal(acc.AccountFilter, scale.AccountID("usd-account"))
}

func TestBuildQualityFlags(t *testing.T) {
	is := is.New(t)
	short := series("CAFE", every("2024-01-01", 1, 30), -450)
	gap := append(series("CAFE", every("2024-01-01", 1, 60), -450), series("BAR", every("2024-04-15", 1, 60), -900)...)
	codes := func(f forecasting.Forecast) map[string]bool {
		m := map[string]bool{}
		for _, q := range f.Quality {
			m[q.Code] = true
		}
		return m
	}
	f, err := forecasting.Build(short, forecasting.Options{AsOf: date("2024-01-30"), Horizon: 14})
	is.NoErr(err)
	is.True(codes(f)[forecasting.FlagShortHistory])
	is.True(codes(f)[forecasting.FlagNoIncome])
	is.True(f.SafeToSpend == nil)

	f, err = forecasting.Build(gap, forecasting.Options{AsOf: date("2024-06-13"), Horizon: 14})
	is.NoErr(err)
	is.True(codes(f)[forecasting.FlagGaps])
	is.Equal(len(f.History.Gaps), 1)
	is.Equal(f.History.Gaps[0].From, date("2024-03-01"))
	is.Equal(f.History.Gaps[0].To, date("2024-04-14"))

	f, err = forecasting.Build(nil, forecasting.Options{AsOf: date("2024-06-13"), Horizon: 14})
	is.NoErr(err)
	is.True(codes(f)[forecasting.FlagNoHistory])
	is.Equal(len(f.Days), 14)
}

// TestBacktestQuality asserts the figures of issue 7 as minimum thresholds
// on the deterministic synthetic histories.
func TestBacktestQuality(t *testing.T) {
	is := is.New(t)
	var acc forecasting.Accumulator
	for _, h := range synth.Generate(synth.Config{Users: 3, Years: 3, Seed: 1}) {
		is.NoErr(forecasting.Backtest(&acc, h.Transactions, h.Currency, h.From, h.To, forecasting.BacktestConfig{Horizon: 30, Step: 45}))
	}
	r := acc.Result()
	is.True(r.Origins >= 30)
	fc, rm, sn := r.Scores[0], r.Scores[1], r.Scores[2]
	t.Logf("MASE forecast %.3f, rolling mean %.3f, seasonal naive %.3f; coverage %.3f", fc.MASE, rm.MASE, sn.MASE, fc.Coverage)
	is.True(fc.MASE <= 0.8*rm.MASE)                   // beats the 30-day rolling mean by 20%+
	is.True(fc.MASE < sn.MASE)                        // and the seasonal naive
	is.True(fc.Coverage >= 0.7 && fc.Coverage <= 0.9) // calibrated p10–p90
}

func TestSyntheticStreamsAreDetected(t *testing.T) {
	is := is.New(t)
	for _, h := range synth.Generate(synth.Config{Users: 3, Years: 3, Seed: 3}) {
		found := map[string]forecasting.Stream{}
		for _, s := range forecasting.DetectRecurring(h.Transactions, h.To) {
			found[s.Name] = s
		}
		for _, truth := range h.Streams {
			s, ok := found[truth.Merchant]
			is.True(ok) // every generated stream is found
			is.Equal(string(s.Period), truth.Period)
			is.Equal(string(s.Rule), truth.Rule)
		}
	}
}
