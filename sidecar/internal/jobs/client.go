package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Driver is the River driver type the sidecar uses (pgx v5); JobCompleteTx needs it spelled out.
type Driver = riverpgxv5.Driver

// Client is the sidecar's River client.
type Client = river.Client[pgx.Tx]

// Options configure a Client. Zero fields get the defaults.
type Options struct {
	// Queues maps queue names to their number of concurrent workers in this process.
	Queues map[string]int
	// FetchCooldown is the shortest time between two fetches of a queue (default 2ms: a notified job
	// starts within a few milliseconds, which the chat latency budget needs).
	FetchCooldown time.Duration
	// FetchPollInterval is the polling fallback when notifications are lost (default 1s).
	FetchPollInterval time.Duration
	// JobTimeout bounds one attempt of a job (default 60s).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is considered abandoned by a dead
	// worker and retried (default JobTimeout + 30s).
	RescueAfter time.Duration
	// Logger receives River's own logs.
	Logger *slog.Logger
}

// Defaults for Options.
const (
	DefaultFetchCooldown     = 2 * time.Millisecond
	DefaultFetchPollInterval = time.Second
	DefaultJobTimeout        = 60 * time.Second
)

// NewClient builds a River client on pool (a direct or session-mode connection: LISTEN needs it)
// with the given workers. Without Queues it can only insert jobs.
func NewClient(pool *pgxpool.Pool, workers *river.Workers, o Options) (*Client, error) {
	if o.FetchCooldown <= 0 {
		o.FetchCooldown = DefaultFetchCooldown
	}
	if o.FetchPollInterval <= 0 {
		o.FetchPollInterval = DefaultFetchPollInterval
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = DefaultJobTimeout
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + 30*time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := &river.Config{
		Schema:               Schema,
		Workers:              workers,
		FetchCooldown:        o.FetchCooldown,
		FetchPollInterval:    o.FetchPollInterval,
		JobTimeout:           o.JobTimeout,
		RescueStuckJobsAfter: o.RescueAfter,
		Logger:               o.Logger.With("component", "river"),
	}
	if len(o.Queues) > 0 {
		cfg.Queues = make(map[string]river.QueueConfig, len(o.Queues))
		for name, n := range o.Queues {
			cfg.Queues[name] = river.QueueConfig{MaxWorkers: n}
		}
	}
	c, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the River client: %w", err)
	}
	return c, nil
}

// Stop stops c gracefully: no new jobs are fetched and running ones may finish until ctx ends; then
// they are cancelled (a cancelled attempt is retried, so nothing is lost).
func Stop(ctx context.Context, c *Client) error {
	err := c.Stop(ctx)
	if err == nil {
		return nil
	}
	// Out of time: cancel the running jobs and wait briefly for them to record their outcome.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err2 := c.StopAndCancel(cctx); err2 != nil {
		return fmt.Errorf("stopping River: %w (then cancelling running jobs: %v)", err, err2)
	}
	return nil
}
