package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/billing"
	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func billingTestServices(t *testing.T, stripe config.StripeConfig) (*services, *pgtest.DB) {
	t.Helper()
	db := pgtest.New(t)
	cfg := &config.Config{
		HTTPAddr: "127.0.0.1:0", JWTSecret: "super-secret-jwt-token-with-at-least-32-characters-long",
		RateLimitPerMinute: 60, RateLimitBurst: 10, BodyLimit: 1 << 20, ShutdownTimeout: 5 * time.Second, Stripe: stripe,
	}
	log := slog.New(slog.DiscardHandler)
	svc := &services{cfg: cfg, log: log, pool: db.Pool}
	svc.http = httpapi.New(cfg, httpapi.Deps{DB: db.Pool, Logger: log})
	return svc, db
}

func TestBillingWorkersWithoutStripe(t *testing.T) {
	t.Parallel()
	svc, db := billingTestServices(t, config.StripeConfig{Integration: config.Integration{Name: "stripe"}})
	workers, err := billingWorkers(svc, func(err error) { t.Errorf("worker failed: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	if len(workers) != 1 || workers[0].name != "scheduler" {
		t.Fatalf("workers = %v, want only the scheduler", workers)
	}
	if s1, _ := sharedScheduler(svc); s1 == nil {
		t.Fatal("no shared scheduler")
	} else if s2, _ := sharedScheduler(svc); s1 != s2 {
		t.Error("sharedScheduler built a second scheduler for the same process")
	}
	srv := httptest.NewServer(svc.http.Handler())
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/webhooks/stripe", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("webhook without Stripe: %d, want 503", resp.StatusCode)
	}

	// The scheduler runs the daily reset for today at start-up.
	ctx := context.Background()
	if err := workers[0].start(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.Pool.QueryRow(ctx, `select count(*) from private.scheduler_slots where job = $1 and finished_at is not null`, billing.DailyResetJob).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the daily reset did not run at start-up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := workers[0].stop(sctx); err != nil {
		t.Error(err)
	}
}

func TestBillingWorkersWithStripe(t *testing.T) {
	t.Parallel()
	svc, _ := billingTestServices(t, config.StripeConfig{
		Integration: config.Integration{Name: "stripe", Enabled: true}, SecretKey: "sk_test_x", WebhookSecret: "whsec_x",
		APIBase: "http://127.0.0.1:1", Timeout: time.Second, WebhookTolerance: 5 * time.Minute, WebhookWorkers: 2, EventMaxAttempts: 3,
	})
	workers, err := billingWorkers(svc, func(err error) { t.Errorf("worker failed: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, w := range workers {
		names = append(names, w.name)
	}
	if strings.Join(names, ",") != "scheduler,stripe-events" {
		t.Fatalf("workers = %v", names)
	}
	srv := httptest.NewServer(svc.http.Handler())
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/stripe", strings.NewReader(`{"id":"evt_1"}`))
	req.Header.Set("Stripe-Signature", "t=1,v1=forged")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("forged webhook: %d, want 400", resp.StatusCode)
	}
	// /v1/billing needs a user token.
	resp, err = http.Post(srv.URL+"/v1/billing/checkout", "application/json", strings.NewReader(`{"plan":"pro"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("checkout without a token: %d, want 401", resp.StatusCode)
	}
	// The event processor starts and stops cleanly.
	ctx := context.Background()
	if err := workers[1].start(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := workers[1].stop(sctx); err != nil {
		t.Error(err)
	}
}
