package ingestion

import "time"

// Limits bounds what one import may cost. The zero value of a field means
// its default (see DefaultLimits).
type Limits struct {
	// MaxFileBytes bounds the uploaded file; it is enforced while the body
	// is read, before anything is parsed.
	MaxFileBytes int64
	// MaxRows bounds the number of records (data rows, skipped and
	// rejected ones included) in one file.
	MaxRows int
	// MaxRecordBytes bounds one CSV record, quoted newlines included.
	MaxRecordBytes int
	// MaxWorkbookBytes bounds an XLSX file (it is decoded in memory by the
	// XLSX library, so it has its own, smaller limit).
	MaxWorkbookBytes int64
	// MaxUncompressedBytes bounds the sum of the declared uncompressed
	// sizes of a workbook's zip entries (zip bombs).
	MaxUncompressedBytes int64
	// MaxZipEntries bounds the number of entries of a workbook.
	MaxZipEntries int
	// MaxCells bounds a sheet's declared dimension (rows × columns).
	MaxCells int64
	// MaxColumns bounds the number of fields of one row.
	MaxColumns int
	// MaxRejections bounds how many rejections are kept in the report; the
	// count keeps counting beyond it.
	MaxRejections int
	// MaxDryRunRows bounds how many parsed transactions a dry run returns.
	MaxDryRunRows int
	// HeaderScanRows is how many leading rows are searched for the header.
	HeaderScanRows int
	// StaleAfter is how long an upload may stay "processing" before a
	// re-upload of the same file is allowed to take it over.
	StaleAfter time.Duration
}

// DefaultLimits returns the limits used for every zero field.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:         256 << 20,
		MaxRows:              5_000_000,
		MaxRecordBytes:       64 << 10,
		MaxWorkbookBytes:     32 << 20,
		MaxUncompressedBytes: 256 << 20,
		MaxZipEntries:        1000,
		MaxCells:             10_000_000,
		MaxColumns:           256,
		MaxRejections:        1000,
		MaxDryRunRows:        10_000,
		HeaderScanRows:       60,
		StaleAfter:           15 * time.Minute,
	}
}

// withDefaults fills every zero field from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = d.MaxRecordBytes
	}
	if l.MaxWorkbookBytes <= 0 {
		l.MaxWorkbookBytes = d.MaxWorkbookBytes
	}
	if l.MaxUncompressedBytes <= 0 {
		l.MaxUncompressedBytes = d.MaxUncompressedBytes
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = d.MaxZipEntries
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxRejections <= 0 {
		l.MaxRejections = d.MaxRejections
	}
	if l.MaxDryRunRows <= 0 {
		l.MaxDryRunRows = d.MaxDryRunRows
	}
	if l.HeaderScanRows <= 0 {
		l.HeaderScanRows = d.HeaderScanRows
	}
	if l.StaleAfter <= 0 {
		l.StaleAfter = d.StaleAfter
	}
	return l
}
