package httpapi

import (
	"time"

	"github.com/scalehq/scale/scale"
)

// Profile is the caller's preferences.
type Profile struct {
	UserID      string    `json:"user_id" doc:"The user id (the token's sub claim)." example:"8d1c6a52-3f0e-4f7b-9a55-0b1f2e3d4c5b"`
	DisplayName string    `json:"display_name" doc:"How the user is addressed." example:"Ada Lovelace"`
	Currency    string    `json:"currency" doc:"Display currency, ISO 4217; the default currency of new accounts." example:"EUR"`
	TimeZone    string    `json:"time_zone" doc:"IANA time zone name." example:"Europe/Berlin"`
	Locale      string    `json:"locale" doc:"BCP 47 language tag." example:"de-DE"`
	UpdatedAt   time.Time `json:"updated_at" doc:"When the profile last changed." example:"2026-03-01T09:30:00Z"`
}

func profileOut(p scale.Profile) Profile {
	return Profile{UserID: string(p.User), DisplayName: p.DisplayName, Currency: string(p.Currency),
		TimeZone: p.TimeZone, Locale: p.Locale, UpdatedAt: p.UpdatedAt}
}

// Account is a bank account.
type Account struct {
	ID          string     `json:"id" doc:"Account id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Name        string     `json:"name" doc:"The account's name." example:"Main checking"`
	Kind        string     `json:"kind" enum:"checking,savings,credit_card,cash,loan,other" doc:"What sort of account it is." example:"checking"`
	Currency    string     `json:"currency" doc:"ISO 4217 currency of the account." example:"EUR"`
	Institution string     `json:"institution" doc:"The bank." example:"N26"`
	Closed      bool       `json:"closed" doc:"Whether the account is closed (it keeps its history, accepts no imports)." example:"false"`
	ClosedAt    *time.Time `json:"closed_at,omitempty" doc:"When it was closed." example:"2026-03-01T09:30:00Z"`
	CreatedAt   time.Time  `json:"created_at" doc:"When it was created." example:"2026-03-01T09:30:00Z"`
	UpdatedAt   time.Time  `json:"updated_at" doc:"When it last changed." example:"2026-03-01T09:30:00Z"`
}

func accountOut(a scale.Account) Account {
	return Account{ID: string(a.ID), Name: a.Name, Kind: string(a.Kind), Currency: string(a.Currency),
		Institution: a.Institution, Closed: a.Closed(), ClosedAt: a.ClosedAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// Transaction is one booked transaction.
type Transaction struct {
	ID          string    `json:"id" doc:"Transaction id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8c"`
	AccountID   string    `json:"account_id" doc:"The account it was booked on." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	Date        string    `json:"date" format:"date" doc:"Booking date as the bank printed it." example:"2026-03-01"`
	Amount      string    `json:"amount" doc:"Signed decimal amount in the currency's major unit; negative when money left the account." example:"-12.50"`
	Currency    string    `json:"currency" doc:"ISO 4217 currency of the amount." example:"EUR"`
	Type        string    `json:"type" enum:"credit,debit" doc:"credit when the amount is positive, debit when negative." example:"debit"`
	Description string    `json:"description" doc:"The bank's description." example:"CARD PAYMENT STARBUCKS BERLIN"`
	Merchant    string    `json:"merchant" doc:"Merchant name, as cleaned or edited." example:"Starbucks"`
	Notes       string    `json:"notes" doc:"The user's notes." example:"coffee with Sam"`
	Reference   string    `json:"reference,omitempty" doc:"The bank's own reference for the row (FITID, reference number)." example:"FT26060ABC123"`
	Category    string    `json:"category" doc:"Category id; 'uncategorized' when nothing placed it." example:"food"`
	LabelSource string    `json:"label_source" enum:"rule,correction,import,model," doc:"Who decided the category." example:"model"`
	Confidence  float64   `json:"confidence" minimum:"0" maximum:"1" doc:"Confidence of the category, 0 to 1." example:"0.93"`
	UploadID    string    `json:"upload_id,omitempty" doc:"The statement upload it came from." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8d"`
	CreatedAt   time.Time `json:"created_at" doc:"When it was stored." example:"2026-03-01T09:30:00Z"`
	UpdatedAt   time.Time `json:"updated_at" doc:"When it last changed." example:"2026-03-01T09:30:00Z"`
}

func transactionOut(t scale.Transaction) Transaction {
	cat := string(t.Label.Category)
	if cat == "" {
		cat = string(scale.Uncategorized)
	}
	return Transaction{
		ID: string(t.ID), AccountID: string(t.Account), Date: t.Date.String(), Amount: t.Amount.Decimal(),
		Currency: string(t.Amount.Currency), Type: string(t.Type()), Description: t.Description, Merchant: t.Merchant,
		Notes: t.Notes, Reference: t.Reference, Category: cat, LabelSource: string(t.Label.Source),
		Confidence: t.Label.Confidence, UploadID: string(t.Upload), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}
