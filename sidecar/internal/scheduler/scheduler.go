package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultLease is how long a claimed, unfinished slot belongs to its owner before another replica may
// take it over (the owner is presumed dead).
const DefaultLease = 10 * time.Minute

// Func is a job's work for one slot. ctx ends at shutdown.
type Func func(ctx context.Context, slot time.Time) error

// Options configures a Scheduler.
type Options struct {
	// Owner names this replica in the claims table (default: hostname-pid-random).
	Owner string
	// Lease (default DefaultLease) bounds how long a crashed replica's claim blocks its slot.
	Lease time.Duration
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Scheduler is a gocron scheduler whose jobs run once per slot across replicas.
type Scheduler struct {
	pool  *pgxpool.Pool
	cron  gocron.Scheduler
	log   *slog.Logger
	owner string
	lease time.Duration

	mu   sync.Mutex
	jobs map[string]*job
	ctx  context.Context
	stop context.CancelFunc
}

type job struct {
	name string
	fn   Func
	slot func(time.Time) time.Time
}

// JobOption customises one job.
type JobOption func(*jobOptions)

type jobOptions struct {
	slot       func(time.Time) time.Time
	runAtStart bool
}

// WithSlot sets how a run's slot is derived from the time it fires (default MinuteSlot).
func WithSlot(fn func(time.Time) time.Time) JobOption {
	return func(o *jobOptions) { o.slot = fn }
}

// WithRunAtStart also runs the job when the scheduler starts (for its current slot: with DailySlot a
// replica starting at 15:00 runs today's job only if nobody ran it yet — catch-up after downtime).
func WithRunAtStart() JobOption {
	return func(o *jobOptions) { o.runAtStart = true }
}

// MinuteSlot is the minute nearest to t (UTC): replicas firing a few seconds apart agree on it.
func MinuteSlot(t time.Time) time.Time { return t.UTC().Round(time.Minute) }

// DailySlot is the UTC day of t, as its midnight. A run fired a little before midnight (clock skew)
// counts for the next day.
func DailySlot(t time.Time) time.Time {
	t = t.UTC().Add(time.Minute)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// New builds a scheduler (in UTC) on pool. Register jobs, then Start.
func New(pool *pgxpool.Pool, o Options) (*Scheduler, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		o.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	cron, err := gocron.NewScheduler(gocron.WithLocation(time.UTC), gocron.WithStopTimeout(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("scheduler: creating gocron scheduler: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Scheduler{
		pool: pool, cron: cron, log: o.Logger.With("component", "scheduler", "owner", o.Owner),
		owner: o.Owner, lease: o.Lease, jobs: map[string]*job{}, ctx: ctx, stop: stop,
	}, nil
}

// Owner is this replica's name in the claims table.
func (s *Scheduler) Owner() string { return s.owner }

// Register schedules fn under name (unique) with gocron's definition (in UTC), e.g.
// gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(0, 0, 0))) or gocron.DurationJob(time.Minute).
// Runs of one job never overlap within a replica, and each slot runs once across replicas.
func (s *Scheduler) Register(name string, def gocron.JobDefinition, fn Func, opts ...JobOption) error {
	if name == "" || fn == nil {
		return errors.New("scheduler: a job needs a name and a function")
	}
	o := jobOptions{slot: MinuteSlot}
	for _, opt := range opts {
		opt(&o)
	}
	s.mu.Lock()
	if _, dup := s.jobs[name]; dup {
		s.mu.Unlock()
		return fmt.Errorf("scheduler: job %q registered twice", name)
	}
	j := &job{name: name, fn: fn, slot: o.slot}
	s.jobs[name] = j
	s.mu.Unlock()

	jobOpts := []gocron.JobOption{
		gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithContext(s.ctx),
	}
	if o.runAtStart {
		jobOpts = append(jobOpts, gocron.WithStartAt(gocron.WithStartImmediately()))
	}
	task := gocron.NewTask(func(ctx context.Context) {
		if _, err := s.RunSlot(ctx, name, j.slot(time.Now())); err != nil {
			s.log.ErrorContext(ctx, "scheduled job failed", "job", name, "error", err)
		}
	})
	if _, err := s.cron.NewJob(def, task, jobOpts...); err != nil {
		return fmt.Errorf("scheduler: registering %s: %w", name, err)
	}
	return nil
}

// RunSlot claims (name, slot) and, if this replica won it, runs the job for it. ran is false when another
// replica has (or had) the slot. A failed run releases the claim and returns the error.
func (s *Scheduler) RunSlot(ctx context.Context, name string, slot time.Time) (ran bool, err error) {
	s.mu.Lock()
	j, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		return false, fmt.Errorf("scheduler: no job %q", name)
	}
	claimed, err := Claim(ctx, s.pool, name, slot, s.owner, s.lease)
	if err != nil {
		return false, err
	}
	log := s.log.With("job", name, "slot", slot.UTC().Format(time.RFC3339))
	if !claimed {
		log.DebugContext(ctx, "slot already claimed by another run")
		return false, nil
	}
	start := time.Now()
	runErr := runSafely(ctx, j.fn, slot)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if runErr != nil {
		if ferr := Finish(fctx, s.pool, name, slot, s.owner, nil, runErr); ferr != nil {
			log.ErrorContext(ctx, "releasing the slot after a failure", "error", ferr)
		}
		return true, fmt.Errorf("job %s slot %s: %w", name, slot.UTC().Format(time.RFC3339), runErr)
	}
	took := time.Since(start)
	if err := Finish(fctx, s.pool, name, slot, s.owner, map[string]any{"took_ms": took.Milliseconds()}, nil); err != nil {
		return true, err
	}
	log.InfoContext(ctx, "scheduled job done", "took", took.Round(time.Millisecond).String())
	return true, nil
}

func runSafely(ctx context.Context, fn Func, slot time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(ctx, slot)
}

// Claim claims (job, slot) for owner in private.scheduler_slots; true means owner must run it.
func Claim(ctx context.Context, pool *pgxpool.Pool, job string, slot time.Time, owner string, lease time.Duration) (bool, error) {
	var ok bool
	err := pool.QueryRow(ctx, `select private.claim_scheduler_slot($1, $2, $3, $4)`, job, slot, owner, lease).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("scheduler: claiming %s at %s: %w", job, slot.UTC().Format(time.RFC3339), err)
	}
	return ok, nil
}

// Finish marks owner's claim done (runErr nil, with result) or releases it (runErr set) so the slot can
// be retried.
func Finish(ctx context.Context, pool *pgxpool.Pool, job string, slot time.Time, owner string, result any, runErr error) error {
	var res []byte
	if result != nil {
		var err error
		if res, err = json.Marshal(result); err != nil {
			return fmt.Errorf("scheduler: encoding the result of %s: %w", job, err)
		}
	}
	var msg *string
	if runErr != nil {
		m := runErr.Error()
		msg = &m
	}
	if _, err := pool.Exec(ctx, `select private.finish_scheduler_slot($1, $2, $3, $4, $5)`, job, slot, owner, res, msg); err != nil {
		return fmt.Errorf("scheduler: finishing %s at %s: %w", job, slot.UTC().Format(time.RFC3339), err)
	}
	return nil
}

// Start starts scheduling (non-blocking).
func (s *Scheduler) Start() { s.cron.Start() }

// Shutdown stops scheduling, cancels running jobs' context and waits for them within ctx.
func (s *Scheduler) Shutdown(ctx context.Context) error {
	s.stop()
	if err := s.cron.ShutdownWithContext(ctx); err != nil {
		return fmt.Errorf("scheduler: shutting down: %w", err)
	}
	return nil
}
