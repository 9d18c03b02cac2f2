package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scalehq/scale/scale"
)

// Report is what `scale doctor` shows about the database: is the cache big
// enough, are the tables read through indexes, are indexes used, is
// autovacuum keeping up, is the schema current, which statements are slow.
type Report struct {
	// GeneratedAt is when the statistics were read.
	GeneratedAt time.Time `json:"generated_at"`
	// Database is the database's name.
	Database string `json:"database"`
	// ServerVersion is PostgreSQL's version string.
	ServerVersion string `json:"server_version"`
	// CacheHitRatio is the share of block reads served from shared
	// buffers since the statistics were reset (1 is perfect).
	CacheHitRatio float64 `json:"cache_hit_ratio"`
	// Tables lists the user tables, largest first.
	Tables []TableStats `json:"tables"`
	// UnusedIndexes lists indexes never scanned since the statistics were
	// reset, excluding those that enforce a constraint.
	UnusedIndexes []IndexStats `json:"unused_indexes"`
	// PendingMigrations names the migrations not yet applied.
	PendingMigrations []string `json:"pending_migrations"`
	// Statements are the slowest statements, when they can be known.
	Statements StatementReport `json:"statements"`
	// Advice lists what an operator should look at, in words.
	Advice []string `json:"advice"`
}

// TableStats are the access and vacuum statistics of one table, from
// pg_stat_user_tables (counts since the statistics were last reset).
type TableStats struct {
	Name            string     `json:"name"`
	SizeBytes       int64      `json:"size_bytes"`
	LiveTuples      int64      `json:"live_tuples"`
	DeadTuples      int64      `json:"dead_tuples"`
	SeqScans        int64      `json:"seq_scans"`
	SeqTuplesRead   int64      `json:"seq_tuples_read"`
	IndexScans      int64      `json:"index_scans"`
	LastAutovacuum  *time.Time `json:"last_autovacuum,omitempty"`
	LastAutoanalyze *time.Time `json:"last_autoanalyze,omitempty"`
}

// IndexStats describes one index: its name, table, size and how often it
// was scanned.
type IndexStats struct {
	Name      string `json:"name"`
	Table     string `json:"table"`
	SizeBytes int64  `json:"size_bytes"`
	Scans     int64  `json:"scans"`
}

// StatementReport holds the slowest statements from pg_stat_statements, or
// a note saying why there are none.
type StatementReport struct {
	// Available reports whether pg_stat_statements could be read.
	Available bool `json:"available"`
	// Note says why not, and how to enable it.
	Note string `json:"note,omitempty"`
	// Slowest lists statements by mean execution time, slowest first.
	Slowest []Statement `json:"slowest,omitempty"`
}

// Statement is one normalized statement (constants replaced by $n, so no
// user data) with its call count, mean and total execution time in
// milliseconds, and rows returned.
type Statement struct {
	Query   string  `json:"query"`
	Calls   int64   `json:"calls"`
	MeanMs  float64 `json:"mean_ms"`
	TotalMs float64 `json:"total_ms"`
	Rows    int64   `json:"rows"`
}

// Thresholds behind the advice.
const (
	minCacheHitRatio = 0.99
	bigTableTuples   = 10_000
	maxDeadShare     = 0.2
	slowestCount     = 10
)

// Diagnose gathers the Report. It only reads statistics views.
func (s *Store) Diagnose(ctx context.Context) (Report, error) {
	r := Report{GeneratedAt: time.Now().UTC()}
	err := s.pool.QueryRow(ctx, `
		SELECT current_database(), current_setting('server_version'),
			coalesce(blks_hit::float8 / nullif(blks_hit + blks_read, 0), 1)
		FROM pg_stat_database WHERE datname = current_database()`,
	).Scan(&r.Database, &r.ServerVersion, &r.CacheHitRatio)
	if err != nil {
		return r, mapError(err, "statistics")
	}
	if r.Tables, err = s.tableStats(ctx); err != nil {
		return r, mapError(err, "statistics")
	}
	if r.UnusedIndexes, err = s.unusedIndexes(ctx); err != nil {
		return r, mapError(err, "statistics")
	}
	if r.PendingMigrations, err = pendingOnPool(ctx, s.pool); err != nil {
		return r, err
	}
	r.Statements = s.slowestStatements(ctx)
	r.Advice = advise(r)
	// Empty lists, not nulls, in JSON.
	r.UnusedIndexes = nonNil(r.UnusedIndexes)
	r.PendingMigrations = nonNil(r.PendingMigrations)
	r.Advice = nonNil(r.Advice)
	return r, nil
}

func (s *Store) tableStats(ctx context.Context) ([]TableStats, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT relname, pg_total_relation_size(relid), n_live_tup, n_dead_tup,
			coalesce(seq_scan, 0), coalesce(seq_tup_read, 0), coalesce(idx_scan, 0),
			last_autovacuum, last_autoanalyze
		FROM pg_stat_user_tables
		ORDER BY pg_total_relation_size(relid) DESC, relname`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TableStats, error) {
		var t TableStats
		err := r.Scan(&t.Name, &t.SizeBytes, &t.LiveTuples, &t.DeadTuples, &t.SeqScans, &t.SeqTuplesRead,
			&t.IndexScans, &t.LastAutovacuum, &t.LastAutoanalyze)
		return t, err
	})
}

func (s *Store) unusedIndexes(ctx context.Context) ([]IndexStats, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT s.indexrelname, s.relname, pg_relation_size(s.indexrelid), s.idx_scan
		FROM pg_stat_user_indexes AS s
		JOIN pg_index AS i ON i.indexrelid = s.indexrelid
		WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
		ORDER BY pg_relation_size(s.indexrelid) DESC, s.indexrelname`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (IndexStats, error) {
		var ix IndexStats
		err := r.Scan(&ix.Name, &ix.Table, &ix.SizeBytes, &ix.Scans)
		return ix, err
	})
}

// slowestStatements reads pg_stat_statements when it is installed in this
// database and loaded by the server; otherwise it says how to enable it.
func (s *Store) slowestStatements(ctx context.Context) StatementReport {
	var installed bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')`).Scan(&installed); err != nil || !installed {
		return StatementReport{Note: "pg_stat_statements is not installed in this database: add " +
			"shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart, then " +
			"CREATE EXTENSION pg_stat_statements"}
	}
	rows, err := s.pool.Query(ctx, `
		SELECT query, calls, mean_exec_time, total_exec_time, rows
		FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY mean_exec_time DESC
		LIMIT $1`, slowestCount)
	if err == nil {
		var st []Statement
		st, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Statement, error) {
			var x Statement
			err := r.Scan(&x.Query, &x.Calls, &x.MeanMs, &x.TotalMs, &x.Rows)
			return x, err
		})
		if err == nil {
			return StatementReport{Available: true, Slowest: st}
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55000" {
		return StatementReport{Note: "pg_stat_statements is installed but not loaded: add it to " +
			"shared_preload_libraries in postgresql.conf and restart the server"}
	}
	return StatementReport{Note: "pg_stat_statements could not be read: " + scale.KindOf(mapError(err, "statistics")).String()}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// advise turns the numbers into sentences.
func advise(r Report) []string {
	var out []string
	if r.CacheHitRatio < minCacheHitRatio {
		out = append(out, fmt.Sprintf("cache hit ratio %.3f is below %.2f: consider a larger shared_buffers or more memory", r.CacheHitRatio, minCacheHitRatio))
	}
	for _, t := range r.Tables {
		if t.LiveTuples >= bigTableTuples && t.SeqScans > t.IndexScans {
			out = append(out, fmt.Sprintf("%s (%d rows) is read by sequential scans more often than by indexes (%d vs %d): look for a query missing an index",
				t.Name, t.LiveTuples, t.SeqScans, t.IndexScans))
		}
		if total := t.LiveTuples + t.DeadTuples; total >= bigTableTuples && float64(t.DeadTuples) > maxDeadShare*float64(total) {
			out = append(out, fmt.Sprintf("%s has %d dead rows (%.0f%%): autovacuum is not keeping up; check long transactions and autovacuum settings",
				t.Name, t.DeadTuples, 100*float64(t.DeadTuples)/float64(total)))
		}
	}
	if n := len(r.PendingMigrations); n > 0 {
		out = append(out, fmt.Sprintf("%d migration(s) pending: run `scale migrate up`", n))
	}
	return out
}
