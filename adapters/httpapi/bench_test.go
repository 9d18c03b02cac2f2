package httpapi_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

// BenchmarkProfileChain measures an authenticated GET through the whole
// middleware chain (request id, access log, security headers, CORS, body
// limit, router, huma, bearer auth, rate limiter, handler) beside a bare
// net/http handler writing the same JSON, in one run:
//
//	go test -run '^$' -bench ProfileChain -benchmem ./adapters/httpapi/
func BenchmarkProfileChain(b *testing.B) {
	a := newAPIServer(b)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(httpapi.LogHandler(slog.NewJSONHandler(discard{}, nil)))
	full, _ := httpapi.Handler(a.SDK, httpapi.Options{Auth: v, Logger: log})
	tok, _ := jwtauth.Issue([]byte(testSecret), "bench", scale.RoleUser, "", time.Hour, time.Now())
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"user_id": "bench", "display_name": "", "currency": "EUR",
			"time_zone": "UTC", "locale": "en", "updated_at": time.Now().UTC().Format(time.RFC3339Nano)})
	})
	run := func(b *testing.B, h http.Handler) {
		req := httptest.NewRequest("GET", "/api/v1/profile", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, bare) })
	b.Run("scale", func(b *testing.B) { run(b, full) })
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
