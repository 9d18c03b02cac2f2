package postgres

// BuildListing exposes the listing statement builder to the EXPLAIN tests.
var BuildListing = buildListing
