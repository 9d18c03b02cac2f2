package porttest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// StoreFactory returns a fresh, empty store and registers its cleanup on t.
type StoreFactory func(t *testing.T) ports.Store

// TestStore runs the contract suite of every store port against stores made
// by newStore.
func TestStore(t *testing.T, newStore StoreFactory) {
	t.Run("Profiles", func(t *testing.T) { testProfiles(t, newStore) })
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, newStore) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, newStore) })
	t.Run("Listing", func(t *testing.T) { testListing(t, newStore) })
	t.Run("Imports", func(t *testing.T) { testImports(t, newStore) })
	t.Run("Uploads", func(t *testing.T) { testUploads(t, newStore) })
	t.Run("Categories", func(t *testing.T) { testCategories(t, newStore) })
	t.Run("Jobs", func(t *testing.T) { testJobs(t, newStore) })
	t.Run("Models", func(t *testing.T) { testModels(t, newStore) })
	t.Run("Anomalies", func(t *testing.T) { testAnomalies(t, newStore) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore) })
}

func ctxOf(t *testing.T) context.Context { return t.Context() }

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

func wantKind(t *testing.T, err error, k scale.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want kind %v", what, k)
	}
	var se *scale.Error
	if !errors.As(err, &se) {
		t.Fatalf("%s: error %v is not a *scale.Error (want kind %v)", what, err, k)
	}
	if se.Kind != k {
		t.Fatalf("%s: kind = %v, want %v (err: %v)", what, se.Kind, k, err)
	}
}

func equalTime(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

func testProfiles(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "p")
	_, err := s.GetProfile(ctx, u)
	wantKind(t, err, scale.KindNotFound, "GetProfile before Put")
	p := scale.Profile{User: u, DisplayName: "Ada", Currency: "GBP", TimeZone: "Europe/London", Locale: "en-GB",
		CreatedAt: baseTime, UpdatedAt: baseTime}
	must(t, s.PutProfile(ctx, p), "PutProfile")
	got, err := s.GetProfile(ctx, u)
	must(t, err, "GetProfile")
	if got.DisplayName != "Ada" || got.Currency != "GBP" || got.TimeZone != "Europe/London" || got.Locale != "en-GB" {
		t.Fatalf("GetProfile = %+v, want what was put", got)
	}
	if !equalTime(got.CreatedAt, baseTime) {
		t.Fatalf("CreatedAt = %v, want %v", got.CreatedAt, baseTime)
	}
	p.DisplayName, p.UpdatedAt = "Ada L.", baseTime.Add(time.Hour)
	must(t, s.PutProfile(ctx, p), "PutProfile again")
	got, _ = s.GetProfile(ctx, u)
	if got.DisplayName != "Ada L." || !equalTime(got.UpdatedAt, p.UpdatedAt) {
		t.Fatalf("after update: %+v", got)
	}
}

func testAccounts(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "a")
	a1, a2 := account(u, "Checking"), account(u, "Savings")
	a2.CreatedAt = baseTime.Add(time.Minute)
	must(t, s.CreateAccount(ctx, a1), "CreateAccount")
	must(t, s.CreateAccount(ctx, a2), "CreateAccount 2")
	wantKind(t, s.CreateAccount(ctx, a1), scale.KindConflict, "CreateAccount with an existing id")
	got, err := s.GetAccount(ctx, u, a1.ID)
	must(t, err, "GetAccount")
	if got.Name != "Checking" || got.Currency != "EUR" || got.Kind != scale.AccountChecking || got.Closed() {
		t.Fatalf("GetAccount = %+v", got)
	}
	list, err := s.ListAccounts(ctx, u)
	must(t, err, "ListAccounts")
	if len(list) != 2 || list[0].ID != a1.ID || list[1].ID != a2.ID {
		t.Fatalf("ListAccounts = %v, want [a1 a2] oldest first", list)
	}
	closed := baseTime.Add(time.Hour)
	a1.Name, a1.ClosedAt, a1.UpdatedAt = "Old checking", &closed, closed
	must(t, s.UpdateAccount(ctx, a1), "UpdateAccount")
	got, _ = s.GetAccount(ctx, u, a1.ID)
	if got.Name != "Old checking" || !got.Closed() || !equalTime(*got.ClosedAt, closed) {
		t.Fatalf("after UpdateAccount: %+v", got)
	}
	_, err = s.GetAccount(ctx, u, scale.AccountID(scale.NewID()))
	wantKind(t, err, scale.KindNotFound, "GetAccount unknown")
}

func seedAccount(t *testing.T, s ports.Store, u scale.UserID) scale.Account {
	t.Helper()
	a := account(u, "Main")
	must(t, s.CreateAccount(ctxOf(t), a), "CreateAccount")
	return a
}

func testTransactions(t *testing.T, newStore StoreFactory) {
	t.Run("insert_get_roundtrip", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "t")
		a := seedAccount(t, s, u)
		x := tx(u, a.ID, 0, -1250, "COFFEE SHOP Berlin")
		x.Reference, x.Notes = "REF-1", "with Bob"
		x.Label = scale.Label{Category: "food", Source: scale.SourceModel, Confidence: 0.87}
		res, err := s.InsertTransactions(ctx, u, []scale.Transaction{x})
		must(t, err, "InsertTransactions")
		if !slices.Equal(res.Inserted, []int{0}) || len(res.Duplicates) != 0 {
			t.Fatalf("InsertResult = %+v, want inserted [0]", res)
		}
		got, err := s.GetTransaction(ctx, u, x.ID)
		must(t, err, "GetTransaction")
		if got.Amount != x.Amount || got.Date != x.Date || got.Description != x.Description ||
			got.Merchant != x.Merchant || got.Reference != "REF-1" || got.Notes != "with Bob" ||
			got.Label != x.Label || got.Fingerprint != x.Fingerprint || got.FingerprintVersion != "v1" ||
			got.Account != a.ID || got.Raw["Description"] != x.Description || got.Type() != scale.Debit {
			t.Fatalf("GetTransaction = %+v, want %+v", got, x)
		}
		if !equalTime(got.CreatedAt, x.CreatedAt) {
			t.Fatalf("CreatedAt = %v, want %v (microsecond precision)", got.CreatedAt, x.CreatedAt)
		}
	})
	t.Run("duplicates_by_fingerprint", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "t")
		a := seedAccount(t, s, u)
		x, y := tx(u, a.ID, 0, -100, "A"), tx(u, a.ID, 1, -200, "B")
		dupInBatch := y
		dupInBatch.ID = scale.TransactionID(scale.NewID())
		res, err := s.InsertTransactions(ctx, u, []scale.Transaction{x, y, dupInBatch})
		must(t, err, "InsertTransactions")
		if !slices.Equal(res.Inserted, []int{0, 1}) || !slices.Equal(res.Duplicates, []int{2}) {
			t.Fatalf("InsertResult = %+v, want inserted [0 1], duplicates [2]", res)
		}
		again := x
		again.ID = scale.TransactionID(scale.NewID())
		z := tx(u, a.ID, 2, 300, "C")
		res, err = s.InsertTransactions(ctx, u, []scale.Transaction{again, z})
		must(t, err, "InsertTransactions again")
		if !slices.Equal(res.Inserted, []int{1}) || !slices.Equal(res.Duplicates, []int{0}) {
			t.Fatalf("second InsertResult = %+v, want inserted [1], duplicates [0]", res)
		}
		_, err = s.GetTransaction(ctx, u, again.ID)
		wantKind(t, err, scale.KindNotFound, "the duplicate must not be stored")
		have, err := s.ExistingFingerprints(ctx, u, []string{z.Fingerprint, "never-stored", x.Fingerprint, x.Fingerprint})
		must(t, err, "ExistingFingerprints")
		slices.Sort(have)
		want := []string{x.Fingerprint, z.Fingerprint}
		slices.Sort(want)
		if !slices.Equal(have, want) {
			t.Fatalf("ExistingFingerprints = %v, want %v", have, want)
		}
		if none, err := s.ExistingFingerprints(ctx, u, nil); err != nil || len(none) != 0 {
			t.Fatalf("ExistingFingerprints(nil) = %v, %v", none, err)
		}
	})
	t.Run("invalid_batch_writes_nothing", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "t")
		a := seedAccount(t, s, u)
		good, bad := tx(u, a.ID, 0, -100, "A"), tx(u, a.ID, 1, 0, "zero")
		_, err := s.InsertTransactions(ctx, u, []scale.Transaction{good, bad})
		wantKind(t, err, scale.KindInvalid, "a zero amount")
		_, err = s.GetTransaction(ctx, u, good.ID)
		wantKind(t, err, scale.KindNotFound, "nothing of an invalid batch is stored")
	})
	t.Run("update_setlabels_delete", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "t")
		a := seedAccount(t, s, u)
		x, y := tx(u, a.ID, 0, -100, "A"), tx(u, a.ID, 1, -200, "B")
		_, err := s.InsertTransactions(ctx, u, []scale.Transaction{x, y})
		must(t, err, "InsertTransactions")
		x.Merchant, x.Notes = "Renamed", "note"
		x.Label = scale.Label{Category: "shopping", Source: scale.SourceCorrection, Confidence: 1}
		x.UpdatedAt = baseTime.Add(time.Hour)
		x.Description = "must not change"
		must(t, s.UpdateTransaction(ctx, x), "UpdateTransaction")
		got, _ := s.GetTransaction(ctx, u, x.ID)
		if got.Merchant != "Renamed" || got.Notes != "note" || got.Label != x.Label || got.Description != "A" {
			t.Fatalf("after UpdateTransaction: %+v", got)
		}
		n, err := s.SetLabels(ctx, u, []ports.LabelUpdate{
			{ID: y.ID, Label: scale.Label{Category: "food", Source: scale.SourceRule, Confidence: 1}},
			{ID: scale.TransactionID(scale.NewID()), Label: scale.Label{Category: "food", Source: scale.SourceRule, Confidence: 1}},
		})
		must(t, err, "SetLabels")
		if n != 1 {
			t.Fatalf("SetLabels changed %d, want 1", n)
		}
		got, _ = s.GetTransaction(ctx, u, y.ID)
		if got.Label.Category != "food" || got.Label.Source != scale.SourceRule {
			t.Fatalf("after SetLabels: %+v", got.Label)
		}
		must(t, s.DeleteTransaction(ctx, u, x.ID), "DeleteTransaction")
		_, err = s.GetTransaction(ctx, u, x.ID)
		wantKind(t, err, scale.KindNotFound, "GetTransaction after delete")
		wantKind(t, s.DeleteTransaction(ctx, u, x.ID), scale.KindNotFound, "DeleteTransaction twice")
	})
}

func ids(txs []scale.Transaction) []scale.TransactionID {
	out := make([]scale.TransactionID, len(txs))
	for i, x := range txs {
		out[i] = x.ID
	}
	return out
}

func testListing(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "l")
	a, b := seedAccount(t, s, u), seedAccount(t, s, u)
	var all []scale.Transaction
	for i := range 25 {
		acct := a.ID
		if i%5 == 0 {
			acct = b.ID
		}
		amount := int64(-(i + 1) * 100)
		if i%4 == 0 {
			amount = int64((i + 1) * 1000)
		}
		x := tx(u, acct, i/2, amount, fmt.Sprintf("SHOP%d item %d", i%3, i))
		switch i % 3 {
		case 0:
			x.Label = scale.Label{Category: "food", Source: scale.SourceModel, Confidence: 0.9}
		case 1:
			x.Label = scale.Label{Category: "transport", Source: scale.SourceRule, Confidence: 1}
		}
		all = append(all, x)
	}
	_, err := s.InsertTransactions(ctx, u, all)
	must(t, err, "InsertTransactions")

	walk := func(q ports.TransactionQuery) []scale.Transaction {
		t.Helper()
		var out []scale.Transaction
		for range 100 {
			p, err := s.ListTransactions(ctx, u, q)
			must(t, err, "ListTransactions")
			if len(p.Items) > q.Limit {
				t.Fatalf("page of %d items exceeds limit %d", len(p.Items), q.Limit)
			}
			out = append(out, p.Items...)
			if p.Next == nil {
				return out
			}
			q.After = p.Next
		}
		t.Fatal("pagination did not end")
		return nil
	}
	expect := func(keep func(scale.Transaction) bool, asc bool) []scale.TransactionID {
		var want []scale.Transaction
		for _, x := range all {
			if keep(x) {
				want = append(want, x)
			}
		}
		slices.SortFunc(want, func(x, y scale.Transaction) int {
			c := x.Date.Compare(y.Date)
			if c == 0 {
				c = compareStr(string(x.ID), string(y.ID))
			}
			if !asc {
				c = -c
			}
			return c
		})
		return ids(want)
	}
	minA, maxA := int64(-1500), int64(5000)
	src := scale.SourceRule
	cases := []struct {
		name string
		q    ports.TransactionQuery
		keep func(scale.Transaction) bool
	}{
		{"all_desc", ports.TransactionQuery{}, func(scale.Transaction) bool { return true }},
		{"all_asc", ports.TransactionQuery{Ascending: true}, func(scale.Transaction) bool { return true }},
		{"date_range", ports.TransactionQuery{From: all[4].Date, To: all[12].Date},
			func(x scale.Transaction) bool { return !x.Date.Before(all[4].Date) && !x.Date.After(all[12].Date) }},
		{"amount_range", ports.TransactionQuery{MinAmount: &minA, MaxAmount: &maxA},
			func(x scale.Transaction) bool { return x.Amount.Minor >= minA && x.Amount.Minor <= maxA }},
		{"type_credit", ports.TransactionQuery{Type: scale.Credit}, func(x scale.Transaction) bool { return x.Amount.Minor > 0 }},
		{"account", ports.TransactionQuery{Account: b.ID}, func(x scale.Transaction) bool { return x.Account == b.ID }},
		{"categories", ports.TransactionQuery{Categories: []scale.CategoryID{"food", "transport"}},
			func(x scale.Transaction) bool { return x.Label.Category == "food" || x.Label.Category == "transport" }},
		{"uncategorized", ports.TransactionQuery{Uncategorized: true},
			func(x scale.Transaction) bool {
				return x.Label.Category == "" || x.Label.Category == scale.Uncategorized
			}},
		{"repeated_categories_asc", ports.TransactionQuery{Ascending: true, Uncategorized: true,
			Categories: []scale.CategoryID{"food", scale.Uncategorized, "food"}},
			func(x scale.Transaction) bool {
				return x.Label.Category == "food" || x.Label.Category == "" || x.Label.Category == scale.Uncategorized
			}},
		{"merchant_case_insensitive", ports.TransactionQuery{Merchant: "shop1"},
			func(x scale.Transaction) bool { return x.Merchant == "SHOP1" }},
		{"text", ports.TransactionQuery{Text: "ITEM 1"},
			func(x scale.Transaction) bool { return containsFold(x.Description, "item 1") }},
		{"label_source", ports.TransactionQuery{LabelSource: &src},
			func(x scale.Transaction) bool { return x.Label.Source == scale.SourceRule }},
		{"combined", ports.TransactionQuery{Account: a.ID, Type: scale.Debit, Categories: []scale.CategoryID{"food"}},
			func(x scale.Transaction) bool {
				return x.Account == a.ID && x.Amount.Minor < 0 && x.Label.Category == "food"
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, limit := range []int{1, 4, 7, 100} {
				q := c.q
				q.Limit = limit
				got := ids(walk(q))
				want := expect(c.keep, c.q.Ascending)
				if !slices.Equal(got, want) {
					t.Fatalf("limit %d: got %d ids %v\nwant %d ids %v", limit, len(got), got, len(want), want)
				}
			}
		})
	}
	t.Run("stable_under_inserts", func(t *testing.T) {
		q := ports.TransactionQuery{Limit: 5}
		p, err := s.ListTransactions(ctx, u, q)
		must(t, err, "first page")
		seen := ids(p.Items)
		// A new row dated before the cursor and one after it: neither may
		// make the walk skip or repeat a row that existed when it began.
		late := tx(u, a.ID, 100, -1, "new late")
		early := tx(u, a.ID, -100, -1, "new early")
		_, err = s.InsertTransactions(ctx, u, []scale.Transaction{late, early})
		must(t, err, "insert while paging")
		q.After = p.Next
		rest := walk(q)
		seen = append(seen, ids(rest)...)
		want := expect(func(scale.Transaction) bool { return true }, false)
		var got []scale.TransactionID
		for _, id := range seen {
			if id != early.ID {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("paging during inserts skipped or repeated rows:\n got %v\nwant %v", got, want)
		}
	})
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
