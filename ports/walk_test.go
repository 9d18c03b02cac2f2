package ports_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

func TestEachTransaction(t *testing.T) {
	ctx := context.Background()
	st := memory.NewStore()
	a := scale.Account{ID: scale.AccountID(scale.NewID()), User: "u", Name: "Main", Kind: scale.AccountChecking, Currency: "EUR"}
	if err := st.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	var txs []scale.Transaction
	for i := range 2500 { // more than two pages
		txs = append(txs, scale.Transaction{ID: scale.TransactionID(scale.NewID()), User: "u", Account: a.ID,
			Date: scale.Date{Year: 2026, Month: 1, Day: 1}.AddDays(i % 300), Amount: scale.Money{Minor: -int64(i + 1), Currency: "EUR"},
			Fingerprint: fmt.Sprint(i)})
	}
	if _, err := st.InsertTransactions(ctx, "u", txs); err != nil {
		t.Fatal(err)
	}
	seen := map[scale.TransactionID]bool{}
	var last scale.Date
	err := ports.EachTransaction(ctx, st, "u", ports.TransactionQuery{Ascending: true, Limit: 3}, func(tx scale.Transaction) error {
		if seen[tx.ID] || tx.Date.Before(last) {
			return fmt.Errorf("repeated or out of order: %s", tx.ID)
		}
		seen[tx.ID], last = true, tx.Date
		return nil
	})
	if err != nil || len(seen) != 2500 {
		t.Fatalf("walked %d rows, err %v; want all 2500 in order", len(seen), err)
	}
	n := 0
	err = ports.EachTransaction(ctx, st, "u", ports.TransactionQuery{}, func(scale.Transaction) error {
		n++
		if n == 1200 {
			return ports.StopWalk
		}
		return nil
	})
	if err != nil || n != 1200 {
		t.Fatalf("StopWalk: n = %d, err = %v", n, err)
	}
	boom := errors.New("boom")
	if err := ports.EachTransaction(ctx, st, "u", ports.TransactionQuery{}, func(scale.Transaction) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("the function's error must come back, got %v", err)
	}
}
