package ingestion

// Stable error codes of package ingestion. Every error this package returns
// is a *scale.Error carrying one of them (or a scale.Code* code passed
// through from the vocabulary).
const (
	// CodeFileTooLarge: the upload exceeds Limits.MaxFileBytes (KindTooLarge).
	CodeFileTooLarge = "ingestion.file_too_large"
	// CodeFileEmpty: the upload has no bytes (KindInvalid).
	CodeFileEmpty = "ingestion.file_empty"
	// CodeFormatUnsupported: the content is not CSV/TSV, XLSX or OFX, e.g.
	// a legacy .xls, a PDF or binary data (KindInvalid).
	CodeFormatUnsupported = "ingestion.format_unsupported"
	// CodeFormatMismatch: the file name says workbook (.xlsx) but the bytes
	// are text, e.g. a CSV renamed .xlsx (KindInvalid).
	CodeFormatMismatch = "ingestion.format_mismatch"
	// CodeFileInvalid: the file claims a format but is broken: a truncated
	// workbook, a fake encrypted file, malformed OFX (KindInvalid).
	CodeFileInvalid = "ingestion.file_invalid"
	// CodePasswordRequired: an encrypted workbook and no password (KindInvalid).
	CodePasswordRequired = "ingestion.password_required"
	// CodePasswordInvalid: an encrypted workbook and the wrong password (KindInvalid).
	CodePasswordInvalid = "ingestion.password_invalid"
	// CodeHeaderNotFound: no header row with a date and an amount column was
	// found and no mapping was given (KindInvalid).
	CodeHeaderNotFound = "ingestion.header_not_found"
	// CodeMappingInvalid: an explicit mapping names a column the file does
	// not have, or is incomplete (KindInvalid).
	CodeMappingInvalid = "ingestion.mapping_invalid"
	// CodeProfileUnknown: Request.Profile names no built-in profile (KindInvalid).
	CodeProfileUnknown = "ingestion.profile_unknown"
	// CodeDateAmbiguous: the whole date column reads equally well day-first
	// and month-first (KindInvalid); pass Mapping.DateFormat.
	CodeDateAmbiguous = "ingestion.date_ambiguous"
	// CodeDateFormatUnknown: the date column matches no known date format (KindInvalid).
	CodeDateFormatUnknown = "ingestion.date_format_unknown"
	// CodeTooManyRows: the file has more rows than Limits.MaxRows (KindTooLarge).
	CodeTooManyRows = "ingestion.too_many_rows"
	// CodeRecordTooLarge: one record exceeds Limits.MaxRecordBytes, e.g. an
	// unclosed quote swallowing the rest of the file (KindInvalid).
	CodeRecordTooLarge = "ingestion.record_too_large"
	// CodeWorkbookTooLarge: the workbook's declared uncompressed size, entry
	// count or sheet dimension exceeds the limits (KindTooLarge).
	CodeWorkbookTooLarge = "ingestion.workbook_too_large"
	// CodeNoTransactions: the statement holds no transaction rows at all (KindInvalid).
	CodeNoTransactions = "ingestion.no_transactions"
	// CodeSeveralStatements: a workbook holds statements on more than one
	// sheet, which may be different accounts (KindInvalid).
	CodeSeveralStatements = "ingestion.several_statements"
	// CodeUploadInProgress: the same file is being imported right now (KindConflict).
	CodeUploadInProgress = "ingestion.upload_in_progress"
	// CodeAccountClosed: the target account is closed (KindFailedPrecondition).
	CodeAccountClosed = "ingestion.account_closed"
	// CodeRequestInvalid: the Request itself is incomplete (KindInvalid).
	CodeRequestInvalid = "ingestion.request_invalid"
	// CodeConfigInvalid: New was given incomplete Deps (KindInternal).
	CodeConfigInvalid = "ingestion.config_invalid"
	// CodeImportFailed: storing failed half-way; nothing was stored (KindInternal
	// or the store's kind).
	CodeImportFailed = "ingestion.import_failed"
)
