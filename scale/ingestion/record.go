package ingestion

import (
	"io"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Format names a statement file format, detected from the content.
type Format string

// The formats Open reads.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
	FormatOFX  Format = "ofx"
)

// RecordStatus says what became of one row of a statement.
type RecordStatus uint8

// The record statuses.
const (
	// RecordOK is a transaction row.
	RecordOK RecordStatus = iota
	// RecordSkipped is a row deliberately not imported (pending, reverted,
	// cancelled, declined); Reason says why.
	RecordSkipped
	// RecordRejected is a row that could not be read; Reason says why.
	RecordRejected
)

// Record is one row of a statement as the parsers read it, before the
// account is known.
type Record struct {
	// Line is the 1-based line (CSV: where the record starts; OFX: where
	// the transaction's <STMTTRN> tag stands) or row (XLSX).
	Line   int
	Status RecordStatus
	// Reason explains a skipped or rejected row in words safe to show.
	Reason string
	Date   scale.Date
	// Amount is signed, in ten-thousandths of the major unit (AmountScale).
	Amount int64
	// Currency is the row's currency when the file names it, else empty
	// (the account's currency applies).
	Currency     scale.Currency
	Description  string
	Counterparty string
	// Reference is the bank's own id of the row (FITID, transaction id).
	Reference string
	// Category is the text of a category column, if any.
	Category string
	// Raw holds the row's non-empty source fields by header name.
	Raw map[string]string
}

// Source is what the parsers read: a seekable, random-access file (an
// *os.File or a *bytes.Reader).
type Source interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// Options configures Open.
type Options struct {
	// Mapping overrides column detection (CSV and XLSX only).
	Mapping *Mapping
	// Password opens an encrypted workbook.
	Password string
	// Limits bounds the work; zero fields take DefaultLimits.
	Limits Limits
	// TempDir is where the XLSX library may unpack large sheets.
	TempDir string
	// Decoders decode XLSX and OFX files; without them those formats are
	// refused (ingestion.format_unsupported) and CSV/TSV still work.
	Decoders ports.StatementDecoders
	// FileName is the name the file was uploaded under. The format is
	// always detected from the bytes; the name only serves to refuse a
	// file named like a workbook (.xlsx, .xlsm, .xls) whose bytes are not
	// one, such as a CSV renamed .xlsx (ingestion.format_mismatch).
	FileName string
}

// Reader streams the records of one statement.
type Reader interface {
	// Format is the detected format.
	Format() Format
	// Currency is the statement's currency when the file says so
	// (OFX CURDEF, a currency column, "Amount (EUR)"), else empty.
	Currency() scale.Currency
	// Next returns the next record, or io.EOF after the last one. Any
	// other error is fatal for the file.
	Next() (Record, error)
	// Close releases the reader's resources.
	Close() error
}
