// Package jwtauth verifies bearer JWTs: HS256 with a shared secret
// (Supabase-style), and RS256/ES256 with keys from a JWKS URL, which is
// re-fetched when an unknown key id appears so key rotation just works.
//
// It is the one place tokens are checked. `exp` is required; `nbf` and
// `iat` are honoured with a small leeway; `aud` and `iss` are checked when
// configured; `alg: none` and algorithm confusion are refused because every
// key is bound to the algorithms it may verify. The `sub` claim becomes the
// user id and the `role` claim the scale.Role.
package jwtauth
