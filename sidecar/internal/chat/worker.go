package chat

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"

	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// Queue is the River queue of chat turns (private.enqueue_chat_turn inserts into it).
const Queue = "chat"

// TurnArgs are the arguments of a chat_turn job, as the insert trigger writes them.
type TurnArgs struct {
	MessageID string `json:"message_id"`
}

// Kind is the River job kind.
func (TurnArgs) Kind() string { return "chat_turn" }

// Worker runs chat_turn jobs on an Engine.
type Worker struct {
	river.WorkerDefaults[TurnArgs]
	Engine *Engine
	// TurnTimeout bounds one attempt (default 45s: a slow model falls back before River's job timeout).
	TurnTimeout time.Duration
}

// Timeout is River's per-attempt limit for this kind.
func (w *Worker) Timeout(*river.Job[TurnArgs]) time.Duration {
	if w.TurnTimeout > 0 {
		return w.TurnTimeout
	}
	return 45 * time.Second
}

// NextRetry retries a failed turn quickly: the founder is waiting (1s, 2s, 4s...).
func (w *Worker) NextRetry(job *river.Job[TurnArgs]) time.Time {
	return time.Now().Add(time.Duration(1<<min(job.Attempt-1, 5)) * time.Second)
}

// Work answers one message. The reply commits together with the job's completion; after the last
// attempt a failure becomes a visible error reply instead of silence.
func (w *Worker) Work(ctx context.Context, job *river.Job[TurnArgs]) (err error) {
	ctx = obs.WithJobID(ctx, fmt.Sprint(job.ID))
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in chat turn: %v\n%s", p, debug.Stack())
		}
		attemptErr := err // the attempt failed even when its failure is then answered and the job ends
		if err != nil && job.Attempt >= job.MaxAttempts {
			w.Engine.log.ErrorContext(ctx, "chat turn failed for good", "message_id", job.Args.MessageID,
				"attempt", job.Attempt, "error", err)
			if ferr := w.Engine.Fail(context.WithoutCancel(ctx), job.Args.MessageID, err, job.ID); ferr != nil {
				err = fmt.Errorf("%w; and recording the failure: %v", err, ferr)
			} else {
				err = nil
			}
		} else if err != nil {
			w.Engine.log.WarnContext(ctx, "chat turn attempt failed; retrying", "message_id", job.Args.MessageID,
				"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "error", err)
		}
		if w.Engine.metrics != nil {
			w.Engine.metrics.ObserveJob(job.Kind, time.Since(start), attemptErr)
		}
	}()
	if job.Args.MessageID == "" {
		return river.JobCancel(fmt.Errorf("chat_turn job %d has no message_id", job.ID))
	}
	_, err = w.Engine.Turn(ctx, job.Args.MessageID, job.ID)
	return err
}
