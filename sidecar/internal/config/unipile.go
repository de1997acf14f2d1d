package config

import (
	"log/slog"
	"strings"
	"time"
)

// UnipileConfig configures LinkedIn outreach through Unipile. The safety limits themselves (caps,
// spacing, ramp-up, working hours) are data in the database (public.outreach_limit_defaults and each
// linkedin_accounts row), so the business can change them without a deploy.
type UnipileConfig struct {
	Integration
	// APIKey (UNIPILE_API_KEY) is secret: sent as X-API-KEY.
	APIKey string
	// DSN (UNIPILE_DSN) is the customer's API host, https://apiNN.unipile.com:PORT, without /api/v1.
	DSN string
	// WebhookSecret (UNIPILE_WEBHOOK_SECRET) is the shared secret Unipile sends in the Unipile-Auth
	// header of every webhook delivery (configured as a custom header when the webhook is created).
	// Empty: /webhooks/unipile refuses every delivery.
	WebhookSecret string
	// PublicBaseURL (UNIPILE_NOTIFY_BASE_URL) is where Unipile reaches this sidecar, e.g. https://api.example.com:
	// the hosted-auth notify_url is built on it.
	PublicBaseURL string
	// AppURL (UNIPILE_REDIRECT_URL) is the frontend page the hosted-auth wizard returns to (?linkedin=connected or ?linkedin=failed).
	AppURL string
	// Timeout (UNIPILE_TIMEOUT, default 30s) bounds one Unipile request.
	Timeout time.Duration
	// LinkTTL (UNIPILE_LINK_TTL, default 1h) is how long a hosted-auth link is valid.
	LinkTTL time.Duration
	// PollInterval (OUTREACH_POLL_INTERVAL, default 15s): the sender looks for due actions at least this
	// often (NOTIFY wakes it sooner).
	PollInterval time.Duration
	// ReconcileInterval (OUTREACH_RECONCILE_INTERVAL, default 3h): how often each account's sent
	// invitations and relations are compared with ours (catches missed webhooks).
	ReconcileInterval time.Duration
	// DryRun (OUTREACH_DRY_RUN, default false) records what would be sent without calling Unipile even
	// when the key is set. Without the key, outreach always runs dry.
	DryRun bool
}

// loadUnipile reads the UNIPILE_* and OUTREACH_* variables.
func loadUnipile(env *Env) UnipileConfig {
	u := UnipileConfig{
		Integration:       env.Integration("unipile", "UNIPILE_API_KEY", "UNIPILE_DSN"),
		APIKey:            env.String("UNIPILE_API_KEY", ""),
		DSN:               strings.TrimSuffix(strings.TrimRight(env.String("UNIPILE_DSN", ""), "/"), "/api/v1"),
		WebhookSecret:     env.String("UNIPILE_WEBHOOK_SECRET", ""),
		PublicBaseURL:     strings.TrimRight(env.String("UNIPILE_NOTIFY_BASE_URL", ""), "/"),
		AppURL:            strings.TrimRight(env.String("UNIPILE_REDIRECT_URL", ""), "/"),
		Timeout:           env.Duration("UNIPILE_TIMEOUT", 30*time.Second, time.Second, 5*time.Minute),
		LinkTTL:           env.Duration("UNIPILE_LINK_TTL", time.Hour, 5*time.Minute, 24*time.Hour),
		PollInterval:      env.Duration("OUTREACH_POLL_INTERVAL", 15*time.Second, 100*time.Millisecond, 10*time.Minute),
		ReconcileInterval: env.Duration("OUTREACH_RECONCILE_INTERVAL", 3*time.Hour, time.Minute, 48*time.Hour),
		DryRun:            env.Bool("OUTREACH_DRY_RUN", false),
	}
	for name, v := range map[string]string{"UNIPILE_DSN": u.DSN, "UNIPILE_NOTIFY_BASE_URL": u.PublicBaseURL, "UNIPILE_REDIRECT_URL": u.AppURL} {
		if v != "" {
			if err := checkBaseURL(v); err != nil {
				env.Problemf("%s=%q: %v", name, v, err)
			}
		}
	}
	if u.WebhookSecret != "" && len(u.WebhookSecret) < 16 {
		env.Problemf("UNIPILE_WEBHOOK_SECRET is too short (%d characters, at least 16)", len(u.WebhookSecret))
	}
	return u
}

// Live reports whether outreach calls Unipile for real (enabled and not forced to dry-run).
func (u UnipileConfig) Live() bool { return u.Enabled && !u.DryRun }

// LogValue shows the Unipile settings without secrets.
func (u UnipileConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("enabled", u.Enabled),
		slog.Bool("live", u.Live()),
		slog.String("dsn", u.DSN),
		slog.Bool("webhook_secret_set", u.WebhookSecret != ""),
		slog.String("public_base_url", u.PublicBaseURL),
		slog.String("app_url", u.AppURL),
		slog.String("timeout", u.Timeout.String()),
		slog.String("link_ttl", u.LinkTTL.String()),
		slog.String("poll_interval", u.PollInterval.String()),
		slog.String("reconcile_interval", u.ReconcileInterval.String()),
	)
}
