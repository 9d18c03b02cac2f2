package scale

import (
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Type says which way money moved. It is derived from the amount's sign,
// never stored independently: credit when the amount is positive, debit when
// it is negative.
type Type string

// The two transaction types.
const (
	Credit Type = "credit"
	Debit  Type = "debit"
)

// TypeOf returns the type of a signed amount; a zero amount has none.
func TypeOf(amount int64) Type {
	switch {
	case amount > 0:
		return Credit
	case amount < 0:
		return Debit
	}
	return ""
}

// LabelSource records who decided a transaction's category.
type LabelSource string

// The label sources, in the order the categorization pipeline consults them.
const (
	SourceNone       LabelSource = ""
	SourceRule       LabelSource = "rule"
	SourceCorrection LabelSource = "correction"
	SourceImport     LabelSource = "import"
	SourceModel      LabelSource = "model"
)

// Valid reports whether s is a known source (or none).
func (s LabelSource) Valid() bool {
	switch s {
	case SourceNone, SourceRule, SourceCorrection, SourceImport, SourceModel:
		return true
	}
	return false
}

// Label is a category decision with its source and confidence in [0, 1].
type Label struct {
	Category   CategoryID  `json:"category,omitempty"`
	Source     LabelSource `json:"source,omitempty"`
	Confidence float64     `json:"confidence"`
}

// Field length limits shared by every entry point.
const (
	MaxDescriptionLen = 1024
	MaxMerchantLen    = 256
	MaxNotesLen       = 2048
	MaxReferenceLen   = 128
)

// Transaction is one booked movement of money on an account of a user.
type Transaction struct {
	ID      TransactionID
	User    UserID
	Account AccountID
	// Date is the booking date the bank printed.
	Date Date
	// Amount is signed: negative for money leaving the account.
	Amount      Money
	Description string
	Merchant    string
	Notes       string
	// Reference is the bank's own identifier for the row (FITID, reference
	// number), when the statement carries one.
	Reference          string
	Label              Label
	Fingerprint        string
	FingerprintVersion string
	Upload             UploadID
	// Raw keeps the source row's fields as read, for audit and re-parsing.
	Raw       map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Type returns Credit or Debit from the amount's sign.
func (t Transaction) Type() Type { return TypeOf(t.Amount.Minor) }

// Validate checks the invariants every stored transaction holds and lists
// every violation.
func (t Transaction) Validate() error {
	var fs []FieldError
	if t.User == "" {
		fs = append(fs, FieldError{"user", "is required"})
	}
	if t.Account == "" {
		fs = append(fs, FieldError{"account_id", "is required"})
	}
	if !t.Date.Valid() {
		fs = append(fs, FieldError{"date", "is not a calendar date"})
	}
	if t.Amount.Minor == 0 {
		fs = append(fs, FieldError{"amount", "must not be zero"})
	}
	if !t.Amount.Currency.Valid() {
		fs = append(fs, FieldError{"currency", "is not a supported ISO 4217 code"})
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"description", t.Description, MaxDescriptionLen}, {"merchant", t.Merchant, MaxMerchantLen},
		{"notes", t.Notes, MaxNotesLen}, {"reference", t.Reference, MaxReferenceLen}} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			fs = append(fs, FieldError{f.name, "must be valid UTF-8 text"})
		} else if utf8.RuneCountInString(f.v) > f.max {
			fs = append(fs, FieldError{f.name, "is too long"})
		}
	}
	if !t.Label.Source.Valid() {
		fs = append(fs, FieldError{"label_source", "is not a known source"})
	}
	if t.Label.Confidence < 0 || t.Label.Confidence > 1 {
		fs = append(fs, FieldError{"confidence", "must be between 0 and 1"})
	}
	if len(fs) > 0 {
		code := CodeTransactionBad
		if len(fs) == 1 && fs[0].Field == "amount" {
			code = CodeAmountZero
		}
		return InvalidFields(code, "The transaction is not valid.", fs...)
	}
	return nil
}

// LogValue redacts description, merchant, notes and amount.
func (t Transaction) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", string(t.ID)),
		slog.String("account", string(t.Account)),
		slog.String("date", t.Date.String()),
		slog.String("type", string(t.Type())),
		slog.Any("amount", t.Amount),
		slog.String("description", "[redacted]"),
		slog.String("merchant", "[redacted]"),
		slog.String("category", string(t.Label.Category)),
	)
}
