package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/ulule/limiter/v3"

	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/sdk"
)

// Authenticator verifies a bearer token and returns its principal; any
// failure is an error of scale.KindUnauthenticated.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (scale.Principal, error)
}

// Options configure the HTTP adapter. Auth is required.
type Options struct {
	Auth   Authenticator
	Logger *slog.Logger
	// MaxBodyBytes bounds JSON request bodies (default 1 MiB).
	MaxBodyBytes int64
	// MaxUploadBytes bounds statement uploads (default 50 MiB).
	MaxUploadBytes int64
	// AllowedOrigins is the CORS allowlist; empty allows no cross-origin use.
	AllowedOrigins []string
	// Version is the server build version shown in the spec.
	Version string
	// Dashboard, when set, is served under /admin/queue/ to callers with
	// the admin role only (see AdminOnly), such as redisqueue's
	// (*Queue).Dashboard().
	Dashboard http.Handler
	// RateLimiter, when set, limits each user's requests to /api/v1.
	RateLimiter *limiter.Limiter
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = 50 << 20
	}
	if o.Version == "" {
		o.Version = "1.0.0"
	}
}

// APIVersion is the version of the /api/v1 contract, sent in the API-Version
// response header.
const APIVersion = "1"

// Config returns the huma configuration of the Scale API: OpenAPI 3.1,
// bearer security by default, tags, and the problem transformer.
func Config(version string) huma.Config {
	cfg := huma.DefaultConfig("Scale API", version)
	cfg.OpenAPIPath = "/openapi"
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil
	cfg.Info.Description = "Transaction intelligence: bank statements in, clean deduplicated categorized " +
		"transactions out, with forecasts and anomaly alerts.\n\n" +
		"Authenticate with `Authorization: Bearer <JWT>` (the `sub` claim is the user). Money is a decimal " +
		"string in the currency's major unit next to its ISO 4217 `currency` (never a float); dates are " +
		"`YYYY-MM-DD`. Errors are RFC 9457 `application/problem+json` with a stable `type` per error code. " +
		"Lists use opaque keyset cursors.\n\n" +
		"Versioning: every operation lives under `/api/v1` and responses carry `API-Version: 1`. A breaking " +
		"change ships as `/api/v2` beside v1; a deprecated v1 operation answers with `Deprecation` and `Sunset` " +
		"headers for at least six months before it is removed."
	cfg.Info.License = &huma.License{Name: "Apache-2.0", Identifier: "Apache-2.0"}
	cfg.Info.Contact = &huma.Contact{Name: "Scale maintainers", URL: "https://github.com/scalehq/scale"}
	cfg.Servers = []*huma.Server{{URL: "/", Description: "This server"}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "JWT",
			Description: "A JWT signed with the server's HS256 secret or a key of its JWKS. `scale token --user ID` prints a development token."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	cfg.Tags = []*huma.Tag{
		{Name: "Profile", Description: "The caller's preferences."},
		{Name: "Accounts", Description: "Bank accounts of the caller."},
		{Name: "Transactions", Description: "The caller's transactions: listing, edits, export."},
		{Name: "Imports", Description: "Bank statement uploads: CSV/TSV, XLSX (also password-protected) and OFX/QFX."},
		{Name: "Categorization", Description: "Categories, rules, classification and discovery of new categories."},
		{Name: "Training", Description: "Training jobs and the caller's model versions."},
		{Name: "Forecasting", Description: "Recurring streams and cash-flow forecasts."},
		{Name: "Anomalies", Description: "Unusual transactions, each with a score and a reason."},
	}
	cfg.Transformers = append(cfg.Transformers, problemTransformer)
	return cfg
}

// NewAPI returns a huma API on mux with Config(version).
func NewAPI(mux *http.ServeMux, version string) huma.API {
	return humago.New(mux, Config(version))
}

// handlers holds what every operation needs.
type handlers struct {
	s    *sdk.Scale
	log  *slog.Logger
	opts Options
}

// Register adds every /api/v1 operation to api. Authentication is enforced
// here, per operation, from the operation's security requirement.
func Register(api huma.API, s *sdk.Scale, opts Options) {
	opts.defaults()
	h := &handlers{s: s, log: opts.Logger, opts: opts}
	v1 := huma.NewGroup(api, "/api/v1")
	v1.UseMiddleware(h.versionHeader, h.authenticate(api), h.rateLimit(api))
	h.registerProfile(v1)
	h.registerAccounts(v1)
	h.registerTransactions(v1)
	h.registerImports(v1)
	h.registerCategorization(v1)
	h.registerTraining(v1)
	h.registerInsights(v1)
}

func (h *handlers) versionHeader(ctx huma.Context, next func(huma.Context)) {
	ctx.SetHeader("API-Version", APIVersion)
	next(ctx)
}

// authenticate enforces the bearer requirement of each operation: an
// operation without its own Security inherits the root requirement.
func (h *handlers) authenticate(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		reqs := ctx.Operation().Security
		if reqs == nil {
			reqs = api.OpenAPI().Security
		}
		needs := false
		for _, r := range reqs {
			if _, ok := r["bearer"]; ok {
				needs = true
			}
		}
		if !needs {
			next(ctx)
			return
		}
		tok, ok := bearerToken(ctx.Header("Authorization"))
		if !ok {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="scale"`)
			huma.WriteErr(api, ctx, http.StatusUnauthorized, "A bearer token is required: send Authorization: Bearer <JWT>.")
			return
		}
		p, err := h.opts.Auth.Authenticate(ctx.Context(), tok)
		if err != nil {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="scale", error="invalid_token"`)
			huma.WriteErr(api, ctx, http.StatusUnauthorized, "The bearer token is invalid or expired.")
			return
		}
		if i := infoFrom(ctx.Context()); i != nil {
			i.user = p.User
		}
		next(huma.WithContext(ctx, scale.WithPrincipal(ctx.Context(), p)))
	}
}

// userOf returns the authenticated user; operations behind authenticate
// always have one.
func userOf(ctx context.Context) scale.UserID {
	p, _ := scale.PrincipalFrom(ctx)
	return p.User
}

// SpecYAML renders the OpenAPI 3.1 document of every operation, as served at
// /openapi.yaml; docs/openapi.yaml is this output, checked for drift.
func SpecYAML() ([]byte, error) {
	api := NewAPI(http.NewServeMux(), "1.0.0")
	Register(api, nil, Options{})
	return api.OpenAPI().YAML()
}

// register adds one operation with the configured JSON body limit (huma's
// own default would otherwise apply).
func register[I, O any](h *handlers, api huma.API, op huma.Operation, f func(context.Context, *I) (*O, error)) {
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = h.opts.MaxBodyBytes + 1 // huma refuses a body of exactly the limit
	}
	huma.Register(api, op, f)
}
