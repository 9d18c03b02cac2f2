package jwtauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/scalehq/scale/scale"
)

// Config selects how tokens are verified. At least one of Secret and
// JWKSURL is required.
type Config struct {
	// Secret verifies HS256 tokens. At least 32 bytes.
	Secret []byte
	// JWKSURL serves the public keys of RS256/ES256 tokens.
	JWKSURL string
	// Audience, when set, must be in the token's aud claim.
	Audience string
	// Issuer, when set, must equal the token's iss claim.
	Issuer string
	// Leeway tolerates clock skew on exp, nbf and iat (default 30s).
	Leeway time.Duration
	// Now overrides the clock (tests).
	Now func() time.Time
}

// Verifier checks bearer tokens. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	jwks   keyfunc.Keyfunc
	cancel context.CancelFunc

	mu    sync.RWMutex
	cache map[string]cached
}

// cached is a verified token's principal, trusted until until.
type cached struct {
	p     scale.Principal
	until time.Time
}

// Cache bounds: a verified token is re-verified after cacheTTL (or at its
// expiry, whichever comes first), and the cache never holds more than
// cacheMax tokens.
const (
	cacheTTL = time.Minute
	cacheMax = 10000
)

// New returns a Verifier. With a JWKS URL it starts a background refresher
// stopped by Close; an unreachable JWKS does not fail New (tokens fail until
// it answers).
func New(cfg Config) (*Verifier, error) {
	if len(cfg.Secret) == 0 && cfg.JWKSURL == "" {
		return nil, errors.New("jwtauth: a secret or a JWKS URL is required")
	}
	if len(cfg.Secret) > 0 && len(cfg.Secret) < 32 {
		return nil, errors.New("jwtauth: the HS256 secret must be at least 32 bytes")
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	v := &Verifier{cfg: cfg, cache: map[string]cached{}}
	if cfg.JWKSURL != "" {
		ctx, cancel := context.WithCancel(context.Background())
		k, err := keyfunc.NewDefaultCtx(ctx, []string{cfg.JWKSURL})
		if err != nil {
			cancel()
			return nil, fmt.Errorf("jwtauth: JWKS %s: %w", cfg.JWKSURL, err)
		}
		v.jwks, v.cancel = k, cancel
	}
	return v, nil
}

// Close stops the JWKS refresher.
func (v *Verifier) Close() {
	if v.cancel != nil {
		v.cancel()
	}
}

type claims struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
}

var errUnauthenticated = scale.E(scale.KindUnauthenticated, scale.CodeUnauthenticated, "a valid bearer token is required")

// Authenticate verifies a raw token and returns its principal. Every failure
// is the same KindUnauthenticated error: callers learn nothing of why. A
// verified token is remembered for up to a minute (never past its expiry),
// so a client's repeated requests skip the signature check.
func (v *Verifier) Authenticate(ctx context.Context, raw string) (scale.Principal, error) {
	if raw == "" || len(raw) > 8192 {
		return scale.Principal{}, errUnauthenticated
	}
	now := time.Now()
	if v.cfg.Now != nil {
		now = v.cfg.Now()
	}
	v.mu.RLock()
	c, ok := v.cache[raw]
	v.mu.RUnlock()
	if ok && now.Before(c.until) {
		return c.p, nil
	}
	p, exp, err := v.verify(raw)
	if err != nil {
		return scale.Principal{}, err
	}
	until := now.Add(cacheTTL)
	if exp.Before(until) {
		until = exp
	}
	v.mu.Lock()
	if len(v.cache) >= cacheMax {
		clear(v.cache)
	}
	v.cache[raw] = cached{p: p, until: until}
	v.mu.Unlock()
	return p, nil
}

// verify checks the token's signature and claims and returns its principal
// and expiry.
func (v *Verifier) verify(raw string) (scale.Principal, time.Time, error) {
	var methods []string
	if len(v.cfg.Secret) > 0 {
		methods = append(methods, "HS256")
	}
	if v.jwks != nil {
		methods = append(methods, "RS256", "ES256")
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(v.cfg.Leeway),
	}
	if v.cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(v.cfg.Audience))
	}
	if v.cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.cfg.Issuer))
	}
	if v.cfg.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(v.cfg.Now))
	}
	var c claims
	tok, err := jwt.ParseWithClaims(raw, &c, v.keyFor, opts...)
	if err != nil || !tok.Valid {
		return scale.Principal{}, time.Time{}, scale.Wrap(err, scale.KindUnauthenticated, scale.CodeUnauthenticated, "a valid bearer token is required")
	}
	if c.Subject == "" || len(c.Subject) > 128 || !utf8.ValidString(c.Subject) || strings.ContainsAny(c.Subject, "\x00\r\n") {
		return scale.Principal{}, time.Time{}, errUnauthenticated
	}
	return scale.Principal{User: scale.UserID(c.Subject), Role: roleOf(c.Role)}, c.ExpiresAt.Time, nil
}

// keyFor binds each algorithm family to its own key source, so an HS256
// token can never be verified with a public key (algorithm confusion).
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	switch t.Method.Alg() {
	case "HS256":
		if len(v.cfg.Secret) == 0 {
			return nil, errors.New("HS256 not configured")
		}
		return v.cfg.Secret, nil
	case "RS256", "ES256":
		if v.jwks == nil {
			return nil, errors.New("JWKS not configured")
		}
		return v.jwks.Keyfunc(t)
	}
	return nil, errors.New("algorithm not allowed")
}

// roleOf maps the role claim. Supabase's "authenticated" is a user; an
// unknown or missing role is a user, never more.
func roleOf(r string) scale.Role {
	switch scale.Role(r) {
	case scale.RoleAdmin:
		return scale.RoleAdmin
	case scale.RoleService, "service_role":
		return scale.RoleService
	}
	return scale.RoleUser
}

// Issue signs an HS256 development token for user with role, valid for ttl.
func Issue(secret []byte, user scale.UserID, role scale.Role, audience string, ttl time.Duration, now time.Time) (string, error) {
	if len(secret) < 32 {
		return "", errors.New("jwtauth: the HS256 secret must be at least 32 bytes")
	}
	if user == "" {
		return "", errors.New("jwtauth: a user id is required")
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject: string(user), IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Role: string(role),
	}
	if audience != "" {
		c.Audience = jwt.ClaimStrings{audience}
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}

// NewSecret returns a random 32-byte secret, base64url encoded.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
