package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

type classified struct {
	Category    string  `json:"category"`
	LabelSource string  `json:"label_source"`
	Confidence  float64 `json:"confidence"`
	RuleID      string  `json:"rule_id"`
	Suggested   string  `json:"suggested"`
	Novel       string  `json:"novel"`
}

type categoryJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default"`
}

type ruleJSON struct {
	ID        string `json:"id"`
	Category  string `json:"category"`
	Field     string `json:"field"`
	Match     string `json:"match"`
	Pattern   string `json:"pattern"`
	MinAmount string `json:"min_amount"`
	MaxAmount string `json:"max_amount"`
	AccountID string `json:"account_id"`
	Priority  int    `json:"priority"`
}

// problemFields returns the locations listed in a problem.
func problemFields(t *testing.T, b []byte) []string {
	t.Helper()
	p := decode[struct {
		Errors []struct {
			Location string `json:"location"`
		} `json:"errors"`
	}](t, b)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// hasAll reports whether got contains every one of want.
func hasAll(got []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}

func item(desc, amount string) map[string]string {
	return map[string]string{"description": desc, "amount": amount, "currency": "EUR"}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestClassifyOneAndBatchInOrder(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)

	st, _, b := a.call(t, "POST", "/api/v1/classify", tok, jsonOf(t, item("CARD PAYMENT STARBUCKS COFFEE BERLIN", "-4.20")))
	is.Equal(st, 200)
	one := decode[classified](t, b)
	is.Equal(one.Category, "food")
	is.Equal(one.LabelSource, "model")
	is.True(one.Confidence > 0.5)

	descs := []string{"CARD PAYMENT STARBUCKS COFFEE BERLIN", "UBER TRIP HELP.UBER.COM", "SALARY ACME GMBH MARCH",
		"NETFLIX.COM SUBSCRIPTION", "REWE MARKT SAGT DANKE", "PHARMACY BOOTS LONDON", "VATTENFALL STROM ABSCHLAG"}
	var items []map[string]string
	for i := range 21 {
		amt := fmt.Sprintf("-%d.%02d", 3+i, i)
		if i%len(descs) == 2 {
			amt = "2500.00"
		}
		items = append(items, item(descs[i%len(descs)], amt))
	}
	st, _, b = a.call(t, "POST", "/api/v1/classify/batch", tok, jsonOf(t, map[string]any{"items": items}))
	is.Equal(st, 200)
	batch := decode[struct{ Items []classified }](t, b).Items
	is.Equal(len(batch), len(items)) // one result per item
	for i, it := range items {
		_, _, b := a.call(t, "POST", "/api/v1/classify", tok, jsonOf(t, it))
		single := decode[classified](t, b)
		is.Equal(batch[i].Category, single.Category) // in request order
		is.Equal(batch[i].Suggested, single.Suggested)
	}
	is.Equal(batch[0].Category, "food")

	// Every bad item field is listed, with its index.
	bad := []map[string]string{item("OK", "-1.00"), item("TOO PRECISE", "-1.234"), item("ZERO", "0.00"),
		{"description": "WRONG CURRENCY", "amount": "-5", "currency": "XYZ"}, {"description": "YEN", "amount": "5.5", "currency": "JPY"}}
	st, h, b := a.call(t, "POST", "/api/v1/classify/batch", tok, jsonOf(t, map[string]any{"items": bad}))
	is.Equal(problemOf(t, st, h, b, 422), "categorization.input_invalid")
	got := problemFields(t, b)
	is.True(hasAll(got, "body.items[1].amount", "body.items[2].amount", "body.items[3].currency", "body.items[4].amount"))
	is.Equal(len(got), 4)

	st, h, b = a.call(t, "POST", "/api/v1/classify/batch", tok, `{"items":[{"description":"X","amount":"ten","currency":"EUR"}]}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.items[0].amount"))
	st, h, b = a.call(t, "POST", "/api/v1/classify/batch", tok, `{"items":[]}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	st, h, b = a.call(t, "POST", "/api/v1/classify", tok, `{"description":"X","amount":"1.001","currency":"EUR","date":"2026-02-30"}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	st, h, b = a.call(t, "POST", "/api/v1/classify", "", jsonOf(t, item("X", "-1")))
	is.Equal(problemOf(t, st, h, b, 401), "auth.unauthenticated")
}

func TestRulesAndCorrectionsBeatTheModel(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)
	starbucks := jsonOf(t, item("CARD PAYMENT STARBUCKS COFFEE BERLIN", "-4.20"))

	st, _, b := a.call(t, "POST", "/api/v1/rules", tok, `{"category":"shopping","field":"description","match":"contains","pattern":"starbucks"}`)
	is.Equal(st, 201)
	rule := decode[ruleJSON](t, b)
	_, _, b = a.call(t, "POST", "/api/v1/classify", tok, starbucks)
	got := decode[classified](t, b)
	is.Equal(got, classified{Category: "shopping", LabelSource: "rule", Confidence: 1, RuleID: rule.ID})
	// Rules are the caller's only.
	_, _, b = a.call(t, "POST", "/api/v1/classify", tokenFor(t, "bob", scale.RoleUser), starbucks)
	is.Equal(decode[classified](t, b).LabelSource, "model")
	// Batches apply rules too.
	_, _, b = a.call(t, "POST", "/api/v1/classify/batch", tok, jsonOf(t, map[string]any{"items": []any{
		item("NETFLIX.COM SUBSCRIPTION", "-12.99"), item("STARBUCKS 1234", "-3.00")}}))
	bs := decode[struct{ Items []classified }](t, b).Items
	is.Equal(bs[1].LabelSource, "rule")
	is.Equal(bs[0].LabelSource, "model")

	// A correction of a stored transaction is remembered for look-alikes.
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), "alice", accountsNew("Main"))
	is.NoErr(err)
	res, err := a.SDK.Accounts.AddTransactions(t.Context(), "alice", []scale.Transaction{{Account: acct.ID,
		Date: scale.Date{Year: 2026, Month: time.March, Day: 2}, Amount: scale.Money{Minor: -6000, Currency: "EUR"},
		Description: "TIERARZT PRAXIS DR WUFF 301"}})
	is.NoErr(err)
	is.Equal(len(res.Inserted), 1)
	_, _, b = a.call(t, "GET", "/api/v1/transactions?limit=1", tok, "")
	id := decode[struct{ Items []struct{ ID string } }](t, b).Items[0].ID
	st, _, _ = a.call(t, "PATCH", "/api/v1/transactions/"+id, tok, `{"category":"health"}`)
	is.Equal(st, 200)
	_, _, b = a.call(t, "POST", "/api/v1/classify", tok, jsonOf(t, item("TIERARZT PRAXIS DR WUFF 477", "-55.00")))
	is.Equal(decode[classified](t, b), classified{Category: "health", LabelSource: "correction", Confidence: 1})
}

func TestCategoryCRUD(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)

	_, _, b := a.call(t, "GET", "/api/v1/categories", tok, "")
	list := decode[struct{ Items []categoryJSON }](t, b).Items
	is.Equal(len(list), len(scale.DefaultCategories()))
	is.Equal(list[0], categoryJSON{ID: "food", Name: "Food", Default: true})

	st, _, b := a.call(t, "POST", "/api/v1/categories", tok, `{"name":"  Pets "}`)
	is.Equal(st, 201)
	pets := decode[categoryJSON](t, b)
	is.Equal(pets.Name, "Pets")
	is.True(!pets.Default)
	is.True(scale.ValidID(pets.ID))

	for _, name := range []string{"pets", "FOOD", "uncategorized"} {
		st, h, b := a.call(t, "POST", "/api/v1/categories", tok, jsonOf(t, map[string]string{"name": name}))
		is.Equal(problemOf(t, st, h, b, 409), "category.exists")
	}
	st, h, b := a.call(t, "POST", "/api/v1/categories", tok, `{"name":"","extra":1}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.name", "body.extra"))
	st, h, b = a.call(t, "POST", "/api/v1/categories", tok, `{"name":"   "}`)
	is.Equal(problemOf(t, st, h, b, 422), "category.invalid")
	is.True(hasAll(problemFields(t, b), "body.name"))
	// Bob may use the same name.
	st, _, _ = a.call(t, "POST", "/api/v1/categories", tokenFor(t, "bob", scale.RoleUser), `{"name":"Pets"}`)
	is.Equal(st, 201)

	st, h, b = a.call(t, "PATCH", "/api/v1/categories/food", tok, `{"name":"Groceries"}`)
	is.Equal(problemOf(t, st, h, b, 409), "category.default_immutable")
	st, h, b = a.call(t, "DELETE", "/api/v1/categories/food", tok, "")
	is.Equal(problemOf(t, st, h, b, 409), "category.default_immutable")
	st, h, b = a.call(t, "PATCH", "/api/v1/categories/"+pets.ID, tok, `{"name":"Salary"}`)
	is.Equal(problemOf(t, st, h, b, 409), "category.exists")
	st, _, b = a.call(t, "PATCH", "/api/v1/categories/"+pets.ID, tok, `{"name":"Pet care"}`)
	is.Equal(st, 200)
	is.Equal(decode[categoryJSON](t, b).Name, "Pet care")

	// A category a rule assigns cannot go; once the rule is gone it can.
	st, _, b = a.call(t, "POST", "/api/v1/rules", tok, jsonOf(t, map[string]string{"category": pets.ID, "pattern": "fressnapf"}))
	is.Equal(st, 201)
	rule := decode[ruleJSON](t, b)
	st, h, b = a.call(t, "DELETE", "/api/v1/categories/"+pets.ID, tok, "")
	is.Equal(problemOf(t, st, h, b, 409), "category.in_use")
	st, _, _ = a.call(t, "DELETE", "/api/v1/rules/"+rule.ID, tok, "")
	is.Equal(st, 204)
	st, _, _ = a.call(t, "DELETE", "/api/v1/categories/"+pets.ID, tok, "")
	is.Equal(st, 204)
	st, h, b = a.call(t, "DELETE", "/api/v1/categories/"+pets.ID, tok, "")
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	_, _, b = a.call(t, "GET", "/api/v1/categories", tok, "")
	is.Equal(len(decode[struct{ Items []categoryJSON }](t, b).Items), len(scale.DefaultCategories()))
}

func TestRuleCRUDAndValidation(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)
	bobAcct, err := a.SDK.Accounts.CreateAccount(t.Context(), "bob", accountsNew("Bob's"))
	is.NoErr(err)
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), "alice", accountsNew("Main"))
	is.NoErr(err)

	// Every bad field at once: unknown category, broken regex, bad amount,
	// someone else's account.
	st, h, b := a.call(t, "POST", "/api/v1/rules", tok, jsonOf(t, map[string]any{
		"category": "no-such", "match": "regex", "pattern": "(unclosed", "min_amount": "1.234", "max_amount": "-5.00",
		"account_id": string(bobAcct.ID)}))
	is.Equal(problemOf(t, st, h, b, 422), "rule.invalid")
	got := problemFields(t, b)
	is.True(hasAll(got, "body.category", "body.pattern", "body.min_amount", "body.account_id"))
	is.Equal(len(got), 4)
	st, h, b = a.call(t, "POST", "/api/v1/rules", tok, `{"category":"food","min_amount":"-1.00","max_amount":"-5.00"}`)
	is.Equal(problemOf(t, st, h, b, 422), "rule.invalid")
	is.Equal(problemFields(t, b), []string{"body.min_amount"})
	st, h, b = a.call(t, "POST", "/api/v1/rules", tok, `{"category":"food"}`)
	is.Equal(problemOf(t, st, h, b, 422), "rule.invalid")
	is.Equal(problemFields(t, b), []string{"body.pattern"})
	st, h, b = a.call(t, "POST", "/api/v1/rules", tok, `{"category":"food","field":"amount","match":"like","pattern":"x"}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.field", "body.match"))

	st, _, b = a.call(t, "POST", "/api/v1/rules", tok, jsonOf(t, map[string]any{
		"category": "food", "field": "merchant", "match": "equals", "pattern": " Bakery ", "min_amount": "-20",
		"max_amount": "-0.50", "account_id": string(acct.ID), "priority": 5}))
	is.Equal(st, 201)
	r := decode[ruleJSON](t, b)
	is.Equal(r, ruleJSON{ID: r.ID, Category: "food", Field: "merchant", Match: "equals", Pattern: "Bakery",
		MinAmount: "-20.00", MaxAmount: "-0.50", AccountID: string(acct.ID), Priority: 5})
	st, _, b = a.call(t, "POST", "/api/v1/rules", tok, `{"category":"transport","pattern":"uber"}`)
	is.Equal(st, 201)
	r2 := decode[ruleJSON](t, b)
	is.Equal(r2.Field, "any")
	is.Equal(r2.Match, "contains")

	_, _, b = a.call(t, "GET", "/api/v1/rules", tok, "")
	rs := decode[struct{ Items []ruleJSON }](t, b).Items
	is.Equal(len(rs), 2)
	is.Equal(rs[0].ID, r2.ID) // priority 0 runs before 5
	st, _, b = a.call(t, "GET", "/api/v1/rules/"+r.ID, tok, "")
	is.Equal(st, 200)
	is.Equal(decode[ruleJSON](t, b), r)

	st, _, b = a.call(t, "PATCH", "/api/v1/rules/"+r.ID, tok, `{"min_amount":"","account_id":"","priority":1,"category":"shopping"}`)
	is.Equal(st, 200)
	up := decode[ruleJSON](t, b)
	is.Equal(up, ruleJSON{ID: r.ID, Category: "shopping", Field: "merchant", Match: "equals", Pattern: "Bakery",
		MaxAmount: "-0.50", Priority: 1})
	st, h, b = a.call(t, "PATCH", "/api/v1/rules/"+r.ID, tok, `{"max_amount":"abc","category":"nope","match":"regex","pattern":"["}`)
	is.Equal(problemOf(t, st, h, b, 422), "rule.invalid")
	got = problemFields(t, b)
	is.True(hasAll(got, "body.max_amount", "body.category", "body.pattern"))
	_, _, b = a.call(t, "GET", "/api/v1/rules/"+r.ID, tok, "")
	is.Equal(decode[ruleJSON](t, b), up) // a refused change changes nothing

	st, _, _ = a.call(t, "DELETE", "/api/v1/rules/"+r.ID, tok, "")
	is.Equal(st, 204)
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		st, h, b := a.call(t, m, "/api/v1/rules/"+r.ID, tok, map[string]string{"PATCH": `{"priority":2}`}[m])
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	}
	st, h, b = a.call(t, "GET", "/api/v1/rules/not-a-uuid", tok, "")
	is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
}

// seedLookAlikes stores uncategorized transactions of user: 12 climbing-gym
// visits, 12 vet bills and a few coffees.
func seedLookAlikes(t *testing.T, a *apiServer, user scale.UserID) []scale.TransactionID {
	t.Helper()
	acct, err := a.SDK.Accounts.CreateAccount(t.Context(), user, accountsNew("Main"))
	if err != nil {
		t.Fatal(err)
	}
	day := scale.Date{Year: 2026, Month: time.March, Day: 28}
	var txs []scale.Transaction
	add := func(i int, desc string, minor int64) {
		txs = append(txs, scale.Transaction{Account: acct.ID, Date: day.AddDays(-i), Description: desc,
			Amount: scale.Money{Minor: minor, Currency: "EUR"}})
	}
	for i := range 12 {
		add(i, fmt.Sprintf("BOULDERHAUS KLETTERHALLE EINTRITT %d", 100+i), -1250-int64(i))
		add(i, fmt.Sprintf("TIERARZT PRAXIS DR WUFF %d", 300+i), -6000-int64(7*i))
	}
	for i := range 3 {
		add(i, "STARBUCKS COFFEE BERLIN", -420)
	}
	res, err := a.SDK.Accounts.AddTransactions(t.Context(), user, txs)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]scale.TransactionID, len(res.Inserted))
	for i, k := range res.Inserted {
		ids[i] = txs[k].ID
	}
	return ids
}

type proposal struct {
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	Tokens    []string `json:"tokens"`
	Examples  []string `json:"examples"`
	MemberIDs []string `json:"member_ids"`
	Size      int      `json:"size"`
	Score     float64  `json:"score"`
}

func TestDiscoverAndAccept(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	tok := tokenFor(t, "alice", scale.RoleUser)
	aliceIDs := seedLookAlikes(t, a, "alice")
	bobIDs := seedLookAlikes(t, a, "bob")
	mine := map[string]bool{}
	for _, id := range aliceIDs {
		mine[string(id)] = true
	}

	st, _, b := a.call(t, "POST", "/api/v1/categories/discover", tok, "")
	is.Equal(st, 200)
	out := decode[struct {
		Considered int
		Items      []proposal
	}](t, b)
	is.Equal(out.Considered, len(aliceIDs))
	is.True(len(out.Items) >= 1)
	var climbing proposal
	for _, p := range out.Items {
		is.Equal(p.Size, len(p.MemberIDs))
		is.True(len(p.Tokens) > 0 && len(p.Examples) > 0)
		for _, id := range p.MemberIDs {
			is.True(mine[id]) // only the caller's transactions
		}
		if strings.Contains(strings.ToLower(strings.Join(p.Tokens, " ")), "kletterhalle") {
			climbing = p
		}
	}
	is.Equal(climbing.Size, 12)
	// Nothing was applied.
	_, _, b = a.call(t, "GET", "/api/v1/transactions?uncategorized=true&limit=200", tok, "")
	is.Equal(len(decode[struct{ Items []struct{ ID string } }](t, b).Items), len(aliceIDs))

	// A date range narrows what is looked at.
	st, _, b = a.call(t, "POST", "/api/v1/categories/discover", tok, `{"from":"2026-03-28","limit":100}`)
	is.Equal(st, 200)
	is.Equal(decode[struct{ Considered int }](t, b).Considered, 3)
	st, h, b := a.call(t, "POST", "/api/v1/categories/discover", tok, `{"from":"March","limit":0}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.from", "body.limit"))

	// Accepting relabels the caller's members only, even if bob's ids are
	// smuggled in.
	members := append(append([]string{}, climbing.MemberIDs...), string(bobIDs[0]), "not-an-id")
	st, _, b = a.call(t, "POST", "/api/v1/categories/discover/accept", tok, jsonOf(t, map[string]any{"name": "Climbing", "member_ids": members}))
	is.Equal(st, 200)
	acc := decode[struct {
		Category   categoryJSON
		Relabelled int
	}](t, b)
	is.Equal(acc.Relabelled, 12)
	is.Equal(acc.Category.Name, "Climbing")
	is.True(!acc.Category.Default)
	_, _, b = a.call(t, "GET", "/api/v1/transactions?limit=200&category="+acc.Category.ID, tok, "")
	in := decode[struct {
		Items []struct {
			ID          string
			LabelSource string `json:"label_source"`
			Confidence  float64
		}
	}](t, b).Items
	is.Equal(len(in), 12)
	for _, tx := range in {
		is.Equal(tx.LabelSource, "correction")
		is.Equal(tx.Confidence, 1.0)
	}
	bobTx, err := a.Store.GetTransaction(t.Context(), "bob", bobIDs[0])
	is.NoErr(err)
	is.Equal(bobTx.Label.Category, scale.CategoryID("")) // untouched

	// The same name again reuses the category; a default name reuses it.
	st, _, b = a.call(t, "POST", "/api/v1/categories/discover/accept", tok, jsonOf(t, map[string]any{"name": "climbing", "member_ids": climbing.MemberIDs[:1]}))
	is.Equal(st, 200)
	is.Equal(decode[struct{ Category categoryJSON }](t, b).Category.ID, acc.Category.ID)
	st, _, b = a.call(t, "POST", "/api/v1/categories/discover/accept", tok, jsonOf(t, map[string]any{"name": "Health", "member_ids": []scale.TransactionID{aliceIDs[1]}}))
	is.Equal(st, 200)
	is.Equal(decode[struct{ Category categoryJSON }](t, b).Category, categoryJSON{ID: "health", Name: "Health", Default: true})
	// Bob's ids alone relabel nothing.
	st, _, b = a.call(t, "POST", "/api/v1/categories/discover/accept", tok, jsonOf(t, map[string]any{"name": "Climbing", "member_ids": bobIDs[:3]}))
	is.Equal(st, 200)
	is.Equal(decode[struct{ Relabelled int }](t, b).Relabelled, 0)
	st, h, b = a.call(t, "POST", "/api/v1/categories/discover/accept", tok, `{"name":"","member_ids":[]}`)
	is.Equal(problemOf(t, st, h, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.name", "body.member_ids"))

	// Deleting the category leaves its transactions uncategorized.
	st, _, _ = a.call(t, "DELETE", "/api/v1/categories/"+acc.Category.ID, tok, "")
	is.Equal(st, 204)
	_, _, b = a.call(t, "GET", "/api/v1/transactions?limit=200&category="+acc.Category.ID, tok, "")
	is.Equal(len(decode[struct{ Items []struct{ ID string } }](t, b).Items), 0)
}

func TestCategorizationOwnershipIs404(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	alice, bob := tokenFor(t, "alice", scale.RoleUser), tokenFor(t, "bob", scale.RoleUser)
	_, _, b := a.call(t, "POST", "/api/v1/categories", alice, `{"name":"Pets"}`)
	cat := decode[categoryJSON](t, b)
	_, _, b = a.call(t, "POST", "/api/v1/rules", alice, `{"category":"food","pattern":"bakery"}`)
	rule := decode[ruleJSON](t, b)
	is.True(cat.ID != "" && rule.ID != "")

	for _, c := range []struct{ method, path, body string }{
		{"PATCH", "/api/v1/categories/" + cat.ID, `{"name":"Mine now"}`},
		{"DELETE", "/api/v1/categories/" + cat.ID, ""},
		{"GET", "/api/v1/rules/" + rule.ID, ""},
		{"PATCH", "/api/v1/rules/" + rule.ID, `{"pattern":"pwned"}`},
		{"DELETE", "/api/v1/rules/" + rule.ID, ""},
	} {
		st, h, b := a.call(t, c.method, c.path, bob, c.body)
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found")
	}
	// Nor can bob use alice's category in his rules.
	st, h, b := a.call(t, "POST", "/api/v1/rules", bob, jsonOf(t, map[string]string{"category": cat.ID, "pattern": "x"}))
	is.Equal(problemOf(t, st, h, b, 422), "rule.invalid")
	is.Equal(problemFields(t, b), []string{"body.category"})
	// Alice's data is unchanged.
	_, _, b = a.call(t, "GET", "/api/v1/rules/"+rule.ID, alice, "")
	is.Equal(decode[ruleJSON](t, b).Pattern, "bakery")
	_, _, b = a.call(t, "GET", "/api/v1/categories", alice, "")
	items := decode[struct{ Items []categoryJSON }](t, b).Items
	is.Equal(items[len(items)-1].Name, "Pets")
	_, _, b = a.call(t, "GET", "/api/v1/rules", bob, "")
	is.Equal(len(decode[struct{ Items []ruleJSON }](t, b).Items), 0)
}

func TestClassifyBatchTakesTenThousandItems(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	// newAPIServer's outer body limit is about 1 MiB; serve the same engine
	// with production-like limits so the operation's own 4 MiB applies.
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	h, _ := httpapi.Handler(a.SDK, httpapi.Options{Auth: v})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	big := &apiServer{Server: srv, SDK: a.SDK}
	tok := tokenFor(t, "alice", scale.RoleUser)

	descs := []string{"CARD PAYMENT STARBUCKS COFFEE BERLIN %d", "UBER TRIP %d HELP.UBER.COM", "REWE MARKT %d SAGT DANKE"}
	items := make([]map[string]string, 10000)
	for i := range items {
		items[i] = map[string]string{"description": fmt.Sprintf(descs[i%3], i), "merchant": "Some merchant name",
			"amount": fmt.Sprintf("-%d.%02d", 1+i%500, i%100), "currency": "EUR", "date": "2026-03-01"}
	}
	body := jsonOf(t, map[string]any{"items": items})
	is.True(len(body) > 1<<20) // more than the default body limit
	st, _, b := big.call(t, "POST", "/api/v1/classify/batch", tok, body)
	is.Equal(st, 200)
	rs := decode[struct{ Items []classified }](t, b).Items
	is.Equal(len(rs), 10000)
	for i := 0; i < len(rs); i += 3 {
		is.Equal(rs[i].Category, rs[0].Category) // the same kind of item, in place
	}

	items = append(items, items[0])
	st, h2, b := big.call(t, "POST", "/api/v1/classify/batch", tok, jsonOf(t, map[string]any{"items": items}))
	is.Equal(problemOf(t, st, h2, b, 422), "request.invalid")
	is.True(hasAll(problemFields(t, b), "body.items"))
}
