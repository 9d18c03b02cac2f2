package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/scale"
)

func runToken(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	user := fs.String("user", "", "user id (the sub claim); required")
	role := fs.String("role", "user", "role claim: user, admin or service")
	ttl := fs.Duration("ttl", time.Hour, "how long the token is valid")
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "usage: SCALE_JWT_SECRET=... scale token --user ID [--role R] [--ttl D]\n\nPrints a signed HS256 development token on stdout.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		fs.Usage()
		return errors.New("--user is required")
	}
	switch scale.Role(*role) {
	case scale.RoleUser, scale.RoleAdmin, scale.RoleService:
	default:
		return fmt.Errorf("--role %q: must be user, admin or service", *role)
	}
	if *ttl <= 0 || *ttl > 365*24*time.Hour {
		return errors.New("--ttl must be positive and at most 8760h")
	}
	secret := e.Getenv("SCALE_JWT_SECRET")
	if secret == "" {
		return errors.New("SCALE_JWT_SECRET is not set: tokens are signed with the server's secret")
	}
	tok, err := jwtauth.Issue([]byte(secret), scale.UserID(*user), scale.Role(*role), e.Getenv("SCALE_JWT_AUDIENCE"), *ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tok)
	return nil
}
