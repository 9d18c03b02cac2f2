package forecasting_test

import (
	"testing"

	"github.com/scalehq/scale/scale/forecasting"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

// BenchmarkForecastFiveYears builds one 90-day forecast with per-category
// forecasts from five years of one user's history.
func BenchmarkForecastFiveYears(b *testing.B) {
	h := synth.Generate(synth.Config{Users: 1, Years: 5, Seed: 1})[0]
	o := forecasting.Options{AsOf: h.To, Horizon: 90, By: forecasting.ByCategory}
	b.ReportMetric(float64(len(h.Transactions)), "txs")
	b.ResetTimer()
	for b.Loop() {
		if _, err := forecasting.Build(h.Transactions, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRollingMeanFiveYears is the baseline beside it: the daily series
// of the same history and its 30-day rolling mean.
func BenchmarkRollingMeanFiveYears(b *testing.B) {
	h := synth.Generate(synth.Config{Users: 1, Years: 5, Seed: 1})[0]
	b.ResetTimer()
	for b.Loop() {
		s := forecasting.DailyNet(h.Transactions, h.Currency, h.From, h.To)
		_ = forecasting.RollingMean(s, 30, 90)
	}
}
