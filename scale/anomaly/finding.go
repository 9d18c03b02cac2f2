package anomaly

import (
	"cmp"
	"slices"

	"github.com/scalehq/scale/scale"
)

// Finding is one detector's verdict on one transaction.
type Finding struct {
	Transaction scale.TransactionID `json:"transaction"`
	Kind        scale.AnomalyKind   `json:"kind"`
	// Score is in [0, 1]; 0.5 is the detector's threshold.
	Score float64 `json:"score"`
	// Reason is a sentence for the owner; it may name the merchant and
	// amounts, so it never goes to logs.
	Reason string     `json:"reason"`
	Date   scale.Date `json:"date"`
}

// Detect runs every detector over one user's history and returns the
// findings ordered by (date, transaction, kind).
func Detect(txs []scale.Transaction) []Finding {
	items := prepare(txs)
	var out []Finding
	out = append(out, amountOutliers(items)...)
	out = append(out, newMerchants(items)...)
	out = append(out, duplicates(items)...)
	out = append(out, priceIncreases(items)...)
	out = append(out, bursts(items)...)
	sortFindings(out)
	return out
}

// DetectAmountOutliers runs the amount_outlier detector alone.
func DetectAmountOutliers(txs []scale.Transaction) []Finding { return amountOutliers(prepare(txs)) }

// DetectNewMerchants runs the new_merchant_large detector alone.
func DetectNewMerchants(txs []scale.Transaction) []Finding { return newMerchants(prepare(txs)) }

// DetectDuplicates runs the duplicate_charge detector alone.
func DetectDuplicates(txs []scale.Transaction) []Finding { return duplicates(prepare(txs)) }

// DetectPriceIncreases runs the price_increase detector alone.
func DetectPriceIncreases(txs []scale.Transaction) []Finding { return priceIncreases(prepare(txs)) }

// DetectBursts runs the frequency_burst detector alone.
func DetectBursts(txs []scale.Transaction) []Finding { return bursts(prepare(txs)) }

func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Transaction, b.Transaction), cmp.Compare(a.Kind, b.Kind))
	})
}

func finding(it item, kind scale.AnomalyKind, score float64, reason string) Finding {
	return Finding{Transaction: it.t.ID, Kind: kind, Score: float64(int(clamp01(score)*1000)) / 1000, Reason: reason, Date: it.t.Date}
}
