package scale

import "time"

// AnomalyKind names a detector.
type AnomalyKind string

// The anomaly detectors.
const (
	AnomalyAmountOutlier   AnomalyKind = "amount_outlier"
	AnomalyNewMerchant     AnomalyKind = "new_merchant_large"
	AnomalyDuplicateCharge AnomalyKind = "duplicate_charge"
	AnomalyPriceIncrease   AnomalyKind = "price_increase"
	AnomalyFrequencyBurst  AnomalyKind = "frequency_burst"
)

// AnomalyStatus is the user's feedback on a finding.
type AnomalyStatus string

// The anomaly statuses.
const (
	AnomalyOpen      AnomalyStatus = "open"
	AnomalyDismissed AnomalyStatus = "dismissed"
	AnomalyConfirmed AnomalyStatus = "confirmed"
)

// Anomaly is one finding about one transaction: a score in [0, 1] and a
// sentence a person understands.
type Anomaly struct {
	ID          AnomalyID
	User        UserID
	Transaction TransactionID
	Kind        AnomalyKind
	Score       float64
	Reason      string
	Status      AnomalyStatus
	Date        Date
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
