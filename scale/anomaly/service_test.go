package anomaly_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/anomaly"
	"github.com/scalehq/scale/scale/forecasting/synth"
)

var _ ports.JobHandler = (&anomaly.Service{}).HandleScan

func newService(t *testing.T) (*anomaly.Service, *memory.Clock, []synth.History) {
	t.Helper()
	hs := synth.Generate(synth.Config{Users: 2, Years: 2, Seed: 5})
	st := memory.NewStore()
	for _, h := range hs {
		createAccounts(t, st, h.Transactions)
		_, err := st.InsertTransactions(context.Background(), h.User, h.Transactions)
		if err != nil {
			t.Fatal(err)
		}
	}
	clock := memory.NewClock(time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC))
	return anomaly.NewService(anomaly.Deps{Transactions: st, Anomalies: st, Clock: clock}), clock, hs
}

func TestServiceScanIsIdempotent(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, _, hs := newService(t)
	u := hs[0].User

	n, err := svc.Scan(ctx, u)
	is.NoErr(err)
	is.True(n >= len(hs[0].Anomalies)) // at least one finding per injected anomaly
	again, err := svc.Scan(ctx, u)
	is.NoErr(err)
	is.Equal(again, 0) // nothing new the second time

	var all []scale.Anomaly
	q := ports.AnomalyQuery{Limit: 7}
	for {
		page, err := svc.List(ctx, u, q)
		is.NoErr(err)
		all = append(all, page.Items...)
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	is.Equal(len(all), n)
	seen := map[string]bool{}
	for i, a := range all {
		is.Equal(a.User, u)
		is.Equal(a.Status, scale.AnomalyOpen)
		is.True(a.Reason != "")
		k := string(a.Transaction) + "|" + string(a.Kind)
		is.True(!seen[k]) // one finding per (transaction, kind)
		seen[k] = true
		if i > 0 {
			is.True(!a.Date.After(all[i-1].Date)) // newest first
		}
	}

	// The other user sees none of them.
	other, err := svc.List(ctx, hs[1].User, ports.AnomalyQuery{})
	is.NoErr(err)
	is.Equal(len(other.Items), 0)
}

func TestServiceFeedback(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, clock, hs := newService(t)
	u := hs[0].User
	_, err := svc.Scan(ctx, u)
	is.NoErr(err)
	page, err := svc.List(ctx, u, ports.AnomalyQuery{Kind: scale.AnomalyDuplicateCharge})
	is.NoErr(err)
	is.True(len(page.Items) >= 2)
	for _, a := range page.Items {
		is.Equal(a.Kind, scale.AnomalyDuplicateCharge)
	}

	clock.Advance(time.Hour)
	d, err := svc.Dismiss(ctx, u, page.Items[0].ID)
	is.NoErr(err)
	is.Equal(d.Status, scale.AnomalyDismissed)
	c, err := svc.Confirm(ctx, u, page.Items[1].ID)
	is.NoErr(err)
	is.Equal(c.Status, scale.AnomalyConfirmed)

	dismissed, err := svc.List(ctx, u, ports.AnomalyQuery{Status: scale.AnomalyDismissed})
	is.NoErr(err)
	is.Equal(len(dismissed.Items), 1)
	is.Equal(dismissed.Items[0].ID, page.Items[0].ID)

	// Feedback survives a rescan.
	_, err = svc.Scan(ctx, u)
	is.NoErr(err)
	got, err := svc.Get(ctx, u, page.Items[0].ID)
	is.NoErr(err)
	is.Equal(got.Status, scale.AnomalyDismissed)

	// Another user's finding is not found.
	_, err = svc.Dismiss(ctx, hs[1].User, page.Items[0].ID)
	is.Equal(scale.KindOf(err), scale.KindNotFound)
	_, err = svc.Confirm(ctx, u, "no-such-id")
	is.Equal(scale.KindOf(err), scale.KindNotFound)
}

func TestServiceListValidates(t *testing.T) {
	is := is.New(t)
	svc, _, hs := newService(t)
	_, err := svc.List(context.Background(), hs[0].User, ports.AnomalyQuery{Limit: -1, Status: "closed", Kind: "weird"})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	is.Equal(scale.CodeOf(err), anomaly.CodeInvalidQuery)
	is.Equal(len(err.(*scale.Error).Fields), 3)
}

func TestScanJob(t *testing.T) {
	is := is.New(t)
	ctx := context.Background()
	svc, _, hs := newService(t)
	job, err := anomaly.NewScanJob(anomaly.ScanPayload{User: hs[1].User, Upload: "up-1"})
	is.NoErr(err)
	is.Equal(job.Type, anomaly.JobScan)
	is.Equal(job.Key, "anomaly.scan:"+string(hs[1].User)+":up-1")
	var p anomaly.ScanPayload
	is.NoErr(json.Unmarshal(job.Payload, &p))
	is.Equal(p.User, hs[1].User)

	is.NoErr(svc.HandleScan(ctx, job, 1))
	page, err := svc.List(ctx, hs[1].User, ports.AnomalyQuery{})
	is.NoErr(err)
	is.True(len(page.Items) > 0)

	err = svc.HandleScan(ctx, ports.Job{Type: anomaly.JobScan, Payload: []byte("{")}, 1)
	is.Equal(scale.KindOf(err), scale.KindInvalid) // a broken payload is not retried
	_, err = anomaly.NewScanJob(anomaly.ScanPayload{})
	is.Equal(scale.KindOf(err), scale.KindInvalid)
}

// createAccounts opens every account the transactions are booked on: a store
// refuses rows on accounts their user does not have.
func createAccounts(t *testing.T, st *memory.Store, txs []scale.Transaction) {
	t.Helper()
	seen := map[scale.AccountID]bool{}
	for _, x := range txs {
		if seen[x.Account] {
			continue
		}
		seen[x.Account] = true
		err := st.CreateAccount(context.Background(), scale.Account{ID: x.Account, User: x.User, Name: "synthetic",
			Kind: scale.AccountChecking, Currency: x.Amount.Currency})
		if err != nil {
			t.Fatal(err)
		}
	}
}
