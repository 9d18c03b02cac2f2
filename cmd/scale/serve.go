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
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	limmemory "github.com/ulule/limiter/v3/drivers/store/memory"
	limredis "github.com/ulule/limiter/v3/drivers/store/redis"
	"go.uber.org/dig"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/adapters/jwtauth"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/models"
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
	// Dashboard is the queue dashboard (Redis only).
	Dashboard http.Handler
	// inProcess is true when jobs run in this process (no Redis).
	inProcess bool
	memQueue  *memory.Queue
}

// newStorage picks the adapters: PostgreSQL with SCALE_DATABASE_URL (else
// memory), asynq on Redis with SCALE_REDIS_ADDR (else the in-process queue),
// and the shipped HypCD model (or SCALE_MODEL_DIR).
func newStorage(lc fx.Lifecycle, c config, log *slog.Logger) (storage, error) {
	var st storage
	if c.DatabaseURL != "" {
		pg, err := openPostgres(context.Background(), c, c.DatabaseURL, log)
		if err != nil {
			return storage{}, err
		}
		lc.Append(fx.StopHook(pg.Close))
		st.Store = pg
	} else {
		st.Store = memory.NewStore()
	}
	if c.RedisAddr != "" {
		q, err := redisqueue.New(redisqueue.Config{Addr: c.RedisAddr, Logger: log})
		if err != nil {
			return storage{}, fmt.Errorf("SCALE_REDIS_ADDR: %w", err)
		}
		lc.Append(fx.StopHook(q.Shutdown))
		st.Queue, st.Dashboard = q, q.Dashboard()
	} else {
		q := memory.NewQueue(memory.QueueConfig{Logger: log})
		st.Queue, st.memQueue, st.inProcess = q, q, true
	}
	return st, nil
}

// openPostgres refuses to start on pending migrations unless
// SCALE_AUTO_MIGRATE=true, in which case it applies them first.
func openPostgres(ctx context.Context, c config, url string, log *slog.Logger) (*postgres.Store, error) {
	pending, err := postgres.PendingMigrations(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("SCALE_DATABASE_URL: %w", err)
	}
	if len(pending) > 0 {
		if !c.AutoMigrate {
			return nil, fmt.Errorf("the database has %d pending migrations (%s): run `scale migrate up`, or start with SCALE_AUTO_MIGRATE=true",
				len(pending), strings.Join(pending, ", "))
		}
		log.Info("applying migrations", "pending", len(pending))
		if err := postgres.MigrateUp(ctx, url); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	pg, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		return nil, fmt.Errorf("SCALE_DATABASE_URL: %w", err)
	}
	return pg, nil
}

func loadModel(c config) (ports.Model, error) {
	if c.ModelDir != "" {
		m, err := hypcd.LoadFS(os.DirFS(c.ModelDir), ".")
		if err != nil {
			return nil, fmt.Errorf("SCALE_MODEL_DIR: %w", err)
		}
		return m, nil
	}
	return hypcd.LoadFS(models.Default, "default")
}

// newEngine assembles the SDK the binary's verbs run on: the given store
// and queue, the shipped (or SCALE_MODEL_DIR) model, the HypCD trainer and
// the statement decoders.
func newEngine(c config, store ports.Store, q ports.Queue, log *slog.Logger, opt sdk.Options) (*sdk.Scale, error) {
	model, err := loadModel(c)
	if err != nil {
		return nil, err
	}
	opt.Logger = log
	return sdk.New(sdk.Ports{
		Store: store, Queue: q, Clock: ports.SystemClock{}, Model: model,
		Trainer:    hypcd.NewTrainer(hypcd.Config{}, "scale-hypcd", version),
		Statements: statements.New(),
	}, opt)
}

func newSDK(lc fx.Lifecycle, c config, st storage, log *slog.Logger) (*sdk.Scale, error) {
	s, err := newEngine(c, st.Store, st.Queue, log, sdk.Options{})
	if err != nil {
		return nil, err
	}
	if st.inProcess {
		// No Redis: this process is also the worker.
		s.RegisterJobs(st.memQueue)
		ctx, cancel := context.WithCancel(context.Background())
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				st.memQueue.Start()
				go func() { _ = s.RunHousekeeping(ctx) }()
				return nil
			},
			OnStop: func(ctx context.Context) error { cancel(); return st.memQueue.Stop(ctx) },
		})
	}
	return s, nil
}

func newHandler(lc fx.Lifecycle, c config, st storage, s *sdk.Scale, v *jwtauth.Verifier, log *slog.Logger) (http.Handler, error) {
	lim, err := newRateLimiter(lc, c)
	if err != nil {
		return nil, err
	}
	h, _ := httpapi.Handler(s, httpapi.Options{
		Auth: v, Logger: log, MaxBodyBytes: c.MaxBodyBytes, MaxUploadBytes: c.MaxUploadBytes,
		AllowedOrigins: c.AllowedOrigins, Version: version, RateLimiter: lim, Dashboard: st.Dashboard,
	})
	return h, nil
}

// newRateLimiter keeps the per-user counters in Redis when it is configured
// (shared by every instance), else in this process.
func newRateLimiter(lc fx.Lifecycle, c config) (*limiter.Limiter, error) {
	if c.RateLimit == "" {
		return nil, nil
	}
	store := limmemory.NewStore()
	if c.RedisAddr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: c.RedisAddr})
		lc.Append(fx.StopHook(rdb.Close))
		var err error
		if store, err = limredis.NewStoreWithOptions(rdb, limiter.StoreOptions{Prefix: "scale:ratelimit"}); err != nil {
			return nil, fmt.Errorf("SCALE_REDIS_ADDR: %w", err)
		}
	}
	return httpapi.NewRateLimiter(c.RateLimit, store)
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
		fxLogger(),
		fx.StartTimeout(30 * time.Second),
		fx.StopTimeout(c.ShutdownTimeout + 5*time.Second),
		fx.Populate(l),
	}
	return fx.New(opts...)
}

func runServe(ctx context.Context, e *cliEnv, args []string) error {
	c, err := parseNoFlags("serve", e, args)
	if err != nil {
		return err
	}
	return runApp(ctx, serveApp(c, e), c.ShutdownTimeout)
}

// parseNoFlags parses the flags of a verb that takes none but -h, then the
// configuration.
func parseNoFlags(name string, e *cliEnv, args []string) (config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	return loadConfig(e.Getenv)
}

// runApp starts an fx application, waits for a signal (ctx) or for the app to
// stop itself, and stops it gracefully within timeout.
func runApp(ctx context.Context, app *fx.App, timeout time.Duration) error {
	if err := app.Err(); err != nil {
		return dig.RootCause(err)
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return dig.RootCause(err)
	}
	select {
	case <-ctx.Done():
	case sig := <-app.Wait():
		if sig.ExitCode != 0 {
			_ = stopApp(app, timeout)
			return fmt.Errorf("stopped with exit code %d", sig.ExitCode)
		}
	}
	return stopApp(app, timeout)
}

// fxLogger sends fx's own events to the application's logger, below INFO.
func fxLogger() fx.Option {
	return fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
		fl := &fxevent.SlogLogger{Logger: l}
		fl.UseLogLevel(slog.LevelDebug)
		return fl
	})
}

func stopApp(app *fx.App, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return app.Stop(ctx)
}
