package jwtauth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

const secret = "jwtauth-test-secret-jwtauth-test-secret"

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// jwks serves the public keys like Supabase's /.well-known/jwks.json.
func jwks(t *testing.T, rsaKey *rsa.PrivateKey, ecKey *ecdsa.PrivateKey) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"keys": []map[string]string{
		{"kty": "RSA", "kid": "rsa1", "alg": "RS256", "use": "sig", "n": b64(rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(rsaKey.E)).Bytes())},
		{"kty": "EC", "kid": "ec1", "alg": "ES256", "use": "sig", "crv": "P-256", "x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))},
	}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func sign(t *testing.T, m jwt.SigningMethod, kid string, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifier(t *testing.T) {
	is := is.New(t)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(secret), JWKSURL: jwks(t, rsaKey, ecKey), Audience: "authenticated", Issuer: "https://auth.example"})
	is.NoErr(err)
	defer v.Close()
	now := time.Now()
	ok := func(extra jwt.MapClaims) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "u1", "aud": "authenticated", "iss": "https://auth.example", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "role": "authenticated"}
		for k, val := range extra {
			if val == nil {
				delete(c, k)
			} else {
				c[k] = val
			}
		}
		return c
	}
	for name, tok := range map[string]string{
		"HS256":         sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(nil)),
		"RS256":         sign(t, jwt.SigningMethodRS256, "rsa1", rsaKey, ok(nil)),
		"ES256":         sign(t, jwt.SigningMethodES256, "ec1", ecKey, ok(nil)),
		"leeway on exp": sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"exp": now.Add(-10 * time.Second).Unix()})),
	} {
		p, err := v.Authenticate(context.Background(), tok)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		is.Equal(p, scale.Principal{User: "u1", Role: scale.RoleUser})
	}
	pubPEM := rsaKey.PublicKey.N.Bytes()
	for name, tok := range map[string]string{
		"expired":        sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"exp": now.Add(-time.Hour).Unix()})),
		"no exp":         sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"exp": nil})),
		"not yet valid":  sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"nbf": now.Add(time.Hour).Unix()})),
		"issued later":   sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"iat": now.Add(time.Hour).Unix()})),
		"wrong audience": sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"aud": "other"})),
		"wrong issuer":   sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"iss": "https://evil"})),
		"no subject":     sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"sub": nil})),
		"other secret":   sign(t, jwt.SigningMethodHS256, "", []byte(strings.Repeat("x", 40)), ok(nil)),
		"unknown kid":    sign(t, jwt.SigningMethodRS256, "nope", rsaKey, ok(nil)),
		"alg confusion":  sign(t, jwt.SigningMethodHS256, "rsa1", pubPEM, ok(nil)),
		"alg none":       b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64([]byte(`{"sub":"u1","exp":9999999999}`)) + ".",
		"HS512":          sign(t, jwt.SigningMethodHS512, "", []byte(secret), ok(nil)),
		"garbage":        "a.b.c",
	} {
		_, err := v.Authenticate(context.Background(), tok)
		if scale.KindOf(err) != scale.KindUnauthenticated {
			t.Fatalf("%s: err = %v, want unauthenticated", name, err)
		}
	}
	admin := sign(t, jwt.SigningMethodHS256, "", []byte(secret), ok(jwt.MapClaims{"role": "admin"}))
	p, err := v.Authenticate(context.Background(), admin)
	is.NoErr(err)
	is.Equal(p.Role, scale.RoleAdmin)
}

func TestCacheNeverOutlivesExpiry(t *testing.T) {
	is := is.New(t)
	now := time.Now()
	clock := now
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(secret), Leeway: time.Second, Now: func() time.Time { return clock }})
	is.NoErr(err)
	tok, err := jwtauth.Issue([]byte(secret), "u1", scale.RoleUser, "", 10*time.Second, now)
	is.NoErr(err)
	_, err = v.Authenticate(context.Background(), tok)
	is.NoErr(err)
	clock = now.Add(30 * time.Second) // past exp + leeway: the cached entry must not be used
	_, err = v.Authenticate(context.Background(), tok)
	is.Equal(scale.KindOf(err), scale.KindUnauthenticated)
}
