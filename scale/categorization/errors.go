package categorization

// Stable error codes of this package.
const (
	CodeCSVInvalid       = "categorization.csv_invalid"
	CodeUnknownCategory  = "categorization.unknown_category"
	CodeModelUnavailable = "categorization.model_unavailable"
	CodeModelFailed      = "categorization.model_failed"
	CodeDepsInvalid      = "categorization.deps_invalid"
	CodeInputInvalid     = "categorization.input_invalid"
	CodeBatchTooLarge    = "categorization.batch_too_large"
)
