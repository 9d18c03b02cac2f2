package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"

	"github.com/scalehq/scale/scale/sdk"
)

// Handler returns the whole reference-server handler: the API registered on
// a new ServeMux, /health, /ready, /docs (Swagger UI served from assets
// embedded in the binary: no CDN), /openapi.json and /openapi.yaml, wrapped
// in the middleware chain.
func Handler(s *sdk.Scale, opts Options) (http.Handler, huma.API) {
	opts.defaults()
	mux := http.NewServeMux()
	api := NewAPI(mux, opts.Version)
	Register(api, s, opts)
	mux.HandleFunc("GET /health", health)
	mux.Handle("GET /ready", ready(s))
	docs := v5emb.NewHandlerWithConfig(swgui.Config{
		Title: "Scale API", SwaggerJSON: "/openapi.json", BasePath: "/docs/",
		ShowTopBar: false, HideCurl: false, JsonEditor: false, PreAuthorizeApiKey: nil,
	})
	mux.Handle("GET /docs", http.RedirectHandler("/docs/", http.StatusMovedPermanently))
	mux.Handle("GET /docs/", docsCSP(docs))
	if opts.Dashboard != nil {
		mux.Handle("/admin/queue/", AdminOnly(opts.Auth, http.StripPrefix("/admin/queue", opts.Dashboard)))
	}
	var h http.Handler = routed(mux)
	h = bodyLimit(max(opts.MaxUploadBytes, opts.MaxBodyBytes)+64<<10, h)
	h = cors(opts.AllowedOrigins, h)
	h = securityHeaders(h)
	h = requestLog(opts.Logger, h)
	return h, api
}

// docsCSP relaxes the content security policy for the docs page only: its
// scripts and styles come from this server, never from elsewhere.
func docsCSP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy",
			"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "+
				"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

func health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}

type checkResult struct {
	Status     string  `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
}

// ready checks every configured dependency with a short timeout: 200 when
// all answer, else a 503 problem listing each check.
func ready(s *sdk.Scale) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		checks := s.Ready(r.Context(), 2*time.Second)
		out := map[string]checkResult{}
		failed := []string{}
		for _, c := range checks {
			res := checkResult{Status: "ok", DurationMS: float64(c.Duration.Microseconds()) / 1000}
			if c.Err != nil {
				res.Status, res.Error = "unavailable", c.Err.Error()
				failed = append(failed, c.Name)
			}
			out[c.Name] = res
		}
		if len(failed) == 0 {
			writeJSON(w, http.StatusOK, "application/json", map[string]any{"status": "ok", "checks": out})
			return
		}
		body := map[string]any{
			"type": typeForStatus(http.StatusServiceUnavailable), "title": http.StatusText(http.StatusServiceUnavailable),
			"status": http.StatusServiceUnavailable, "detail": "Not ready: " + strings.Join(failed, ", ") + " unavailable.",
			"checks": out,
		}
		if id := requestIDFrom(r.Context()); id != "" {
			body["instance"] = "urn:scale:request:" + id
		}
		writeJSON(w, http.StatusServiceUnavailable, "application/problem+json", body)
	})
}
