package main

import (
	"context"
	"fmt"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/outreach"
	"github.com/zerobullshit/backend/sidecar/internal/unipile"
)

// outreachWorkers builds the outreach background workers and registers the outreach HTTP routes:
// POST /v1/linkedin/connect, POST /webhooks/unipile and its hosted-auth callback; workers: the sender
// (dry run without Unipile), message generation, reconciliation and housekeeping.
func outreachWorkers(svc *services, fail func(error)) ([]worker, error) {
	cfg := svc.cfg.Unipile
	var client *unipile.Client
	if cfg.Enabled {
		c, err := unipile.New(unipile.Config{DSN: cfg.DSN, APIKey: cfg.APIKey, Timeout: cfg.Timeout})
		if err != nil {
			return nil, fmt.Errorf("unipile client: %w", err)
		}
		client = c
	}
	h := &outreach.Handlers{
		DB: svc.pool, DSN: cfg.DSN, NotifyBaseURL: cfg.PublicBaseURL, RedirectURL: cfg.AppURL,
		WebhookSecret: cfg.WebhookSecret, LinkTTL: cfg.LinkTTL, Log: svc.log,
	}
	if client != nil {
		h.Unipile = client
	}
	h.Register(svc.http.V1(), svc.http.Webhooks())

	var provider outreach.Provider
	if client != nil && cfg.Live() {
		provider = client
	} else {
		svc.log.Warn("outreach sender runs in dry-run mode: actions are recorded, nothing is sent to LinkedIn")
	}
	var model *llm.Client
	if svc.cfg.Gemini.Enabled {
		m, err := llm.New(context.Background(), svc.cfg.Gemini.LLMConfig())
		if err != nil {
			return nil, fmt.Errorf("gemini client for outreach messages: %w", err)
		}
		model = m
	}
	sender := &outreach.Sender{DB: svc.pool, Provider: provider, Log: svc.log}
	gen := &outreach.Generator{DB: svc.pool, LLM: model, Log: svc.log}
	rec := &outreach.Reconciler{DB: svc.pool, Provider: provider, Log: svc.log, Every: cfg.ReconcileInterval}
	poll := cfg.PollInterval

	return []worker{
		loopWorker("outreach-sender", func(ctx context.Context) error { return sender.Run(ctx, poll) }, fail),
		loopWorker("outreach-generator", func(ctx context.Context) error { return gen.Run(ctx, poll) }, fail),
		loopWorker("outreach-housekeeping", func(ctx context.Context) error {
			t := time.NewTicker(time.Minute)
			defer t.Stop()
			for {
				if err := outreach.Maintain(ctx, svc.pool); err != nil && ctx.Err() == nil {
					svc.log.ErrorContext(ctx, "outreach housekeeping failed", "error", err)
				}
				if _, err := rec.Step(ctx); err != nil && ctx.Err() == nil {
					svc.log.ErrorContext(ctx, "outreach reconciliation failed", "error", err)
				}
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
		}, fail),
	}, nil
}
