// Package ingestion turns bank statement files into clean, deduplicated
// transactions: real CSV/TSV exports (any common delimiter and encoding,
// preambles, footers, header synonyms in several languages), XLSX
// workbooks (including password-protected ones) and OFX/QFX 1.x and 2.x.
//
// The package has two layers. The pure parsers (Open, Detect, Record,
// Mapping, Fingerprint, NormalizeDescription, NeutralizeFormula) read a
// seekable source and stream Records without touching storage; they never
// hold a whole file in memory (CSV is read twice: one pass infers the
// encoding, delimiter, header, date order and decimal separator from the
// whole file, the second streams the rows). Service sits on the driven
// ports: it spools an upload to a temporary file while hashing and
// limiting it, records the upload, parses, normalizes, fingerprints,
// labels per batch and stores every valid row through one atomic
// ports.ImportTx.
//
// # Decision: format-decoding dependencies (ADR)
//
// Context: the dependency rule lets a domain package import only the
// standard library, package scale and package ports. Decoding XLSX
// (including ECMA-376 agile/standard encryption), OFX 1.x SGML and legacy
// 8-bit code pages is a large, security-sensitive job that the standard
// library does not do.
//
// Decision: package ingestion may additionally import exactly three
// decoding modules: github.com/xuri/excelize/v2 (XLSX, decryption,
// streaming row iterator), github.com/aclindsa/ofxgo (OFX/QFX) and
// golang.org/x/text/encoding/... (UTF-16, Windows-1252, Windows-1250).
// They are used only inside the parser files (xlsx.go, ofx.go,
// encoding.go); no type of theirs appears in the exported API, so they
// can be replaced without touching callers. Nothing else is allowed, and
// the import test in this package enforces the list.
//
// Consequences: the pure parsers stay in the core, so the HTTP API, the
// CLI and the SDK import statements identically. Hostile-input limits
// (zip sizes, sheet dimensions, record sizes) are checked by this package
// before the decoders run, and every call into a decoder is guarded
// against panics, so a malformed file is a KindInvalid error, never a
// crash.
package ingestion
