package billing

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
)

// Receiver answers POST /webhooks/stripe: verify, store once, 200. Applying the event is the
// Processor's job, so Stripe never waits for it (and never retries because it was slow).
type Receiver struct {
	pool      *pgxpool.Pool
	secret    string
	tolerance time.Duration
	log       *slog.Logger
}

// NewReceiver returns the webhook receiver for the endpoint's signing secret. Deliveries signed more
// than tolerance ago are refused (replay protection).
func NewReceiver(pool *pgxpool.Pool, secret string, tolerance time.Duration, log *slog.Logger) *Receiver {
	if log == nil {
		log = slog.Default()
	}
	return &Receiver{pool: pool, secret: secret, tolerance: tolerance, log: log.With("component", "stripe-webhook")}
}

// webhookAck is the body of a 200: whether this delivery was new.
type webhookAck struct {
	Received  bool   `json:"received"`
	Duplicate bool   `json:"duplicate"`
	EventID   string `json:"event_id"`
}

// Handle is the echo handler.
func (r *Receiver) Handle(c echo.Context) error {
	payload, err := httpapi.RawBody(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ev, err := webhook.ConstructEventWithOptions(payload, c.Request().Header.Get("Stripe-Signature"), r.secret,
		webhook.ConstructEventOptions{Tolerance: r.tolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		r.log.WarnContext(ctx, "stripe webhook refused", "reason", err.Error(), "remote", c.RealIP())
		return httpapi.BadRequest("invalid or expired Stripe signature")
	}
	status, reason := "pending", ""
	if ev.APIVersion != stripe.APIVersion {
		// Authentic, but shaped for another API version: keep it (visible, re-queueable), do not apply.
		status = "dead"
		reason = fmt.Sprintf("event api_version %q, expected %q: set the webhook endpoint's API version", ev.APIVersion, stripe.APIVersion)
		r.log.ErrorContext(ctx, "stripe event of a foreign API version stored as dead", "event_id", ev.ID, "type", ev.Type, "api_version", ev.APIVersion)
	}
	inserted, err := Record(ctx, r.pool, payload, status, reason)
	if err != nil {
		return err
	}
	r.log.InfoContext(ctx, "stripe event received", "event_id", ev.ID, "type", ev.Type, "duplicate", !inserted)
	return c.JSON(http.StatusOK, webhookAck{Received: true, Duplicate: !inserted, EventID: ev.ID})
}

// Record stores a verified event payload once (private.record_stripe_event) and wakes the processors.
// It returns false when the event was already stored. status is "pending" (to apply) or "dead" (with
// reason).
func Record(ctx context.Context, pool *pgxpool.Pool, payload []byte, status, reason string) (bool, error) {
	var inserted bool
	var why *string
	if reason != "" {
		why = &reason
	}
	err := pool.QueryRow(ctx, `select private.record_stripe_event($1::jsonb, $2, $3)`, string(payload), status, why).Scan(&inserted)
	if err != nil {
		return false, fmt.Errorf("storing the stripe event: %w", err)
	}
	return inserted, nil
}
