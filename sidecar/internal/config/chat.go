package config

import (
	"log/slog"
	"time"
)

// ChatConfig configures the chat workers.
type ChatConfig struct {
	// Workers (CHAT_WORKERS, default 20) is how many chat turns this process answers at once.
	Workers int
	// TurnTimeout (CHAT_TURN_TIMEOUT, default 45s) bounds one attempt of a turn.
	TurnTimeout time.Duration
	// DeltaInterval (CHAT_DELTA_INTERVAL, default 200ms) spaces chat_delta broadcasts.
	DeltaInterval time.Duration
	// DBConcurrency (CHAT_DB_CONCURRENCY, default 0 = 2 x GOMAXPROCS) bounds the turns of this process
	// that use the database at once.
	DBConcurrency int
	// StaleAfter (CHAT_STALE_AFTER, default 3m): an unanswered message older than this whose job is
	// gone gets a visible failure reply (checked every minute).
	StaleAfter time.Duration
}

func loadChat(env *Env) ChatConfig {
	return ChatConfig{
		Workers:       env.Int("CHAT_WORKERS", 20, 1, 1000),
		TurnTimeout:   env.Duration("CHAT_TURN_TIMEOUT", 45*time.Second, time.Second, 10*time.Minute),
		DeltaInterval: env.Duration("CHAT_DELTA_INTERVAL", 200*time.Millisecond, 10*time.Millisecond, 10*time.Second),
		DBConcurrency: env.Int("CHAT_DB_CONCURRENCY", 0, 0, 1000),
		StaleAfter:    env.Duration("CHAT_STALE_AFTER", 3*time.Minute, 10*time.Second, 24*time.Hour),
	}
}

// LogValue shows the chat settings.
func (c ChatConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("workers", c.Workers), slog.String("turn_timeout", c.TurnTimeout.String()),
		slog.String("delta_interval", c.DeltaInterval.String()), slog.Int("db_concurrency", c.DBConcurrency), slog.String("stale_after", c.StaleAfter.String()))
}
