package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Config says how to reach the database. Only URL is required.
type Config struct {
	// URL is a PostgreSQL connection URL or key=value string.
	URL string
	// MaxConns bounds the pool; 0 keeps pgxpool's default (4 or the number
	// of CPUs, whichever is larger).
	MaxConns int32
	// MinConns is kept open even when idle; 0 opens connections lazily.
	MinConns int32
	// ConnectTimeout bounds establishing one connection; 0 means 5 s.
	ConnectTimeout time.Duration
	// StatementTimeout, when set, is the server-side statement_timeout of
	// every connection, so that no query can run away.
	StatementTimeout time.Duration
	// ApplicationName shows in pg_stat_activity; empty means "scale".
	ApplicationName string
}

// Store implements ports.Store on PostgreSQL. It is safe for concurrent
// use. Close it when done.
type Store struct {
	pool *pgxpool.Pool
}

var _ ports.Store = (*Store)(nil)

// querier is what a pool, a connection and a transaction share, so that the
// same statement code runs inside or outside an import.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Open connects a pool to cfg.URL and pings it. The schema is not touched:
// run MigrateUp first, or refuse to start while PendingMigrations reports
// any.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	pc, err := poolConfig(cfg)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, mapError(err, "database")
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, mapError(err, "database")
	}
	return &Store{pool: pool}, nil
}

func poolConfig(cfg Config) (*pgxpool.Config, error) {
	if cfg.URL == "" {
		return nil, scale.Invalid(codeConfig, "no database URL is configured")
	}
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		// The parse error may quote the URL and its password: never shown.
		return nil, scale.Wrap(errors.New("parse database URL"), scale.KindInvalid, codeConfig, "the database URL is not valid")
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	if cfg.MinConns > 0 {
		pc.MinConns = cfg.MinConns
	}
	pc.ConnConfig.ConnectTimeout = cfg.ConnectTimeout
	if pc.ConnConfig.ConnectTimeout <= 0 {
		pc.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	name := cfg.ApplicationName
	if name == "" {
		name = "scale"
	}
	rp := pc.ConnConfig.RuntimeParams
	if _, ok := rp["application_name"]; !ok {
		rp["application_name"] = name
	}
	if cfg.StatementTimeout > 0 {
		rp["statement_timeout"] = formatMillis(cfg.StatementTimeout)
	}
	return pc, nil
}

func formatMillis(d time.Duration) string { return strconv.FormatInt(max(d.Milliseconds(), 1), 10) }

// Close closes every connection of the pool. It waits for borrowed
// connections to be returned.
func (s *Store) Close() { s.pool.Close() }

// Ping implements ports.Store: it reports whether a connection can be
// acquired and answers.
func (s *Store) Ping(ctx context.Context) error {
	return mapError(s.pool.Ping(ctx), "database")
}

// Pending returns how many migrations the database has not applied yet.
func (s *Store) Pending(ctx context.Context) (int, error) {
	names, err := pendingOnPool(ctx, s.pool)
	return len(names), err
}
