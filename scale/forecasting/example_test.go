package forecasting_test

import (
	"fmt"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting"
)

func ExampleDetectRecurring() {
	var txs []scale.Transaction
	for i, d := range []string{"2024-01-31", "2024-02-29", "2024-03-29", "2024-04-30", "2024-05-31"} {
		txs = append(txs, scale.Transaction{
			ID: scale.TransactionID(fmt.Sprint("t", i)), Date: date(d), Merchant: "ACME GmbH Gehalt",
			Amount: scale.Money{Minor: 310000, Currency: "EUR"},
		})
	}
	for _, s := range forecasting.DetectRecurring(txs, date("2024-06-10")) {
		fmt.Println(s.Kind, s.Period, s.Rule, s.NextDate, s.Money(s.NextAmount))
	}
	// Output: salary monthly last_business_day 2024-06-28 3100.00 EUR
}
