package httpclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ProblemTypePrefix starts the type URI of every problem the API answers
// with; the stable error code follows it.
const ProblemTypePrefix = "urn:scale:problem:"

// Problem is an RFC 9457 problem answer: any non-2xx response of the API.
type Problem struct {
	// Type is the problem type URI, urn:scale:problem:<code>.
	Type string `json:"type"`
	// Code is the stable error code: Type without ProblemTypePrefix, such
	// as "resource.not_found" or "ingestion.password_required".
	Code string `json:"-"`
	// Title is the HTTP status text.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence for people.
	Detail string `json:"detail"`
	// Instance names the request (urn:scale:request:<id>); quote it when
	// reporting a problem.
	Instance string `json:"instance"`
	// Errors lists every invalid field of a 422 answer.
	Errors []FieldError `json:"errors"`
	// RetryAfter is the Retry-After header of a 429 or 503 answer.
	RetryAfter string `json:"-"`
}

// FieldError is one invalid input of a request.
type FieldError struct {
	// Location is where the input is: "body.currency", "query.from",
	// "path.id" or "body.items[3].amount".
	Location string `json:"location"`
	// Message says what is wrong with it.
	Message string `json:"message"`
	// Value is the value the server received, when it reports it.
	Value any `json:"value,omitempty"`
}

// Error describes the problem with its status, code, detail and fields.
func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scale API: %d", p.Status)
	if p.Code != "" {
		b.WriteString(" " + p.Code)
	}
	if p.Detail != "" {
		b.WriteString(": " + p.Detail)
	} else if p.Title != "" {
		b.WriteString(": " + p.Title)
	}
	for i, f := range p.Errors {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Location + " " + f.Message)
		if i == len(p.Errors)-1 {
			b.WriteString(")")
		}
	}
	return b.String()
}

// Field returns the error of the input at location and whether there is one.
func (p *Problem) Field(location string) (FieldError, bool) {
	for _, f := range p.Errors {
		if f.Location == location {
			return f, true
		}
	}
	return FieldError{}, false
}

// maxProblemBody bounds how much of an error answer is read.
const maxProblemBody = 1 << 20

// readProblem turns a non-2xx response into a *Problem. An answer that is
// not problem JSON (a proxy's error page, say) still yields a Problem with
// the status and a short excerpt of the body as detail.
func readProblem(resp *http.Response) *Problem {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemBody))
	p := &Problem{}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/problem+json" && mt != "application/json" || json.Unmarshal(b, p) != nil {
		p = &Problem{Detail: excerpt(b)}
	}
	if p.Status == 0 {
		p.Status = resp.StatusCode
	}
	if p.Title == "" {
		p.Title = http.StatusText(resp.StatusCode)
	}
	p.Code = strings.TrimPrefix(p.Type, ProblemTypePrefix)
	if p.Code == p.Type {
		p.Code = ""
	}
	p.RetryAfter = resp.Header.Get("Retry-After")
	return p
}

func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// AsProblem returns the *Problem in err's chain, or nil.
func AsProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return nil
}

// CodeOf returns the stable error code of a problem in err's chain ("" for
// nil, transport errors and answers without a Scale problem type).
func CodeOf(err error) string {
	if p := AsProblem(err); p != nil {
		return p.Code
	}
	return ""
}

// StatusOf returns the HTTP status of a problem in err's chain, or 0.
func StatusOf(err error) int {
	if p := AsProblem(err); p != nil {
		return p.Status
	}
	return 0
}

// IsNotFound reports whether err is a 404 problem: the resource does not
// exist or belongs to another user (the API never tells the two apart).
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsUnauthorized reports whether err is a 401 problem: the token is
// missing, invalid or expired.
func IsUnauthorized(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// IsConflict reports whether err is a 409 problem, such as a category name
// that exists or a training job already running.
func IsConflict(err error) bool { return StatusOf(err) == http.StatusConflict }

// IsInvalid reports whether err is a 422 problem; its Errors list every bad
// field.
func IsInvalid(err error) bool { return StatusOf(err) == http.StatusUnprocessableEntity }
