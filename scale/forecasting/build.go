package forecasting

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalehq/scale/scale"
)

// Horizon bounds, in days.
const (
	MinHorizon = 7
	MaxHorizon = 90
)

// ByCategory is the Params.By value that adds per-category forecasts.
const ByCategory = "category"

// MethodName names the forecasting method in Forecast.Method.
const MethodName = "recurring-streams+seasonal-empirical-quantiles"

// MethodVersion is bumped whenever the method changes its output.
const MethodVersion = "1"

const (
	shortHistoryDays = 90
	gapDays          = 14
)

// Options are the inputs of Build besides the transactions.
type Options struct {
	// AsOf is the last day of history; later transactions are ignored.
	AsOf scale.Date
	// Horizon is the number of days to forecast, MinHorizon–MaxHorizon.
	Horizon int
	// By is "" or ByCategory.
	By string
	// Currency selects the currency; it may be empty when the history has
	// only one.
	Currency scale.Currency
	// Account, when set, restricts the history to that account.
	Account scale.AccountID
	// CategoryNames names category ids; ids missing here fall back to the
	// default taxonomy, then to the id itself.
	CategoryNames map[scale.CategoryID]string
	// GeneratedAt is stamped on the forecast.
	GeneratedAt time.Time
}

// Validate checks the options and lists every bad field.
func (o Options) Validate() error {
	var fs []scale.FieldError
	if o.Horizon < MinHorizon || o.Horizon > MaxHorizon {
		fs = append(fs, scale.FieldError{Field: "horizon", Message: fmt.Sprintf("must be between %d and %d days", MinHorizon, MaxHorizon)})
	}
	if o.By != "" && o.By != ByCategory {
		fs = append(fs, scale.FieldError{Field: "by", Message: `must be empty or "category"`})
	}
	if o.Currency != "" && !o.Currency.Valid() {
		fs = append(fs, scale.FieldError{Field: "currency", Message: "is not a supported ISO 4217 code"})
	}
	if !o.AsOf.Valid() {
		fs = append(fs, scale.FieldError{Field: "as_of", Message: "is not a calendar date"})
	}
	if len(fs) > 0 {
		return scale.InvalidFields(CodeInvalidParams, "The forecast request is not valid.", fs...)
	}
	return nil
}

// Build forecasts the daily cash flow of txs (one user's history) for the
// Horizon days after AsOf. It never mixes currencies: with several
// currencies in txs and none chosen it returns a KindInvalid error naming
// them.
func Build(txs []scale.Transaction, o Options) (Forecast, error) {
	if err := o.Validate(); err != nil {
		return Forecast{}, err
	}
	cur, err := chooseCurrency(txs, o)
	if err != nil {
		return Forecast{}, err
	}
	in := InputCounts{Total: len(txs)}
	used := make([]*scale.Transaction, 0, len(txs))
	for i := range txs {
		t := &txs[i]
		switch {
		case t.Amount.Currency != cur:
			in.OtherCurrency++
			if !slices.Contains(in.OtherCurrencies, t.Amount.Currency) {
				in.OtherCurrencies = append(in.OtherCurrencies, t.Amount.Currency)
			}
		case o.Account != "" && t.Account != o.Account:
			in.OtherAccount++
		case t.Date.After(o.AsOf):
			in.AfterAsOf++
		default:
			used = append(used, t)
		}
	}
	slices.Sort(in.OtherCurrencies)
	in.Used = len(used)
	sortTxs(used)

	f := Forecast{
		Currency: cur, AsOf: o.AsOf, Horizon: o.Horizon, GeneratedAt: o.GeneratedAt, By: o.By, AccountFilter: o.Account,
		Accounts: []scale.AccountID{}, Categories: []CategoryRef{}, Quality: []QualityFlag{},
		Recurring: detect(used, o.AsOf),
	}
	// Members of confident streams leave the residual; a weak stream is not
	// projected, so its members stay in the residual model instead.
	members := map[scale.TransactionID]bool{}
	for _, s := range f.Recurring {
		if s.Confidence < streamMinConf {
			continue
		}
		for _, id := range s.Members {
			members[id] = true
		}
	}
	in.Recurring = len(members)

	modelFrom := o.AsOf.AddDays(-(modelWindowDays - 1))
	if len(used) > 0 && used[0].Date.After(modelFrom) {
		modelFrom = used[0].Date
	}
	if len(used) == 0 {
		modelFrom = o.AsOf.AddDays(1)
	}
	modelDays := max(0, dayNumber(o.AsOf)-dayNumber(modelFrom)+1)
	series := make([]float64, modelDays)
	cats := map[scale.CategoryID][]float64{}
	z0 := dayNumber(modelFrom)
	for _, t := range used {
		if t.Date.Before(modelFrom) || members[t.ID] {
			continue
		}
		i := dayNumber(t.Date) - z0
		series[i] += float64(t.Amount.Minor)
		if o.By == ByCategory {
			c := categoryOf(t)
			if cats[c] == nil {
				cats[c] = make([]float64, modelDays)
			}
			cats[c][i] += float64(t.Amount.Minor)
		}
	}

	f.History = HistoryWindow{To: o.AsOf, ModelFrom: modelFrom, ModelDays: modelDays, Input: in}
	if len(used) > 0 {
		f.History.From = used[0].Date
		f.History.Days = o.AsOf.Sub(used[0].Date) + 1
	}
	f.History.Gaps = findGaps(used, o.AsOf)
	f.Accounts, f.Categories = accountsAndCategories(used, f.Recurring, o.CategoryNames)
	f.Method = Method{Name: MethodName, Version: MethodVersion, Parameters: map[string]string{
		"model_window_days":     strconv.Itoa(modelWindowDays),
		"seasonality":           "weekday pools x day-of-month factor (6 five-day buckets)",
		"dom_prior_days":        strconv.FormatFloat(domPriorDays, 'f', -1, 64),
		"quantiles":             "0.1,0.5,0.9",
		"total_sample_paths":    strconv.Itoa(samplePaths),
		"seed":                  strconv.Itoa(sampleSeed),
		"stream_min_confidence": strconv.FormatFloat(streamMinConf, 'f', -1, 64),
	}}

	end := o.AsOf.AddDays(o.Horizon)
	occs := occurrencesOf(f.Recurring, o.AsOf, end, func(*Stream) bool { return true })
	m := fitSeasonal(series, modelFrom)
	cal := horizonDays(o.AsOf, o.Horizon)
	f.Days, f.Total = project(&m, occs, cal, sampleSeed)

	if o.By == ByCategory {
		ids := make([]scale.CategoryID, 0, len(cats))
		for c := range cats {
			ids = append(ids, c)
		}
		for _, s := range f.Recurring {
			if s.Active && !slices.Contains(ids, s.Category) {
				ids = append(ids, s.Category)
			}
		}
		slices.Sort(ids)
		f.ByCategory = make([]CategoryForecast, 0, len(ids))
		for k, c := range ids {
			cm := fitSeasonal(cats[c], modelFrom)
			if cats[c] == nil {
				cm = seasonalModel{dom: [6]float64{1, 1, 1, 1, 1, 1}}
			}
			cocc := occurrencesOf(f.Recurring, o.AsOf, end, func(s *Stream) bool { return s.Category == c })
			days, total := project(&cm, cocc, cal, sampleSeed+uint64(k)+1)
			f.ByCategory = append(f.ByCategory, CategoryForecast{
				Category: CategoryRef{ID: c, Name: categoryName(c, o.CategoryNames)}, Days: days, Total: total,
			})
		}
	}
	f.SafeToSpend = safeToSpend(used, f.Recurring, f.Days, o.AsOf)
	f.Quality = qualityFlags(f, in)
	return f, nil
}

// chooseCurrency returns o.Currency or the only currency of txs.
func chooseCurrency(txs []scale.Transaction, o Options) (scale.Currency, error) {
	if o.Currency != "" {
		return o.Currency, nil
	}
	var curs []scale.Currency
	for _, t := range txs {
		if o.Account != "" && t.Account != o.Account {
			continue
		}
		if !slices.Contains(curs, t.Amount.Currency) {
			curs = append(curs, t.Amount.Currency)
		}
	}
	switch len(curs) {
	case 0:
		return "", nil
	case 1:
		return curs[0], nil
	}
	slices.Sort(curs)
	names := make([]string, len(curs))
	for i, c := range curs {
		names[i] = string(c)
	}
	return "", scale.InvalidFields(CodeCurrencyRequired, "The history has several currencies; forecasts are made one currency at a time.",
		scale.FieldError{Field: "currency", Message: "is required: choose one of " + strings.Join(names, ", ")})
}

// Currencies lists the currencies of txs, sorted.
func Currencies(txs []scale.Transaction) []scale.Currency {
	var curs []scale.Currency
	for _, t := range txs {
		if !slices.Contains(curs, t.Amount.Currency) {
			curs = append(curs, t.Amount.Currency)
		}
	}
	slices.Sort(curs)
	return curs
}

func occurrencesOf(streams []Stream, asOf, end scale.Date, keep func(*Stream) bool) []occurrence {
	var out []occurrence
	for i := range streams {
		s := &streams[i]
		if !s.Active || s.Confidence < streamMinConf || !keep(s) {
			continue
		}
		for _, d := range s.Dates(asOf.AddDays(1), end) {
			out = append(out, occurrence{stream: s, day: d.Sub(asOf) - 1})
		}
	}
	return out
}

func findGaps(used []*scale.Transaction, asOf scale.Date) []Gap {
	var gaps []Gap
	for i := 1; i <= len(used); i++ {
		prev := dayNumber(used[i-1].Date)
		next := dayNumber(asOf) + 1
		if i < len(used) {
			next = dayNumber(used[i].Date)
		}
		if n := next - prev - 1; n >= gapDays {
			gaps = append(gaps, Gap{From: dateOfNumber(prev + 1), To: dateOfNumber(next - 1), Days: n})
		}
	}
	return gaps
}

func accountsAndCategories(used []*scale.Transaction, streams []Stream, names map[scale.CategoryID]string) ([]scale.AccountID, []CategoryRef) {
	accts := []scale.AccountID{}
	seen := map[scale.CategoryID]bool{}
	for _, t := range used {
		if !slices.Contains(accts, t.Account) {
			accts = append(accts, t.Account)
		}
		seen[categoryOf(t)] = true
	}
	for _, s := range streams {
		seen[s.Category] = true
	}
	slices.Sort(accts)
	cats := make([]CategoryRef, 0, len(seen))
	for c := range seen {
		cats = append(cats, CategoryRef{ID: c, Name: categoryName(c, names)})
	}
	slices.SortFunc(cats, func(a, b CategoryRef) int { return cmp.Compare(a.ID, b.ID) })
	return accts, cats
}

func categoryName(id scale.CategoryID, names map[scale.CategoryID]string) string {
	if n, ok := names[id]; ok && n != "" {
		return n
	}
	for _, c := range scale.DefaultCategories() {
		if c.ID == id {
			return c.Name
		}
	}
	return string(id)
}

// safeToSpend computes the pay-cycle allowance, or nil without an income
// stream.
func safeToSpend(used []*scale.Transaction, streams []Stream, days []Day, asOf scale.Date) *SafeToSpend {
	var inc *Stream
	for i := range streams {
		s := &streams[i]
		if s.Direction != scale.Credit || !s.Active || s.Confidence < streamMinConf || (s.Kind != KindSalary && s.Kind != KindIncome) {
			continue
		}
		if inc == nil || s.NextDate.Before(inc.NextDate) || s.NextDate == inc.NextDate && s.Amount > inc.Amount {
			inc = s
		}
	}
	if inc == nil {
		return nil
	}
	var cycleStart scale.Date
	for _, s := range streams {
		if s.Direction == scale.Credit && s.Active && s.Confidence >= streamMinConf && (s.Kind == KindSalary || s.Kind == KindIncome) && s.LastDate.After(cycleStart) {
			cycleStart = s.LastDate
		}
	}
	st := &SafeToSpend{Until: inc.NextDate, Days: inc.NextDate.Sub(asOf), CycleStart: cycleStart, IncomeStream: inc.ID}
	for _, t := range used {
		if !t.Date.Before(cycleStart) {
			st.CycleNet += t.Amount.Minor
		}
	}
	for _, d := range days {
		if !d.Date.Before(inc.NextDate) {
			break
		}
		for _, e := range d.Events {
			if e.Amount < 0 {
				st.CommittedRecurring += e.Amount
			}
		}
		st.ExpectedDiscretionary += d.P50 - d.Recurring
	}
	st.Amount = st.CycleNet + st.CommittedRecurring
	if st.Days > 0 {
		st.PerDay = st.Amount / int64(st.Days)
	}
	return st
}

func qualityFlags(f Forecast, in InputCounts) []QualityFlag {
	q := []QualityFlag{}
	switch {
	case in.Used == 0:
		q = append(q, QualityFlag{FlagNoHistory, "There is no history in this currency; the forecast is zero."})
	case f.History.Days < shortHistoryDays:
		q = append(q, QualityFlag{FlagShortHistory, fmt.Sprintf("Only %d days of history; %d or more give reliable seasonality and recurring detection.", f.History.Days, shortHistoryDays)})
	}
	if n := len(f.History.Gaps); n > 0 {
		total := 0
		for _, g := range f.History.Gaps {
			total += g.Days
		}
		q = append(q, QualityFlag{FlagGaps, fmt.Sprintf("The history has %d gap(s) of %d+ days without transactions (%d days in all); statements may be missing.", n, gapDays, total)})
	}
	if in.Used > 0 && f.SafeToSpend == nil {
		q = append(q, QualityFlag{FlagNoIncome, "No regular income was detected, so safe-to-spend is not available."})
	}
	if in.OtherCurrency > 0 {
		names := make([]string, len(in.OtherCurrencies))
		for i, c := range in.OtherCurrencies {
			names[i] = string(c)
		}
		q = append(q, QualityFlag{FlagOtherCurrencies, fmt.Sprintf("%d transaction(s) in %s are not included; each currency has its own forecast.", in.OtherCurrency, strings.Join(names, ", "))})
	}
	return q
}
