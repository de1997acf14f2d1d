package chat

import (
	"context"
	"time"
)

// Sweep gives turns whose job is gone (the worker died during its last attempt) their visible
// failure. It returns how many it failed.
func (e *Engine) Sweep(ctx context.Context, olderThan time.Duration) (int, error) {
	var n int
	err := e.pool.QueryRow(ctx, "select private.fail_stale_chat_turns(make_interval(secs => $1))", olderThan.Seconds()).Scan(&n)
	return n, err
}

// RunSweeper sweeps every interval until ctx ends.
func (e *Engine) RunSweeper(ctx context.Context, every, olderThan time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			n, err := e.Sweep(ctx, olderThan)
			if err != nil && ctx.Err() == nil {
				e.log.ErrorContext(ctx, "sweeping stale chat turns", "error", err)
			} else if n > 0 {
				e.log.WarnContext(ctx, "stale chat turns failed visibly", "count", n)
			}
		}
	}
}
