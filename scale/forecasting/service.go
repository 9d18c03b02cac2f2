package forecasting

import (
	"context"
	"log/slog"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Deps are what the Service needs.
type Deps struct {
	Transactions ports.TransactionStore
	// Categories is optional; with it, a user's own category names appear
	// in forecasts (the default taxonomy is always named).
	Categories ports.CategoryStore
	// Clock defaults to the system clock.
	Clock ports.Clock
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Service serves recurring streams and forecasts of a user's history.
type Service struct {
	d Deps
}

// NewService returns a Service; Deps.Transactions is required.
func NewService(d Deps) *Service {
	if d.Clock == nil {
		d.Clock = ports.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{d: d}
}

// Params are the parameters of a forecast request.
type Params struct {
	// Horizon is the number of days, MinHorizon–MaxHorizon.
	Horizon int
	// By is "" or ByCategory.
	By string
	// Account restricts the history to one account.
	Account scale.AccountID
	// Currency selects the currency; it is required when the history has
	// several.
	Currency scale.Currency
	// AsOf is the last day of history; zero means today (UTC) by the clock.
	AsOf scale.Date
}

// Recurring returns the user's recurring streams as of asOf (zero means
// today), all currencies, credits first.
func (s *Service) Recurring(ctx context.Context, user scale.UserID, asOf scale.Date) ([]Stream, error) {
	if asOf.IsZero() {
		asOf = scale.DateOf(s.d.Clock.Now().UTC())
	}
	txs, err := s.history(ctx, user)
	if err != nil {
		return nil, err
	}
	streams := DetectRecurring(txs, asOf)
	if streams == nil {
		streams = []Stream{}
	}
	s.d.Logger.DebugContext(ctx, "recurring streams detected", "user", user, "transactions", len(txs), "streams", len(streams))
	return streams, nil
}

// Forecast validates p and forecasts the user's cash flow. With several
// currencies in the history and none chosen it returns KindInvalid with
// code CodeCurrencyRequired; use Forecasts for one forecast per currency.
func (s *Service) Forecast(ctx context.Context, user scale.UserID, p Params) (Forecast, error) {
	o, err := s.options(p)
	if err != nil {
		return Forecast{}, err
	}
	txs, err := s.history(ctx, user)
	if err != nil {
		return Forecast{}, err
	}
	if o.CategoryNames, err = s.categoryNames(ctx, user); err != nil {
		return Forecast{}, err
	}
	f, err := Build(txs, o)
	if err != nil {
		return Forecast{}, err
	}
	s.d.Logger.InfoContext(ctx, "forecast built", "user", user, "currency", f.Currency,
		"horizon", f.Horizon, "transactions", f.History.Input.Used, "streams", len(f.Recurring))
	return f, nil
}

// Forecasts returns one forecast per currency of the user's history
// (p.Currency, when set, selects just that one).
func (s *Service) Forecasts(ctx context.Context, user scale.UserID, p Params) ([]Forecast, error) {
	o, err := s.options(p)
	if err != nil {
		return nil, err
	}
	txs, err := s.history(ctx, user)
	if err != nil {
		return nil, err
	}
	if o.CategoryNames, err = s.categoryNames(ctx, user); err != nil {
		return nil, err
	}
	curs := []scale.Currency{o.Currency}
	if o.Currency == "" {
		if curs = Currencies(txs); len(curs) == 0 {
			curs = []scale.Currency{""}
		}
	}
	out := make([]Forecast, 0, len(curs))
	for _, c := range curs {
		o.Currency = c
		f, err := Build(txs, o)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *Service) options(p Params) (Options, error) {
	now := s.d.Clock.Now().UTC()
	asOf := p.AsOf
	if asOf.IsZero() {
		asOf = scale.DateOf(now)
	}
	o := Options{AsOf: asOf, Horizon: p.Horizon, By: p.By, Currency: p.Currency, Account: p.Account, GeneratedAt: now}
	return o, o.Validate()
}

// history loads every transaction of the user, oldest first, page by page.
func (s *Service) history(ctx context.Context, user scale.UserID) ([]scale.Transaction, error) {
	var out []scale.Transaction
	err := ports.EachTransaction(ctx, s.d.Transactions, user, ports.TransactionQuery{Ascending: true},
		func(t scale.Transaction) error { out = append(out, t); return nil })
	if err != nil {
		return nil, scale.Wrap(err, scale.KindOf(err), CodeStore, "The transaction history could not be read.")
	}
	return out, nil
}

func (s *Service) categoryNames(ctx context.Context, user scale.UserID) (map[scale.CategoryID]string, error) {
	names := map[scale.CategoryID]string{}
	for _, c := range scale.DefaultCategories() {
		names[c.ID] = c.Name
	}
	if s.d.Categories == nil {
		return names, nil
	}
	cs, err := s.d.Categories.ListCategories(ctx, user)
	if err != nil {
		return nil, scale.Wrap(err, scale.KindOf(err), CodeStore, "The categories could not be read.")
	}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	return names, nil
}
