package redisqueue

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"
)

// slogAdapter routes asynq's logger into slog. asynq is told to log at warn
// level and above only; its debug chatter never reaches the handler.
type slogAdapter struct{ l *slog.Logger }

var _ asynq.Logger = slogAdapter{}

func (a slogAdapter) log(level slog.Level, args []any) {
	if !a.l.Enabled(context.Background(), level) {
		return
	}
	a.l.Log(context.Background(), level, fmt.Sprint(args...), "component", "asynq")
}

// Debug implements asynq.Logger.
func (a slogAdapter) Debug(args ...any) { a.log(slog.LevelDebug, args) }

// Info implements asynq.Logger.
func (a slogAdapter) Info(args ...any) { a.log(slog.LevelInfo, args) }

// Warn implements asynq.Logger.
func (a slogAdapter) Warn(args ...any) { a.log(slog.LevelWarn, args) }

// Error implements asynq.Logger.
func (a slogAdapter) Error(args ...any) { a.log(slog.LevelError, args) }

// Fatal implements asynq.Logger. A library does not exit the process: the
// message is logged as an error.
func (a slogAdapter) Fatal(args ...any) { a.log(slog.LevelError, args) }
