package httpclient

import (
	"context"
	"time"
)

// Profile is the caller's preferences.
type Profile struct {
	// UserID is the user (the token's sub claim).
	UserID string `json:"user_id"`
	// DisplayName is how the user is addressed.
	DisplayName string `json:"display_name"`
	// Currency is the display currency (ISO 4217), the default of new accounts
	// and the unit of amount filters.
	Currency string `json:"currency"`
	// TimeZone is an IANA time zone name.
	TimeZone string `json:"time_zone"`
	// Locale is a BCP 47 language tag.
	Locale string `json:"locale"`
	// UpdatedAt is when the profile last changed.
	UpdatedAt time.Time `json:"updated_at"`
}

// ProfilePatch changes the profile; nil fields are kept.
type ProfilePatch struct {
	DisplayName *string `json:"display_name,omitempty"`
	Currency    *string `json:"currency,omitempty"`
	TimeZone    *string `json:"time_zone,omitempty"`
	Locale      *string `json:"locale,omitempty"`
}

// Profile returns the caller's profile (the defaults for a user who never
// saved one).
func (c *Client) Profile(ctx context.Context) (Profile, error) {
	var p Profile
	err := c.call(ctx, opGetProfile, nil, nil, nil, &p)
	return p, err
}

// UpdateProfile changes the fields set in patch; a 422 problem lists every
// invalid one.
func (c *Client) UpdateProfile(ctx context.Context, patch ProfilePatch) (Profile, error) {
	var p Profile
	err := c.call(ctx, opUpdateProfile, nil, nil, patch, &p)
	return p, err
}

// Account kinds.
const (
	KindChecking   = "checking"
	KindSavings    = "savings"
	KindCreditCard = "credit_card"
	KindCash       = "cash"
	KindLoan       = "loan"
	KindOther      = "other"
)

// Account is a bank account.
type Account struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind is one of the Kind* constants.
	Kind string `json:"kind"`
	// Currency is the account's ISO 4217 currency.
	Currency    string `json:"currency"`
	Institution string `json:"institution"`
	// Closed accounts keep their history and accept no imports.
	Closed    bool       `json:"closed"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// NewAccount opens an account. Name is required; Kind defaults to checking
// and Currency to the profile's.
type NewAccount struct {
	Name        string `json:"name"`
	Kind        string `json:"kind,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Institution string `json:"institution,omitempty"`
}

// AccountPatch renames, closes or reopens an account; nil fields are kept.
type AccountPatch struct {
	Name        *string `json:"name,omitempty"`
	Institution *string `json:"institution,omitempty"`
	// Closed true closes the account, false reopens it.
	Closed *bool `json:"closed,omitempty"`
}

// CreateAccount opens an account for the caller.
func (c *Client) CreateAccount(ctx context.Context, a NewAccount) (Account, error) {
	var out Account
	err := c.call(ctx, opCreateAccount, nil, nil, a, &out)
	return out, err
}

// Accounts lists the caller's accounts, open and closed, oldest first.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	var out struct {
		Items []Account `json:"items"`
	}
	err := c.call(ctx, opListAccounts, nil, nil, nil, &out)
	return out.Items, err
}

// Account returns one of the caller's accounts; another user's id is a 404
// problem.
func (c *Client) Account(ctx context.Context, id string) (Account, error) {
	var out Account
	err := c.call(ctx, opGetAccount, []string{id}, nil, nil, &out)
	return out, err
}

// UpdateAccount changes the fields set in patch.
func (c *Client) UpdateAccount(ctx context.Context, id string, patch AccountPatch) (Account, error) {
	var out Account
	err := c.call(ctx, opUpdateAccount, []string{id}, nil, patch, &out)
	return out, err
}
