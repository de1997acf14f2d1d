package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/auth"
	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
	"github.com/zerobullshit/backend/sidecar/internal/search"
)

// Set at build time (see Dockerfile): -ldflags "-X main.version=... -X main.migrationVersion=...".
var (
	// version identifies the build in logs.
	version = "dev"
	// migrationVersion is the newest migration in supabase/migrations when the binary was built; /readyz
	// fails until the database has it. Empty (go run, go build without the flag): /readyz only checks
	// that some migration is applied.
	migrationVersion = ""
)

// services is what serve builds before it starts anything; worker constructors get it.
type services struct {
	cfg     *config.Config
	log     *slog.Logger
	metrics *obs.Metrics
	pool    *pgxpool.Pool
	http    *httpapi.Server
}

// worker is a background part of the process that runs next to the HTTP server (job queue workers,
// the scheduler, the outreach sender).
type worker struct {
	name string
	// start launches the work and returns promptly. ctx lives until shutdown begins. An error aborts
	// start-up.
	start func(ctx context.Context) error
	// stop finishes in-flight work and returns; ctx carries the shutdown deadline (SHUTDOWN_TIMEOUT).
	stop func(ctx context.Context) error
}

// loopWorker adapts a blocking function (it runs until ctx is cancelled, then returns nil) to a
// worker. If fn returns early, fail is called: the process shuts down and exits 1 so the orchestrator
// restarts it, rather than silently running without that worker.
func loopWorker(name string, fn func(ctx context.Context) error, fail func(error)) worker {
	var (
		cancel context.CancelFunc
		done   = make(chan struct{})
	)
	return worker{
		name: name,
		start: func(ctx context.Context) error {
			ctx, cancel = context.WithCancel(ctx)
			go func() {
				defer close(done)
				err := fn(ctx)
				if ctx.Err() == nil {
					if err == nil {
						err = errors.New("returned before shutdown")
					}
					fail(fmt.Errorf("worker %s: %w", name, err))
				}
			}()
			return nil
		},
		stop: func(ctx context.Context) error {
			cancel()
			select {
			case <-done:
				return nil
			case <-ctx.Done():
				return fmt.Errorf("worker %s did not stop in time: %w", name, ctx.Err())
			}
		},
	}
}

// backgroundWorkers lists the workers serve runs, in start order (they stop together, in parallel).
// This is the hook later issues fill in: the River job workers (chat turns, webhook processing), the
// gocron scheduler (credit reset, outreach windows, sweeps). They may register their HTTP routes on
// svc.http here too (svc.http.V1(), svc.http.Webhooks()): serving starts after this returns. Use fail
// for loopWorker.
func backgroundWorkers(svc *services, fail func(error)) ([]worker, error) {
	var all []worker
	for _, part := range []struct {
		name  string
		build func(*services, func(error)) ([]worker, error)
	}{
		{"chat", chatWorkers},
		{"billing", billingWorkers},
		{"outreach", outreachWorkers},
	} {
		ws, err := part.build(svc, fail)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", part.name, err)
		}
		all = append(all, ws...)
	}
	return all, nil
}

// runServe implements "sidecar serve": the HTTP API and the background workers, until SIGINT or
// SIGTERM, then a graceful shutdown within SHUTDOWN_TIMEOUT.
func runServe(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	checkOnly := fs.Bool("check-config", false, "validate the configuration, print it (without secrets) and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sidecar serve [flags]\n\nRuns the HTTP API and the background workers. Configuration comes from the environment (see .env.example).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sidecar serve: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}

	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar serve: %v\n", err)
		return exitFailed
	}
	log, err := obs.NewLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar serve: %v\n", err)
		return exitFailed
	}
	slog.SetDefault(log)
	gcPercent := config.TuneGC(os.LookupEnv)
	log.InfoContext(ctx, "sidecar starting", "version", version, "migration_version", migrationVersion,
		"gc_percent", gcPercent, "config", cfg)
	cfg.LogIntegrations(ctx, log)
	if *checkOnly {
		log.InfoContext(ctx, "configuration is valid")
		return exitOK
	}
	if err := serve(ctx, cfg, log); err != nil {
		log.ErrorContext(context.WithoutCancel(ctx), "sidecar stopped with an error", "error", err)
		return exitFailed
	}
	return exitOK
}

// serve runs until ctx ends (a signal), the HTTP server fails or a worker fails, then shuts down.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	pool, err := connectDB(ctx, cfg)
	if err != nil {
		return err
	}
	closePool := func(ctx context.Context) {
		done := make(chan struct{})
		go func() { pool.Close(); close(done) }() // Close waits for every connection to be released
		select {
		case <-done:
		case <-ctx.Done():
			log.WarnContext(ctx, "database pool still busy at the shutdown deadline")
		}
	}

	verifier, err := auth.NewVerifier(auth.Options{
		Secret: cfg.JWTSecret, JWKSURL: cfg.JWKSURL(), Issuer: cfg.JWTIssuer, Logger: log,
	})
	if err != nil {
		pool.Close()
		return err
	}
	if err := verifier.Prefetch(ctx); err != nil {
		// Not fatal: HS256 tokens still work, and the JWKS is fetched again on demand.
		log.WarnContext(ctx, "could not fetch the JWKS at start-up", "url", cfg.JWKSURL(), "error", err)
	}

	metrics := obs.NewMetrics()
	svc := &services{cfg: cfg, log: log, metrics: metrics, pool: pool}
	svc.http = httpapi.New(cfg, httpapi.Deps{
		DB: pool, Verifier: verifier, Logger: log, Metrics: metrics, MigrationVersion: migrationVersion,
	})

	failed := make(chan error, 1)
	fail := func(err error) {
		select {
		case failed <- err:
		default: // already shutting down for another failure
		}
	}
	workers, err := backgroundWorkers(svc, fail)
	if err != nil {
		pool.Close()
		return fmt.Errorf("setting up background workers: %w", err)
	}

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		pool.Close()
		return fmt.Errorf("listening on %s: %w", cfg.HTTPAddr, err)
	}

	// Workers live until shutdown begins, independently of the signal context.
	workerCtx, stopWorkerCtx := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkerCtx()
	var started []worker
	var runErr error
	for _, w := range workers {
		if err := w.start(workerCtx); err != nil {
			runErr = fmt.Errorf("starting worker %s: %w", w.name, err)
			break
		}
		log.InfoContext(ctx, "worker started", "worker", w.name)
		started = append(started, w)
	}

	httpDone := make(chan error, 1)
	if runErr == nil {
		go func() { httpDone <- svc.http.Serve(ln) }()
		log.InfoContext(ctx, "sidecar serving", "addr", ln.Addr().String(), "workers", len(started))

		select {
		case <-ctx.Done():
			log.InfoContext(context.WithoutCancel(ctx), "shutdown signal received")
		case err := <-httpDone:
			if err == nil {
				err = errors.New("http server stopped unexpectedly")
			}
			runErr = err
		case err := <-failed:
			runErr = err
		}
	} else {
		_ = ln.Close()
	}
	if runErr != nil {
		log.ErrorContext(context.WithoutCancel(ctx), "shutting down after a failure", "error", runErr)
	}

	// Graceful shutdown: one deadline for everything. A second signal cuts it short.
	shutdownStart := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(again)
	go func() {
		select {
		case <-again:
			log.WarnContext(sctx, "second signal: stopping now")
			cancel()
		case <-sctx.Done():
		}
	}()
	log.InfoContext(sctx, "shutting down", "timeout", cfg.ShutdownTimeout.String())

	// The HTTP server (stop accepting, finish in-flight requests) and the workers stop in parallel.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	record := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	wg.Go(func() { record(svc.http.Shutdown(sctx)) })
	stopWorkerCtx()
	for _, w := range started {
		wg.Go(func() {
			if err := w.stop(sctx); err != nil {
				record(fmt.Errorf("stopping worker %s: %w", w.name, err))
				return
			}
			log.InfoContext(sctx, "worker stopped", "worker", w.name)
		})
	}
	wg.Wait()
	if runErr == nil {
		select {
		case err := <-httpDone:
			record(err)
		default:
		}
	}
	closePool(sctx)

	errs = append([]error{runErr}, errs...)
	err = errors.Join(errs...)
	log.InfoContext(context.Background(), "sidecar stopped", "shutdown_duration", time.Since(shutdownStart).Round(time.Millisecond).String(), "clean", err == nil)
	return err
}

// connectDB opens the pool and checks that the database answers within DATABASE_CONNECT_TIMEOUT.
func connectDB(ctx context.Context, cfg *config.Config) (*pgxpool.Pool, error) {
	where := config.RedactURL(cfg.DatabaseURL)
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if _, ok := pcfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		pcfg.ConnConfig.RuntimeParams["application_name"] = "zb-sidecar"
	}
	// A new connection compiles and plans the search functions before a founder waits on them (the
	// first search on a fresh backend costs 5-10x a warm one). Not fatal: a database still being
	// migrated just gets a colder first search.
	pcfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if err := search.Warm(ctx, conn); err != nil {
			slog.WarnContext(ctx, "warming a new database connection", "error", err)
		}
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, cfg.DBConnectTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(cctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database at %s: %w", where, err)
	}
	if err := pool.Ping(cctx); err != nil {
		pool.Close()
		if errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("connecting to the database at %s: no answer within %s (DATABASE_CONNECT_TIMEOUT): %w", where, cfg.DBConnectTimeout, err)
		}
		return nil, fmt.Errorf("connecting to the database at %s: %w", where, err)
	}
	return pool, nil
}
