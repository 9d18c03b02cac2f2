package scale

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the edges: HTTP maps it to a status code, the
// queue to retry-or-not. The set is closed.
type Kind uint8

// The kinds of error. KindInternal is the zero value so that an error of
// unknown origin is never mistaken for a client mistake.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindFailedPrecondition
	KindForbidden
	KindUnauthenticated
	KindUnavailable
	KindTooLarge
	KindRateLimited
)

var kindNames = [...]string{
	KindInternal:           "internal",
	KindInvalid:            "invalid",
	KindNotFound:           "not_found",
	KindConflict:           "conflict",
	KindFailedPrecondition: "failed_precondition",
	KindForbidden:          "forbidden",
	KindUnauthenticated:    "unauthenticated",
	KindUnavailable:        "unavailable",
	KindTooLarge:           "too_large",
	KindRateLimited:        "rate_limited",
}

// String returns the kind's snake_case name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Kinds lists every kind, in declaration order.
func Kinds() []Kind {
	ks := make([]Kind, len(kindNames))
	for i := range ks {
		ks[i] = Kind(i)
	}
	return ks
}

// FieldError names one bad input field and what is wrong with it.
type FieldError struct {
	// Field is a dotted path to the field, e.g. "amount" or "rows[3].date".
	Field string `json:"field"`
	// Message says what is wrong, in words a person understands.
	Message string `json:"message"`
}

// Error is the one error type of Scale. Code is a stable dotted string
// ("ingestion.password_required") that clients may match on; Message is safe
// to show to the caller; Err is the wrapped cause, never shown to callers.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	Err     error
}

// Error implements error. It includes the cause, so it is for logs, not for
// callers: edges show Message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, " [%s: %s]", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, scale.ErrNotFound)-style sentinels work by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code != "" && t.Code == e.Code
}

// E builds an *Error. The message is formatted with args.
func E(kind Kind, code, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Kind: kind, Code: code, Message: msg}
}

// Wrap returns an *Error of kind and code that wraps cause.
func Wrap(cause error, kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: cause}
}

// Invalid returns an error of KindInvalid.
func Invalid(code, format string, args ...any) *Error { return E(KindInvalid, code, format, args...) }

// InvalidFields returns an error of KindInvalid listing every bad field.
func InvalidFields(code, message string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: message, Fields: fields}
}

// NotFound returns an error of KindNotFound.
func NotFound(code, format string, args ...any) *Error { return E(KindNotFound, code, format, args...) }

// Conflict returns an error of KindConflict.
func Conflict(code, format string, args ...any) *Error { return E(KindConflict, code, format, args...) }

// Internal wraps cause as an internal error. Its message is never shown.
func Internal(cause error, code string) *Error {
	return &Error{Kind: KindInternal, Code: code, Message: "internal error", Err: cause}
}

// KindOf returns the Kind of the first *Error in err's chain, KindInternal
// when there is none, and KindInternal for a nil error's absence of kind.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// CodeOf returns the Code of the first *Error in err's chain, or
// "internal" when there is none.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return "internal"
}

// Stable codes shared by several packages. Domain packages declare their own.
const (
	CodeNotFound         = "resource.not_found"
	CodeInvalid          = "request.invalid"
	CodeInternal         = "internal"
	CodeUnavailable      = "dependency.unavailable"
	CodeConflict         = "resource.conflict"
	CodeUnauthenticated  = "auth.unauthenticated"
	CodeForbidden        = "auth.forbidden"
	CodeTooLarge         = "request.too_large"
	CodeRateLimited      = "request.rate_limited"
	CodeMoneyInvalid     = "money.invalid"
	CodeCurrencyInvalid  = "money.currency_invalid"
	CodeCurrencyMismatch = "money.currency_mismatch"
	CodeMoneyOverflow    = "money.overflow"
	CodeDateInvalid      = "date.invalid"
	CodeAmountZero       = "transaction.amount_zero"
	CodeTransactionBad   = "transaction.invalid"
	CodeDuplicate        = "transaction.duplicate"
	CodeAccountClosed    = "account.closed"
	CodeJobTransition    = "job.illegal_transition"
	CodeCursorInvalid    = "pagination.cursor_invalid"
)
