package config

import (
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Stripe defaults and bounds.
const (
	DefaultStripeTimeout          = 30 * time.Second
	DefaultStripeMaxRetries       = 2
	DefaultStripeWebhookTolerance = 5 * time.Minute
	DefaultStripeWebhookWorkers   = 4
	DefaultStripeEventMaxAttempts = 10
)

// StripeConfig configures billing (Stripe Checkout, Customer Portal, webhooks). Prices are not here:
// they are data (public.plans.stripe_price_id, public.credit_packs.stripe_price_id).
type StripeConfig struct {
	Integration
	// SecretKey (STRIPE_SECRET_KEY) is secret.
	SecretKey string
	// WebhookSecret (STRIPE_WEBHOOK_SECRET, whsec_...) verifies webhook signatures. Secret.
	WebhookSecret string
	// APIBase (STRIPE_API_BASE, optional) overrides https://api.stripe.com: stripe-mock and proxies only.
	APIBase string
	// SuccessURL (STRIPE_SUCCESS_URL) is where Checkout sends the user after paying; may contain
	// {CHECKOUT_SESSION_ID}. Required when Stripe is enabled.
	SuccessURL string
	// CancelURL (STRIPE_CANCEL_URL) is where Checkout sends the user who gives up. Required when enabled.
	CancelURL string
	// PortalReturnURL (STRIPE_PORTAL_RETURN_URL) is where the Customer Portal's "back" link goes.
	// Required when enabled.
	PortalReturnURL string
	// PortalConfiguration (STRIPE_PORTAL_CONFIGURATION, optional bpc_...): the portal configuration;
	// empty uses the account's default.
	PortalConfiguration string
	// Timeout (STRIPE_TIMEOUT, default 30s) bounds one HTTP call to Stripe.
	Timeout time.Duration
	// MaxRetries (STRIPE_MAX_RETRIES, default 2) is how many times stripe-go retries a failed call
	// (network errors, 409, 5xx; POSTs keep their idempotency key).
	MaxRetries int
	// WebhookTolerance (STRIPE_WEBHOOK_TOLERANCE, default 5m): signed webhooks older than this are
	// refused (replay protection).
	WebhookTolerance time.Duration
	// WebhookWorkers (STRIPE_WEBHOOK_WORKERS, default 4) is how many stored events this process applies
	// at once.
	WebhookWorkers int
	// EventMaxAttempts (STRIPE_EVENT_MAX_ATTEMPTS, default 10): an event that fails this many times is
	// marked dead (visible in private.stripe_events, re-queued with private.retry_stripe_event).
	EventMaxAttempts int
}

// loadStripe reads the STRIPE_* variables. Every variable is read even when Stripe is disabled.
func loadStripe(env *Env) StripeConfig {
	s := StripeConfig{
		Integration:         env.Integration("stripe", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"),
		SecretKey:           env.String("STRIPE_SECRET_KEY", ""),
		WebhookSecret:       env.String("STRIPE_WEBHOOK_SECRET", ""),
		APIBase:             strings.TrimRight(env.String("STRIPE_API_BASE", ""), "/"),
		SuccessURL:          env.String("STRIPE_SUCCESS_URL", ""),
		CancelURL:           env.String("STRIPE_CANCEL_URL", ""),
		PortalReturnURL:     env.String("STRIPE_PORTAL_RETURN_URL", ""),
		PortalConfiguration: env.String("STRIPE_PORTAL_CONFIGURATION", ""),
		Timeout:             env.Duration("STRIPE_TIMEOUT", DefaultStripeTimeout, time.Second, 5*time.Minute),
		MaxRetries:          env.Int("STRIPE_MAX_RETRIES", DefaultStripeMaxRetries, 0, 10),
		WebhookTolerance:    env.Duration("STRIPE_WEBHOOK_TOLERANCE", DefaultStripeWebhookTolerance, 10*time.Second, time.Hour),
		WebhookWorkers:      env.Int("STRIPE_WEBHOOK_WORKERS", DefaultStripeWebhookWorkers, 1, 64),
		EventMaxAttempts:    env.Int("STRIPE_EVENT_MAX_ATTEMPTS", DefaultStripeEventMaxAttempts, 1, 100),
	}
	if s.APIBase != "" {
		if err := checkBaseURL(s.APIBase); err != nil {
			env.Problemf("STRIPE_API_BASE=%q: %v", s.APIBase, err)
		}
	}
	if s.PortalConfiguration != "" && !strings.HasPrefix(s.PortalConfiguration, "bpc_") {
		env.Problemf("STRIPE_PORTAL_CONFIGURATION=%q: must be a portal configuration id (bpc_...)", s.PortalConfiguration)
	}
	if s.WebhookSecret != "" && !strings.HasPrefix(s.WebhookSecret, "whsec_") {
		env.Problemf("STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_...)")
	}
	for _, v := range []struct{ name, value string }{
		{"STRIPE_SUCCESS_URL", s.SuccessURL}, {"STRIPE_CANCEL_URL", s.CancelURL}, {"STRIPE_PORTAL_RETURN_URL", s.PortalReturnURL},
	} {
		if v.value == "" {
			if s.Enabled {
				env.Problemf("%s is required when Stripe is enabled (the frontend page Stripe sends the user back to)", v.name)
			}
			continue
		}
		if u, err := url.Parse(v.value); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			env.Problemf("%s=%q: must be an absolute http(s) URL", v.name, v.value)
		}
	}
	return s
}

// LogValue shows the Stripe settings without secrets.
func (s StripeConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("enabled", s.Enabled),
		slog.Bool("test_mode", strings.HasPrefix(s.SecretKey, "sk_test_") || strings.HasPrefix(s.SecretKey, "rk_test_")),
		slog.String("api_base", s.APIBase),
		slog.String("success_url", s.SuccessURL),
		slog.String("cancel_url", s.CancelURL),
		slog.String("portal_return_url", s.PortalReturnURL),
		slog.String("timeout", s.Timeout.String()),
		slog.Int("max_retries", s.MaxRetries),
		slog.String("webhook_tolerance", s.WebhookTolerance.String()),
		slog.Int("webhook_workers", s.WebhookWorkers),
		slog.Int("event_max_attempts", s.EventMaxAttempts),
	)
}
