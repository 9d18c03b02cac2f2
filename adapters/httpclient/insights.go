package httpclient

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// The operations of recurring streams, forecasts and anomalies.
var (
	opListRecurring  = Operation{"list-recurring", http.MethodGet, "/recurring"}
	opGetForecasts   = Operation{"get-forecasts", http.MethodGet, "/forecasts"}
	opListAnomalies  = Operation{"list-anomalies", http.MethodGet, "/anomalies"}
	opGetAnomaly     = Operation{"get-anomaly", http.MethodGet, "/anomalies/{id}"}
	opDismissAnomaly = Operation{"dismiss-anomaly", http.MethodPost, "/anomalies/{id}/dismiss"}
	opConfirmAnomaly = Operation{"confirm-anomaly", http.MethodPost, "/anomalies/{id}/confirm"}
	opScanAnomalies  = Operation{"scan-anomalies", http.MethodPost, "/anomalies/scan"}
)

func init() {
	operations = append(operations, opListRecurring, opGetForecasts,
		opListAnomalies, opGetAnomaly, opDismissAnomaly, opConfirmAnomaly, opScanAnomalies)
}

// RecurringStream is one detected recurring money stream. Amounts are
// signed decimal strings of Currency.
type RecurringStream struct {
	ID string `json:"id"`
	// Kind is salary, income, rent, loan, subscription, bill or other.
	Kind string `json:"kind"`
	// Direction is TypeCredit for income, TypeDebit for spending.
	Direction  string   `json:"direction"`
	Name       string   `json:"name"`
	Key        string   `json:"key"`
	Currency   string   `json:"currency"`
	AccountIDs []string `json:"account_ids"`
	Category   string   `json:"category"`
	// Period is weekly, biweekly, monthly, quarterly or yearly.
	Period     string  `json:"period"`
	PeriodDays float64 `json:"period_days"`
	// Rule is weekday, fixed_day, last_day or last_business_day.
	Rule        string  `json:"rule"`
	DayOfMonth  int     `json:"day_of_month,omitempty"`
	Adjustment  string  `json:"adjustment,omitempty"`
	Weekday     string  `json:"weekday,omitempty"`
	Amount      string  `json:"amount"`
	AmountLow   string  `json:"amount_low"`
	AmountHigh  string  `json:"amount_high"`
	Tolerance   float64 `json:"tolerance"`
	FirstDate   string  `json:"first_date"`
	LastDate    string  `json:"last_date"`
	LastAmount  string  `json:"last_amount"`
	NextDate    string  `json:"next_date"`
	NextAmount  string  `json:"next_amount"`
	Occurrences int     `json:"occurrences"`
	Skipped     int     `json:"skipped"`
	// Confidence is 0 to 1; below 0.3 the stream is not projected.
	Confidence float64 `json:"confidence"`
	// Active is false once the stream is more than two periods overdue.
	Active         bool     `json:"active"`
	TransactionIDs []string `json:"transaction_ids"`
}

// Recurring detects the caller's recurring streams as of asOf
// ("YYYY-MM-DD"; "" is today).
func (c *Client) Recurring(ctx context.Context, asOf string) ([]RecurringStream, error) {
	v := values{}
	v.set("as_of", asOf)
	var out struct {
		Items []RecurringStream `json:"items"`
	}
	err := c.call(ctx, opListRecurring, nil, url.Values(v), nil, &out)
	return out.Items, err
}

// ForecastQuery selects forecasts.
type ForecastQuery struct {
	// Horizon is the number of days, 7 to 90; 0 is the server's default (30).
	Horizon int
	// ByCategory adds a forecast per category.
	ByCategory bool
	// AccountID restricts the history to one account.
	AccountID string
	// Currency asks for the forecast of one currency only.
	Currency string
	// AsOf is the last day of history, "YYYY-MM-DD"; "" is today.
	AsOf string
}

// Band is an interval of signed amounts: P10 is the pessimistic end, P50
// the point forecast.
type Band struct {
	P10 string `json:"p10"`
	P50 string `json:"p50"`
	P90 string `json:"p90"`
}

// ForecastEvent is an expected occurrence of a recurring stream.
type ForecastEvent struct {
	StreamID string `json:"stream_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Amount   string `json:"amount"`
}

// ForecastDay is the forecast of one day's net flow.
type ForecastDay struct {
	Date string `json:"date"`
	P10  string `json:"p10"`
	P50  string `json:"p50"`
	P90  string `json:"p90"`
	// Recurring is the sum of the recurring amounts due that day.
	Recurring string          `json:"recurring"`
	Events    []ForecastEvent `json:"events,omitempty"`
}

// CategoryRef names a category.
type CategoryRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CategoryForecast is the forecast of one category's flow.
type CategoryForecast struct {
	Category CategoryRef   `json:"category"`
	Days     []ForecastDay `json:"days"`
	Total    Band          `json:"total"`
}

// ForecastMethod says how a forecast was made.
type ForecastMethod struct {
	Name       string            `json:"name"`
	Version    string            `json:"version"`
	Parameters map[string]string `json:"parameters"`
}

// ForecastGap is a stretch of days without transactions.
type ForecastGap struct {
	From string `json:"from"`
	To   string `json:"to"`
	Days int    `json:"days"`
}

// ForecastInputCounts accounts for every transaction given to a forecast.
type ForecastInputCounts struct {
	Total           int      `json:"total"`
	Used            int      `json:"used"`
	Recurring       int      `json:"recurring"`
	OtherCurrency   int      `json:"other_currency"`
	OtherCurrencies []string `json:"other_currencies,omitempty"`
	OtherAccount    int      `json:"other_account"`
	AfterAsOf       int      `json:"after_as_of"`
}

// ForecastHistory says which history a forecast used.
type ForecastHistory struct {
	From      string              `json:"from"`
	To        string              `json:"to"`
	Days      int                 `json:"days"`
	ModelFrom string              `json:"model_from"`
	ModelDays int                 `json:"model_days"`
	Input     ForecastInputCounts `json:"input"`
	Gaps      []ForecastGap       `json:"gaps,omitempty"`
}

// QualityFlag warns about the data a forecast rests on.
type QualityFlag struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// SafeToSpend is what is left of the current pay cycle for discretionary
// spending.
type SafeToSpend struct {
	Amount                string `json:"amount"`
	Until                 string `json:"until"`
	Days                  int    `json:"days"`
	PerDay                string `json:"per_day"`
	CycleStart            string `json:"cycle_start"`
	CycleNet              string `json:"cycle_net"`
	CommittedRecurring    string `json:"committed_recurring"`
	ExpectedDiscretionary string `json:"expected_discretionary"`
	IncomeStreamID        string `json:"income_stream_id"`
}

// Forecast is a daily cash-flow forecast in one currency, with everything
// it was made from.
type Forecast struct {
	Currency      string             `json:"currency"`
	AsOf          string             `json:"as_of"`
	HorizonDays   int                `json:"horizon_days"`
	GeneratedAt   time.Time          `json:"generated_at"`
	By            string             `json:"by,omitempty"`
	AccountFilter string             `json:"account_filter,omitempty"`
	AccountIDs    []string           `json:"account_ids"`
	Categories    []CategoryRef      `json:"categories"`
	Method        ForecastMethod     `json:"method"`
	History       ForecastHistory    `json:"history"`
	Quality       []QualityFlag      `json:"quality"`
	Days          []ForecastDay      `json:"days"`
	Total         Band               `json:"total"`
	ByCategory    []CategoryForecast `json:"by_category,omitempty"`
	Recurring     []RecurringStream  `json:"recurring"`
	SafeToSpend   *SafeToSpend       `json:"safe_to_spend,omitempty"`
}

// Forecasts returns one forecast per currency of the caller's history (just
// q.Currency's when set); a 422 problem lists every bad parameter.
func (c *Client) Forecasts(ctx context.Context, q ForecastQuery) ([]Forecast, error) {
	v := values{}
	v.setInt("horizon", q.Horizon)
	if q.ByCategory {
		v.set("by", "category")
	}
	v.set("account_id", q.AccountID)
	v.set("currency", q.Currency)
	v.set("as_of", q.AsOf)
	var out struct {
		Items []Forecast `json:"items"`
	}
	err := c.call(ctx, opGetForecasts, nil, url.Values(v), nil, &out)
	return out.Items, err
}

// Anomaly statuses: the caller's feedback.
const (
	AnomalyOpen      = "open"
	AnomalyDismissed = "dismissed"
	AnomalyConfirmed = "confirmed"
)

// Anomaly is one finding about one of the caller's transactions.
type Anomaly struct {
	ID            string `json:"id"`
	TransactionID string `json:"transaction_id"`
	// Kind is the detector: amount_outlier, new_merchant_large,
	// duplicate_charge, price_increase or frequency_burst.
	Kind string `json:"kind"`
	// Score is 0 to 1; 0.5 is the detector's threshold.
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
	// Status is one of the Anomaly* constants.
	Status    string    `json:"status"`
	Date      string    `json:"date"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AnomalyQuery is one page request of the findings.
type AnomalyQuery struct {
	// Status and Kind filter; empty matches all.
	Status string
	Kind   string
	// Limit is the page size, 1 to 200; 0 is the server's default (50).
	Limit int
	// Cursor is the Next of the previous page.
	Cursor string
}

// AnomalyPage is one page of findings, newest first.
type AnomalyPage struct {
	Items []Anomaly `json:"items"`
	Next  string    `json:"next,omitempty"`
}

// Anomalies returns one page of findings about the caller's transactions.
func (c *Client) Anomalies(ctx context.Context, q AnomalyQuery) (AnomalyPage, error) {
	v := values{}
	v.set("status", q.Status)
	v.set("kind", q.Kind)
	v.setInt("limit", q.Limit)
	v.set("cursor", q.Cursor)
	var out AnomalyPage
	err := c.call(ctx, opListAnomalies, nil, url.Values(v), nil, &out)
	return out, err
}

// AllAnomalies iterates over every finding matching q, following the next
// cursors.
func (c *Client) AllAnomalies(ctx context.Context, q AnomalyQuery) iter.Seq2[Anomaly, error] {
	return paginate(func(cursor string) ([]Anomaly, string, error) {
		q.Cursor = cursor
		p, err := c.Anomalies(ctx, q)
		return p.Items, p.Next, err
	}, q.Cursor)
}

// Anomaly returns one finding.
func (c *Client) Anomaly(ctx context.Context, id string) (Anomaly, error) {
	var out Anomaly
	err := c.call(ctx, opGetAnomaly, []string{id}, nil, nil, &out)
	return out, err
}

// DismissAnomaly records that the caller considers the finding harmless.
func (c *Client) DismissAnomaly(ctx context.Context, id string) (Anomaly, error) {
	var out Anomaly
	err := c.call(ctx, opDismissAnomaly, []string{id}, nil, nil, &out)
	return out, err
}

// ConfirmAnomaly records that the caller considers the finding a real
// problem.
func (c *Client) ConfirmAnomaly(ctx context.Context, id string) (Anomaly, error) {
	var out Anomaly
	err := c.call(ctx, opConfirmAnomaly, []string{id}, nil, nil, &out)
	return out, err
}

// ScanAnomalies runs every detector over the caller's history now and
// returns how many new findings were stored.
func (c *Client) ScanAnomalies(ctx context.Context) (int, error) {
	var out struct {
		NewFindings int `json:"new_findings"`
	}
	err := c.call(ctx, opScanAnomalies, nil, nil, nil, &out)
	return out.NewFindings, err
}
