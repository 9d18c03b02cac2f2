package redistest

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/scalehq/scale/adapters/redisqueue"
	"github.com/scalehq/scale/scale"
)

// EnvAddr names the variable holding the test Redis address; EnvDB the
// optional variable selecting its database (default 0).
const (
	EnvAddr = "SCALE_TEST_REDIS_ADDR"
	EnvDB   = "SCALE_TEST_REDIS_DB"
)

// Addr returns the test Redis address and database, or skips tb.
func Addr(tb testing.TB) (string, int) {
	tb.Helper()
	addr := os.Getenv(EnvAddr)
	if addr == "" {
		tb.Skipf("set %s (e.g. 127.0.0.1:6379) to run tests against real Redis", EnvAddr)
	}
	db, _ := strconv.Atoi(os.Getenv(EnvDB))
	return addr, db
}

// Queue returns a redisqueue.Queue on a fresh queue name with fast polling
// and retries (cfg's non-zero fields win). Shutdown and key cleanup are
// registered on tb; the caller only calls Start.
func Queue(tb testing.TB, cfg redisqueue.Config) *redisqueue.Queue {
	tb.Helper()
	addr, db := Addr(tb)
	cfg.Addr, cfg.DB = addr, db
	if cfg.Queue == "" {
		cfg.Queue = "scaletest-" + scale.NewID()
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	if cfg.DelayedPollInterval == 0 {
		cfg.DelayedPollInterval = 100 * time.Millisecond
	}
	if cfg.RetryDelay == nil {
		cfg.RetryDelay = func(int) time.Duration { return 100 * time.Millisecond }
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 2 * time.Second
	}
	q, err := redisqueue.New(cfg)
	if err != nil {
		tb.Fatalf("redisqueue.New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := q.Ping(ctx); err != nil {
		q.Shutdown()
		tb.Fatalf("Redis at %s: %v", addr, err)
	}
	tb.Cleanup(func() {
		q.Shutdown()
		Cleanup(tb, addr, db, cfg.Queue)
	})
	return q
}

// Cleanup deletes every key asynq keeps for queue name on the Redis at
// addr, and the name from asynq's list of queues.
func Cleanup(tb testing.TB, addr string, db int, name string) {
	tb.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: db})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := rdb.Scan(ctx, 0, "asynq:{"+name+"}*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 500 {
			rdb.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		rdb.Del(ctx, keys...)
	}
	rdb.SRem(ctx, "asynq:queues", name)
	if err := iter.Err(); err != nil {
		tb.Logf("cleaning up queue %s: %v", name, err)
	}
}
