package postgres

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scalehq/scale/scale"
)

// Codes of errors this adapter makes. Domain packages match on kinds; these
// codes only refine them.
const (
	codeConfig        = "database.config_invalid"
	codeBusy          = "database.busy"
	codeDuplicateFile = "ingestion.duplicate_file"
	codeCategoryName  = "category.exists"
	codeModelJob      = "model.job_published"
	codeReference     = "database.reference_invalid"
)

// SQLSTATE codes the mapping looks at.
const (
	sqlUniqueViolation     = "23505"
	sqlForeignKeyViolation = "23503"
	sqlCheckViolation      = "23514"
	sqlNotNullViolation    = "23502"
	sqlInvalidText         = "22P02"
	sqlSerialization       = "40001"
	sqlDeadlock            = "40P01"
	sqlQueryCanceled       = "57014"
	sqlAdminShutdown       = "57P01"
	sqlCrashShutdown       = "57P02"
	sqlCannotConnectNow    = "57P03"
	sqlTooManyConnections  = "53300"
	sqlJobTransition       = "SC001" // raised by training_jobs_check_transition
)

// fingerprintKey is the unique constraint on a user's fingerprints.
const fingerprintKey = "transactions_user_fingerprint_key"

// conflictCodes refines a unique violation by the constraint that fired.
var conflictCodes = map[string]string{
	"uploaded_files_user_sha256_key": codeDuplicateFile,
	"categories_user_name_key":       codeCategoryName,
	"categories_pkey":                codeCategoryName,
	"model_versions_user_job_key":    codeModelJob,
}

// mapError turns any error of pgx, the pool or the network into a
// *scale.Error at the adapter edge. what names the record ("transaction")
// for not-found messages. The cause is wrapped for logs; its text is never
// in the message.
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	var se *scale.Error
	if errors.As(err, &se) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return scale.Wrap(err, scale.KindNotFound, scale.CodeNotFound, what+" not found")
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return mapPgError(pe, err)
	}
	if unavailable(err) {
		return scale.Wrap(err, scale.KindUnavailable, scale.CodeUnavailable, "the database is unavailable; try again later")
	}
	return scale.Wrap(err, scale.KindInternal, scale.CodeInternal, "internal error")
}

func mapPgError(pe *pgconn.PgError, err error) error {
	switch pe.Code {
	case sqlUniqueViolation:
		code, ok := conflictCodes[pe.ConstraintName]
		if !ok {
			code = scale.CodeConflict
		}
		return scale.Wrap(err, scale.KindConflict, code, "the record already exists")
	case sqlJobTransition:
		return scale.Wrap(err, scale.KindConflict, scale.CodeJobTransition, "the job cannot make that status change")
	case sqlSerialization, sqlDeadlock:
		return scale.Wrap(err, scale.KindUnavailable, codeBusy, "the database is busy; try again")
	case sqlCheckViolation, sqlNotNullViolation, sqlInvalidText:
		return scale.Wrap(err, scale.KindInvalid, scale.CodeInvalid, "the record breaks a rule of the schema")
	case sqlForeignKeyViolation:
		return scale.Wrap(err, scale.KindInvalid, codeReference, "the record refers to something that does not exist")
	case sqlQueryCanceled, sqlAdminShutdown, sqlCrashShutdown, sqlCannotConnectNow, sqlTooManyConnections:
		return scale.Wrap(err, scale.KindUnavailable, scale.CodeUnavailable, "the database is unavailable; try again later")
	}
	if strings.HasPrefix(pe.Code, "08") { // connection exception class
		return scale.Wrap(err, scale.KindUnavailable, scale.CodeUnavailable, "the database is unavailable; try again later")
	}
	return scale.Wrap(err, scale.KindInternal, scale.CodeInternal, "internal error")
}

// unavailable reports whether err means the database could not be reached
// or did not answer in time: a lost or refused connection, a pool that could
// not hand out a connection before the deadline, a cancelled context.
func unavailable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.As(err, &ce), errors.As(err, &ne), pgconn.Timeout(err), pgconn.SafeToRetry(err):
		return true
	}
	// The pool's own sentinel is unexported; its text is stable.
	return strings.Contains(err.Error(), "closed pool")
}

// retryable reports whether running the whole operation again may succeed:
// a serialization failure or deadlock, or a failure before anything reached
// the server.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == sqlSerialization || pe.Code == sqlDeadlock
	}
	return pgconn.SafeToRetry(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// maxAttempts bounds retries of idempotent operations.
const maxAttempts = 4

// retry runs an idempotent fn up to maxAttempts times while it fails with a
// retryable error, sleeping a jittered, growing pause in between. The last
// error is returned unmapped.
func retry(ctx context.Context, fn func(ctx context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = fn(ctx); err == nil || attempt == maxAttempts || !retryable(err) {
			return err
		}
		pause := time.Duration(attempt) * (5*time.Millisecond + rand.N(20*time.Millisecond))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}
