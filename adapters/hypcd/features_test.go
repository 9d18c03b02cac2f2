package hypcd

import (
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// TestIDsHashTheFeatures checks that the allocation-free ids hashes
// exactly the documented feature strings.
func TestIDsHashTheFeatures(t *testing.T) {
	is := is.New(t)
	f := featurizer{buckets: 1 << 14, maxLen: 64}
	for _, e := range categorization.Generate(categorization.CorpusConfig{Seed: 8, Size: 300}) {
		got := make([]int32, f.maxLen)
		f.ids(e.Input(), got)
		want := make([]int32, f.maxLen)
		for i, s := range f.features(e.Input()) {
			if i < f.maxLen {
				want[i] = f.hash(s)
			}
		}
		is.Equal(got, want)
	}
}

func TestWordsDropNoise(t *testing.T) {
	is := is.New(t)
	for in, want := range map[string][]string{
		"UPI/DR/412345678901/SWIGGY/okicici/Payment":                                 {"swiggy"},
		"POS 4XXXXX1234 APOLLO PHARMACY HYDERABAD":                                   {"apollo", "pharmacy"},
		"ACME CORP DES:PAYROLL ID:123456789 INDN:FHZBMLOJ CO ID:9777942761 PPD":      {"acme", "corp", "payroll"},
		"SEPA-LASTSCHRIFT VODAFONE GMBH MANDAT AB12345678 GLAEUBIGER-ID DE98ZZZ0999": {"lastschrift", "vodafone", "gmbh"},
	} {
		is.Equal(Words(ports.ClassifyInput{Description: in}), want)
	}
	is.Equal(channelOf("UPI/DR/1/X/ybl"), "upi")
	is.Equal(channelOf("SEPA-LASTSCHRIFT X"), "debit-order")
	is.Equal(channelOf("PAYPAL *NETFLIX"), "paypal")
	is.Equal(channelOf("ZELLE PAYMENT TO JOHN"), "p2p")
	_ = scale.Currency("USD")
}

func TestConfigDefaults(t *testing.T) {
	is := is.New(t)
	is.Equal(Config{}.withDefaults(), DefaultConfig())
	c := Config{ExtraHeads: -3}.withDefaults()
	is.Equal(c.ExtraHeads, -1)
}

func TestMerchantKey(t *testing.T) {
	is := is.New(t)
	key := func(d string) string { return MerchantKey(ports.ClassifyInput{Description: d}) }
	is.Equal(key("SEPA-LASTSCHRIFT NETFLIX SUBSCRIPTION MANDAT AB12345678 GLAEUBIGER-ID DE12ZZZ12345678901"), "netflix subs")
	is.Equal(key("UPI/DR/123456789012/NETFLIX SUBSCRIPTI/okicici/Payment"), "netflix subs")
	is.Equal(key("KARTENZAHLUNG APOTHEKE AM MARKT BERLIN 2025-03-02"), "apotheke am")
	is.Equal(key("POS 4123456XXXXXX1234 APOLLO PHARMACY MUMBAI"), "apollo phar")
}
