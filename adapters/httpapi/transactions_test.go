package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

// seed stores n transactions for user on a new account, one per day back
// from 2026-03-31, alternating debits and credits.
func seed(t *testing.T, a *apiServer, user scale.UserID, n int) scale.AccountID {
	t.Helper()
	ctx := t.Context()
	acct, err := a.SDK.Accounts.CreateAccount(ctx, user, accountsNew("Main"))
	if err != nil {
		t.Fatal(err)
	}
	var txs []scale.Transaction
	for i := range n {
		amt := int64(-(i + 1) * 100)
		desc := fmt.Sprintf("SHOP %d", i%4)
		if i%5 == 0 {
			amt, desc = int64(10000+i), "=HYPERLINK(\"evil\") salary"
		}
		txs = append(txs, scale.Transaction{Account: acct.ID, Date: scale.Date{Year: 2026, Month: time.March, Day: 31}.AddDays(-i),
			Amount: scale.Money{Minor: amt, Currency: "EUR"}, Description: desc, Merchant: desc})
	}
	if _, err := a.SDK.Accounts.AddTransactions(ctx, user, txs); err != nil {
		t.Fatal(err)
	}
	return acct.ID
}

func TestListTransactionsPagesWithCursorAndLink(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	seed(t, a, "alice", 23)
	tok := tokenFor(t, "alice", scale.RoleUser)
	type page struct {
		Items []struct{ ID, Date, Amount, Type string }
		Next  string
	}
	seen := map[string]bool{}
	path := "/api/v1/transactions?limit=5"
	var dates []string
	for range 10 {
		st, h, b := a.call(t, "GET", path, tok, "")
		is.Equal(st, 200)
		p := decode[page](t, b)
		for _, it := range p.Items {
			is.True(!seen[it.ID])
			seen[it.ID] = true
			dates = append(dates, it.Date)
		}
		if p.Next == "" {
			is.Equal(h.Get("Link"), "")
			break
		}
		link := h.Get("Link")
		is.True(strings.HasSuffix(link, `>; rel="next"`))
		path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
	is.Equal(len(seen), 23)
	for i := 1; i < len(dates); i++ {
		is.True(dates[i-1] >= dates[i]) // newest first
	}

	st, _, b := a.call(t, "GET", "/api/v1/transactions?type=credit&min_amount=100.00&sort=date_asc", tok, "")
	is.Equal(st, 200)
	p := decode[page](t, b)
	is.Equal(len(p.Items), 5)
	for _, it := range p.Items {
		is.Equal(it.Type, "credit")
	}

	st, h, b := a.call(t, "GET", "/api/v1/transactions?cursor=garbage&limit=500&sort=sideways", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(strings.Contains(string(b), "query.limit"))
	is.True(strings.Contains(string(b), "query.sort"))
	st, h, b = a.call(t, "GET", "/api/v1/transactions?cursor=garbage", tok, "")
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(strings.Contains(string(b), "query.cursor"))
}

func TestExportNeutralizesFormulas(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	seed(t, a, "alice", 12)
	st, h, b := a.call(t, "GET", "/api/v1/transactions/export?format=csv&type=credit", tokenFor(t, "alice", scale.RoleUser), "")
	is.Equal(st, 200)
	is.True(strings.HasPrefix(h.Get("Content-Type"), "text/csv"))
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	is.NoErr(err)
	is.Equal(len(rows), 1+3) // header + the three credits
	for _, r := range rows[1:] {
		is.True(strings.HasPrefix(r[5], "'=")) // description
		is.Equal(r[4], "credit")
	}
}

func TestPatchTransactionRecordsCorrection(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	seed(t, a, "alice", 3)
	tok := tokenFor(t, "alice", scale.RoleUser)
	_, _, b := a.call(t, "GET", "/api/v1/transactions?limit=1", tok, "")
	id := decode[struct{ Items []struct{ ID string } }](t, b).Items[0].ID

	st, _, b := a.call(t, "PATCH", "/api/v1/transactions/"+id, tok, `{"category":"shopping","notes":"gift"}`)
	is.Equal(st, 200)
	got := decode[struct {
		Category    string `json:"category"`
		LabelSource string `json:"label_source"`
		Notes       string `json:"notes"`
	}](t, b)
	is.Equal(got.Category, "shopping")
	is.Equal(got.LabelSource, "correction")
	is.Equal(got.Notes, "gift")
	cs, err := a.Store.ListCorrections(t.Context(), "alice")
	is.NoErr(err)
	is.Equal(len(cs), 1)

	st, h, b := a.call(t, "PATCH", "/api/v1/transactions/"+id, tok, `{"category":"no-such-category"}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	bob := tokenFor(t, "bob", scale.RoleUser)
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		body := ""
		if m == "PATCH" {
			body = `{"notes":"pwned"}`
		}
		st, h, b := a.call(t, m, "/api/v1/transactions/"+id, bob, body)
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	}
	st, _, _ = a.call(t, "DELETE", "/api/v1/transactions/"+id, tok, "")
	is.Equal(st, 204)
}
