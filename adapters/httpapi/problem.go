package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scalehq/scale/scale"
)

// ProblemTypePrefix starts every problem type URI; the code follows.
const ProblemTypePrefix = "urn:scale:problem:"

var statusOfKind = map[scale.Kind]int{
	scale.KindInternal:           http.StatusInternalServerError,
	scale.KindInvalid:            http.StatusUnprocessableEntity,
	scale.KindNotFound:           http.StatusNotFound,
	scale.KindConflict:           http.StatusConflict,
	scale.KindFailedPrecondition: http.StatusConflict,
	scale.KindForbidden:          http.StatusNotFound, // never leak existence
	scale.KindUnauthenticated:    http.StatusUnauthorized,
	scale.KindUnavailable:        http.StatusServiceUnavailable,
	scale.KindTooLarge:           http.StatusRequestEntityTooLarge,
	scale.KindRateLimited:        http.StatusTooManyRequests,
}

// StatusOf returns the HTTP status of an error's kind.
func StatusOf(k scale.Kind) int { return statusOfKind[k] }

// defaultCodeOfStatus names the problem type of errors that huma or the
// router produce without a scale code.
var defaultCodeOfStatus = map[int]string{
	http.StatusBadRequest:            "request.malformed",
	http.StatusUnauthorized:          scale.CodeUnauthenticated,
	http.StatusForbidden:             scale.CodeForbidden,
	http.StatusNotFound:              scale.CodeNotFound,
	http.StatusMethodNotAllowed:      "request.method_not_allowed",
	http.StatusNotAcceptable:         "request.not_acceptable",
	http.StatusConflict:              scale.CodeConflict,
	http.StatusRequestEntityTooLarge: scale.CodeTooLarge,
	http.StatusUnsupportedMediaType:  "request.unsupported_media_type",
	http.StatusUnprocessableEntity:   scale.CodeInvalid,
	http.StatusTooManyRequests:       scale.CodeRateLimited,
	http.StatusInternalServerError:   scale.CodeInternal,
	http.StatusServiceUnavailable:    scale.CodeUnavailable,
}

// problemType returns the type URI of a code.
func problemType(code string) string { return ProblemTypePrefix + code }

// typeForStatus returns the default problem type of a status.
func typeForStatus(status int) string {
	if c, ok := defaultCodeOfStatus[status]; ok {
		return problemType(c)
	}
	if status >= 500 {
		return problemType(scale.CodeInternal)
	}
	return problemType("request.error")
}

// problem turns any error from the core into the RFC 9457 response: the one
// place that maps kinds to statuses. Internal errors are logged with the
// request id and replaced by a generic message.
func problem(ctx context.Context, log *slog.Logger, err error) error {
	var se *scale.Error
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		se = scale.E(scale.KindUnavailable, scale.CodeUnavailable, "the request was cancelled or timed out")
	} else if !errors.As(err, &se) {
		se = scale.Internal(err, scale.CodeInternal)
	}
	status := StatusOf(se.Kind)
	if status >= 500 {
		log.ErrorContext(ctx, "request failed", "code", se.Code, "err", err)
	}
	p := &huma.ErrorModel{Type: problemType(se.Code), Title: http.StatusText(status), Status: status, Detail: se.Message}
	if se.Kind == scale.KindInternal {
		p.Detail = "An internal error occurred. Quote the request id when reporting it."
		p.Type = problemType(scale.CodeInternal)
		return p
	}
	for _, f := range se.Fields {
		loc := f.Field
		if !strings.Contains(loc, ".") || !(strings.HasPrefix(loc, "body") || strings.HasPrefix(loc, "query") || strings.HasPrefix(loc, "path")) {
			loc = "body." + loc
		}
		p.Errors = append(p.Errors, &huma.ErrorDetail{Location: loc, Message: f.Message})
	}
	if se.Kind == scale.KindUnauthenticated {
		return huma.ErrorWithHeaders(p, http.Header{"WWW-Authenticate": {`Bearer realm="scale"`}})
	}
	return p
}

// problemTransformer stamps every problem the API writes, including huma's
// own validation and body-size errors: a stable type per code, the request
// id as instance, and no internal detail on 5xx.
func problemTransformer(ctx huma.Context, status string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	if em.Type == "" || em.Type == "about:blank" {
		em.Type = typeForStatus(em.Status)
	}
	if em.Status >= 500 && em.Type == problemType(scale.CodeInternal) {
		em.Detail = "An internal error occurred. Quote the request id when reporting it."
		em.Errors = nil
	}
	if id := requestIDFrom(ctx.Context()); id != "" {
		em.Instance = "urn:scale:request:" + id
	}
	return em, nil
}

// writeProblem writes a problem outside huma (router 404/405, panics, auth,
// body limits), in the same shape.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	p := huma.ErrorModel{Type: typeForStatus(status), Title: http.StatusText(status), Status: status, Detail: detail}
	if id := requestIDFrom(r.Context()); id != "" {
		p.Instance = "urn:scale:request:" + id
	}
	writeJSON(w, status, "application/problem+json", p)
}
