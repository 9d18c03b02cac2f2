package forecasting

import (
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// noiseWords are payment-rail words that say nothing about the counterparty.
var noiseWords = map[string]bool{
	"pos": true, "card": true, "debit": true, "credit": true, "purchase": true, "payment": true,
	"ref": true, "sepa": true, "dd": true, "direct": true, "www": true, "com": true, "visa": true,
	"mastercard": true, "mc": true, "upi": true, "ach": true, "txn": true, "trx": true, "online": true,
	"lastschrift": true, "ueberweisung": true, "transfer": true, "to": true, "from": true, "by": true,
}

// MerchantKey returns the normalized key a transaction is grouped by: its
// merchant (or, when empty, its description) lower-cased, with tokens that
// contain digits, punctuation and payment-rail noise words removed, cut to
// four tokens.
func MerchantKey(t scale.Transaction) string {
	s := t.Merchant
	if strings.TrimSpace(s) == "" {
		s = t.Description
	}
	return normalizeText(s)
}

func normalizeText(s string) string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := make([]string, 0, 4)
	for _, f := range fields {
		if noiseWords[f] || strings.IndexFunc(f, unicode.IsDigit) >= 0 || len([]rune(f)) < 2 {
			continue
		}
		out = append(out, f)
		if len(out) == 4 {
			break
		}
	}
	return strings.Join(out, " ")
}

// displayName is what a person recognizes a transaction by.
func displayName(t scale.Transaction) string {
	if s := strings.TrimSpace(t.Merchant); s != "" {
		return s
	}
	return strings.TrimSpace(t.Description)
}
