package billing

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/internal/scheduler"
)

// DailyResetJob is the scheduler job (and slot-table) name of the daily credit refill.
const DailyResetJob = "credits-daily-reset"

// ResetDaily refills the daily allowance of every account that used credits before day (a UTC date),
// in one statement (private.reset_daily_credits). Idempotent. Returns the number of accounts refilled.
func ResetDaily(ctx context.Context, pool *pgxpool.Pool, day time.Time) (int64, error) {
	var n int64
	if err := pool.QueryRow(ctx, `select private.reset_daily_credits($1::date)`, day.UTC().Format(time.DateOnly)).Scan(&n); err != nil {
		return 0, fmt.Errorf("resetting daily credits for %s: %w", day.UTC().Format(time.DateOnly), err)
	}
	return n, nil
}

// RegisterDailyReset schedules ResetDaily at 00:00 UTC every day, once per day across replicas (slot =
// the UTC day), and at start-up for the current day if no replica ran it yet (catch-up after downtime).
func RegisterDailyReset(s *scheduler.Scheduler, pool *pgxpool.Pool, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	return s.Register(DailyResetJob,
		gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(0, 0, 0))),
		func(ctx context.Context, slot time.Time) error {
			// A replica whose clock runs a little early fires before midnight: wait for the day to begin.
			if early := time.Until(slot); early > 0 {
				select {
				case <-time.After(early):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			start := time.Now()
			n, err := ResetDaily(ctx, pool, slot)
			if err != nil {
				return err
			}
			log.InfoContext(ctx, "daily credits refilled", "day", slot.Format(time.DateOnly), "accounts", n,
				"took", time.Since(start).Round(time.Millisecond).String())
			return nil
		},
		scheduler.WithSlot(scheduler.DailySlot), scheduler.WithRunAtStart())
}
