package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.uber.org/fx"

	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/scale/sdk"
)

// workerApp builds the fx application of `scale worker`: the asynq worker
// running training, housekeeping and anomaly jobs against the database with
// the worker's own credentials (SCALE_WORKER_DATABASE_URL, falling back to
// SCALE_DATABASE_URL).
func workerApp(c config, e *cliEnv) *fx.App {
	return fx.New(
		fx.Supply(c, e),
		fx.Provide(newLogger),
		fxLogger(),
		fx.StartTimeout(30*time.Second),
		fx.StopTimeout(c.ShutdownTimeout+10*time.Second),
		fx.Invoke(startWorker),
	)
}

func startWorker(lc fx.Lifecycle, c config, log *slog.Logger) error {
	url := c.WorkerDatabaseURL
	if url == "" {
		url = c.DatabaseURL
	}
	if url == "" || c.RedisAddr == "" {
		return errors.New("the worker needs SCALE_REDIS_ADDR and a database (SCALE_WORKER_DATABASE_URL or SCALE_DATABASE_URL); " +
			"without Redis, `scale serve` runs jobs in its own process")
	}
	pg, err := openPostgres(context.Background(), c, url, log)
	if err != nil {
		return err
	}
	lc.Append(fx.StopHook(pg.Close))
	q, err := redisqueue.New(redisqueue.Config{Addr: c.RedisAddr, Logger: log})
	if err != nil {
		return fmt.Errorf("SCALE_REDIS_ADDR: %w", err)
	}
	s, err := newEngine(c, pg, q, log, sdk.Options{})
	if err != nil {
		return err
	}
	s.RegisterJobs(q)
	ctx, cancel := context.WithCancel(context.Background())
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			if err := q.Start(); err != nil {
				return err
			}
			go func() {
				if err := s.RunHousekeeping(ctx); err != nil && !errors.Is(err, context.Canceled) {
					log.Error("housekeeping stopped", "err", err)
				}
			}()
			log.Info("worker started", "queue", q.QueueName())
			return nil
		},
		OnStop: func(context.Context) error {
			cancel()
			q.Shutdown()
			log.Info("worker stopped")
			return nil
		},
	})
	return nil
}

func runWorker(ctx context.Context, e *cliEnv, args []string) error {
	c, err := parseNoFlags("worker", e, args)
	if err != nil {
		return err
	}
	return runApp(ctx, workerApp(c, e), c.ShutdownTimeout+5*time.Second)
}
