package hypcd

import (
	"math"
	"strconv"
	"strings"

	"github.com/scalehq/scale/ports"
)

// FeatureSchema names the featurizer; a model only loads with the schema it
// was trained with.
const FeatureSchema = "hypcd-features/v1"

// featurizer turns a transaction into a fixed-length list of hashed
// feature ids; id 0 is padding.
type featurizer struct {
	buckets int
	maxLen  int
}

// noiseWords carry no category signal: banking boilerplate, UPI handles,
// months, currencies.
var noiseWords = setOf(`upi dr cr pos debit credit card purchase payment pay to from on ref id des indn co ppd web
 the of and for via nr no bill sent using paytm order na okicici oksbi okaxis ybl okhdfcbank ibl axl
 jan feb mar apr may jun jul aug sep oct nov dec xx carte mandat glaeubiger iban end conf visa direct
 contactless inr usd eur gbp gb neft imps nach ach p2a pcd sepa dd tst sq paypal fpi fps bgc`)

// keyWords mark structured fields whose next token is an opaque code.
var keyWords = setOf("indn conf mandat ref id nr glaeubiger")

// cityWords is a gazetteer of place names banks append to card payments.
var cityWords = setOf(`mumbai bangalore bengaluru delhi new hyderabad chennai pune kolkata gurgaon gurugram noida
 ahmedabad jaipur york ny san francisco ca seattle wa austin tx chicago il boston ma denver co miami fl los angeles
 berlin muenchen munich hamburg paris lyon amsterdam madrid milano milan koeln frankfurt wien london manchester
 birmingham leeds glasgow bristol edinburgh liverpool dublin`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// rawTokens lower-cases s and splits it on anything but letters, digits and &.
func rawTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '&' || r > 127)
	})
}

// isCode reports whether a token is a number, a masked card or a reference.
func isCode(t string) bool {
	digits := 0
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits > 0 && (digits == len(t) || len(t) >= 4 || digits >= 2) {
		return true
	}
	return strings.Trim(t, "x") == "" && len(t) >= 2
}

// Words returns the cleaned words of a transaction: no numbers, references,
// card masks, UPI handles, banking boilerplate or city names.
func Words(in ports.ClassifyInput) []string {
	text := in.Description
	if in.Merchant != "" && !strings.Contains(strings.ToLower(text), strings.ToLower(in.Merchant)) {
		text = in.Merchant + " " + text
	}
	raw := rawTokens(text)
	out := make([]string, 0, len(raw))
	skip := false
	for _, t := range raw {
		if skip {
			skip = false
			continue
		}
		if keyWords[t] {
			skip = true
		}
		if isCode(t) || noiseWords[t] || cityWords[t] || len(t) < 2 {
			continue
		}
		out = append(out, t)
	}
	return out
}

// channelOf detects the payment channel from the description.
func channelOf(desc string) string {
	d := " " + strings.ToLower(desc) + " "
	has := func(ss ...string) bool {
		for _, s := range ss {
			if strings.Contains(d, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("upi/", "upi-", " upi "):
		return "upi"
	case has("imps", "faster payment", " fpi ", " fps ", "ueberweisung", "zelle", "venmo"):
		return "p2p"
	case has("salary", "payroll", "direct dep", " bgc ", "giro credit", "gehalt", "salaire", " sal "):
		return "payroll"
	case has("neft"):
		return "neft"
	case has("lastschrift", "sepa dd", " dd ", "direct debit", "nach ", "ach/", "ach debit", "bill pay"):
		return "debit-order"
	case has("gutschrift"):
		return "credit-transfer"
	case has("paypal"):
		return "paypal"
	case has("sq *", "tst*"):
		return "square"
	case has("atm", "cash withdrawal"):
		return "atm"
	case has("pos ", "card", "kartenzahlung", "contactless", "visa ", " cb ", "pcd/"):
		return "card"
	}
	return "other"
}

// usdRate roughly converts major units to US dollars so that amount
// buckets mean the same across currencies.
var usdRate = map[string]float64{"INR": 83, "JPY": 150, "EUR": 0.92, "GBP": 0.79, "USD": 1, "CHF": 0.9, "CAD": 1.36, "AUD": 1.5}

// fnv-1a constants (hash/fnv's 32-bit variant).
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// hash returns the feature id of the concatenation of parts: FNV-1a 32
// over the bytes, folded into [1, buckets).
func (f featurizer) hash(parts ...string) int32 {
	h := uint32(fnvOffset)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint32(p[i])
			h *= fnvPrime
		}
	}
	return int32(1 + h%uint32(f.buckets-1))
}

// features returns the feature strings of a transaction, most important
// first (truncation drops character trigrams, never amount or channel).
func (f featurizer) features(in ports.ClassifyInput) []string {
	dir := "debit"
	if in.Amount > 0 {
		dir = "credit"
	}
	cur := string(in.Currency)
	major := math.Abs(float64(in.Amount)) / math.Pow10(in.Currency.MinorDigits())
	rate := usdRate[cur]
	if rate == 0 {
		rate = 1
	}
	fs := []string{
		"dir:" + dir,
		"amt:" + dir + ":" + strconv.Itoa(int(math.Log2(major/rate+1))),
		"amtc:" + cur + ":" + dir + ":" + strconv.Itoa(int(math.Log2(major+1))),
		"ch:" + channelOf(in.Description),
	}
	if in.Date.Valid() {
		fs = append(fs, "dom:"+strconv.Itoa((in.Date.Day-1)/4))
	}
	ws := Words(in)
	for _, w := range ws {
		fs = append(fs, "w:"+w)
	}
	for i := 1; i < len(ws); i++ {
		fs = append(fs, "b:"+ws[i-1]+"_"+ws[i])
	}
	for _, w := range ws {
		p := "^" + w + "$"
		for i := 0; i+3 <= len(p); i++ {
			fs = append(fs, "c:"+p[i:i+3])
		}
	}
	return fs
}

// ids writes the hashed features of in into dst (length maxLen), padding
// with 0. It hashes the same strings as features, without building them.
func (f featurizer) ids(in ports.ClassifyInput, dst []int32) {
	for i := range dst {
		dst[i] = 0
	}
	n := 0
	put := func(parts ...string) {
		if n < len(dst) {
			dst[n] = f.hash(parts...)
			n++
		}
	}
	dir := "debit"
	if in.Amount > 0 {
		dir = "credit"
	}
	cur := string(in.Currency)
	major := math.Abs(float64(in.Amount)) / math.Pow10(in.Currency.MinorDigits())
	rate := usdRate[cur]
	if rate == 0 {
		rate = 1
	}
	put("dir:", dir)
	put("amt:", dir, ":", strconv.Itoa(int(math.Log2(major/rate+1))))
	put("amtc:", cur, ":", dir, ":", strconv.Itoa(int(math.Log2(major+1))))
	put("ch:", channelOf(in.Description))
	if in.Date.Valid() {
		put("dom:", strconv.Itoa((in.Date.Day-1)/4))
	}
	ws := Words(in)
	for _, w := range ws {
		put("w:", w)
	}
	for i := 1; i < len(ws); i++ {
		put("b:", ws[i-1], "_", ws[i])
	}
	for _, w := range ws {
		if n >= len(dst) {
			return
		}
		put("c:^", w[:min(2, len(w))])
		for i := 0; i+3 <= len(w); i++ {
			put("c:", w[i:i+3])
		}
		put("c:", w[max(len(w)-2, 0):], "$")
	}
}
