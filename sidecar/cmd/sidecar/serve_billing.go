package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/zerobullshit/backend/sidecar/internal/billing"
	"github.com/zerobullshit/backend/sidecar/internal/scheduler"
)

// The process's one scheduler, shared by every part that has periodic jobs (billing's daily reset,
// outreach windows, sweeps). Parts get it with sharedScheduler(svc) in their *Workers function and
// Register jobs on it; billingWorkers returns the worker that starts and stops it.
var (
	schedMu sync.Mutex
	scheds  = map[*services]*scheduler.Scheduler{}
)

// sharedScheduler returns svc's scheduler, creating it on first use.
func sharedScheduler(svc *services) (*scheduler.Scheduler, error) {
	schedMu.Lock()
	defer schedMu.Unlock()
	if s, ok := scheds[svc]; ok {
		return s, nil
	}
	s, err := scheduler.New(svc.pool, scheduler.Options{Logger: svc.log})
	if err != nil {
		return nil, err
	}
	scheds[svc] = s
	return s, nil
}

// billingWorkers builds the billing background workers and registers the billing HTTP routes:
// the scheduler (daily credit reset at 00:00 UTC, once across replicas; other parts add jobs to it), and,
// when Stripe is configured, the processor applying stored webhook events. Without Stripe the billing
// endpoints answer 503 (the history still works).
func billingWorkers(svc *services, fail func(error)) ([]worker, error) {
	sched, err := sharedScheduler(svc)
	if err != nil {
		return nil, err
	}
	if err := billing.RegisterDailyReset(sched, svc.pool, svc.log); err != nil {
		return nil, err
	}
	workers := []worker{{
		name:  "scheduler",
		start: func(context.Context) error { sched.Start(); return nil },
		stop:  sched.Shutdown,
	}}

	cfg := svc.cfg.Stripe
	var (
		bsvc *billing.Service
		rcv  *billing.Receiver
	)
	if cfg.Enabled {
		bsvc = billing.NewService(svc.pool, billing.NewStripeClient(cfg, nil), cfg, svc.log)
		rcv = billing.NewReceiver(svc.pool, cfg.WebhookSecret, cfg.WebhookTolerance, svc.log)
		proc := billing.NewProcessor(svc.pool, billing.ProcessorOptions{
			Workers: cfg.WebhookWorkers, MaxAttempts: cfg.EventMaxAttempts, Logger: svc.log,
		})
		workers = append(workers, loopWorker("stripe-events", proc.Run, fail))
	}
	if svc.http == nil {
		return nil, fmt.Errorf("billing: the HTTP server must exist before the workers")
	}
	billing.Routes(svc.http.V1(), svc.http.Webhooks(), svc.pool, bsvc, rcv, svc.log)
	return workers, nil
}
