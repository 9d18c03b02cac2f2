package scale

import "time"

// AccountKind says what sort of account it is.
type AccountKind string

// The account kinds.
const (
	AccountChecking   AccountKind = "checking"
	AccountSavings    AccountKind = "savings"
	AccountCreditCard AccountKind = "credit_card"
	AccountCash       AccountKind = "cash"
	AccountLoan       AccountKind = "loan"
	AccountOther      AccountKind = "other"
)

// Valid reports whether k is a known kind.
func (k AccountKind) Valid() bool {
	switch k {
	case AccountChecking, AccountSavings, AccountCreditCard, AccountCash, AccountLoan, AccountOther:
		return true
	}
	return false
}

// Account is a bank account of a user, in one currency.
type Account struct {
	ID          AccountID
	User        UserID
	Name        string
	Kind        AccountKind
	Currency    Currency
	Institution string
	// ClosedAt is set once the account is closed; a closed account accepts
	// no new imports but keeps its history.
	ClosedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Closed reports whether the account is closed.
func (a Account) Closed() bool { return a.ClosedAt != nil }

// Profile holds a user's preferences.
type Profile struct {
	User        UserID
	DisplayName string
	// Currency is the display currency, also the default for new accounts.
	Currency Currency
	// TimeZone is an IANA zone name ("Europe/Berlin").
	TimeZone string
	// Locale is a BCP 47 tag ("de-DE").
	Locale    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DefaultProfile is the profile a user has before changing anything.
func DefaultProfile(u UserID, now time.Time) Profile {
	return Profile{User: u, Currency: "EUR", TimeZone: "UTC", Locale: "en", CreatedAt: now, UpdatedAt: now}
}
