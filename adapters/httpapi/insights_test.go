package httpapi_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

// seedSynthetic stores one year of a generated history (salary, rent,
// subscriptions, groceries, ...) for user on a new EUR account and returns
// the account and the history's last day.
func seedSynthetic(t *testing.T, a *apiServer, user scale.UserID) (scale.AccountID, scale.Date) {
	t.Helper()
	h := synth.Generate(synth.Config{Users: 1, Years: 1, Seed: 7, NoAnomalies: true})[0]
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), user, accountsNew("Main"))
	if err != nil {
		t.Fatal(err)
	}
	txs := make([]scale.Transaction, len(h.Transactions))
	for i, tx := range h.Transactions {
		tx.ID, tx.User, tx.Account, tx.Fingerprint = "", user, acct.ID, ""
		txs[i] = tx
	}
	if _, err := a.SDK.Accounts.AddTransactions(t.Context(), user, txs); err != nil {
		t.Fatal(err)
	}
	return acct.ID, h.To
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{2})?$`)

type bandView struct{ P10, P50, P90 any }

type forecastView struct {
	Items []struct {
		Currency    string    `json:"currency"`
		AsOf        string    `json:"as_of"`
		HorizonDays int       `json:"horizon_days"`
		GeneratedAt time.Time `json:"generated_at"`
		By          string    `json:"by"`
		AccountIDs  []string  `json:"account_ids"`
		Categories  []struct{ ID, Name string }
		Method      struct {
			Name       string            `json:"name"`
			Version    string            `json:"version"`
			Parameters map[string]string `json:"parameters"`
		} `json:"method"`
		History struct {
			From  string `json:"from"`
			To    string `json:"to"`
			Days  int    `json:"days"`
			Input struct {
				Total int `json:"total"`
				Used  int `json:"used"`
			} `json:"input"`
		} `json:"history"`
		Quality []struct{ Code, Message string } `json:"quality"`
		Days    []struct {
			Date          string `json:"date"`
			P10, P50, P90 any
			Recurring     any `json:"recurring"`
		} `json:"days"`
		Total      bandView `json:"total"`
		ByCategory []struct {
			Category struct{ ID, Name string } `json:"category"`
			Days     []struct{ P50 any }       `json:"days"`
			Total    bandView                  `json:"total"`
		} `json:"by_category"`
		Recurring []struct {
			Amount     any    `json:"amount"`
			NextAmount any    `json:"next_amount"`
			Currency   string `json:"currency"`
			NextDate   string `json:"next_date"`
		} `json:"recurring"`
		SafeToSpend *struct {
			Amount any    `json:"amount"`
			PerDay any    `json:"per_day"`
			Until  string `json:"until"`
		} `json:"safe_to_spend"`
	} `json:"items"`
}

// isDecimal checks that a decoded JSON value is a decimal string, never a number.
func isDecimal(v any) bool {
	s, ok := v.(string)
	return ok && decimalRE.MatchString(s)
}

func TestForecastKeepsMetadataAndMoneyAsStrings(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	acct, last := seedSynthetic(t, a, "alice")
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, _, b := a.call(t, "GET", "/api/v1/forecasts?horizon=30&by=category&currency=EUR&account_id="+string(acct)+"&as_of="+last.String(), tok, "")
	is.Equal(st, 200)
	fv := decode[forecastView](t, b)
	is.Equal(len(fv.Items), 1)
	f := fv.Items[0]
	is.Equal(f.Currency, "EUR")
	is.Equal(f.AsOf, last.String())
	is.Equal(f.HorizonDays, 30)
	is.Equal(f.By, "category")
	is.True(!f.GeneratedAt.IsZero())
	is.Equal(f.AccountIDs, []string{string(acct)})
	is.True(len(f.Categories) > 0)
	for _, c := range f.Categories {
		is.True(c.ID != "" && c.Name != "") // categories carry names
	}
	is.True(f.Method.Name != "" && f.Method.Version != "" && len(f.Method.Parameters) > 0)
	is.Equal(f.History.To, last.String())
	is.True(f.History.From != "" && f.History.Days > 300)
	is.True(f.History.Input.Used > 0 && f.History.Input.Total >= f.History.Input.Used)
	is.True(f.Quality != nil)
	is.Equal(len(f.Days), 30)
	for _, d := range f.Days {
		is.True(isDecimal(d.P10) && isDecimal(d.P50) && isDecimal(d.P90) && isDecimal(d.Recurring)) // money is a decimal string
	}
	is.Equal(f.Days[0].Date, last.AddDays(1).String())
	is.True(isDecimal(f.Total.P10) && isDecimal(f.Total.P50) && isDecimal(f.Total.P90))
	is.True(len(f.ByCategory) > 0)
	for _, c := range f.ByCategory {
		is.True(c.Category.Name != "")
		is.Equal(len(c.Days), 30)
		is.True(isDecimal(c.Total.P50))
	}
	is.True(len(f.Recurring) > 0)
	for _, s := range f.Recurring {
		is.True(isDecimal(s.Amount) && isDecimal(s.NextAmount))
		is.Equal(s.Currency, "EUR")
	}
	is.True(f.SafeToSpend != nil) // the generated salary is detected
	is.True(isDecimal(f.SafeToSpend.Amount) && isDecimal(f.SafeToSpend.PerDay))

	st, _, b = a.call(t, "GET", "/api/v1/recurring?as_of="+last.String(), tok, "")
	is.Equal(st, 200)
	rec := decode[struct {
		Items []struct {
			Kind           string   `json:"kind"`
			Currency       string   `json:"currency"`
			Amount         any      `json:"amount"`
			NextAmount     any      `json:"next_amount"`
			AmountLow      any      `json:"amount_low"`
			AmountHigh     any      `json:"amount_high"`
			TransactionIDs []string `json:"transaction_ids"`
		}
	}](t, b)
	is.True(len(rec.Items) >= 3)
	salary := false
	for _, s := range rec.Items {
		is.True(isDecimal(s.Amount) && isDecimal(s.NextAmount) && isDecimal(s.AmountLow) && isDecimal(s.AmountHigh))
		is.Equal(s.Currency, "EUR")
		is.True(len(s.TransactionIDs) >= 2)
		salary = salary || s.Kind == "salary"
	}
	is.True(salary)
}

func TestForecastValidation(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, h, b := a.call(t, "GET", "/api/v1/forecasts?horizon=5", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(strings.Contains(string(b), "query.horizon"))

	st, h, b = a.call(t, "GET", "/api/v1/forecasts?horizon=91&by=merchant&currency=eur&as_of=2026-13-01", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	for _, f := range []string{"query.horizon", "query.by", "query.currency", "query.as_of"} {
		is.True(strings.Contains(string(b), f)) // every bad field is listed
	}
	st, h, b = a.call(t, "GET", "/api/v1/recurring?as_of=yesterday", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(strings.Contains(string(b), "query.as_of"))

	// No history: an empty forecast that says so.
	st, _, b = a.call(t, "GET", "/api/v1/forecasts", tok, "")
	is.Equal(st, 200)
	fv := decode[forecastView](t, b)
	is.Equal(len(fv.Items), 1)
	is.Equal(fv.Items[0].HorizonDays, 30)
	is.True(len(fv.Items[0].Quality) > 0)

	// Another user's account is 404.
	acct, _ := seedSynthetic(t, a, "bob")
	st, h, b = a.call(t, "GET", "/api/v1/forecasts?account_id="+string(acct), tok, "")
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
}

type anomalyView struct {
	ID            string  `json:"id"`
	TransactionID string  `json:"transaction_id"`
	Kind          string  `json:"kind"`
	Score         float64 `json:"score"`
	Reason        string  `json:"reason"`
	Status        string  `json:"status"`
	Date          string  `json:"date"`
}

// seedDuplicates stores two months of small varied spending and then the
// same charge twice on consecutive days, n times over.
func seedDuplicates(t *testing.T, a *apiServer, user scale.UserID, n int) {
	t.Helper()
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), user, accountsNew("Main"))
	if err != nil {
		t.Fatal(err)
	}
	start := scale.Date{Year: 2026, Month: time.January, Day: 1}
	var txs []scale.Transaction
	for i := range 60 {
		m := []string{"REWE", "LIDL", "BVG", "CAFE"}[i%4]
		txs = append(txs, scale.Transaction{Account: acct.ID, Date: start.AddDays(i),
			Amount: scale.Money{Minor: -int64(300 + 71*(i%9)), Currency: "EUR"}, Description: m, Merchant: m})
	}
	for k := range n {
		m := []string{"ZALANDO", "MEDIAMARKT", "IKEA", "DECATHLON", "THALIA"}[k%5]
		d := start.AddDays(62 + 3*k)
		for j := range 2 {
			txs = append(txs, scale.Transaction{Account: acct.ID, Date: d.AddDays(j),
				Amount: scale.Money{Minor: -4990 - int64(k), Currency: "EUR"}, Description: m, Merchant: m})
		}
	}
	if _, err := a.SDK.Accounts.AddTransactions(t.Context(), user, txs); err != nil {
		t.Fatal(err)
	}
}

func TestAnomaliesScanListFeedbackAndOwnership(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	seedDuplicates(t, a, "alice", 5)
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, _, b := a.call(t, "POST", "/api/v1/anomalies/scan", tok, "")
	is.Equal(st, 200)
	n := decode[struct {
		NewFindings int `json:"new_findings"`
	}](t, b).NewFindings
	is.True(n >= 5) // every duplicate found
	st, _, b = a.call(t, "POST", "/api/v1/anomalies/scan", tok, "")
	is.Equal(st, 200)
	is.Equal(decode[struct {
		NewFindings int `json:"new_findings"`
	}](t, b).NewFindings, 0) // scanning again finds nothing new

	// Page through in twos.
	type page struct {
		Items []anomalyView `json:"items"`
		Next  string        `json:"next"`
	}
	var all []anomalyView
	path := "/api/v1/anomalies?kind=duplicate_charge&limit=2"
	for range 20 {
		st, h, b := a.call(t, "GET", path, tok, "")
		is.Equal(st, 200)
		p := decode[page](t, b)
		all = append(all, p.Items...)
		if p.Next == "" {
			is.Equal(h.Get("Link"), "")
			break
		}
		link := h.Get("Link")
		is.True(strings.HasSuffix(link, `>; rel="next"`))
		path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
	is.Equal(len(all), 5)
	seen := map[string]bool{}
	for i, an := range all {
		is.True(!seen[an.ID]) // no repeats across pages
		seen[an.ID] = true
		is.Equal(an.Kind, "duplicate_charge")
		is.Equal(an.Status, "open")
		is.True(an.Reason != "" && an.Score > 0 && an.Score <= 1 && an.TransactionID != "")
		if i > 0 {
			is.True(all[i-1].Date >= an.Date) // newest first
		}
	}

	first, second := all[0].ID, all[1].ID
	st, _, b = a.call(t, "POST", "/api/v1/anomalies/"+first+"/dismiss", tok, "")
	is.Equal(st, 200)
	is.Equal(decode[anomalyView](t, b).Status, "dismissed")
	st, _, b = a.call(t, "POST", "/api/v1/anomalies/"+second+"/confirm", tok, "")
	is.Equal(st, 200)
	is.Equal(decode[anomalyView](t, b).Status, "confirmed")
	st, _, b = a.call(t, "GET", "/api/v1/anomalies/"+first, tok, "")
	is.Equal(st, 200)
	is.Equal(decode[anomalyView](t, b).Status, "dismissed")

	st, _, b = a.call(t, "GET", "/api/v1/anomalies?status=open&limit=200", tok, "")
	is.Equal(st, 200)
	for _, an := range decode[page](t, b).Items {
		is.True(an.ID != first && an.ID != second)
	}
	st, _, b = a.call(t, "GET", "/api/v1/anomalies?status=confirmed", tok, "")
	is.Equal(st, 200)
	conf := decode[page](t, b).Items
	is.Equal(len(conf), 1)
	is.Equal(conf[0].ID, second)

	// Another user gets 404 for every id-taking operation and sees nothing.
	bob := tokenFor(t, "bob", scale.RoleUser)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/anomalies/" + first},
		{"POST", "/api/v1/anomalies/" + first + "/dismiss"},
		{"POST", "/api/v1/anomalies/" + first + "/confirm"},
	} {
		st, h, b := a.call(t, c.method, c.path, bob, "")
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	}
	st, _, b = a.call(t, "GET", "/api/v1/anomalies", bob, "")
	is.Equal(st, 200)
	is.Equal(len(decode[page](t, b).Items), 0)
	st, _, b = a.call(t, "GET", "/api/v1/anomalies/"+first, tok, "")
	is.Equal(st, 200)
	is.Equal(decode[anomalyView](t, b).Status, "dismissed") // bob changed nothing

	// Bad parameters are listed.
	st, h, b := a.call(t, "GET", "/api/v1/anomalies?cursor=garbage&limit=201&status=maybe", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	for _, f := range []string{"query.limit", "query.status"} {
		is.True(strings.Contains(string(b), f))
	}
	st, h, b = a.call(t, "GET", "/api/v1/anomalies?cursor=garbage", tok, "")
	problemOf(t, st, h, b, 422)
	is.True(strings.Contains(string(b), "query.cursor"))
}
