// Package ingestion turns bank statement files into clean, deduplicated
// transactions: real CSV/TSV exports (any common delimiter and encoding,
// preambles, footers, header synonyms in several languages), XLSX
// workbooks (including password-protected ones) and OFX/QFX 1.x and 2.x.
//
// The package has two layers. The pure parsers (Open, Detect, Record,
// Mapping, Fingerprint, NormalizeDescription, NeutralizeFormula) read a
// seekable source and stream Records without touching storage. A CSV is
// never held in memory: it is read twice, one pass inferring the encoding,
// delimiter, header, date order and decimal separators from the whole
// file, the second streaming the rows. XLSX and OFX decoders need the
// whole file, so those formats have their own, smaller size limit
// (Limits.MaxWorkbookBytes), checked before decoding. Service sits on the driven
// ports: it spools an upload to a temporary file while hashing and
// limiting it, records the upload, parses, normalizes, fingerprints,
// labels per batch and stores every valid row through one atomic
// ports.ImportTx.
//
// # What happens to each row
//
// Every row of a statement ends in exactly one of the four counts of the
// upload record (scale.ImportCounts):
//
//   - inserted: a valid transaction not stored before;
//   - duplicates: a valid transaction whose fingerprint the user already
//     has (an overlapping or re-exported statement), or a repeat of a bank
//     reference within the file;
//   - skipped: read but deliberately not imported: a status column says
//     pending, reverted, cancelled, declined or failed (Revolut "State",
//     Sparkasse "Umsatz vorgemerkt"), a "Pending" date (comdirect
//     "offen", Nordea "Reserverat"), or a zero amount;
//   - rejected: unreadable (bad date, bad amount — letters inside the
//     number, not a currency code before or after it —, no amount, NUL
//     bytes, an unsupported currency, a too long reference, or, in a CSV
//     whose dated rows all have the same number of fields, a row with one
//     more or one fewer: an unquoted separator or a missing cell would
//     otherwise put the balance or a number from the description in the
//     amount); each has a Rejection with the 1-based line (CSV), row
//     (XLSX) or line of the transaction's <STMTTRN> tag (OFX).
//
// Lines that are not rows at all are not counted: blank lines, preambles
// before the header (account holder, IBAN, balances), balance lines
// ("Opening balance", "Kontostand", "Balance brought forward"; also a dated
// one whose balance stands in the amount column, "Saldo finale"), separator
// rows, footers ("STATEMENT SUMMARY", "Legend", "Total March" — in the
// first or date cell, or a first cell without digits, so that a payee
// "TOTAL ENERGIES 123" stays a row), dateless subtotals whose amounts are
// the sums of the rows since the last total, and the summary block that follows a
// footer up to the next transaction (a subtotal does not end the
// statement). A line with no date and no amount that continues the text
// of the previous row (OCBC) is appended to that row's description.
//
// # Amounts
//
// An amount is what moved the balance: signed in one column (a trailing
// CR/DR, "(12.50)" and "12.50-" understood), or a debit and a credit
// column, or an unsigned column with a debit/credit indicator; a fee
// column (Revolut, PayPal) is taken off it. A column with no negative
// amount that marks only its credits ("+ £1,100.00", "100.00 CR") writes
// spending as plain numbers (John Lewis): its unmarked amounts are debits.
//
// Where the file does not spell the sign out, conventions.go reads it
// (only without a mapping): card exports recognized by header names no
// other layout uses write purchases positive (American Express,
// Discover, Apple Card); a purchase history with unsigned amounts and a
// "Complete"/"Refunded" status (Google Pay) is spending but for refunds;
// an unsigned amount column next to a column holding only debit/credit
// words ("DR"/"CR", "Debit"/"Credit", both "D" and "C") takes its sign
// from it, whatever that column is called. A currency written in the
// amount cell ("INR 129.00", "₹350", "R$ 1.234,56") is the row's currency
// and, when no currency column says otherwise, the statement's.
//
// # Idempotency
//
// The upload's SHA-256 is unique per user. Importing the same bytes again
// returns the earlier upload and its report (Result.Replayed) and stores
// nothing, when that upload completed. When it failed (a wrong password,
// a store outage) or has been "processing" for longer than
// Limits.StaleAfter (a crashed process), the import runs again under the
// same upload id; fingerprints make a second run harmless. An upload of
// the same bytes still processing and not stale is KindConflict
// (ingestion.upload_in_progress). See docs/fingerprint.md for the
// transaction fingerprint and the overlap rules.
//
// # Decision: format decoders behind a port
//
// Context: the dependency rule lets a domain package import only the
// standard library, package scale and package ports. Decoding XLSX
// (including ECMA-376 agile/standard encryption) and OFX 1.x SGML is a
// large, security-sensitive job that the standard library does not do.
//
// Decision: the two decoders sit behind ports.StatementDecoders,
// implemented by adapters/statements with excelize and ofxgo and passed in
// through Deps.Decoders (sdk.Ports.Statements). This package keeps
// everything else: format detection, the cheap zip-bomb, entry-count,
// declared-dimension and far-right-cell checks run on the bytes before a
// decoder sees them, header detection, the mapping of cells and OFX entries
// to records, and exact amounts. The legacy code pages (UTF-16,
// Windows-1252, Windows-1250) are decoded here with the standard library
// (charsets.go).
//
// Consequences: the core imports nothing outside the standard library; a
// server without decoders still imports CSV/TSV and refuses XLSX/OFX with
// ingestion.format_unsupported. Every call into a decoder is guarded
// against panics, so a malformed file is a KindInvalid error, never a
// crash.
package ingestion
