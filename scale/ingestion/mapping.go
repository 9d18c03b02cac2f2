package ingestion

import (
	"sort"
	"strconv"
	"strings"

	"github.com/scalehq/scale/scale"
)

// Mapping overrides column detection for layouts detection cannot handle.
// Each column field is either a header name (compared like headers are:
// case-insensitive, spaces collapsed) or a 1-based column index written
// as digits ("3"). Empty fields are detected from the header as usual;
// with Headerless, only the mapped columns are read.
type Mapping struct {
	Date         string `json:"date,omitempty"`
	Description  string `json:"description,omitempty"`
	Counterparty string `json:"counterparty,omitempty"`
	// Amount is one signed amount column (or unsigned with Direction).
	Amount string `json:"amount,omitempty"`
	// Debit and Credit are split unsigned columns (withdrawal/deposit).
	Debit  string `json:"debit,omitempty"`
	Credit string `json:"credit,omitempty"`
	// Direction holds a debit/credit indicator for Amount ("Af"/"Bij",
	// "D"/"C", "DR"/"CR", "-"/"+").
	Direction string `json:"direction,omitempty"`
	Currency  string `json:"currency,omitempty"`
	Reference string `json:"reference,omitempty"`
	Status    string `json:"status,omitempty"`
	Category  string `json:"category,omitempty"`
	// DateFormat fixes the order of numeric dates: "DD/MM/YYYY",
	// "MM/DD/YYYY", "YYYY-MM-DD", or "DMY"/"MDY"/"YMD". Empty: inferred.
	DateFormat string `json:"date_format,omitempty"`
	// InvertSign says money leaving the account is written as a positive
	// amount (many credit-card exports): every amount's sign is flipped,
	// except amounts marked as money in with a leading "+" or a trailing
	// "CR", which stay positive.
	InvertSign bool `json:"invert_sign,omitempty"`
	// DecimalComma, when set, fixes the decimal separator of every amount
	// column; nil infers it per column.
	DecimalComma *bool `json:"decimal_comma,omitempty"`
	// Headerless says the file has no header row: data starts after
	// SkipRows rows and the column fields must be indexes.
	Headerless bool `json:"headerless,omitempty"`
	// SkipRows is the number of leading rows to ignore.
	SkipRows int `json:"skip_rows,omitempty"`
	// DefaultCurrency is the currency of amounts when no currency column
	// exists; empty means the account's currency.
	DefaultCurrency scale.Currency `json:"default_currency,omitempty"`
}

// builtinProfiles are the named mappings a Request.Profile may select.
var builtinProfiles = map[string]Mapping{
	// A headerless file of date, description, signed amount.
	"headerless-date-desc-amount": {Headerless: true, Date: "1", Description: "2", Amount: "3"},
	// A headerless file of date, signed amount, description.
	"headerless-date-amount-desc": {Headerless: true, Date: "1", Amount: "2", Description: "3"},
	// A headerless file of date, description, debit, credit.
	"headerless-date-desc-debit-credit": {Headerless: true, Date: "1", Description: "2", Debit: "3", Credit: "4"},
	// POSB/DBS (SG) savings export: no header; Date, code, Outflow, Inflow,
	// Payee, Memo.
	"posb": {Headerless: true, Date: "1", Debit: "3", Credit: "4", Description: "5", DefaultCurrency: "SGD"},
	// Wells Fargo (US) checking export: no header; date, signed amount,
	// "*", check number, description.
	"wells-fargo": {Headerless: true, Date: "1", Amount: "2", Description: "5", DateFormat: "MM/DD/YYYY", DefaultCurrency: "USD"},
	// ING (NL) current account export: Af/Bij indicator, YYYYMMDD dates.
	"ing-nl": {Date: "Datum", Description: "Naam / Omschrijving", Amount: "Bedrag (EUR)", Direction: "Af Bij", DefaultCurrency: "EUR"},
	// Credit-card exports that print purchases as positive amounts.
	"credit-card-positive-spend": {InvertSign: true},
	// John Lewis Partnership Card (UK, pre-2022): unsigned "£" spend,
	// payments "+ £…" with CR, "Pending" in the date column.
	"john-lewis": {InvertSign: true, DefaultCurrency: "GBP"},
	// US exports with month-first dates.
	"us-month-first": {DateFormat: "MM/DD/YYYY"},
	// Exports with day-first dates.
	"day-first": {DateFormat: "DD/MM/YYYY"},
}

// Profiles returns the names of the built-in profiles, sorted.
func Profiles() []string {
	ns := make([]string, 0, len(builtinProfiles))
	for n := range builtinProfiles {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// LookupProfile returns the built-in profile name (case-insensitive).
func LookupProfile(name string) (Mapping, bool) {
	m, ok := builtinProfiles[strings.ToLower(strings.TrimSpace(name))]
	return m, ok
}

// columns lists the mapping's column fields by role.
func (m *Mapping) columns() [roleCount]string {
	var c [roleCount]string
	c[roleDate], c[roleDescription], c[roleCounterparty] = m.Date, m.Description, m.Counterparty
	c[roleAmount], c[roleDebit], c[roleCredit], c[roleDirection] = m.Amount, m.Debit, m.Credit, m.Direction
	c[roleCurrency], c[roleReference], c[roleStatus], c[roleCategory] = m.Currency, m.Reference, m.Status, m.Category
	return c
}

// validate checks the mapping on its own.
func (m *Mapping) validate() error {
	var fs []scale.FieldError
	if _, ok := ParseDateOrder(m.DateFormat); !ok {
		fs = append(fs, scale.FieldError{Field: "mapping.date_format", Message: "must be like DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD"})
	}
	if m.SkipRows < 0 || m.SkipRows > 10000 {
		fs = append(fs, scale.FieldError{Field: "mapping.skip_rows", Message: "must be between 0 and 10000"})
	}
	if m.DefaultCurrency != "" && !m.DefaultCurrency.Valid() {
		fs = append(fs, scale.FieldError{Field: "mapping.default_currency", Message: "is not a supported ISO 4217 code"})
	}
	if m.Headerless {
		names := [...]string{"date", "description", "counterparty", "amount", "debit", "credit", "direction",
			"currency", "reference", "status", "category"}
		for r, c := range m.columns() {
			if r == 0 || c == "" {
				continue
			}
			if _, ok := columnIndex(c); !ok {
				fs = append(fs, scale.FieldError{Field: "mapping." + names[r-1], Message: "must be a 1-based column number in a headerless file"})
			}
		}
		if m.Date == "" || (m.Amount == "" && m.Debit == "" && m.Credit == "") {
			fs = append(fs, scale.FieldError{Field: "mapping", Message: "a headerless mapping needs a date and an amount (or debit/credit) column"})
		}
	}
	if len(fs) > 0 {
		return scale.InvalidFields(CodeMappingInvalid, "The column mapping is not valid.", fs...)
	}
	return nil
}

// columnIndex reads a 1-based index written as digits; it returns 0-based.
func columnIndex(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 100000 {
		return 0, false
	}
	return n - 1, true
}

// apply overrides the detected layout with the mapping. header holds the
// header cells (nil when headerless).
func (m *Mapping) apply(l *layout, header []string) error {
	for r, c := range m.columns() {
		if c == "" || r == int(roleNone) {
			continue
		}
		idx := -1
		if i, ok := columnIndex(c); ok {
			idx = i
		} else {
			want, _ := normalizeHeader(c)
			for i, h := range header {
				if n, _ := normalizeHeader(h); n == want || strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(c)) {
					idx = i
					break
				}
			}
			if idx < 0 {
				return scale.InvalidFields(CodeMappingInvalid, "The column mapping names a column this file does not have.",
					scale.FieldError{Field: "mapping", Message: "no column named " + strconvQuote(clip(c, 60))})
			}
		}
		l.cols[r] = idx
		if role(r) == roleDescription {
			l.descCols = []int{idx}
		}
	}
	if m.Amount != "" {
		if m.Debit == "" {
			l.cols[roleDebit] = -1
		}
		if m.Credit == "" {
			l.cols[roleCredit] = -1
		}
	} else if m.Debit != "" || m.Credit != "" {
		l.cols[roleAmount] = -1
	}
	if l.cols[roleDate] < 0 || !l.hasAmount() {
		return scale.InvalidFields(CodeMappingInvalid, "The column mapping needs a date and an amount column.",
			scale.FieldError{Field: "mapping", Message: "needs a date and an amount (or debit/credit) column"})
	}
	return nil
}

func strconvQuote(s string) string { return strconv.Quote(s) }
