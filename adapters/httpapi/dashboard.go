package httpapi

import (
	"net/http"

	"github.com/scalehq/scale/scale"
)

// AdminOnly guards an operator's handler, such as the queue dashboard
// (redisqueue's (*Queue).Dashboard()), so that only a caller with a valid
// bearer token of the admin role reaches next. Without a valid token the
// answer is a 401 problem; a valid token of another role gets the same 404
// problem as a path that does not exist, so the dashboard's existence is not
// revealed.
func AdminOnly(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="scale"`)
			writeProblem(w, r, http.StatusUnauthorized, "A bearer token is required: send Authorization: Bearer <JWT>.")
			return
		}
		p, err := auth.Authenticate(r.Context(), tok)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="scale", error="invalid_token"`)
			writeProblem(w, r, http.StatusUnauthorized, "The bearer token is invalid or expired.")
			return
		}
		if p.Role != scale.RoleAdmin {
			writeProblem(w, r, http.StatusNotFound, "No operation exists at "+r.URL.Path+".")
			return
		}
		next.ServeHTTP(w, r.WithContext(scale.WithPrincipal(r.Context(), p)))
	})
}
