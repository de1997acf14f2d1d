// Package obs is the sidecar's observability: the slog logger (JSON by default) that adds the
// request_id, job_id and user_id carried by a context.Context to every line, and the Prometheus metrics
// every part of the sidecar reports into (see Metrics).
//
// Log with the *Context methods (log.InfoContext(ctx, ...)) so the ids reach the line:
//
//	ctx = obs.WithJobID(ctx, job.ID)
//	log.InfoContext(ctx, "turn answered", "mode", "offline") // ... "job_id":"42" ...
package obs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	jobIDKey
	userIDKey
)

// Log attribute names added from the context.
const (
	AttrRequestID = "request_id"
	AttrJobID     = "job_id"
	AttrUserID    = "user_id"
)

// WithRequestID returns ctx carrying the HTTP request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string { return str(ctx, requestIDKey) }

// WithJobID returns ctx carrying the id of the background job being processed.
func WithJobID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, jobIDKey, id)
}

// JobID returns the job id carried by ctx, or "".
func JobID(ctx context.Context) string { return str(ctx, jobIDKey) }

// WithUserID returns ctx carrying the id of the user the work is done for.
func WithUserID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, userIDKey, id)
}

// UserID returns the user id carried by ctx, or "".
func UserID(ctx context.Context) string { return str(ctx, userIDKey) }

func str(ctx context.Context, k ctxKey) string {
	if ctx == nil {
		return ""
	}
	s, _ := ctx.Value(k).(string)
	return s
}

// ContextHandler is a slog.Handler that adds the request_id, job_id and user_id found in the record's
// context to every record, then passes it on.
type ContextHandler struct {
	next slog.Handler
}

// NewContextHandler wraps next.
func NewContextHandler(next slog.Handler) *ContextHandler { return &ContextHandler{next: next} }

// Enabled implements slog.Handler.
func (h *ContextHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *ContextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String(AttrRequestID, id))
	}
	if id := JobID(ctx); id != "" {
		r.AddAttrs(slog.String(AttrJobID, id))
	}
	if id := UserID(ctx); id != "" {
		r.AddAttrs(slog.String(AttrUserID, id))
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &ContextHandler{next: h.next.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler. Context attributes of records logged through the result land in
// the group too; log ids with a logger that has no group when that matters.
func (h *ContextHandler) WithGroup(name string) slog.Handler {
	return &ContextHandler{next: h.next.WithGroup(name)}
}

// NewLogger returns a logger writing format ("json" or "text") lines at level and above to w, with the
// context ids added. It is also suitable for slog.SetDefault.
func NewLogger(w io.Writer, level slog.Leveler, format string) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch format {
	case "", "json":
		h = slog.NewJSONHandler(w, opts)
	case "text":
		h = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("obs: unknown log format %q (json or text)", format)
	}
	return slog.New(NewContextHandler(h)), nil
}

// Discard is a logger that writes nothing (for tests and optional dependencies).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
