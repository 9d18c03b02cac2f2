// Package migrations holds the PostgreSQL schema of Scale as ordered goose
// SQL files, embedded in the binary.
//
// Every file has a working Down section, so a schema can be migrated to any
// version and back. The files are applied by adapters/postgres (MigrateUp,
// MigrateDown, MigrationStatus), which runs goose's Provider API under a
// PostgreSQL advisory session lock so that two servers starting at once never
// migrate concurrently.
//
// Files are never edited once released: a change is a new file.
package migrations

import "embed"

// FS holds the migration files (00001_*.sql, 00002_*.sql, ...).
//
//go:embed *.sql
var FS embed.FS
