package ports

import (
	"errors"
	"math/big"
	"time"
)

// StatementDecoders decode the binary statement formats whose decoders are
// too large to write ourselves (XLSX with ECMA-376 encryption, OFX 1.x SGML).
// The ingestion domain keeps every check, limit and mapping; a decoder only
// turns bytes into cells or entries. Implementations must never panic on
// hostile input.
type StatementDecoders interface {
	// DecryptWorkbook returns the plain OOXML package of an ECMA-376
	// encrypted workbook, or ErrWorkbookPassword when password is wrong.
	DecryptWorkbook(data []byte, password string) ([]byte, error)
	// OpenWorkbook opens a plain OOXML workbook held in data. It returns
	// ErrWorkbookTooLarge when the package unpacks past the limits.
	OpenWorkbook(data []byte, opt WorkbookOptions) (Workbook, error)
	// DecodeOFX decodes an OFX/QFX 1.x or 2.x response held in data
	// (already UTF-8, leading blank lines allowed) into its bank and
	// credit-card statements.
	DecodeOFX(data []byte) ([]OFXStatement, error)
}

// Errors a StatementDecoders implementation reports by identity.
var (
	ErrWorkbookPassword = errors.New("the password does not open this workbook")
	ErrWorkbookTooLarge = errors.New("the workbook unpacks to more data than allowed")
)

// WorkbookOptions bound what opening a workbook may cost.
type WorkbookOptions struct {
	// MaxUncompressedBytes bounds the unpacked package.
	MaxUncompressedBytes int64
	// MaxXMLBytes bounds one unpacked XML part held in memory.
	MaxXMLBytes int64
	// TempDir is where large parts may be spooled.
	TempDir string
}

// Workbook is an opened spreadsheet.
type Workbook interface {
	// Sheets lists the sheet names in workbook order.
	Sheets() []string
	// Rows streams the raw cell values (not display text) of a sheet.
	Rows(sheet string) (SheetRows, error)
	Close() error
}

// SheetRows iterates the rows of one sheet.
type SheetRows interface {
	Next() bool
	// Columns returns the current row's raw cell values.
	Columns() ([]string, error)
	Err() error
	Close() error
}

// OFXStatement is one bank or credit-card statement of an OFX file.
type OFXStatement struct {
	// Account is the number of the account the statement is for (ACCTID).
	Account string
	// Currency is the statement's default currency (CURDEF).
	Currency     string
	Transactions []OFXTransaction
	// Pending counts the pending transactions the file lists apart.
	Pending int
}

// OFXTransaction is one STMTTRN, with its amount kept exact.
type OFXTransaction struct {
	// Line is the 1-based line of the file where the transaction's
	// <STMTTRN> tag stands, or 0 when the decoder cannot tell.
	Line int
	// Invalid, when set, says why the transaction could not be read (a
	// date that is not a date, an amount that is not a number); its other
	// fields are then empty.
	Invalid string
	FITID   string
	Type    string
	Name    string
	Memo    string
	// Currency overrides the statement's currency when set.
	Currency string
	Posted   time.Time
	Amount   *big.Rat
}
