package anomaly_test

import (
	"fmt"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/anomaly"
)

func ExampleDetect() {
	d1, _ := scale.ParseDate("2024-03-05")
	d2, _ := scale.ParseDate("2024-03-06")
	txs := []scale.Transaction{
		{ID: "t1", Date: d1, Merchant: "NETFLIX.COM", Amount: scale.Money{Minor: -1299, Currency: "EUR"}},
		{ID: "t2", Date: d2, Merchant: "NETFLIX.COM", Amount: scale.Money{Minor: -1299, Currency: "EUR"}},
	}
	for _, f := range anomaly.Detect(txs) {
		fmt.Println(f.Transaction, f.Kind, f.Score)
		fmt.Println(f.Reason)
	}
	// Output:
	// t2 duplicate_charge 0.8
	// NETFLIX.COM charged 12.99 EUR twice within 48 hours (on 2024-03-05 and 2024-03-06).
}
