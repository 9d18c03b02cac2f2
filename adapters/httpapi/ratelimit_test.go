package httpapi_test

import (
	"net/http/httptest"
	"testing"

	"github.com/matryer/is"
	"github.com/ulule/limiter/v3/drivers/store/memory"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

func TestRateLimitPerUser(t *testing.T) {
	is := is.New(t)
	a := newAPIServer(t)
	lim, err := httpapi.NewRateLimiter("3-M", memory.NewStore())
	is.NoErr(err)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	handler, _ := httpapi.Handler(a.SDK, httpapi.Options{Auth: v, RateLimiter: lim})
	srv := httptest.NewServer(handler)
	defer srv.Close()
	limited := &apiServer{Server: srv}
	alice, bob := tokenFor(t, "alice", scale.RoleUser), tokenFor(t, "bob", scale.RoleUser)
	for range 3 {
		st, hdr, _ := limited.call(t, "GET", "/api/v1/profile", alice, "")
		is.Equal(st, 200)
		is.True(hdr.Get("RateLimit-Remaining") != "")
	}
	st, h, b := limited.call(t, "GET", "/api/v1/profile", alice, "")
	is.Equal(problemOf(t, st, h, b, 429), "request.rate_limited")
	is.True(h.Get("Retry-After") != "")
	st, _, _ = limited.call(t, "GET", "/api/v1/profile", bob, "") // another user has their own budget
	is.Equal(st, 200)
}
