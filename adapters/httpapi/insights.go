package httpapi

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting"
)

// money writes minor units of cur as a decimal string in the major unit.
func money(minor int64, cur scale.Currency) string {
	return scale.Money{Minor: minor, Currency: cur}.Decimal()
}

// dateOut writes a date as YYYY-MM-DD, or "" for the zero date.
func dateOut(d scale.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// inQuery moves the field errors of a domain validation error to the query
// string, where this operation's parameters live.
func inQuery(err error) error {
	var se *scale.Error
	if errors.As(err, &se) {
		for i, f := range se.Fields {
			if !strings.HasPrefix(f.Field, "query.") {
				se.Fields[i].Field = "query." + f.Field
			}
		}
	}
	return err
}

// parseDateQuery reads an optional YYYY-MM-DD query parameter.
func parseDateQuery(name, v string) (scale.Date, error) {
	if v == "" {
		return scale.Date{}, nil
	}
	d, err := scale.ParseDate(v)
	if err != nil {
		return scale.Date{}, scale.InvalidFields(scale.CodeInvalid, "The query parameters are not valid.",
			scale.FieldError{Field: "query." + name, Message: "must be a date YYYY-MM-DD"})
	}
	return d, nil
}

// RecurringStream is one detected recurring money stream.
type RecurringStream struct {
	ID          string   `json:"id" doc:"Stable id of the stream." example:"st_5f0c2a9e"`
	Kind        string   `json:"kind" enum:"salary,income,rent,loan,subscription,bill,other" doc:"What the stream is, as far as its name, category, direction and regularity tell." example:"subscription"`
	Direction   string   `json:"direction" enum:"credit,debit" doc:"credit for income, debit for spending." example:"debit"`
	Name        string   `json:"name" doc:"Merchant or description of the latest occurrence." example:"Netflix"`
	Key         string   `json:"key" doc:"The normalized merchant key the stream was grouped by." example:"netflix"`
	Currency    string   `json:"currency" doc:"ISO 4217 currency of every amount of the stream." example:"EUR"`
	AccountIDs  []string `json:"account_ids" doc:"The accounts the stream was booked on." example:"[\"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b\"]"`
	Category    string   `json:"category" doc:"The most common category id of its transactions." example:"subscriptions"`
	Period      string   `json:"period" enum:"weekly,biweekly,monthly,quarterly,yearly" doc:"How often it recurs." example:"monthly"`
	PeriodDays  float64  `json:"period_days" doc:"Nominal length of the period in days." example:"30.44"`
	Rule        string   `json:"rule" enum:"weekday,fixed_day,last_day,last_business_day" doc:"On which day of its period it falls." example:"fixed_day"`
	DayOfMonth  int      `json:"day_of_month,omitempty" doc:"The day of month, for rule fixed_day." example:"15"`
	Adjustment  string   `json:"adjustment,omitempty" enum:"none,following,preceding" doc:"How a fixed day on a weekend moves, for rule fixed_day." example:"following"`
	Weekday     string   `json:"weekday,omitempty" doc:"The weekday, for rule weekday." example:"Monday"`
	Amount      string   `json:"amount" doc:"Typical signed amount (median of all occurrences), decimal in the major unit." example:"-12.99"`
	AmountLow   string   `json:"amount_low" doc:"Low end of the usual amounts (10th percentile of the last twelve)." example:"-12.99"`
	AmountHigh  string   `json:"amount_high" doc:"High end of the usual amounts (90th percentile of the last twelve)." example:"-12.99"`
	Tolerance   float64  `json:"tolerance" minimum:"0" doc:"Relative amount spread (median absolute deviation over the median); 0 for a fixed price." example:"0"`
	FirstDate   string   `json:"first_date" format:"date" doc:"Date of the first occurrence." example:"2025-01-15"`
	LastDate    string   `json:"last_date" format:"date" doc:"Date of the latest occurrence." example:"2026-02-16"`
	LastAmount  string   `json:"last_amount" doc:"Amount of the latest occurrence." example:"-12.99"`
	NextDate    string   `json:"next_date" format:"date" doc:"Next expected date after the as-of date." example:"2026-03-16"`
	NextAmount  string   `json:"next_amount" doc:"Expected next amount (median of the last three)." example:"-12.99"`
	Occurrences int      `json:"occurrences" doc:"How many transactions belong to it." example:"14"`
	Skipped     int      `json:"skipped" doc:"Periods without an occurrence between its transactions." example:"0"`
	Confidence  float64  `json:"confidence" minimum:"0" maximum:"1" doc:"Regularity × count × amount stability, 0 to 1; below 0.3 it is reported but not projected." example:"0.92"`
	Active      bool     `json:"active" doc:"false once it is more than two periods overdue; an inactive stream is not projected." example:"true"`
	Members     []string `json:"transaction_ids" doc:"Its transactions, oldest first." example:"[\"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c\"]"`
}

func streamOut(s forecasting.Stream) RecurringStream {
	c := s.Currency
	out := RecurringStream{
		ID: s.ID, Kind: string(s.Kind), Direction: string(s.Direction), Name: s.Name, Key: s.Key, Currency: string(c),
		AccountIDs: make([]string, len(s.Accounts)), Category: string(s.Category), Period: string(s.Period),
		PeriodDays: s.PeriodDays, Rule: string(s.Rule), DayOfMonth: s.DayOfMonth, Adjustment: string(s.Adjustment),
		Weekday: s.Weekday, Amount: money(s.Amount, c), AmountLow: money(s.AmountLow, c), AmountHigh: money(s.AmountHigh, c),
		Tolerance: s.Tolerance, FirstDate: dateOut(s.FirstDate), LastDate: dateOut(s.LastDate),
		LastAmount: money(s.LastAmount, c), NextDate: dateOut(s.NextDate), NextAmount: money(s.NextAmount, c),
		Occurrences: s.Occurrences, Skipped: s.Skipped, Confidence: s.Confidence, Active: s.Active,
		Members: make([]string, len(s.Members)),
	}
	for i, a := range s.Accounts {
		out.AccountIDs[i] = string(a)
	}
	for i, m := range s.Members {
		out.Members[i] = string(m)
	}
	return out
}

// RecurringInput asks for the recurring streams.
type RecurringInput struct {
	AsOf string `query:"as_of" format:"date" doc:"Detect as of this date (later transactions are ignored); today when absent." example:"2026-03-31"`
}

// RecurringOutput lists the caller's recurring streams.
type RecurringOutput struct {
	Body struct {
		Items []RecurringStream `json:"items" doc:"The streams of every currency, credits first, then by next date."`
	}
}

// ForecastInput selects the forecast.
type ForecastInput struct {
	Horizon   int    `query:"horizon" minimum:"7" maximum:"90" default:"30" doc:"Days to forecast after the as-of date, 7 to 90." example:"30"`
	By        string `query:"by" enum:"category" doc:"category adds a forecast per category." example:"category"`
	AccountID string `query:"account_id" maxLength:"64" doc:"Only this account's history; another user's account is 404." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Currency  string `query:"currency" pattern:"^[A-Z]{3}$" doc:"Only the forecast of this ISO 4217 currency; one forecast per currency of the history when absent." example:"EUR"`
	AsOf      string `query:"as_of" format:"date" doc:"Last day of history to use; today when absent." example:"2026-03-31"`
}

// Band is an interval of signed amounts: p10 is the pessimistic end (most
// spending), p50 the point forecast.
type Band struct {
	P10 string `json:"p10" doc:"10th percentile, decimal in the major unit." example:"-180.40"`
	P50 string `json:"p50" doc:"Median, the point forecast." example:"-42.10"`
	P90 string `json:"p90" doc:"90th percentile." example:"12.00"`
}

func bandOut(b forecasting.Band, c scale.Currency) Band {
	return Band{P10: money(b.P10, c), P50: money(b.P50, c), P90: money(b.P90, c)}
}

// ForecastEvent is an expected occurrence of a recurring stream.
type ForecastEvent struct {
	StreamID string `json:"stream_id" doc:"The recurring stream." example:"st_5f0c2a9e"`
	Name     string `json:"name" doc:"The stream's name." example:"Netflix"`
	Kind     string `json:"kind" enum:"salary,income,rent,loan,subscription,bill,other" doc:"The stream's kind." example:"subscription"`
	Amount   string `json:"amount" doc:"Expected signed amount." example:"-12.99"`
}

// ForecastDay is the forecast of one day's net flow.
type ForecastDay struct {
	Date      string          `json:"date" format:"date" doc:"The day." example:"2026-04-01"`
	P10       string          `json:"p10" doc:"10th percentile of the day's net flow, decimal in the major unit." example:"-180.40"`
	P50       string          `json:"p50" doc:"Median of the day's net flow." example:"-42.10"`
	P90       string          `json:"p90" doc:"90th percentile of the day's net flow." example:"0.00"`
	Recurring string          `json:"recurring" doc:"Sum of the recurring amounts due that day (included in the band)." example:"-12.99"`
	Events    []ForecastEvent `json:"events,omitempty" doc:"The recurring occurrences expected that day."`
}

func daysOut(ds []forecasting.Day, c scale.Currency) []ForecastDay {
	out := make([]ForecastDay, len(ds))
	for i, d := range ds {
		out[i] = ForecastDay{Date: d.Date.String(), P10: money(d.P10, c), P50: money(d.P50, c), P90: money(d.P90, c),
			Recurring: money(d.Recurring, c)}
		for _, e := range d.Events {
			out[i].Events = append(out[i].Events, ForecastEvent{StreamID: e.Stream, Name: e.Name, Kind: string(e.Kind), Amount: money(e.Amount, c)})
		}
	}
	return out
}

// CategoryRef names a category.
type CategoryRef struct {
	ID   string `json:"id" doc:"Category id." example:"groceries"`
	Name string `json:"name" doc:"Category name." example:"Groceries"`
}

// CategoryForecast is the forecast of one category's flow.
type CategoryForecast struct {
	Category CategoryRef   `json:"category" doc:"The category."`
	Days     []ForecastDay `json:"days" doc:"Daily forecast of the category's flow."`
	Total    Band          `json:"total" doc:"Total over the horizon (quantiles of the sum)."`
}

// ForecastMethod says how a forecast was made.
type ForecastMethod struct {
	Name       string            `json:"name" doc:"The method." example:"recurring-streams+seasonal-empirical-quantiles"`
	Version    string            `json:"version" doc:"The method's version, bumped whenever its output changes." example:"1"`
	Parameters map[string]string `json:"parameters" doc:"The method's settings, as text." example:"{\"sample_paths\":\"200\"}"`
}

// ForecastGap is a stretch of days without transactions.
type ForecastGap struct {
	From string `json:"from" format:"date" doc:"First day without transactions." example:"2025-07-01"`
	To   string `json:"to" format:"date" doc:"Last day without transactions." example:"2025-07-20"`
	Days int    `json:"days" doc:"Its length in days." example:"20"`
}

// ForecastInputCounts accounts for every transaction given to the forecast.
type ForecastInputCounts struct {
	Total           int      `json:"total" doc:"Every transaction of the caller." example:"1240"`
	Used            int      `json:"used" doc:"Those in the currency, account and date range." example:"1180"`
	Recurring       int      `json:"recurring" doc:"Of the used, those in a detected recurring stream." example:"310"`
	OtherCurrency   int      `json:"other_currency" doc:"Those in another currency (each currency has its own forecast)." example:"40"`
	OtherCurrencies []string `json:"other_currencies,omitempty" doc:"The other currencies." example:"[\"USD\"]"`
	OtherAccount    int      `json:"other_account" doc:"Those on accounts the request excluded." example:"0"`
	AfterAsOf       int      `json:"after_as_of" doc:"Those dated after the as-of date." example:"20"`
}

// ForecastHistory says which history the forecast used.
type ForecastHistory struct {
	From      string              `json:"from" format:"date" doc:"First day of history used." example:"2024-01-02"`
	To        string              `json:"to" format:"date" doc:"Last day of history used (the as-of date)." example:"2026-03-31"`
	Days      int                 `json:"days" doc:"Length of the history in days." example:"820"`
	ModelFrom string              `json:"model_from" format:"date" doc:"First day of the window the residual model was fitted on." example:"2025-04-01"`
	ModelDays int                 `json:"model_days" doc:"Length of that window in days." example:"364"`
	Input     ForecastInputCounts `json:"input" doc:"What became of every transaction."`
	Gaps      []ForecastGap       `json:"gaps,omitempty" doc:"Stretches of 14 days or more without any transaction."`
}

// QualityFlag warns about the data a forecast rests on.
type QualityFlag struct {
	Code    string `json:"code" enum:"no_history,short_history,gaps,no_income_stream,other_currencies" doc:"Stable flag code." example:"short_history"`
	Message string `json:"message" doc:"What it means, for people." example:"Less than 90 days of history: the intervals are wide."`
}

// SafeToSpend is what is left of the current pay cycle for discretionary
// spending.
type SafeToSpend struct {
	Amount                string `json:"amount" doc:"What can be spent until the next income, decimal in the major unit." example:"640.00"`
	Until                 string `json:"until" format:"date" doc:"The next expected income date." example:"2026-04-30"`
	Days                  int    `json:"days" doc:"Days until then." example:"30"`
	PerDay                string `json:"per_day" doc:"The amount spread over those days." example:"21.33"`
	CycleStart            string `json:"cycle_start" format:"date" doc:"The last income date." example:"2026-03-31"`
	CycleNet              string `json:"cycle_net" doc:"Net flow from the cycle start through the as-of date." example:"2400.00"`
	CommittedRecurring    string `json:"committed_recurring" doc:"Recurring debits due before the next income." example:"-1760.00"`
	ExpectedDiscretionary string `json:"expected_discretionary" doc:"Median forecast of the other flow before the next income, for comparison." example:"-700.00"`
	IncomeStreamID        string `json:"income_stream_id" doc:"The stream whose next occurrence ends the cycle." example:"st_1a2b3c4d"`
}

// Forecast is a daily cash-flow forecast of the caller in one currency.
// Amounts are signed decimal strings of that currency: negative is money
// leaving.
type Forecast struct {
	Currency      string             `json:"currency" doc:"ISO 4217 currency of every amount in this forecast." example:"EUR"`
	AsOf          string             `json:"as_of" format:"date" doc:"Last day of history; the forecast covers the horizon days after it." example:"2026-03-31"`
	HorizonDays   int                `json:"horizon_days" doc:"Number of days forecast." example:"30"`
	GeneratedAt   time.Time          `json:"generated_at" doc:"When the forecast was made." example:"2026-03-31T18:00:00Z"`
	By            string             `json:"by,omitempty" doc:"Echoes the request's by." example:"category"`
	AccountFilter string             `json:"account_filter,omitempty" doc:"Echoes the request's account restriction." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	AccountIDs    []string           `json:"account_ids" doc:"The accounts whose transactions were used." example:"[\"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b\"]"`
	Categories    []CategoryRef      `json:"categories" doc:"The categories present in the history used, with names."`
	Method        ForecastMethod     `json:"method" doc:"How the forecast was made."`
	History       ForecastHistory    `json:"history" doc:"The history window used and what became of every transaction."`
	Quality       []QualityFlag      `json:"quality" doc:"Data-quality warnings; empty when there are none."`
	Days          []ForecastDay      `json:"days" doc:"Daily forecast of the net flow."`
	Total         Band               `json:"total" doc:"Net flow over the horizon (quantiles of the sum)."`
	ByCategory    []CategoryForecast `json:"by_category,omitempty" doc:"Forecast per category, with by=category."`
	Recurring     []RecurringStream  `json:"recurring" doc:"The detected recurring streams of this currency, active or not."`
	SafeToSpend   *SafeToSpend       `json:"safe_to_spend,omitempty" doc:"What is left of the pay cycle for discretionary spending; absent without a detected income stream."`
}

func forecastOut(f forecasting.Forecast) Forecast {
	c := f.Currency
	out := Forecast{
		Currency: string(c), AsOf: dateOut(f.AsOf), HorizonDays: f.Horizon, GeneratedAt: f.GeneratedAt, By: f.By,
		AccountFilter: string(f.AccountFilter), AccountIDs: make([]string, len(f.Accounts)),
		Categories: make([]CategoryRef, len(f.Categories)),
		Method:     ForecastMethod{Name: f.Method.Name, Version: f.Method.Version, Parameters: f.Method.Parameters},
		History: ForecastHistory{
			From: dateOut(f.History.From), To: dateOut(f.History.To), Days: f.History.Days,
			ModelFrom: dateOut(f.History.ModelFrom), ModelDays: f.History.ModelDays,
			Input: ForecastInputCounts{
				Total: f.History.Input.Total, Used: f.History.Input.Used, Recurring: f.History.Input.Recurring,
				OtherCurrency: f.History.Input.OtherCurrency, OtherAccount: f.History.Input.OtherAccount,
				AfterAsOf: f.History.Input.AfterAsOf,
			},
		},
		Quality:   make([]QualityFlag, len(f.Quality)),
		Days:      daysOut(f.Days, c),
		Total:     bandOut(f.Total, c),
		Recurring: make([]RecurringStream, len(f.Recurring)),
	}
	if out.Method.Parameters == nil {
		out.Method.Parameters = map[string]string{}
	}
	for i, a := range f.Accounts {
		out.AccountIDs[i] = string(a)
	}
	for i, cr := range f.Categories {
		out.Categories[i] = CategoryRef{ID: string(cr.ID), Name: cr.Name}
	}
	for _, oc := range f.History.Input.OtherCurrencies {
		out.History.Input.OtherCurrencies = append(out.History.Input.OtherCurrencies, string(oc))
	}
	for _, g := range f.History.Gaps {
		out.History.Gaps = append(out.History.Gaps, ForecastGap{From: dateOut(g.From), To: dateOut(g.To), Days: g.Days})
	}
	for i, q := range f.Quality {
		out.Quality[i] = QualityFlag{Code: q.Code, Message: q.Message}
	}
	for _, cf := range f.ByCategory {
		out.ByCategory = append(out.ByCategory, CategoryForecast{
			Category: CategoryRef{ID: string(cf.Category.ID), Name: cf.Category.Name},
			Days:     daysOut(cf.Days, c), Total: bandOut(cf.Total, c),
		})
	}
	for i, s := range f.Recurring {
		out.Recurring[i] = streamOut(s)
	}
	if s := f.SafeToSpend; s != nil {
		out.SafeToSpend = &SafeToSpend{
			Amount: money(s.Amount, c), Until: dateOut(s.Until), Days: s.Days, PerDay: money(s.PerDay, c),
			CycleStart: dateOut(s.CycleStart), CycleNet: money(s.CycleNet, c),
			CommittedRecurring: money(s.CommittedRecurring, c), ExpectedDiscretionary: money(s.ExpectedDiscretionary, c),
			IncomeStreamID: s.IncomeStream,
		}
	}
	return out
}

// ForecastOutput lists one forecast per currency.
type ForecastOutput struct {
	Body struct {
		Items []Forecast `json:"items" doc:"One forecast per currency of the history (just the requested one with currency)."`
	}
}

// Anomaly is one finding about one of the caller's transactions.
type Anomaly struct {
	ID            string    `json:"id" doc:"Finding id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a92"`
	TransactionID string    `json:"transaction_id" doc:"The transaction it is about." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
	Kind          string    `json:"kind" enum:"amount_outlier,new_merchant_large,duplicate_charge,price_increase,frequency_burst" doc:"The detector that found it." example:"duplicate_charge"`
	Score         float64   `json:"score" minimum:"0" maximum:"1" doc:"How unusual, 0 to 1; 0.5 is the detector's threshold." example:"0.82"`
	Reason        string    `json:"reason" doc:"Why it was flagged, in a sentence." example:"The same charge of 49.90 EUR at Zalando was booked twice within two days."`
	Status        string    `json:"status" enum:"open,dismissed,confirmed" doc:"The caller's feedback." example:"open"`
	Date          string    `json:"date" format:"date" doc:"Booking date of the transaction." example:"2026-03-02"`
	CreatedAt     time.Time `json:"created_at" doc:"When it was found." example:"2026-03-02T10:00:00Z"`
	UpdatedAt     time.Time `json:"updated_at" doc:"When it last changed." example:"2026-03-02T10:00:00Z"`
}

func anomalyOut(a scale.Anomaly) Anomaly {
	return Anomaly{ID: string(a.ID), TransactionID: string(a.Transaction), Kind: string(a.Kind), Score: a.Score,
		Reason: a.Reason, Status: string(a.Status), Date: dateOut(a.Date), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// ListAnomaliesInput is a page request.
type ListAnomaliesInput struct {
	Status string `query:"status" enum:"open,dismissed,confirmed" doc:"Only findings with this feedback." example:"open"`
	Kind   string `query:"kind" enum:"amount_outlier,new_merchant_large,duplicate_charge,price_increase,frequency_burst" doc:"Only findings of this detector." example:"duplicate_charge"`
	Cursor string `query:"cursor" maxLength:"200" doc:"The next cursor of the previous page; absent for the first page." example:"YTF8MjAyNi0wMy0wMnwwMTkwYjNhNC03YzFlLTdkMmEtOWYzYi0yYzRkNWU2ZjdhOTI"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size." example:"50"`
}

// AnomalyPage is one page of findings.
type AnomalyPage struct {
	Items []Anomaly `json:"items" doc:"The findings of this page, newest first."`
	Next  string    `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page." example:"YTF8MjAyNi0wMy0wMnwwMTkwYjNhNC03YzFlLTdkMmEtOWYzYi0yYzRkNWU2ZjdhOTI"`
}

// ListAnomaliesOutput is a page plus its RFC 8288 Link header.
type ListAnomaliesOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page (rel=next)."`
	Body AnomalyPage
}

// AnomalyIDInput names a finding.
type AnomalyIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Finding id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a92"`
}

// AnomalyOutput is one finding.
type AnomalyOutput struct {
	Body Anomaly
}

// ScanOutput reports an on-demand scan.
type ScanOutput struct {
	Body struct {
		NewFindings int `json:"new_findings" minimum:"0" doc:"How many findings the scan stored that were not stored before." example:"2"`
	}
}

// encodeAnomalyCursor makes an opaque, URL-safe token of the (date, id)
// keyset position after which the next page of findings starts.
func encodeAnomalyCursor(c ports.TransactionCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte("a1|" + c.Date.String() + "|" + string(c.ID)))
}

// decodeAnomalyCursor reads a token made by encodeAnomalyCursor.
func decodeAnomalyCursor(token string) (ports.TransactionCursor, error) {
	bad := scale.InvalidFields(scale.CodeCursorInvalid, "The cursor is not valid for this listing.",
		scale.FieldError{Field: "query.cursor", Message: "is not a cursor of this listing; start again without it"})
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return ports.TransactionCursor{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != "a1" || !scale.ValidID(parts[2]) {
		return ports.TransactionCursor{}, bad
	}
	d, err := scale.ParseDate(parts[1])
	if err != nil {
		return ports.TransactionCursor{}, bad
	}
	return ports.TransactionCursor{Date: d, ID: scale.TransactionID(parts[2])}, nil
}

// registerInsights adds the operations of recurring streams, forecasts and anomalies.
func (h *handlers) registerInsights(api huma.API) {
	h.registerForecasting(api)
	h.registerAnomalies(api)
}

func (h *handlers) registerForecasting(api huma.API) {
	tags := []string{"Forecasting"}
	register(h, api, huma.Operation{
		OperationID: "list-recurring", Method: http.MethodGet, Path: "/recurring",
		Summary: "List recurring streams", Tags: tags,
		Description: "Detects the caller's recurring money streams (salary, rent, subscriptions, loan payments, " +
			"bills): period, day rule, typical and next amount, next expected date and confidence. Amounts are " +
			"decimal strings in the stream's currency.",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *RecurringInput) (*RecurringOutput, error) {
		asOf, err := parseDateQuery("as_of", in.AsOf)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		ss, err := h.s.Forecasting.Recurring(ctx, userOf(ctx), asOf)
		if err != nil {
			return nil, problem(ctx, h.log, inQuery(err))
		}
		out := &RecurringOutput{}
		out.Body.Items = make([]RecurringStream, len(ss))
		for i, s := range ss {
			out.Body.Items[i] = streamOut(s)
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "get-forecasts", Method: http.MethodGet, Path: "/forecasts",
		Summary: "Forecast cash flow", Tags: tags,
		Description: "Forecasts the caller's daily net cash flow for the next `horizon` days with p10/p50/p90 " +
			"intervals: the recurring streams plus a seasonal model of the remaining spend. One forecast per " +
			"currency (amounts of different currencies are never added). `by=category` adds per-category " +
			"forecasts. Each forecast carries all its metadata: currency, accounts, categories with names, method " +
			"and parameters, history window and input counts, data-quality flags, generation time, and " +
			"safe-to-spend until the next expected income. Every bad parameter is listed in the 422 problem.",
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *ForecastInput) (*ForecastOutput, error) {
		user := userOf(ctx)
		asOf, err := parseDateQuery("as_of", in.AsOf)
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		if in.AccountID != "" {
			if _, err := h.s.Accounts.Account(ctx, user, scale.AccountID(in.AccountID)); err != nil {
				return nil, problem(ctx, h.log, err)
			}
		}
		fs, err := h.s.Forecasting.Forecasts(ctx, user, forecasting.Params{
			Horizon: in.Horizon, By: in.By, Account: scale.AccountID(in.AccountID),
			Currency: scale.Currency(in.Currency), AsOf: asOf,
		})
		if err != nil {
			return nil, problem(ctx, h.log, inQuery(err))
		}
		out := &ForecastOutput{}
		out.Body.Items = make([]Forecast, len(fs))
		for i, f := range fs {
			out.Body.Items[i] = forecastOut(f)
		}
		return out, nil
	})
}

func (h *handlers) registerAnomalies(api huma.API) {
	tags := []string{"Anomalies"}
	register(h, api, huma.Operation{
		OperationID: "list-anomalies", Method: http.MethodGet, Path: "/anomalies",
		Summary: "List anomalies", Tags: tags,
		Description: "Keyset-paginated findings about the caller's transactions, newest first, each with a score " +
			"and a reason. Follow `next` (or the `Link` header) until it is absent. Filter by the caller's feedback " +
			"(`status`) and by detector (`kind`).",
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *ListAnomaliesInput) (*ListAnomaliesOutput, error) {
		q := ports.AnomalyQuery{Status: scale.AnomalyStatus(in.Status), Kind: scale.AnomalyKind(in.Kind), Limit: in.Limit}
		if in.Cursor != "" {
			c, err := decodeAnomalyCursor(in.Cursor)
			if err != nil {
				return nil, problem(ctx, h.log, err)
			}
			q.After = &c
		}
		page, err := h.s.Anomalies.List(ctx, userOf(ctx), q)
		if err != nil {
			return nil, problem(ctx, h.log, inQuery(err))
		}
		out := &ListAnomaliesOutput{}
		out.Body.Items = make([]Anomaly, len(page.Items))
		for i, a := range page.Items {
			out.Body.Items[i] = anomalyOut(a)
		}
		if page.Next != nil {
			out.Body.Next = encodeAnomalyCursor(*page.Next)
			v := url.Values{}
			if in.Status != "" {
				v.Set("status", in.Status)
			}
			if in.Kind != "" {
				v.Set("kind", in.Kind)
			}
			v.Set("limit", strconv.Itoa(in.Limit))
			v.Set("cursor", out.Body.Next)
			out.Link = "</api/v1/anomalies?" + v.Encode() + `>; rel="next"`
		}
		return out, nil
	})
	register(h, api, huma.Operation{
		OperationID: "get-anomaly", Method: http.MethodGet, Path: "/anomalies/{id}",
		Summary: "Get an anomaly", Tags: tags,
		Description: "Returns one finding about the caller's transactions; another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *AnomalyIDInput) (*AnomalyOutput, error) {
		a, err := h.s.Anomalies.Get(ctx, userOf(ctx), scale.AnomalyID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AnomalyOutput{Body: anomalyOut(a)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "dismiss-anomaly", Method: http.MethodPost, Path: "/anomalies/{id}/dismiss",
		Summary: "Dismiss an anomaly", Tags: tags,
		Description: "Records that the caller considers the finding harmless (status `dismissed`). Another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *AnomalyIDInput) (*AnomalyOutput, error) {
		a, err := h.s.Anomalies.Dismiss(ctx, userOf(ctx), scale.AnomalyID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AnomalyOutput{Body: anomalyOut(a)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "confirm-anomaly", Method: http.MethodPost, Path: "/anomalies/{id}/confirm",
		Summary: "Confirm an anomaly", Tags: tags,
		Description: "Records that the caller considers the finding a real problem (status `confirmed`). Another user's id is 404.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *AnomalyIDInput) (*AnomalyOutput, error) {
		a, err := h.s.Anomalies.Confirm(ctx, userOf(ctx), scale.AnomalyID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &AnomalyOutput{Body: anomalyOut(a)}, nil
	})
	register(h, api, huma.Operation{
		OperationID: "scan-anomalies", Method: http.MethodPost, Path: "/anomalies/scan",
		Summary: "Scan for anomalies now", Tags: tags,
		Description: "Runs every detector over the caller's whole history now and stores the findings not stored " +
			"before (imports queue a scan on their own). Scanning again without new transactions finds nothing new.",
		Errors: []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*ScanOutput, error) {
		n, err := h.s.Anomalies.Scan(ctx, userOf(ctx))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		out := &ScanOutput{}
		out.Body.NewFindings = n
		return out, nil
	})
}
