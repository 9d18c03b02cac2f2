package forecasting

// Stable error codes of the package.
const (
	// CodeInvalidParams marks a forecast request with bad parameters.
	CodeInvalidParams = "forecasting.invalid_params"
	// CodeCurrencyRequired marks a request that must name one of several
	// currencies of the history.
	CodeCurrencyRequired = "forecasting.currency_required"
	// CodeStore marks a failure to read the history.
	CodeStore = "forecasting.store"
)
