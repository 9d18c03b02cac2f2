package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

func TestAdminOnlyGuardsTheDashboard(t *testing.T) {
	is := is.New(t)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	dash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := scale.PrincipalFrom(r.Context())
		_, _ = io.WriteString(w, "dashboard for "+string(p.User))
	})
	srv := httptest.NewServer(httpapi.AdminOnly(v, dash))
	t.Cleanup(srv.Close)
	get := func(token string) (int, http.Header, []byte) {
		req, err := http.NewRequest("GET", srv.URL+"/", nil)
		is.NoErr(err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		is.NoErr(err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}

	st, h, b := get("")
	is.Equal(problemOf(t, st, h, b, 401), "auth.unauthenticated")
	is.True(h.Get("WWW-Authenticate") != "")
	st, h, b = get("not-a-jwt")
	is.Equal(problemOf(t, st, h, b, 401), "auth.unauthenticated")
	for _, role := range []scale.Role{scale.RoleUser, scale.RoleService} {
		st, h, b = get(tokenFor(t, "mallory", role))
		is.Equal(problemOf(t, st, h, b, 404), "resource.not_found") // not 403: existence is not revealed
	}
	st, _, b = get(tokenFor(t, "root", scale.RoleAdmin))
	is.Equal(st, 200)
	is.Equal(string(b), "dashboard for root")
}

func TestHandlerMountsTheDashboardForAdmins(t *testing.T) {
	is := is.New(t)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(testSecret)})
	is.NoErr(err)
	a := newAPIServer(t)
	dash := http.NewServeMux()
	dash.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "stats") })
	h, _ := httpapi.Handler(a.SDK, httpapi.Options{Auth: v, Dashboard: dash})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		token string
		want  int
	}{{"", 401}, {tokenFor(t, "u", scale.RoleUser), 404}, {tokenFor(t, "root", scale.RoleAdmin), 200}} {
		req, _ := http.NewRequest("GET", srv.URL+"/admin/queue/", nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		is.NoErr(err)
		resp.Body.Close()
		is.Equal(resp.StatusCode, c.want)
	}
}
