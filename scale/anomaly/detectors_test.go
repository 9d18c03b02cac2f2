package anomaly_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/anomaly"
)

// builder makes histories: one transaction per call, ids in order.
type builder struct {
	txs []scale.Transaction
}

func (b *builder) add(day string, merchant string, minor int64, cat scale.CategoryID) scale.TransactionID {
	d, err := scale.ParseDate(day)
	if err != nil {
		panic(err)
	}
	id := scale.TransactionID(fmt.Sprintf("t%05d", len(b.txs)))
	b.txs = append(b.txs, scale.Transaction{ID: id, User: "u", Account: "a", Date: d, Merchant: merchant,
		Amount: scale.Money{Minor: minor, Currency: "EUR"}, Label: scale.Label{Category: cat}})
	return id
}

// everyday adds n days of ordinary spending from start: a bakery every day
// with slightly varying amounts and a supermarket every other day.
func (b *builder) everyday(start string, n int) {
	d, _ := scale.ParseDate(start)
	for i := range n {
		day := d.AddDays(i).String()
		b.add(day, "BAECKEREI KAMPS", -int64(450+(i*37)%160), "food")
		if i%2 == 0 {
			b.add(day, "LIDL", -int64(1500+(i*53)%900), "food")
		}
	}
}

func kinds(fs []anomaly.Finding) map[scale.TransactionID]scale.AnomalyKind {
	m := map[scale.TransactionID]scale.AnomalyKind{}
	for _, f := range fs {
		m[f.Transaction] = f.Kind
	}
	return m
}

func TestAmountOutlier(t *testing.T) {
	is := is.New(t)
	var b builder
	b.everyday("2024-01-01", 120)
	big := b.add("2024-05-01", "LIDL", -19800, "food") // about ten times the usual
	fine := b.add("2024-05-02", "LIDL", -2600, "food") // a bit above usual
	fs := anomaly.DetectAmountOutliers(b.txs)
	is.Equal(len(fs), 1)
	is.Equal(fs[0].Transaction, big)
	is.Equal(fs[0].Kind, scale.AnomalyAmountOutlier)
	is.True(fs[0].Score >= 0.5 && fs[0].Score <= 1)
	is.True(strings.Contains(fs[0].Reason, "198.00 EUR"))
	is.True(strings.Contains(fs[0].Reason, "LIDL"))
	is.True(kinds(fs)[fine] == "")
}

func TestNewMerchantLarge(t *testing.T) {
	is := is.New(t)
	var b builder
	b.everyday("2024-01-01", 90)
	large := b.add("2024-04-02", "GADGET WORLD", -125000, "shopping")
	small := b.add("2024-04-03", "KIOSK AM ECK", -350, "food")
	fs := anomaly.DetectNewMerchants(b.txs)
	is.Equal(len(fs), 1)
	is.Equal(fs[0].Transaction, large)
	is.True(strings.Contains(fs[0].Reason, "First payment to GADGET WORLD: 1250.00 EUR"))
	is.True(kinds(fs)[small] == "")

	// Early in a history nothing is "large" yet.
	var early builder
	early.everyday("2024-01-01", 5)
	early.add("2024-01-06", "GADGET WORLD", -125000, "shopping")
	is.Equal(len(anomaly.DetectNewMerchants(early.txs)), 0)
}

func TestDuplicateCharge(t *testing.T) {
	is := is.New(t)
	var b builder
	b.add("2024-03-05", "NETFLIX.COM", -1299, "entertainment")
	dup := b.add("2024-03-06", "NETFLIX.COM", -1299, "entertainment")
	b.add("2024-04-05", "NETFLIX.COM", -1299, "entertainment") // a month later: fine
	b.add("2024-03-10", "ZALANDO", -5990, "shopping")
	b.add("2024-03-13", "ZALANDO", -5990, "shopping") // three days later: not within 48 hours
	// A daily fare of the same amount is a habit, not a duplicate.
	for _, d := range []string{"2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-15"} {
		b.add(d, "MVG FAHRKARTE", -290, "transport")
	}
	fs := anomaly.DetectDuplicates(b.txs)
	is.Equal(len(fs), 1)
	is.Equal(fs[0].Transaction, dup)
	is.Equal(fs[0].Reason, "NETFLIX.COM charged 12.99 EUR twice within 48 hours (on 2024-03-05 and 2024-03-06).")
}

func TestPriceIncrease(t *testing.T) {
	is := is.New(t)
	var b builder
	for m := 1; m <= 6; m++ {
		b.add(fmt.Sprintf("2024-%02d-12", m), "SPOTIFY AB", -999, "entertainment")
	}
	rise := b.add("2024-07-12", "SPOTIFY AB", -1199, "entertainment")
	b.add("2024-08-12", "SPOTIFY AB", -1199, "entertainment") // the new price is not news again
	// An irregular shop with a pricier purchase is not a price increase.
	for _, d := range []string{"2024-01-03", "2024-01-09", "2024-02-20", "2024-02-21"} {
		b.add(d, "IKEA", -4500, "shopping")
	}
	b.add("2024-03-01", "IKEA", -5200, "shopping")
	fs := anomaly.DetectPriceIncreases(b.txs)
	is.Equal(len(fs), 1)
	is.Equal(fs[0].Transaction, rise)
	is.Equal(fs[0].Reason, "SPOTIFY AB raised its price from 9.99 EUR to 11.99 EUR (+20%) on 2024-07-12.")
}

func TestFrequencyBurst(t *testing.T) {
	is := is.New(t)
	var b builder
	b.everyday("2024-01-01", 150)
	for m := 1; m <= 5; m++ {
		b.add(fmt.Sprintf("2024-%02d-20", m), "STEAM GAMES", -1999, "entertainment")
	}
	var burst []scale.TransactionID
	for _, a := range []int64{-499, -2999, -1250, -899} {
		burst = append(burst, b.add("2024-06-01", "STEAM GAMES", a, "entertainment"))
	}
	fs := anomaly.DetectBursts(b.txs)
	is.True(len(fs) >= 1)
	for _, f := range fs {
		is.True(f.Transaction == burst[2] || f.Transaction == burst[3]) // the third and fourth make it a burst
		is.True(strings.Contains(f.Reason, "payments to STEAM GAMES within two days"))
	}
	// The everyday bakery and supermarket never burst.
	var quiet builder
	quiet.everyday("2024-01-01", 200)
	is.Equal(len(anomaly.DetectBursts(quiet.txs)), 0)
}

func TestDetectIgnoresCreditsAndIsStable(t *testing.T) {
	is := is.New(t)
	var b builder
	b.everyday("2024-01-01", 120)
	b.add("2024-05-01", "LIDL", 19800, "food") // a large refund is not an outlier
	before := anomaly.Detect(b.txs)
	is.Equal(len(before), 0)
	// Adding newer history never changes findings about older transactions.
	b.add("2024-05-02", "LIDL", -19800, "food")
	after := anomaly.Detect(b.txs)
	is.Equal(len(after), 1)
	b.everyday("2024-05-03", 30)
	is.Equal(anomaly.Detect(b.txs)[:1], after)
}
