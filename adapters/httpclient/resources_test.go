package httpclient_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/httpclient"
)

// history is half a year of salary, rent and a subscription, plus a charge
// booked twice.
func history() string {
	var b strings.Builder
	b.WriteString("Date,Description,Amount,Currency\n")
	for m := 1; m <= 8; m++ {
		fmt.Fprintf(&b, "2026-%02d-01,ACME GMBH SALARY,3500.00,EUR\n", m)
		fmt.Fprintf(&b, "2026-%02d-03,RENT HAUSVERWALTUNG MUELLER,-1200.00,EUR\n", m)
		fmt.Fprintf(&b, "2026-%02d-15,NETFLIX.COM,-12.99,EUR\n", m)
		fmt.Fprintf(&b, "2026-%02d-%02d,REWE MARKT BERLIN,-%d.40,EUR\n", m, 10+m, 20+m)
	}
	b.WriteString("2026-08-20,ZALANDO SE ORDER 4411,-49.90,EUR\n")
	b.WriteString("2026-08-21,ZALANDO SE ORDER 4411,-49.90,EUR\n")
	b.WriteString("2026-08-22,MEDIAMARKT BERLIN TV,-1899.00,EUR\n")
	return b.String()
}

func TestCategoriesRulesAndClassification(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	c, bob := clientFor(t, srv, "alice"), clientFor(t, srv, "bob")
	ctx := t.Context()

	cats, err := c.Categories(ctx)
	is.NoErr(err)
	is.Equal(cats[0].ID, "food")
	is.True(cats[0].Default)
	pets, err := c.CreateCategory(ctx, "Pets")
	is.NoErr(err)
	is.True(!pets.Default)
	is.True(pets.CreatedAt != nil)
	_, err = c.CreateCategory(ctx, "pets")
	is.True(httpclient.IsConflict(err))
	is.Equal(httpclient.CodeOf(err), "category.exists")
	pets, err = c.RenameCategory(ctx, pets.ID, "Pet care")
	is.NoErr(err)
	is.Equal(pets.Name, "Pet care")
	_, err = c.RenameCategory(ctx, "food", "Eating")
	is.Equal(httpclient.CodeOf(err), "category.default_immutable")
	_, err = bob.RenameCategory(ctx, pets.ID, "Mine")
	is.True(httpclient.IsNotFound(err))

	r, err := c.CreateRule(ctx, httpclient.NewRule{Category: pets.ID, Field: httpclient.FieldAny, Pattern: "fressnapf", MaxAmount: "-0.01"})
	is.NoErr(err)
	is.Equal(r.Match, httpclient.MatchContains)
	is.Equal(r.MaxAmount, "-0.01")
	res, err := c.Classify(ctx, httpclient.ClassifyItem{Description: "FRESSNAPF FILIALE 12 BERLIN", Amount: "-23.99", Currency: "EUR", Date: "2026-03-01"})
	is.NoErr(err)
	is.Equal(res.Category, pets.ID)
	is.Equal(res.LabelSource, httpclient.SourceRule)
	is.Equal(res.RuleID, r.ID)
	r, err = c.UpdateRule(ctx, r.ID, httpclient.RulePatch{Priority: new(5), MaxAmount: new("")})
	is.NoErr(err)
	is.Equal(r.Priority, 5)
	is.Equal(r.MaxAmount, "")
	got, err := c.Rule(ctx, r.ID)
	is.NoErr(err)
	is.Equal(got.Priority, 5)
	rules, err := c.Rules(ctx)
	is.NoErr(err)
	is.Equal(len(rules), 1)
	_, err = bob.Rule(ctx, r.ID)
	is.True(httpclient.IsNotFound(err))
	is.True(httpclient.IsNotFound(bob.DeleteRule(ctx, r.ID)))
	err = c.DeleteCategory(ctx, pets.ID)
	is.Equal(httpclient.CodeOf(err), "category.in_use")

	_, err = c.CreateRule(ctx, httpclient.NewRule{Category: "nope", MinAmount: "a lot"})
	is.True(httpclient.IsInvalid(err))
	is.True(len(httpclient.AsProblem(err).Errors) >= 2)

	rs, err := c.ClassifyBatch(ctx, []httpclient.ClassifyItem{
		{Description: "FRESSNAPF", Amount: "-5.00", Currency: "EUR"},
		{Description: "UBER *TRIP", Amount: "-18.90", Currency: "EUR"},
	})
	is.NoErr(err)
	is.Equal(len(rs), 2)
	is.Equal(rs[0].Category, pets.ID)
	_, err = c.ClassifyBatch(ctx, []httpclient.ClassifyItem{
		{Description: "OK", Amount: "-5.00", Currency: "EUR"},
		{Description: "BAD", Amount: "0", Currency: "EUR"},
	})
	is.True(httpclient.IsInvalid(err))
	_, ok := httpclient.AsProblem(err).Field("body.items[1].amount")
	is.True(ok)

	is.NoErr(c.DeleteRule(ctx, r.ID))
	is.NoErr(c.DeleteCategory(ctx, pets.ID))
	_, err = c.Rule(ctx, r.ID)
	is.True(httpclient.IsNotFound(err))

	// Discovery proposes, accepting relabels.
	_, err = c.Import(ctx, httpclient.ImportRequest{FileName: "h.csv", Body: strings.NewReader(history())})
	is.NoErr(err)
	d, err := c.DiscoverCategories(ctx, httpclient.DiscoverRequest{From: "2026-01-01"})
	is.NoErr(err)
	is.True(d.Considered >= 0)
	netflix := collect(t, c.AllTransactions(ctx, httpclient.TransactionQuery{TransactionFilter: httpclient.TransactionFilter{Text: "netflix"}}))
	ids := make([]string, len(netflix))
	for i, tx := range netflix {
		ids[i] = tx.ID
	}
	acc, err := c.AcceptDiscoveredCategory(ctx, "Streaming", ids)
	is.NoErr(err)
	is.Equal(acc.Relabelled, 8)
	is.Equal(acc.Category.Name, "Streaming")
	acc, err = bob.AcceptDiscoveredCategory(ctx, "Streaming", ids)
	is.NoErr(err)
	is.Equal(acc.Relabelled, 0) // not bob's
}

func TestTraining(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	c := clientFor(t, srv, "alice")
	ctx := t.Context()

	ms, err := c.Models(ctx)
	is.NoErr(err)
	is.Equal(len(ms.Items), 0)
	is.True(ms.Base != nil)
	is.True(len(ms.Base.Categories) > 0)

	// Without labelled transactions there is nothing to train on.
	_, err = c.CreateTrainingJob(ctx, httpclient.TrainingOptions{})
	is.True(httpclient.IsConflict(err))
	is.Equal(httpclient.CodeOf(err), "training.not_enough_labels")
	jobs, err := c.TrainingJobs(ctx, 0)
	is.NoErr(err)
	is.Equal(len(jobs), 0)

	const unknown = "0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a90"
	_, err = c.TrainingJob(ctx, unknown)
	is.True(httpclient.IsNotFound(err))
	_, err = c.CancelTrainingJob(ctx, unknown)
	is.True(httpclient.IsNotFound(err))
	_, err = c.ActivateModel(ctx, unknown)
	is.True(httpclient.IsNotFound(err))
}

func TestForecastsAndAnomalies(t *testing.T) {
	is := is.New(t)
	srv := newServer(t)
	c, bob := clientFor(t, srv, "alice"), clientFor(t, srv, "bob")
	ctx := t.Context()
	acct, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Currency: "EUR"})
	is.NoErr(err)
	_, err = c.Import(ctx, httpclient.ImportRequest{FileName: "h.csv", Body: strings.NewReader(history()), AccountID: acct.ID})
	is.NoErr(err)

	streams, err := c.Recurring(ctx, "2026-08-31")
	is.NoErr(err)
	is.True(len(streams) >= 1)
	names := []string{}
	for _, s := range streams {
		is.Equal(s.Currency, "EUR")
		names = append(names, s.Name)
	}
	is.True(strings.Contains(strings.Join(names, "|"), "NETFLIX"))

	fs, err := c.Forecasts(ctx, httpclient.ForecastQuery{Horizon: 14, AsOf: "2026-08-31", ByCategory: true, AccountID: acct.ID})
	is.NoErr(err)
	is.Equal(len(fs), 1)
	is.Equal(fs[0].Currency, "EUR")
	is.Equal(fs[0].HorizonDays, 14)
	is.Equal(len(fs[0].Days), 14)
	is.Equal(fs[0].Days[0].Date, "2026-09-01")
	is.Equal(fs[0].AccountFilter, acct.ID)
	_, err = c.Forecasts(ctx, httpclient.ForecastQuery{Horizon: 3})
	is.True(httpclient.IsInvalid(err))
	_, ok := httpclient.AsProblem(err).Field("query.horizon")
	is.True(ok)
	_, err = bob.Forecasts(ctx, httpclient.ForecastQuery{AccountID: acct.ID})
	is.True(httpclient.IsNotFound(err))

	_, err = c.ScanAnomalies(ctx)
	is.NoErr(err)
	n, err := c.ScanAnomalies(ctx)
	is.NoErr(err)
	is.Equal(n, 0) // nothing new the second time
	all := collect(t, c.AllAnomalies(ctx, httpclient.AnomalyQuery{Limit: 1}))
	is.True(len(all) >= 1)
	a := all[0]
	is.True(a.Reason != "")
	is.Equal(a.Status, httpclient.AnomalyOpen)
	got, err := c.Anomaly(ctx, a.ID)
	is.NoErr(err)
	is.Equal(got.TransactionID, a.TransactionID)
	_, err = bob.Anomaly(ctx, a.ID)
	is.True(httpclient.IsNotFound(err))
	_, err = bob.DismissAnomaly(ctx, a.ID)
	is.True(httpclient.IsNotFound(err))
	got, err = c.DismissAnomaly(ctx, a.ID)
	is.NoErr(err)
	is.Equal(got.Status, httpclient.AnomalyDismissed)
	got, err = c.ConfirmAnomaly(ctx, a.ID)
	is.NoErr(err)
	is.Equal(got.Status, httpclient.AnomalyConfirmed)
	confirmed, err := c.Anomalies(ctx, httpclient.AnomalyQuery{Status: httpclient.AnomalyConfirmed})
	is.NoErr(err)
	is.Equal(len(confirmed.Items), 1)
	is.Equal(confirmed.Items[0].ID, a.ID)
}
