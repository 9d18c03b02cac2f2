package forecasting

import (
	"time"

	"github.com/scalehq/scale/scale"
)

// Forecast is a daily cash-flow forecast of one user in one currency. All
// amounts are signed minor units of Currency: negative is money leaving.
// Quantiles are of the signed flow, so P10 <= P50 <= P90 and P10 is the
// pessimistic (most spending) end.
type Forecast struct {
	Currency scale.Currency `json:"currency"`
	// AsOf is the last day of history; the forecast covers the Horizon days
	// after it.
	AsOf        scale.Date `json:"as_of"`
	Horizon     int        `json:"horizon_days"`
	GeneratedAt time.Time  `json:"generated_at"`
	// By echoes the request: "" or "category".
	By string `json:"by,omitempty"`
	// AccountFilter echoes the request's account restriction, if any.
	AccountFilter scale.AccountID `json:"account_filter,omitempty"`
	// Accounts are the accounts whose transactions were used.
	Accounts []scale.AccountID `json:"accounts"`
	// Categories are the categories present in the history used, with names.
	Categories []CategoryRef      `json:"categories"`
	Method     Method             `json:"method"`
	History    HistoryWindow      `json:"history"`
	Quality    []QualityFlag      `json:"quality"`
	Days       []Day              `json:"days"`
	Total      Band               `json:"total"`
	ByCategory []CategoryForecast `json:"by_category,omitempty"`
	// Recurring are the detected streams of this currency (active or not).
	Recurring   []Stream     `json:"recurring"`
	SafeToSpend *SafeToSpend `json:"safe_to_spend,omitempty"`
}

// CategoryRef names a category.
type CategoryRef struct {
	ID   scale.CategoryID `json:"id"`
	Name string           `json:"name"`
}

// Method describes how a forecast was made.
type Method struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Parameters are the method's settings, as text.
	Parameters map[string]string `json:"parameters"`
}

// Band is an interval of signed minor units.
type Band struct {
	P10 int64 `json:"p10"`
	P50 int64 `json:"p50"`
	P90 int64 `json:"p90"`
}

// Day is the forecast of one day.
type Day struct {
	Date scale.Date `json:"date"`
	Band
	// Recurring is the sum of the expected amounts of recurring streams due
	// that day (included in the band).
	Recurring int64 `json:"recurring"`
	// Events are the recurring occurrences expected that day.
	Events []Event `json:"events,omitempty"`
}

// Event is one expected occurrence of a recurring stream.
type Event struct {
	Stream string     `json:"stream"`
	Name   string     `json:"name"`
	Kind   StreamKind `json:"kind"`
	Amount int64      `json:"amount"`
}

// CategoryForecast is the forecast of one category's flow.
type CategoryForecast struct {
	Category CategoryRef `json:"category"`
	Days     []Day       `json:"days"`
	Total    Band        `json:"total"`
}

// HistoryWindow says which history the forecast used.
type HistoryWindow struct {
	// From and To bound the history used (first transaction to as-of).
	From scale.Date `json:"from"`
	To   scale.Date `json:"to"`
	Days int        `json:"days"`
	// ModelFrom is the first day of the window the residual model was
	// fitted on; ModelDays its length.
	ModelFrom scale.Date  `json:"model_from"`
	ModelDays int         `json:"model_days"`
	Input     InputCounts `json:"input"`
	// Gaps are stretches of 14 days or more without any transaction.
	Gaps []Gap `json:"gaps,omitempty"`
}

// InputCounts accounts for every transaction given to the forecast.
type InputCounts struct {
	// Total is every transaction given.
	Total int `json:"total"`
	// Used were in the currency, account and date range.
	Used int `json:"used"`
	// Recurring of the used belong to a detected stream.
	Recurring int `json:"recurring"`
	// OtherCurrency were in another currency (listed in OtherCurrencies);
	// each currency has its own forecast.
	OtherCurrency   int              `json:"other_currency"`
	OtherCurrencies []scale.Currency `json:"other_currencies,omitempty"`
	// OtherAccount were on accounts the request excluded.
	OtherAccount int `json:"other_account"`
	// AfterAsOf were dated after the as-of date.
	AfterAsOf int `json:"after_as_of"`
}

// Gap is a stretch of days without transactions.
type Gap struct {
	From scale.Date `json:"from"`
	To   scale.Date `json:"to"`
	Days int        `json:"days"`
}

// QualityFlag warns about the data a forecast rests on.
type QualityFlag struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The data-quality flag codes.
const (
	FlagNoHistory       = "no_history"
	FlagShortHistory    = "short_history"
	FlagGaps            = "gaps"
	FlagNoIncome        = "no_income_stream"
	FlagOtherCurrencies = "other_currencies"
)

// SafeToSpend is what is left of the current pay cycle for discretionary
// spending: the net flow since the last income (income minus everything
// spent since) plus the recurring amounts still due before the next income.
type SafeToSpend struct {
	Amount int64 `json:"amount"`
	// Until is the next expected income date; Days the days until then.
	Until scale.Date `json:"until"`
	Days  int        `json:"days"`
	// PerDay is Amount spread over Days.
	PerDay int64 `json:"per_day"`
	// CycleStart is the last income date.
	CycleStart scale.Date `json:"cycle_start"`
	// CycleNet is the net flow from CycleStart through AsOf.
	CycleNet int64 `json:"cycle_net"`
	// CommittedRecurring is the sum of recurring debits due before Until.
	CommittedRecurring int64 `json:"committed_recurring"`
	// ExpectedDiscretionary is the median forecast of the other flow before
	// Until, for comparison.
	ExpectedDiscretionary int64 `json:"expected_discretionary"`
	// IncomeStream is the stream whose next occurrence ends the cycle.
	IncomeStream string `json:"income_stream"`
}
