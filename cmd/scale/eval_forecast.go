package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/anomaly"
	"github.com/scalehq/scale/scale/forecasting"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

// evalSynthFlags are the flags both synthetic evaluations share.
type evalSynthFlags struct {
	users, years int
	seed         uint64
	json         bool
}

func (f *evalSynthFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.users, "users", 5, "number of synthetic users")
	fs.IntVar(&f.years, "years", 4, "years of daily history per user (2–10)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed; the same seed gives the same figures")
	fs.BoolVar(&f.json, "json", false, "print JSON instead of a table")
}

func (f *evalSynthFlags) validate() error {
	if f.users < 1 || f.users > 100 {
		return fmt.Errorf("--users must be between 1 and 100")
	}
	if f.years < 2 || f.years > 10 {
		return fmt.Errorf("--years must be between 2 and 10")
	}
	return nil
}

func (f *evalSynthFlags) generate() []synth.History {
	return synth.Generate(synth.Config{Users: f.users, Years: f.years, Seed: f.seed})
}

// evalForecastReport is the JSON output of "scale eval forecast".
type evalForecastReport struct {
	Users    int                        `json:"users"`
	Years    int                        `json:"years"`
	Seed     uint64                     `json:"seed"`
	Horizon  int                        `json:"horizon_days"`
	Step     int                        `json:"step_days"`
	Currency scale.Currency             `json:"currency"`
	Result   forecasting.BacktestResult `json:"result"`
	// MASERatio is the forecast's MASE over the 30-day rolling mean's.
	MASERatio float64 `json:"mase_ratio_vs_rolling_mean"`
}

// runEvalForecast backtests the cash-flow forecast against the 30-day
// rolling mean and the weekly seasonal-naive forecast on deterministic
// synthetic histories, with rolling origins.
func runEvalForecast(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("eval forecast", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	var f evalSynthFlags
	f.register(fs)
	horizon := fs.Int("horizon", 30, "forecast horizon in days (7–90)")
	step := fs.Int("step", 30, "days between backtest origins")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	if *horizon < forecasting.MinHorizon || *horizon > forecasting.MaxHorizon {
		return fmt.Errorf("--horizon must be between %d and %d", forecasting.MinHorizon, forecasting.MaxHorizon)
	}
	if *step < 1 {
		return fmt.Errorf("--step must be at least 1")
	}
	hs := f.generate()
	var acc forecasting.Accumulator
	for i, h := range hs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsTerminal && !f.json {
			fmt.Fprintf(e.Stderr, "\rbacktesting user %d/%d", i+1, len(hs))
		}
		err := forecasting.Backtest(&acc, h.Transactions, h.Currency, h.From, h.To,
			forecasting.BacktestConfig{Horizon: *horizon, Step: *step})
		if err != nil {
			return err
		}
	}
	if e.IsTerminal && !f.json {
		fmt.Fprint(e.Stderr, "\r\033[K")
	}
	r := evalForecastReport{Users: f.users, Years: f.years, Seed: f.seed, Horizon: *horizon, Step: *step,
		Currency: hs[0].Currency, Result: acc.Result()}
	if rm := r.Result.Scores[1].MASE; rm > 0 {
		r.MASERatio = r.Result.Scores[0].MASE / rm
	}
	if f.json {
		return evalWriteJSON(e.Stdout, r)
	}
	evalPrintForecast(e.Stdout, r)
	return nil
}

func evalPrintForecast(w io.Writer, r evalForecastReport) {
	fmt.Fprintf(w, "Forecast backtest: %d synthetic users x %d years (seed %d), horizon %d days, %d rolling origins every %d days (%d forecast days).\n",
		r.Users, r.Years, r.Seed, r.Horizon, r.Result.Origins, r.Step, r.Result.Days)
	fmt.Fprintln(w, "MASE is scaled by the in-sample weekly seasonal-naive error; MAE is per day.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "method\tMASE\tMAE (%s)\tdaily p10–p90 coverage\t%d-day total p10–p90 coverage\n", r.Currency, r.Horizon)
	share := func(x float64) string {
		if x < 0 {
			return "–"
		}
		return fmt.Sprintf("%.3f", x)
	}
	for _, s := range r.Result.Scores {
		mae := scale.FormatDecimal(int64(math.Round(s.MAE)), r.Currency.MinorDigits())
		fmt.Fprintf(tw, "%s\t%.3f\t%s\t%s\t%s\n", s.Method, s.MASE, mae, share(s.Coverage), share(s.TotalCoverage))
	}
	tw.Flush()
	fmt.Fprintln(w)
	cov := r.Result.Scores[0].Coverage
	fmt.Fprintf(w, "MASE ratio forecast / rolling mean: %.3f (target <= 0.80) %s\n", r.MASERatio, evalMark(r.MASERatio <= 0.8))
	fmt.Fprintf(w, "daily p10–p90 coverage: %.3f (target 0.70–0.90) %s\n", cov, evalMark(cov >= 0.7 && cov <= 0.9))
}

// evalAnomalyReport is the JSON output of "scale eval anomaly".
type evalAnomalyReport struct {
	Users      int                `json:"users"`
	Years      int                `json:"years"`
	Seed       uint64             `json:"seed"`
	Txs        int                `json:"transactions"`
	Evaluation anomaly.Evaluation `json:"evaluation"`
}

// runEvalAnomaly runs the anomaly detectors on deterministic synthetic
// histories with injected anomalies and reports precision and recall.
func runEvalAnomaly(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("eval anomaly", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	var f evalSynthFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	var findings []anomaly.Finding
	var truth []anomaly.Expected
	r := evalAnomalyReport{Users: f.users, Years: f.years, Seed: f.seed}
	for _, h := range f.generate() {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.Txs += len(h.Transactions)
		findings = append(findings, anomaly.Detect(h.Transactions)...)
		for _, a := range h.Anomalies {
			truth = append(truth, anomaly.Expected{Kind: a.Kind, Transactions: a.Transactions})
		}
	}
	r.Evaluation = anomaly.Evaluate(findings, truth)
	if f.json {
		return evalWriteJSON(e.Stdout, r)
	}
	fmt.Fprintf(e.Stdout, "Anomaly detection: %d synthetic users x %d years (seed %d), %d transactions, %d injected anomalies.\n",
		r.Users, r.Years, r.Seed, r.Txs, r.Evaluation.Overall.Injected)
	fmt.Fprintln(e.Stdout, "A finding is right when it names an injected transaction; an anomaly is found when a finding of its kind names it.")
	fmt.Fprintln(e.Stdout)
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "kind\tinjected\tfound\tfindings\tright\tprecision\trecall")
	row := func(name string, s anomaly.Score) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\n", name, s.Injected, s.Detected, s.Findings, s.TruePositives, s.Precision, s.Recall)
	}
	for _, s := range r.Evaluation.ByKind {
		row(string(s.Kind), s)
	}
	row("all", r.Evaluation.Overall)
	tw.Flush()
	o := r.Evaluation.Overall
	fmt.Fprintf(e.Stdout, "\nprecision %.3f, recall %.3f (target both >= 0.80) %s\n", o.Precision, o.Recall, evalMark(o.Precision >= 0.8 && o.Recall >= 0.8))
	return nil
}

func evalWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func evalMark(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}
