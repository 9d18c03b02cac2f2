package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ulule/limiter/v3"
)

// config is the server's configuration, read only here, from SCALE_*
// environment variables. .env.example documents every variable.
type config struct {
	Addr           string
	AllowedOrigins []string
	DatabaseURL    string
	// WorkerDatabaseURL is the worker's own database credentials.
	WorkerDatabaseURL string
	RedisAddr         string
	JWTSecret         string
	JWKSURL           string
	JWTAudience       string
	JWTIssuer         string
	LogLevel          slog.Level
	MaxBodyBytes      int64
	MaxUploadBytes    int64
	AutoMigrate       bool
	ShutdownTimeout   time.Duration
	ModelDir          string
	// RateLimit is the per-user rate of /api/v1 ("1200-M"); empty disables.
	RateLimit string
}

// loadConfig reads and validates the configuration; a bad value is an error
// naming the variable.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr: "127.0.0.1:8080", LogLevel: slog.LevelInfo, MaxBodyBytes: 1 << 20, MaxUploadBytes: 50 << 20,
		ShutdownTimeout: 15 * time.Second, RateLimit: "1200-M",
	}
	var errs []string
	bad := func(name, why string) { errs = append(errs, name+": "+why) }
	if v := getenv("SCALE_ADDR"); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			bad("SCALE_ADDR", fmt.Sprintf("%q is not host:port", v))
		} else {
			c.Addr = v
		}
	}
	if v := getenv("SCALE_ALLOWED_ORIGINS"); v != "" {
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			u, err := url.Parse(o)
			if o == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || o == "*" {
				bad("SCALE_ALLOWED_ORIGINS", fmt.Sprintf("%q is not an origin such as https://app.example.com (no wildcards)", o))
				continue
			}
			c.AllowedOrigins = append(c.AllowedOrigins, o)
		}
	}
	if v := getenv("SCALE_DATABASE_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("SCALE_DATABASE_URL", "must be a postgres:// URL")
		} else {
			c.DatabaseURL = v
		}
	}
	if v := getenv("SCALE_WORKER_DATABASE_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("SCALE_WORKER_DATABASE_URL", "must be a postgres:// URL")
		} else {
			c.WorkerDatabaseURL = v
		}
	}
	if v := getenv("SCALE_REDIS_ADDR"); v != "" {
		if _, _, err := net.SplitHostPort(v); err != nil {
			bad("SCALE_REDIS_ADDR", fmt.Sprintf("%q is not host:port", v))
		} else {
			c.RedisAddr = v
		}
	}
	c.JWTSecret = getenv("SCALE_JWT_SECRET")
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		bad("SCALE_JWT_SECRET", "must be at least 32 characters")
	}
	if v := getenv("SCALE_JWKS_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("SCALE_JWKS_URL", "must be an http(s) URL")
		} else {
			c.JWKSURL = v
		}
	}
	c.JWTAudience = getenv("SCALE_JWT_AUDIENCE")
	c.JWTIssuer = getenv("SCALE_JWT_ISSUER")
	if v := getenv("SCALE_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("SCALE_LOG_LEVEL", "must be debug, info, warn or error")
		}
	}
	for _, b := range []struct {
		name string
		dst  *int64
	}{{"SCALE_MAX_BODY_BYTES", &c.MaxBodyBytes}, {"SCALE_MAX_UPLOAD_BYTES", &c.MaxUploadBytes}} {
		if v := getenv(b.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 || n > 10<<30 {
				bad(b.name, "must be a byte count between 1024 and 10737418240")
				continue
			}
			*b.dst = n
		}
	}
	if v := getenv("SCALE_AUTO_MIGRATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("SCALE_AUTO_MIGRATE", "must be true or false")
		}
		c.AutoMigrate = b
	}
	if v := getenv("SCALE_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > 10*time.Minute {
			bad("SCALE_SHUTDOWN_TIMEOUT", "must be a duration such as 15s (at most 10m)")
		} else {
			c.ShutdownTimeout = d
		}
	}
	c.ModelDir = getenv("SCALE_MODEL_DIR")
	if v := getenv("SCALE_RATE_LIMIT"); v != "" {
		if v == "off" {
			c.RateLimit = ""
		} else if _, err := limiter.NewRateFromFormatted(v); err != nil {
			bad("SCALE_RATE_LIMIT", "must be a rate such as 1200-M (per minute), 50-S or 10000-H, or off")
		} else {
			c.RateLimit = v
		}
	}
	if len(errs) > 0 {
		return config{}, fmt.Errorf("invalid configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return c, nil
}
