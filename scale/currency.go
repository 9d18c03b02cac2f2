package scale

import "strings"

// Currency is an ISO 4217 alphabetic currency code such as "EUR".
type Currency string

// minorDigits maps every supported ISO 4217 code to its number of minor-unit
// digits (the exponent). Codes not listed are refused.
var minorDigits = func() map[Currency]int {
	m := map[Currency]int{}
	two := "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD " +
		"CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ " +
		"GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA " +
		"MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR " +
		"RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD " +
		"TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL"
	for _, c := range strings.Fields(two) {
		m[Currency(c)] = 2
	}
	for _, c := range strings.Fields("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF") {
		m[Currency(c)] = 0
	}
	for _, c := range strings.Fields("BHD IQD JOD KWD LYD OMR TND") {
		m[Currency(c)] = 3
	}
	return m
}()

// ParseCurrency returns the currency for code (case-insensitive), or an
// error of KindInvalid when code is not a supported ISO 4217 code.
func ParseCurrency(code string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(code)))
	if _, ok := minorDigits[c]; !ok {
		return "", Invalid(CodeCurrencyInvalid, "%q is not a supported ISO 4217 currency code", code)
	}
	return c, nil
}

// Valid reports whether c is a supported ISO 4217 code.
func (c Currency) Valid() bool { _, ok := minorDigits[c]; return ok }

// MinorDigits returns the number of minor-unit digits of c (2 for EUR, 0 for
// JPY, 3 for KWD). It returns 2 for an unknown code; validate first.
func (c Currency) MinorDigits() int {
	if d, ok := minorDigits[c]; ok {
		return d
	}
	return 2
}

// String returns the code.
func (c Currency) String() string { return string(c) }
