package forecasting_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/forecasting"
)

func date(s string) scale.Date {
	d, err := scale.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// series builds transactions of one merchant on the given dates with the
// given amounts (the last amount repeats).
func series(merchant string, dates []string, amounts ...int64) []scale.Transaction {
	out := make([]scale.Transaction, len(dates))
	for i, d := range dates {
		a := amounts[min(i, len(amounts)-1)]
		out[i] = scale.Transaction{
			ID: scale.TransactionID(fmt.Sprintf("%s-%03d", merchant, i)), User: "u", Account: "acc",
			Date: date(d), Amount: scale.Money{Minor: a, Currency: "EUR"}, Merchant: merchant,
			Description: merchant + " REF 123",
		}
	}
	return out
}

// monthly returns the dates rule(year, month) for n months from start.
func monthly(y int, m time.Month, n int, f func(y int, m time.Month) scale.Date) []string {
	var out []string
	for i := range n {
		t := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		out = append(out, f(t.Year(), t.Month()).String())
	}
	return out
}

func lastDay(y int, m time.Month) scale.Date {
	return scale.DateOf(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
}

func lastBusinessDay(y int, m time.Month) scale.Date {
	d := lastDay(y, m)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDays(-1)
	}
	return d
}

func fixed(dom int) func(int, time.Month) scale.Date {
	return func(y int, m time.Month) scale.Date {
		return scale.Date{Year: y, Month: m, Day: min(dom, lastDay(y, m).Day)}
	}
}

func following(dom int) func(int, time.Month) scale.Date {
	return func(y int, m time.Month) scale.Date {
		d := fixed(dom)(y, m)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDays(1)
		}
		return d
	}
}

func every(start string, days, n int) []string {
	var out []string
	d := date(start)
	for range n {
		out = append(out, d.String())
		d = d.AddDays(days)
	}
	return out
}

func without(ds []string, i int) []string {
	return append(append([]string{}, ds[:i]...), ds[i+1:]...)
}

func TestDetectRecurringPeriods(t *testing.T) {
	tests := []struct {
		name       string
		txs        []scale.Transaction
		asOf       string
		period     forecasting.Period
		rule       forecasting.DayRule
		next       string
		nextAmount int64
		skipped    int
		kind       forecasting.StreamKind
	}{
		{"month end across February (leap year)", series("NETFLIX.COM", monthly(2023, time.September, 5, lastDay), -1299),
			"2024-02-10", forecasting.Monthly, forecasting.RuleLastDay, "2024-02-29", -1299, 0, forecasting.KindSubscription},
		{"day 30 clamps to February 28", series("GYM CLUB", monthly(2022, time.August, 6, fixed(30)), -2990),
			"2023-02-01", forecasting.Monthly, forecasting.RuleFixedDay, "2023-02-28", -2990, 0, forecasting.KindSubscription},
		{"salary on the last business day", series("ACME GEHALT", monthly(2024, time.January, 7, lastBusinessDay), 300000),
			"2024-08-02", forecasting.Monthly, forecasting.RuleLastBusinessDay, "2024-08-30", 300000, 0, forecasting.KindSalary},
		{"rent on the 1st moved to Monday", series("HAUSVERWALTUNG MIETE", monthly(2024, time.January, 8, following(1)), -95000),
			"2024-08-20", forecasting.Monthly, forecasting.RuleFixedDay, "2024-09-02", -95000, 0, forecasting.KindRent},
		{"skipped month", series("TELEKOM MOBILFUNK", without(monthly(2024, time.January, 8, fixed(20)), 3), -3999),
			"2024-08-25", forecasting.Monthly, forecasting.RuleFixedDay, "2024-09-20", -3999, 1, forecasting.KindBill},
		{"price increase adopted", series("SPOTIFY AB", monthly(2024, time.January, 9, fixed(12)), -999, -999, -999, -999, -999, -999, -1199),
			"2024-09-20", forecasting.Monthly, forecasting.RuleFixedDay, "2024-10-12", -1199, 0, forecasting.KindSubscription},
		{"weekly groceries with drifting amounts", series("REWE MARKT", every("2024-01-06", 7, 12), -8000, -9100, -7600, -8800, -8300),
			"2024-03-25", forecasting.Weekly, forecasting.RuleWeekday, "2024-03-30", -8300, 0, forecasting.KindOther},
		{"biweekly pay", series("PAYROLL INC", every("2024-01-05", 14, 8), 150000),
			"2024-04-20", forecasting.Biweekly, forecasting.RuleWeekday, "2024-04-26", 150000, 0, forecasting.KindSalary},
		{"quarterly bill", series("STADTWERKE STROM", []string{"2023-01-10", "2023-04-10", "2023-07-10", "2023-10-10", "2024-01-10"}, -14000, -15200, -13900, -14500, -14100),
			"2024-02-01", forecasting.Quarterly, forecasting.RuleFixedDay, "2024-04-10", -14100, 0, forecasting.KindBill},
		{"quarter end moved to the next business day", series("FINANZAMT STEUER", []string{"2023-03-31", "2023-06-30", "2023-10-02", "2024-01-01"}, -50000),
			"2024-02-01", forecasting.Quarterly, forecasting.RuleFixedDay, "2024-04-01", -50000, 0, forecasting.KindBill},
		{"yearly insurance", series("ALLIANZ VERSICHERUNG", []string{"2021-01-15", "2022-01-15", "2023-01-16"}, -42000),
			"2023-06-01", forecasting.Yearly, forecasting.RuleFixedDay, "2024-01-15", -42000, 0, forecasting.KindBill},
		{"loan instalment", series("SANTANDER KREDIT RATE", monthly(2024, time.March, 4, fixed(15)), -32000),
			"2024-06-16", forecasting.Monthly, forecasting.RuleFixedDay, "2024-07-15", -32000, 0, forecasting.KindLoan},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			is := is.New(t)
			ss := forecasting.DetectRecurring(tc.txs, date(tc.asOf))
			is.Equal(len(ss), 1) // one stream
			s := ss[0]
			is.Equal(s.Period, tc.period)
			is.Equal(s.Rule, tc.rule)
			is.Equal(s.NextDate, date(tc.next))
			is.Equal(s.NextAmount, tc.nextAmount)
			is.Equal(s.Skipped, tc.skipped)
			is.Equal(s.Kind, tc.kind)
			is.True(s.Active)
			is.Equal(len(s.Members), len(tc.txs))
			is.True(s.Confidence > 0.3 && s.Confidence <= 1)
			is.True(s.AmountLow <= s.AmountHigh)
		})
	}
}

func TestDetectRecurringRejects(t *testing.T) {
	is := is.New(t)
	// Irregular gaps at one merchant are not a stream.
	irregular := series("PIZZERIA NAPOLI", []string{"2024-01-03", "2024-01-05", "2024-01-19", "2024-01-20", "2024-02-14", "2024-03-01", "2024-03-02"}, -2800)
	is.Equal(len(forecasting.DetectRecurring(irregular, date("2024-03-10"))), 0)
	// Regular dates but wildly varying amounts are not a stream.
	wild := series("AMAZON", monthly(2024, time.January, 6, fixed(5)), -500, -9000, -1200, -25000, -300, -7000)
	is.Equal(len(forecasting.DetectRecurring(wild, date("2024-07-01"))), 0)
	// Two charges are not enough for a monthly stream.
	two := series("NETFLIX.COM", monthly(2024, time.January, 2, fixed(5)), -1299)
	is.Equal(len(forecasting.DetectRecurring(two, date("2024-03-01"))), 0)
}

func TestDetectRecurringInactiveAndCurrencies(t *testing.T) {
	is := is.New(t)
	old := series("NETFLIX.COM", monthly(2023, time.January, 6, fixed(5)), -1299)
	ss := forecasting.DetectRecurring(old, date("2024-06-01"))
	is.Equal(len(ss), 1)
	is.True(!ss[0].Active) // months overdue: inactive

	eur := series("SPOTIFY", monthly(2024, time.January, 5, fixed(5)), -999)
	usd := series("SPOTIFY", monthly(2024, time.January, 5, fixed(5)), -1099)
	for i := range usd {
		usd[i].ID += "-usd"
		usd[i].Amount.Currency = "USD"
	}
	ss = forecasting.DetectRecurring(append(eur, usd...), date("2024-05-20"))
	is.Equal(len(ss), 2) // one stream per currency
	is.True(ss[0].Currency != ss[1].Currency)
	is.True(ss[0].ID != ss[1].ID)
}

func TestMerchantKey(t *testing.T) {
	is := is.New(t)
	is.Equal(forecasting.MerchantKey(scale.Transaction{Description: "POS NETFLIX.COM 866-579 CARD 1234"}), "netflix")
	is.Equal(forecasting.MerchantKey(scale.Transaction{Merchant: "Hausverwaltung Miete 03/2024"}), "hausverwaltung miete")
}
