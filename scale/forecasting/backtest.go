package forecasting

import (
	"math"

	"github.com/scalehq/scale/scale"
)

// DailyNet returns the daily net flow of txs in cur from from to to
// inclusive (index 0 is from), in minor units.
func DailyNet(txs []scale.Transaction, cur scale.Currency, from, to scale.Date) []float64 {
	n := to.Sub(from) + 1
	if n <= 0 {
		return nil
	}
	out := make([]float64, n)
	for _, t := range txs {
		if t.Amount.Currency != cur || t.Date.Before(from) || t.Date.After(to) {
			continue
		}
		out[t.Date.Sub(from)] += float64(t.Amount.Minor)
	}
	return out
}

// RollingMean is the baseline the original system served: every future day
// is the mean of the last window days of history.
func RollingMean(history []float64, window, horizon int) []float64 {
	w := history[max(0, len(history)-window):]
	var s float64
	for _, v := range w {
		s += v
	}
	mean := 0.0
	if len(w) > 0 {
		mean = s / float64(len(w))
	}
	out := make([]float64, horizon)
	for i := range out {
		out[i] = mean
	}
	return out
}

// SeasonalNaive repeats the last season: day h is the value season days
// before it (weekly with season 7).
func SeasonalNaive(history []float64, season, horizon int) []float64 {
	out := make([]float64, horizon)
	n := len(history)
	if n < season {
		return out
	}
	for i := range out {
		out[i] = history[n-season+i%season]
	}
	return out
}

// seasonalNaiveMAE is the in-sample mean absolute error of the seasonal
// naive forecast, the MASE scale.
func seasonalNaiveMAE(history []float64, season int) float64 {
	var s float64
	n := 0
	for i := season; i < len(history); i++ {
		s += math.Abs(history[i] - history[i-season])
		n++
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// BacktestConfig sets up a rolling-origin backtest.
type BacktestConfig struct {
	// Horizon is the forecast length in days.
	Horizon int
	// Warmup is the history before the first origin, in days (default 365).
	Warmup int
	// Step is the distance between origins in days (default Horizon).
	Step int
	// ScaleWindow is the in-sample window of the MASE scale (default 364).
	ScaleWindow int
}

// MethodScore is one method's accuracy over all origins.
type MethodScore struct {
	Method string `json:"method"`
	// MASE is the mean over origins of the mean absolute error scaled by
	// the in-sample weekly seasonal-naive error.
	MASE float64 `json:"mase"`
	// MAE is the mean absolute daily error in minor units.
	MAE float64 `json:"mae"`
	// Coverage is the share of actual days inside [p10, p90]; -1 when the
	// method has no interval.
	Coverage float64 `json:"coverage"`
	// TotalCoverage is the share of origins whose actual horizon total is
	// inside the total's [p10, p90]; -1 when the method has no interval.
	TotalCoverage float64 `json:"total_coverage"`
}

// BacktestResult sums up a backtest.
type BacktestResult struct {
	Origins int           `json:"origins"`
	Days    int           `json:"days"`
	Scores  []MethodScore `json:"scores"`
}

// The method names of a backtest.
const (
	MethodForecast      = "forecast"
	MethodRollingMean30 = "rolling_mean_30"
	MethodSeasonalNaive = "seasonal_naive_7"
)

// Accumulator adds up backtest errors over origins and users.
type Accumulator struct {
	origins, days int
	mase, mae     [3]float64
	covered       int
	totalCovered  int
}

// Backtest runs rolling-origin backtests of the forecast and the two
// baselines on one history in cur, adding to acc.
func Backtest(acc *Accumulator, txs []scale.Transaction, cur scale.Currency, from, to scale.Date, cfg BacktestConfig) error {
	if cfg.Warmup <= 0 {
		cfg.Warmup = 365
	}
	if cfg.Step <= 0 {
		cfg.Step = cfg.Horizon
	}
	if cfg.ScaleWindow <= 0 {
		cfg.ScaleWindow = 364
	}
	all := DailyNet(txs, cur, from, to)
	for origin := from.AddDays(cfg.Warmup - 1); !origin.AddDays(cfg.Horizon).After(to); origin = origin.AddDays(cfg.Step) {
		f, err := Build(txs, Options{AsOf: origin, Horizon: cfg.Horizon, Currency: cur})
		if err != nil {
			return err
		}
		oi := origin.Sub(from)
		hist := all[:oi+1]
		actual := all[oi+1 : oi+1+cfg.Horizon]
		sc := seasonalNaiveMAE(hist[max(0, len(hist)-cfg.ScaleWindow):], 7)
		if sc == 0 {
			continue
		}
		preds := [3][]float64{make([]float64, cfg.Horizon), RollingMean(hist, 30, cfg.Horizon), SeasonalNaive(hist, 7, cfg.Horizon)}
		for i, d := range f.Days {
			preds[0][i] = float64(d.P50)
			if a := actual[i]; a >= float64(d.P10) && a <= float64(d.P90) {
				acc.covered++
			}
		}
		var sum float64
		for _, a := range actual {
			sum += a
		}
		if sum >= float64(f.Total.P10) && sum <= float64(f.Total.P90) {
			acc.totalCovered++
		}
		for k, p := range preds {
			var e float64
			for i := range actual {
				e += math.Abs(actual[i] - p[i])
			}
			e /= float64(cfg.Horizon)
			acc.mae[k] += e
			acc.mase[k] += e / sc
		}
		acc.origins++
		acc.days += cfg.Horizon
	}
	return nil
}

// Result returns the scores accumulated so far.
func (acc *Accumulator) Result() BacktestResult {
	r := BacktestResult{Origins: acc.origins, Days: acc.days}
	names := []string{MethodForecast, MethodRollingMean30, MethodSeasonalNaive}
	for k, n := range names {
		s := MethodScore{Method: n, Coverage: -1, TotalCoverage: -1}
		if acc.origins > 0 {
			s.MASE = acc.mase[k] / float64(acc.origins)
			s.MAE = acc.mae[k] / float64(acc.origins)
		}
		if k == 0 && acc.days > 0 {
			s.Coverage = float64(acc.covered) / float64(acc.days)
			s.TotalCoverage = float64(acc.totalCovered) / float64(acc.origins)
		}
		r.Scores = append(r.Scores, s)
	}
	return r
}
