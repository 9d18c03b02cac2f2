package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

func TestMapError(t *testing.T) {
	pg := func(code, constraint string) error {
		return fmt.Errorf("query: %w", &pgconn.PgError{Code: code, ConstraintName: constraint, Message: "secret detail"})
	}
	cases := []struct {
		name string
		err  error
		kind scale.Kind
		code string
	}{
		{"no rows", pgx.ErrNoRows, scale.KindNotFound, scale.CodeNotFound},
		{"unique", pg("23505", "accounts_pkey"), scale.KindConflict, scale.CodeConflict},
		{"unique sha256", pg("23505", "uploaded_files_user_sha256_key"), scale.KindConflict, codeDuplicateFile},
		{"unique category name", pg("23505", "categories_user_name_key"), scale.KindConflict, codeCategoryName},
		{"unique model job", pg("23505", "model_versions_user_job_key"), scale.KindConflict, codeModelJob},
		{"serialization", pg("40001", ""), scale.KindUnavailable, codeBusy},
		{"deadlock", pg("40P01", ""), scale.KindUnavailable, codeBusy},
		{"check", pg("23514", "transactions_amount_check"), scale.KindInvalid, scale.CodeInvalid},
		{"not null", pg("23502", ""), scale.KindInvalid, scale.CodeInvalid},
		{"foreign key", pg("23503", "transactions_account_id_fkey"), scale.KindInvalid, codeReference},
		{"job transition trigger", pg("SC001", ""), scale.KindConflict, scale.CodeJobTransition},
		{"statement timeout", pg("57014", ""), scale.KindUnavailable, scale.CodeUnavailable},
		{"admin shutdown", pg("57P01", ""), scale.KindUnavailable, scale.CodeUnavailable},
		{"too many connections", pg("53300", ""), scale.KindUnavailable, scale.CodeUnavailable},
		{"connection failure", pg("08006", ""), scale.KindUnavailable, scale.CodeUnavailable},
		{"other server error", pg("42P01", ""), scale.KindInternal, scale.CodeInternal},
		{"deadline", fmt.Errorf("acquire: %w", context.DeadlineExceeded), scale.KindUnavailable, scale.CodeUnavailable},
		{"canceled", context.Canceled, scale.KindUnavailable, scale.CodeUnavailable},
		{"lost connection", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, scale.KindUnavailable, scale.CodeUnavailable},
		{"unexpected eof", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), scale.KindUnavailable, scale.CodeUnavailable},
		{"closed pool", errors.New("closed pool"), scale.KindUnavailable, scale.CodeUnavailable},
		{"anything else", errors.New("secret detail"), scale.KindInternal, scale.CodeInternal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			is := is.New(t)
			got := mapError(c.err, "thing")
			var se *scale.Error
			is.True(errors.As(got, &se))
			is.Equal(se.Kind, c.kind)
			is.Equal(se.Code, c.code)
			is.True(errors.Is(got, c.err) || errors.Unwrap(got) == c.err) // the cause is kept for logs
			is.True(!strings.Contains(se.Message, "secret"))              // but never shown
		})
	}
}

func TestMapErrorKeepsScaleErrorsAndNil(t *testing.T) {
	is := is.New(t)
	is.NoErr(mapError(nil, "x"))
	own := scale.Invalid("x.y", "already mapped")
	is.Equal(mapError(own, "x"), error(own))
}

func TestRetry(t *testing.T) {
	t.Run("retries serialization failures and deadlocks", func(t *testing.T) {
		is := is.New(t)
		calls := 0
		err := retry(t.Context(), func(context.Context) error {
			calls++
			if calls < 3 {
				return &pgconn.PgError{Code: []string{"40001", "40P01"}[calls-1]}
			}
			return nil
		})
		is.NoErr(err)
		is.Equal(calls, 3)
	})
	t.Run("gives up after maxAttempts", func(t *testing.T) {
		is := is.New(t)
		calls := 0
		err := retry(t.Context(), func(context.Context) error { calls++; return &pgconn.PgError{Code: "40001"} })
		is.Equal(calls, maxAttempts)
		is.Equal(scale.KindOf(mapError(err, "x")), scale.KindUnavailable)
	})
	t.Run("does not retry other errors", func(t *testing.T) {
		is := is.New(t)
		calls := 0
		_ = retry(t.Context(), func(context.Context) error { calls++; return &pgconn.PgError{Code: "23505"} })
		is.Equal(calls, 1)
	})
}
