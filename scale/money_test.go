package scale_test

import (
	"bytes"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in   string
		cur  scale.Currency
		opt  scale.ParseOptions
		want int64
		err  string
	}{
		{"12.50", "EUR", scale.ParseOptions{}, 1250, ""},
		{"-12.5", "EUR", scale.ParseOptions{}, -1250, ""},
		{"+0.01", "USD", scale.ParseOptions{}, 1, ""},
		{"12.50-", "EUR", scale.ParseOptions{}, -1250, ""},
		{"(12.50)", "EUR", scale.ParseOptions{}, -1250, ""},
		{"−3.00", "EUR", scale.ParseOptions{}, -300, ""}, // U+2212 minus sign
		{"500", "JPY", scale.ParseOptions{}, 500, ""},
		{"500.00", "JPY", scale.ParseOptions{}, 500, ""}, // zero fraction digits beyond the exponent are fine
		{"500.5", "JPY", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"1.250", "KWD", scale.ParseOptions{}, 1250, ""},
		{"-0.005", "BHD", scale.ParseOptions{}, -5, ""},
		{"12.345", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},   // never rounds
		{"1,234.56", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid}, // separators refused unless asked
		{"1,234.56", "EUR", scale.ParseOptions{AllowThousands: true}, 123456, ""},
		{"1,16,890.00", "INR", scale.ParseOptions{AllowThousands: true}, 11689000, ""},
		{"1.234,56", "EUR", scale.ParseOptions{DecimalComma: true, AllowThousands: true}, 123456, ""},
		{"-1 234,56", "EUR", scale.ParseOptions{DecimalComma: true, AllowThousands: true}, -123456, ""},
		{"1'234.50", "CHF", scale.ParseOptions{AllowThousands: true}, 123450, ""},
		{"12,34", "EUR", scale.ParseOptions{DecimalComma: true}, 1234, ""},
		{"1,2345.00", "EUR", scale.ParseOptions{AllowThousands: true}, 0, scale.CodeMoneyInvalid},
		{"", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"--1", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"1.2.3", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"12a", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"1e3", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyInvalid},
		{"99999999999999999999", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyOverflow},
		{"92233720368547758.07", "EUR", scale.ParseOptions{}, math.MaxInt64, ""},
		{"92233720368547758.08", "EUR", scale.ParseOptions{}, 0, scale.CodeMoneyOverflow},
		{"1.00", "XXX", scale.ParseOptions{}, 0, scale.CodeCurrencyInvalid},
	}
	for _, c := range cases {
		m, err := scale.ParseMoney(c.in, c.cur, c.opt)
		if c.err != "" {
			if scale.CodeOf(err) != c.err || scale.KindOf(err) != scale.KindInvalid {
				t.Errorf("ParseMoney(%q, %s): err = %v, want code %s", c.in, c.cur, err, c.err)
			}
			continue
		}
		if err != nil || m.Minor != c.want || m.Currency != c.cur {
			t.Errorf("ParseMoney(%q, %s) = %+v, %v; want %d", c.in, c.cur, m, err, c.want)
		}
	}
}

func TestMoneyDecimalRoundTrips(t *testing.T) {
	is := is.New(t)
	for _, c := range []struct {
		m    scale.Money
		want string
	}{
		{scale.Money{Minor: -1250, Currency: "EUR"}, "-12.50"},
		{scale.Money{Minor: 5, Currency: "EUR"}, "0.05"},
		{scale.Money{Minor: -5, Currency: "EUR"}, "-0.05"},
		{scale.Money{Minor: 0, Currency: "EUR"}, "0.00"},
		{scale.Money{Minor: 500, Currency: "JPY"}, "500"},
		{scale.Money{Minor: 1250, Currency: "KWD"}, "1.250"},
		{scale.Money{Minor: math.MinInt64, Currency: "EUR"}, "-92233720368547758.08"},
	} {
		is.Equal(c.m.Decimal(), c.want)
		if c.m.Minor != math.MinInt64 {
			back, err := scale.ParseMoney(c.want, c.m.Currency, scale.ParseOptions{})
			is.NoErr(err)
			is.Equal(back, c.m)
		}
	}
	is.Equal(scale.Money{Minor: -1250, Currency: "EUR"}.String(), "-12.50 EUR")
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.50", "-0.01", "1,234.56", "1.234,56", "(3)", "1,16,890.00", "", "-", "9223372036854775807"} {
		f.Add(s, 2, false, true)
	}
	f.Fuzz(func(t *testing.T, s string, digits int, comma, thousands bool) {
		digits = ((digits % 4) + 4) % 4
		v, err := scale.ParseDecimal(s, digits, scale.ParseOptions{DecimalComma: comma, AllowThousands: thousands})
		if err != nil {
			if scale.KindOf(err) != scale.KindInvalid {
				t.Fatalf("ParseDecimal(%q) error of kind %v", s, scale.KindOf(err))
			}
			return
		}
		// What parses formats back to a value that parses to the same amount.
		back, err := scale.ParseDecimal(scale.FormatDecimal(v, digits), digits, scale.ParseOptions{})
		if v != math.MinInt64 && (err != nil || back != v) {
			t.Fatalf("round trip of %q: %d → %q → %d, %v", s, v, scale.FormatDecimal(v, digits), back, err)
		}
	})
}

func TestMoneyAdd(t *testing.T) {
	is := is.New(t)
	sum, err := scale.Money{Minor: 100, Currency: "EUR"}.Add(scale.Money{Minor: -250, Currency: "EUR"})
	is.NoErr(err)
	is.Equal(sum, scale.Money{Minor: -150, Currency: "EUR"})
	_, err = scale.Money{Minor: 1, Currency: "EUR"}.Add(scale.Money{Minor: 1, Currency: "USD"})
	is.Equal(scale.CodeOf(err), scale.CodeCurrencyMismatch)
	_, err = scale.Money{Minor: math.MaxInt64, Currency: "EUR"}.Add(scale.Money{Minor: 1, Currency: "EUR"})
	is.Equal(scale.CodeOf(err), scale.CodeMoneyOverflow)
}

func TestCurrencies(t *testing.T) {
	is := is.New(t)
	for code, digits := range map[string]int{"eur": 2, "USD": 2, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "INR": 2} {
		c, err := scale.ParseCurrency(code)
		is.NoErr(err)
		is.Equal(c.MinorDigits(), digits)
	}
	for _, bad := range []string{"", "EU", "EURO", "XYZ", "€"} {
		_, err := scale.ParseCurrency(bad)
		is.Equal(scale.KindOf(err), scale.KindInvalid)
	}
}

func TestDate(t *testing.T) {
	is := is.New(t)
	d, err := scale.ParseDate("2024-02-29")
	is.NoErr(err)
	is.Equal(d, scale.Date{Year: 2024, Month: time.February, Day: 29})
	for _, bad := range []string{"2026-02-29", "2026-13-01", "26-01-01", "2026-1-1", "", "2026-01-01T00:00:00Z"} {
		_, err := scale.ParseDate(bad)
		is.Equal(scale.CodeOf(err), scale.CodeDateInvalid)
	}
	_, err = scale.NewDate(2026, time.April, 31)
	is.True(err != nil)
	jan31 := scale.Date{Year: 2026, Month: time.January, Day: 31}
	is.Equal(jan31.AddMonths(1), scale.Date{Year: 2026, Month: time.February, Day: 28})
	is.Equal(jan31.AddDays(1), scale.Date{Year: 2026, Month: time.February, Day: 1})
	is.Equal(jan31.AddDays(1).Sub(jan31), 1)
	is.True(jan31.Before(jan31.AddDays(1)))
	b, err := jan31.MarshalText()
	is.NoErr(err)
	is.Equal(string(b), "2026-01-31")
	var back scale.Date
	is.NoErr(back.UnmarshalText(b))
	is.Equal(back, jan31)
	// A civil date does not move with time zones.
	is.Equal(scale.DateOf(time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("x", -5*3600))), scale.Date{Year: 2026, Month: 3, Day: 1})
}

func TestTransactionTypeAndValidation(t *testing.T) {
	is := is.New(t)
	tx := scale.Transaction{User: "u", Account: "a", Date: scale.Date{Year: 2026, Month: 3, Day: 1},
		Amount: scale.Money{Minor: -450, Currency: "EUR"}, Description: "COFFEE"}
	is.NoErr(tx.Validate())
	is.Equal(tx.Type(), scale.Debit)
	tx.Amount.Minor = 450
	is.Equal(tx.Type(), scale.Credit)
	tx.Amount.Minor = 0
	err := tx.Validate()
	is.Equal(scale.CodeOf(err), scale.CodeAmountZero)
	is.Equal(scale.TypeOf(0), scale.Type(""))

	bad := scale.Transaction{Amount: scale.Money{Minor: 1, Currency: "ZZZ"}, Description: "x\x00y",
		Merchant: strings.Repeat("m", scale.MaxMerchantLen+1), Label: scale.Label{Source: "guess", Confidence: 2}}
	var se *scale.Error
	err = bad.Validate()
	is.True(err != nil)
	se = err.(*scale.Error)
	is.Equal(se.Kind, scale.KindInvalid)
	fields := map[string]bool{}
	for _, f := range se.Fields {
		fields[f.Field] = true
	}
	for _, f := range []string{"user", "account_id", "date", "currency", "description", "merchant", "label_source", "confidence"} {
		is.True(fields[f]) // every bad field is listed
	}
}

func TestLogValueRedactsPII(t *testing.T) {
	is := is.New(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	tx := scale.Transaction{ID: "t1", Account: "a1", Date: scale.Date{Year: 2026, Month: 3, Day: 1},
		Amount: scale.Money{Minor: -123456, Currency: "EUR"}, Description: "PHARMACY DR SMITH", Merchant: "Dr Smith"}
	log.Info("stored", "tx", tx, "money", tx.Amount)
	out := buf.String()
	for _, secret := range []string{"PHARMACY", "Smith", "1234", "-1234.56", "123456"} {
		is.True(!strings.Contains(out, secret))
	}
	is.True(strings.Contains(out, `"currency":"EUR"`))
	is.True(strings.Contains(out, `"type":"debit"`))
}

func TestErrors(t *testing.T) {
	is := is.New(t)
	base := scale.NotFound("account.missing", "account %s not found", "a1")
	wrapped := scale.Wrap(base, scale.KindUnavailable, "dependency.unavailable", "try later")
	is.Equal(scale.KindOf(base), scale.KindNotFound)
	is.Equal(scale.KindOf(wrapped), scale.KindUnavailable)
	is.Equal(scale.KindOf(nil), scale.KindInternal)
	is.Equal(scale.CodeOf(base), "account.missing")
	is.True(strings.Contains(wrapped.Error(), "account a1 not found"))
	is.True(errors.Is(wrapped, &scale.Error{Code: "account.missing"}))
	is.Equal(len(scale.Kinds()), 10)
	for _, k := range scale.Kinds() {
		is.True(!strings.HasPrefix(k.String(), "kind("))
	}
}
