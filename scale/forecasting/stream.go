package forecasting

import (
	"github.com/scalehq/scale/scale"
)

// Period is how often a stream recurs.
type Period string

// The periods DetectRecurring recognizes.
const (
	Weekly    Period = "weekly"
	Biweekly  Period = "biweekly"
	Monthly   Period = "monthly"
	Quarterly Period = "quarterly"
	Yearly    Period = "yearly"
)

// DayRule says on which day of its period a stream falls.
type DayRule string

// The day rules.
const (
	// RuleWeekday: a weekly or biweekly stream on a fixed weekday.
	RuleWeekday DayRule = "weekday"
	// RuleFixedDay: a fixed day of month (DayOfMonth), clamped to the
	// month's last day and moved as Adjustment says when it is a weekend.
	RuleFixedDay DayRule = "fixed_day"
	// RuleLastDay: the last calendar day of the month.
	RuleLastDay DayRule = "last_day"
	// RuleLastBusinessDay: the last Monday–Friday of the month.
	RuleLastBusinessDay DayRule = "last_business_day"
)

// Adjustment moves a fixed-day date that falls on a weekend.
type Adjustment string

// The business-day adjustments.
const (
	AdjustNone      Adjustment = "none"
	AdjustFollowing Adjustment = "following"
	AdjustPreceding Adjustment = "preceding"
)

// StreamKind is what a stream is, as far as its name, category, direction
// and regularity tell.
type StreamKind string

// The stream kinds.
const (
	KindSalary       StreamKind = "salary"
	KindIncome       StreamKind = "income"
	KindRent         StreamKind = "rent"
	KindLoan         StreamKind = "loan"
	KindSubscription StreamKind = "subscription"
	KindBill         StreamKind = "bill"
	KindOther        StreamKind = "other"
)

// Stream is one detected recurring stream of a user. Amounts are signed
// minor units of Currency (negative for money leaving).
type Stream struct {
	// ID is stable across runs for the same stream.
	ID   string     `json:"id"`
	Kind StreamKind `json:"kind"`
	// Direction is credit (income) or debit (spending).
	Direction scale.Type `json:"direction"`
	// Name is the merchant or description of the latest occurrence, for the
	// owner's eyes.
	Name string `json:"name"`
	// Key is the normalized merchant key the stream was grouped by.
	Key      string            `json:"key"`
	Currency scale.Currency    `json:"currency"`
	Accounts []scale.AccountID `json:"accounts"`
	// Category is the most common category of the members.
	Category scale.CategoryID `json:"category"`
	Period   Period           `json:"period"`
	// PeriodDays is the nominal length of the period in days.
	PeriodDays float64 `json:"period_days"`
	Rule       DayRule `json:"rule"`
	// DayOfMonth is set for RuleFixedDay.
	DayOfMonth int `json:"day_of_month,omitempty"`
	// Adjustment is set for RuleFixedDay.
	Adjustment Adjustment `json:"adjustment,omitempty"`
	// Weekday is set for RuleWeekday ("Monday").
	Weekday string `json:"weekday,omitempty"`
	// Amount is the typical amount (median of all occurrences).
	Amount int64 `json:"amount"`
	// AmountLow and AmountHigh bound the usual amounts (10th and 90th
	// percentile of the last twelve occurrences).
	AmountLow  int64 `json:"amount_low"`
	AmountHigh int64 `json:"amount_high"`
	// Tolerance is the relative amount spread (median absolute deviation
	// over the median); 0 for a fixed price.
	Tolerance  float64    `json:"tolerance"`
	FirstDate  scale.Date `json:"first_date"`
	LastDate   scale.Date `json:"last_date"`
	LastAmount int64      `json:"last_amount"`
	// NextDate is the next expected date after the as-of date.
	NextDate scale.Date `json:"next_date"`
	// NextAmount is the expected next amount (median of the last three).
	NextAmount int64 `json:"next_amount"`
	// Occurrences counts the members.
	Occurrences int `json:"occurrences"`
	// Skipped counts periods with no occurrence between members.
	Skipped int `json:"skipped"`
	// Confidence in [0, 1] combines regularity, count and amount stability.
	Confidence float64 `json:"confidence"`
	// Active is false once the stream is more than two periods overdue; an
	// inactive stream is not projected.
	Active bool `json:"active"`
	// Members are the transactions of the stream, oldest first.
	Members []scale.TransactionID `json:"members"`

	// deviations are the relative deviations of the recent amounts from
	// their median, used for intervals.
	deviations []float64
	// spread caches deviationsOf.
	spread []float64
	// priceChanges counts consecutive members with different amounts.
	priceChanges int
}

// Money returns an amount of the stream as Money.
func (s Stream) Money(minor int64) scale.Money {
	return scale.Money{Minor: minor, Currency: s.Currency}
}
