package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/chat"
	"github.com/zerobullshit/backend/sidecar/internal/jobs"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/moderation"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// chatRuntime is the chat engine and the River client working its queue.
type chatRuntime struct {
	engine *chat.Engine
	client *jobs.Client
}

type chatRuntimeOptions struct {
	Log           *slog.Logger
	Metrics       *obs.Metrics
	LLM           *llm.Client // nil: offline mode
	Judge         judge.Judge // nil: the offline judge
	Moderator     chat.Moderator
	Workers       int
	DBConcurrency int
	TurnTimeout   time.Duration
	DeltaInterval time.Duration
}

func newChatRuntime(pool *pgxpool.Pool, o chatRuntimeOptions) (*chatRuntime, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Workers <= 0 {
		o.Workers = 20
	}
	j := o.Judge
	if j == nil {
		off, err := judge.NewOffline(judge.DefaultConfig())
		if err != nil {
			return nil, fmt.Errorf("building the offline judge: %w", err)
		}
		j = off
	}
	engine, err := chat.New(chat.Options{
		Pool: pool, Judge: j, Moderator: o.Moderator, Log: o.Log, Metrics: o.Metrics, DeltaInterval: o.DeltaInterval,
		DBConcurrency: o.DBConcurrency,
		Agents:        agents.New(agents.Options{LLM: o.LLM, DB: pool, Log: o.Log}),
	})
	if err != nil {
		return nil, err
	}
	ws := river.NewWorkers()
	if err := river.AddWorkerSafely(ws, &chat.Worker{Engine: engine, TurnTimeout: o.TurnTimeout}); err != nil {
		return nil, fmt.Errorf("registering the chat worker: %w", err)
	}
	jobTimeout := o.TurnTimeout + 15*time.Second
	client, err := jobs.NewClient(pool, ws, jobs.Options{
		Queues: map[string]int{chat.Queue: o.Workers}, JobTimeout: jobTimeout, Logger: o.Log,
	})
	if err != nil {
		return nil, err
	}
	return &chatRuntime{engine: engine, client: client}, nil
}

// chatWorkers runs the chat turns: the River client working the chat queue and the sweeper that
// fails turns whose job died.
func chatWorkers(svc *services, fail func(error)) ([]worker, error) {
	o := chatRuntimeOptions{
		Log: svc.log, Metrics: svc.metrics, Workers: svc.cfg.Chat.Workers, DBConcurrency: svc.cfg.Chat.DBConcurrency,
		TurnTimeout: svc.cfg.Chat.TurnTimeout, DeltaInterval: svc.cfg.Chat.DeltaInterval,
		Moderator: moderation.New(svc.pool, svc.cfg.Moderation, nil).WithLogger(svc.log),
	}
	if svc.cfg.Gemini.Enabled {
		// Gemini answers; the offline judge and agents remain the fallback when it fails.
		client, err := llm.New(context.Background(), svc.cfg.Gemini.LLMConfig())
		if err != nil {
			return nil, fmt.Errorf("building the Gemini client: %w", err)
		}
		off, err := judge.NewOffline(judge.DefaultConfig())
		if err != nil {
			return nil, fmt.Errorf("building the offline judge: %w", err)
		}
		opts := svc.cfg.Gemini.JudgeOptions()
		opts.Logger = svc.log
		if o.Judge, err = judge.NewGemini(client, off, opts); err != nil {
			return nil, fmt.Errorf("building the Gemini judge: %w", err)
		}
		o.LLM = client
		svc.log.Info("chat answers with Gemini", "settings", svc.cfg.Gemini.Settings())
	} else {
		svc.log.Info("chat answers in offline mode (no GEMINI_API_KEY)")
	}
	rt, err := newChatRuntime(svc.pool, o)
	if err != nil {
		return nil, err
	}
	river := worker{
		name: "chat-turns",
		start: func(ctx context.Context) error {
			return rt.client.Start(context.WithoutCancel(ctx))
		},
		stop: func(ctx context.Context) error { return jobs.Stop(ctx, rt.client) },
	}
	stale := svc.cfg.Chat.StaleAfter
	sweeper := loopWorker("chat-sweeper", func(ctx context.Context) error {
		return rt.engine.RunSweeper(ctx, time.Minute, stale)
	}, fail)
	return []worker{river, sweeper}, nil
}

func obsLevel(s string) slog.Level {
	l := slog.LevelWarn
	if s != "" {
		_ = l.UnmarshalText([]byte(s))
	}
	return l
}
