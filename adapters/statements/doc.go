// Package statements implements ports.StatementDecoders: XLSX workbooks
// (including ECMA-376 agile and standard encryption) with
// github.com/xuri/excelize/v2 and OFX/QFX 1.x and 2.x with
// github.com/aclindsa/ofxgo.
//
// It only decodes. Every limit, the zip-bomb and sheet-dimension checks,
// header detection and the mapping of cells to transactions stay in
// scale/ingestion, which keeps the core free of these modules. Calls into the
// decoders are guarded so that a malformed file is an error, never a panic.
package statements
