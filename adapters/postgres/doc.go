// Package postgres is the production store of Scale: every store port of
// package ports implemented on PostgreSQL with pgx v5 and a pgxpool.
//
// Open connects; MigrateUp, MigrateDown, MigrationStatus and
// PendingMigrations run or inspect the embedded goose migrations of package
// migrations; Diagnose reads the statistics behind `scale doctor`.
//
// The adapter keeps its SQL visible: one statement per operation where it
// can, keyset pagination on (booked_on, id) that walks
// idx_transactions_pagination, and batch inserts of up to BatchSize rows as
// one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING RETURNING
// statement. Every error leaves the package as a *scale.Error (see
// errors.go); no pgx type crosses a port.
package postgres
