package anomaly

// Stable error codes of the package.
const (
	// CodeInvalidQuery marks a listing request with bad parameters.
	CodeInvalidQuery = "anomaly.invalid_query"
	// CodeInvalidPayload marks a scan job whose payload cannot be read.
	CodeInvalidPayload = "anomaly.invalid_payload"
	// CodeStore marks a failure of the store.
	CodeStore = "anomaly.store"
)
