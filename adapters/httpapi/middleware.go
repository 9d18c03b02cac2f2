package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unrolled/secure"

	"github.com/scalehq/scale/scale"
)

// reqInfo travels in the request context so that inner layers (the router,
// the auth middleware) can tell the access log what they learned.
type reqInfo struct {
	id      string
	pattern string
	user    scale.UserID
}

type reqInfoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	i, _ := ctx.Value(reqInfoKey{}).(*reqInfo)
	return i
}

func requestIDFrom(ctx context.Context) string {
	if i := infoFrom(ctx); i != nil {
		return i.id
	}
	return ""
}

// validRequestID accepts 1–64 characters of [A-Za-z0-9._:-]; anything else
// is replaced, so a caller cannot inject into logs.
func validRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == ':') {
			return false
		}
	}
	return true
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// requestLog assigns the request id, recovers panics as 500 problems and
// writes one access-log line per request.
func requestLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = scale.NewID()
		}
		info := &reqInfo{id: id}
		w.Header().Set("X-Request-ID", id)
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblem(sw, r, http.StatusInternalServerError, "An internal error occurred. Quote the request id when reporting it.")
				}
			}
			route := info.pattern
			if route == "" {
				route = "unmatched"
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes), slog.Duration("duration", time.Since(start)),
				slog.String("user_id", string(info.user)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// routed serves mux and records the matched route pattern; when nothing
// matched, ServeMux's text/plain 404 and 405 become problem responses
// (keeping the Allow header).
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			if i := infoFrom(r.Context()); i != nil {
				i.pattern = pattern
			}
			return
		}
		mux.ServeHTTP(&problemRewriter{ResponseWriter: w, r: r}, r)
	})
}

type problemRewriter struct {
	http.ResponseWriter
	r       *http.Request
	swallow bool
}

func (p *problemRewriter) WriteHeader(code int) {
	if code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
		p.swallow = true
		p.Header().Del("X-Content-Type-Options")
		detail := "No operation exists at " + p.r.URL.Path + "."
		if code == http.StatusMethodNotAllowed {
			detail = "The method " + p.r.Method + " is not allowed here; see the Allow header."
		}
		writeProblem(p.ResponseWriter, p.r, code, detail)
		return
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *problemRewriter) Write(b []byte) (int, error) {
	if p.swallow {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

// securityHeaders sets the usual hardening headers. HSTS is sent on HTTPS
// requests only (or behind a proxy that says X-Forwarded-Proto: https).
func securityHeaders(next http.Handler) http.Handler {
	return secure.New(secure.Options{
		FrameDeny: true, ContentTypeNosniff: true,
		ReferrerPolicy: "strict-origin-when-cross-origin",
		STSSeconds:     31536000, STSIncludeSubdomains: true,
		SSLProxyHeaders:         map[string]string{"X-Forwarded-Proto": "https"},
		ContentSecurityPolicy:   "default-src 'none'; frame-ancestors 'none'",
		CrossOriginOpenerPolicy: "same-origin",
	}).Handler(next)
}

// cors answers cross-origin requests from the explicit allowlist only.
func cors(allowed []string, next http.Handler) http.Handler {
	if len(allowed) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !slices.Contains(allowed, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "X-Request-ID, Link, API-Version, Deprecation, Sunset, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit refuses bodies over limit with 413 before reading them when the
// length is declared, and caps the read otherwise.
func bodyLimit(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			writeProblem(w, r, http.StatusRequestEntityTooLarge,
				"The request body is larger than the limit of "+strconv.FormatInt(limit, 10)+" bytes.")
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"status":500,"title":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// LogHandler wraps h so that every record logged with a request's context
// carries that request's id.
func LogHandler(h slog.Handler) slog.Handler { return ctxLogHandler{h} }

type ctxLogHandler struct{ slog.Handler }

func (c ctxLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := requestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return c.Handler.Handle(ctx, r)
}

func (c ctxLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ctxLogHandler{c.Handler.WithAttrs(as)}
}

func (c ctxLogHandler) WithGroup(name string) slog.Handler {
	return ctxLogHandler{c.Handler.WithGroup(name)}
}

func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
