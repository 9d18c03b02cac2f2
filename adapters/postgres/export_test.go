package postgres

// BuildListing exposes the listing statement builder to the EXPLAIN tests.
var BuildListing = buildListing

// EncodeFingerprint exposes the stored form of a fingerprint to the
// benchmarks that COPY rows into transactions directly.
var EncodeFingerprint = encodeFingerprint
