package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Processor defaults.
const (
	DefaultPollInterval = 5 * time.Second
	DefaultWorkers      = 4
	DefaultMaxAttempts  = 10
	notifyChannel       = "stripe_events"
)

// ProcessorOptions configures a Processor.
type ProcessorOptions struct {
	// Workers applying events at once (default DefaultWorkers).
	Workers int
	// MaxAttempts before an event is dead (default DefaultMaxAttempts).
	MaxAttempts int
	// PollInterval is the fallback when no NOTIFY arrives (default DefaultPollInterval).
	PollInterval time.Duration
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Processor applies stored Stripe events (private.stripe_events) with private.apply_stripe_event.
type Processor struct {
	pool *pgxpool.Pool
	o    ProcessorOptions
	log  *slog.Logger
}

// NewProcessor returns a processor working on pool.
func NewProcessor(pool *pgxpool.Pool, o ProcessorOptions) *Processor {
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Processor{pool: pool, o: o, log: o.Logger.With("component", "stripe-processor")}
}

// Outcome is what ProcessNext did.
type Outcome struct {
	// EventID is the event handled ("" when none was due).
	EventID string
	// Type is its Stripe event type.
	Type string
	// Result is private.apply_stripe_event's answer (nil when it failed).
	Result []byte
	// Err is the failure of this attempt (the event is retried later, or dead).
	Err error
	// Status is the event's status afterwards: processed, ignored, pending (retry) or dead.
	Status string
}

// ProcessNext applies the next due event, if any, in one transaction: the event row stays locked (FOR
// UPDATE SKIP LOCKED, so concurrent workers and replicas take different events) while
// private.apply_stripe_event runs; a failure is rolled back to a savepoint and recorded as an attempt.
// ok is false when no event was due. err is a database failure, not an event failure (see Outcome.Err).
func (p *Processor) ProcessNext(ctx context.Context) (out Outcome, ok bool, err error) {
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
select id, type from private.stripe_events
where status = 'pending' and next_attempt_at <= now()
order by event_created, id
limit 1
for update skip locked`).Scan(&out.EventID, &out.Type)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claiming a stripe event: %w", err)
		}
		ok = true
		sp, err := tx.Begin(ctx)
		if err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		var outcome string
		applyErr := sp.QueryRow(ctx, `select r, r ->> 'outcome' from private.apply_stripe_event($1) r`, out.EventID).Scan(&out.Result, &outcome)
		if applyErr == nil {
			out.Status = "processed"
			if outcome == "ignored" {
				out.Status = "ignored"
			}
			if err := sp.Commit(ctx); err != nil {
				return fmt.Errorf("releasing savepoint: %w", err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err() // shutting down: roll back, the event stays pending
		}
		if err := sp.Rollback(ctx); err != nil {
			return fmt.Errorf("rolling back to savepoint: %w", err)
		}
		out.Err, out.Result = applyErr, nil
		return tx.QueryRow(ctx, `select private.fail_stripe_event($1, $2, $3)`, out.EventID, applyErr.Error(), p.o.MaxAttempts).Scan(&out.Status)
	})
	if err != nil {
		return Outcome{}, false, err
	}
	if ok {
		if out.Err != nil {
			lvl := slog.LevelWarn
			if out.Status == "dead" {
				lvl = slog.LevelError
			}
			p.log.Log(ctx, lvl, "stripe event failed", "event_id", out.EventID, "type", out.Type, "status", out.Status, "error", out.Err)
		} else {
			p.log.InfoContext(ctx, "stripe event applied", "event_id", out.EventID, "type", out.Type, "status", out.Status, "result", string(out.Result))
		}
	}
	return out, ok, nil
}

// Drain applies due events until none is left; it returns how many it handled.
func (p *Processor) Drain(ctx context.Context) (int, error) {
	n := 0
	for {
		_, ok, err := p.ProcessNext(ctx)
		if err != nil || !ok {
			return n, err
		}
		n++
	}
}

// Run works until ctx ends: Workers goroutines drain the queue whenever a NOTIFY stripe_events arrives
// (a dedicated LISTEN connection) and every PollInterval (events due for a retry, lost notifications).
func (p *Processor) Run(ctx context.Context) error {
	wakes := make([]chan struct{}, p.o.Workers)
	for i := range wakes {
		wakes[i] = make(chan struct{}, 1)
	}
	wakeAll := func() {
		for _, w := range wakes {
			select {
			case w <- struct{}{}:
			default:
			}
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { p.listen(ctx, wakeAll) })
	for i := range wakes {
		wg.Go(func() { p.work(ctx, wakes[i]) })
	}
	wakeAll()
	wg.Wait()
	return nil
}

func (p *Processor) work(ctx context.Context, wake <-chan struct{}) {
	t := time.NewTicker(p.o.PollInterval)
	defer t.Stop()
	for {
		if _, err := p.Drain(ctx); err != nil && ctx.Err() == nil {
			p.log.ErrorContext(ctx, "processing stripe events", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}

// listen holds a connection LISTENing on stripe_events and calls wake on each notification; it
// reconnects after errors (polling covers the gap).
func (p *Processor) listen(ctx context.Context, wake func()) {
	for ctx.Err() == nil {
		err := p.listenOnce(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		p.log.WarnContext(ctx, "stripe event listener lost; polling until it reconnects", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.o.PollInterval):
		}
	}
}

func (p *Processor) listenOnce(ctx context.Context, wake func()) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquiring the listen connection: %w", err)
	}
	defer func() {
		// The connection is in LISTEN state: never give it back to the pool.
		_ = conn.Conn().Close(context.WithoutCancel(ctx))
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, "listen "+notifyChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	wake() // events stored while we were not listening
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		wake()
	}
}
