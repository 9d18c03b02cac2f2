package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/sdk"
)

// devCredentials is set when serve runs without configured JWT keys: a
// secret made for this process and a token for a development user.
type devCredentials struct {
	Secret string
	Token  string
}

func newLogger(c config, e *cliEnv) *slog.Logger {
	h := slog.NewJSONHandler(e.Stdout, &slog.HandlerOptions{Level: c.LogLevel})
	return slog.New(httpapi.LogHandler(h))
}

func newVerifier(lc fx.Lifecycle, c *config, e *cliEnv) (*jwtauth.Verifier, *devCredentials, error) {
	var dev *devCredentials
	if c.JWTSecret == "" && c.JWKSURL == "" {
		c.JWTSecret = jwtauth.NewSecret()
		tok, err := jwtauth.Issue([]byte(c.JWTSecret), "dev-user", scale.RoleUser, c.JWTAudience, 24*time.Hour, time.Now())
		if err != nil {
			return nil, nil, err
		}
		dev = &devCredentials{Secret: c.JWTSecret, Token: tok}
	}
	v, err := jwtauth.New(jwtauth.Config{Secret: []byte(c.JWTSecret), JWKSURL: c.JWKSURL, Audience: c.JWTAudience, Issuer: c.JWTIssuer})
	if err != nil {
		return nil, nil, err
	}
	lc.Append(fx.StopHook(v.Close))
	return v, dev, nil
}

// storage is the set of driven adapters the server runs on.
type storage struct {
	Store ports.Store
	Queue ports.Queue
	Model ports.Model
}

func newStorage(lc fx.Lifecycle, c config, log *slog.Logger) (storage, error) {
	if c.DatabaseURL != "" || c.RedisAddr != "" {
		return storage{}, errors.New("SCALE_DATABASE_URL and SCALE_REDIS_ADDR are not supported by this build yet")
	}
	q := memory.NewQueue(memory.QueueConfig{Logger: log})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error { q.Start(); return nil },
		OnStop:  q.Stop,
	})
	return storage{Store: memory.NewStore(), Queue: q, Model: memory.NewKeywordModel(nil)}, nil
}

func newSDK(st storage, log *slog.Logger) (*sdk.Scale, error) {
	return sdk.New(sdk.Ports{Store: st.Store, Queue: st.Queue, Clock: ports.SystemClock{}, Model: st.Model}, sdk.Options{Logger: log})
}

func newHandler(c config, s *sdk.Scale, v *jwtauth.Verifier, log *slog.Logger) http.Handler {
	h, _ := httpapi.Handler(s, httpapi.Options{
		Auth: v, Logger: log, MaxBodyBytes: c.MaxBodyBytes, MaxUploadBytes: c.MaxUploadBytes,
		AllowedOrigins: c.AllowedOrigins, Version: version,
	})
	return h
}

// listener is the bound address, known once the server is listening.
type listener struct{ Addr string }

func newServer(lc fx.Lifecycle, sd fx.Shutdowner, c config, h http.Handler, log *slog.Logger, dev *devCredentials, e *cliEnv) *listener {
	srv := &http.Server{
		Addr: c.Addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	l := &listener{}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			ln, err := net.Listen("tcp", c.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s (SCALE_ADDR): %w", c.Addr, err)
			}
			l.Addr = ln.Addr().String()
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("server stopped", "err", err)
					_ = sd.Shutdown(fx.ExitCode(1))
				}
			}()
			log.Info("listening", "addr", l.Addr, "version", version)
			printWelcome(e.Stderr, l.Addr, dev)
			return nil
		},
		OnStop: func(ctx context.Context) error {
			log.Info("shutting down: draining in-flight requests")
			return srv.Shutdown(ctx)
		},
	})
	return l
}

func printWelcome(w io.Writer, addr string, dev *devCredentials) {
	base := "http://" + addr
	fmt.Fprintf(w, "\nScale is listening on %s\n  docs:    %s/docs/\n  openapi: %s/openapi.json\n", base, base, base)
	if dev != nil {
		fmt.Fprintf(w, "\nNo SCALE_JWT_SECRET or SCALE_JWKS_URL is set, so this process made its own secret.\n"+
			"A development token for user dev-user (valid 24h):\n\n"+
			"  curl -H 'Authorization: Bearer %s' %s/api/v1/profile\n\n"+
			"More tokens: SCALE_JWT_SECRET=%s scale token --user ID\n\n", dev.Token, base, dev.Secret)
	}
}

// serveApp builds the fx application of `scale serve`.
func serveApp(c config, e *cliEnv) *fx.App {
	var l *listener
	return serveAppWith(c, e, &l)
}

// serveAppWith builds the application and exposes its listener once
// started (tests read the bound address from it).
func serveAppWith(c config, e *cliEnv, l **listener) *fx.App {
	opts := []fx.Option{
		fx.Supply(c, e),
		fx.Provide(func(c config) *config { return &c }),
		fx.Provide(newLogger, newVerifier, newStorage, newSDK, newHandler, newServer),
		fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
			fl := &fxevent.SlogLogger{Logger: l}
			fl.UseLogLevel(slog.LevelDebug)
			return fl
		}),
		fx.StartTimeout(30 * time.Second),
		fx.StopTimeout(c.ShutdownTimeout + 5*time.Second),
		fx.Populate(l),
	}
	return fx.New(opts...)
}

func runServe(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadConfig(e.Getenv)
	if err != nil {
		return err
	}
	app := serveApp(c, e)
	if err := app.Err(); err != nil {
		return err
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case sig := <-app.Wait():
		if sig.ExitCode != 0 {
			_ = stopApp(app, c.ShutdownTimeout)
			return fmt.Errorf("server stopped with exit code %d", sig.ExitCode)
		}
	}
	return stopApp(app, c.ShutdownTimeout)
}

func stopApp(app *fx.App, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return app.Stop(ctx)
}
