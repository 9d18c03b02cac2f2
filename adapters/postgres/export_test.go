package postgres

import "github.com/scalehq/scale/ports"

// BuildListing exposes the listing statement builder to the EXPLAIN tests.
var BuildListing = buildListing

// EncodeFingerprint exposes the stored form of a fingerprint to the
// benchmarks that COPY rows into transactions directly.
var EncodeFingerprint = encodeFingerprint

// ImportCopies reports whether an import stores its batches with COPY.
func ImportCopies(itx ports.ImportTx) bool { return itx.(*importTx).copying.Load() }
