package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestStripeDisabledByDefault(t *testing.T) {
	c, err := Load(MapLookup(minimal()))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Stripe
	if s.Enabled || s.Timeout != DefaultStripeTimeout || s.WebhookTolerance != DefaultStripeWebhookTolerance ||
		s.WebhookWorkers != DefaultStripeWebhookWorkers || s.EventMaxAttempts != DefaultStripeEventMaxAttempts || s.MaxRetries != DefaultStripeMaxRetries {
		t.Errorf("defaults: %+v", s)
	}
}

func TestStripeEnabled(t *testing.T) {
	c, err := Load(MapLookup(with(
		"STRIPE_SECRET_KEY", "sk_test_abc", "STRIPE_WEBHOOK_SECRET", "whsec_abc",
		"STRIPE_API_BASE", "http://127.0.0.1:12111/",
		"STRIPE_SUCCESS_URL", "https://app.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}",
		"STRIPE_CANCEL_URL", "https://app.example.com/billing/cancel",
		"STRIPE_PORTAL_RETURN_URL", "https://app.example.com/account",
		"STRIPE_WEBHOOK_TOLERANCE", "2m", "STRIPE_WEBHOOK_WORKERS", "8", "STRIPE_EVENT_MAX_ATTEMPTS", "5",
	)))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Stripe
	if !s.Enabled || s.SecretKey != "sk_test_abc" || s.WebhookSecret != "whsec_abc" || s.APIBase != "http://127.0.0.1:12111" ||
		s.WebhookTolerance != 2*time.Minute || s.WebhookWorkers != 8 || s.EventMaxAttempts != 5 {
		t.Errorf("parsed: %+v", s)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", c)
	logged := buf.String()
	if strings.Contains(logged, "sk_test_abc") || strings.Contains(logged, "whsec_abc") {
		t.Errorf("secrets in the log line: %s", logged)
	}
	if !strings.Contains(logged, `"stripe":{"enabled":true,"test_mode":true,"api_base":"http://127.0.0.1:12111"`) {
		t.Errorf("log line lacks the stripe settings: %s", logged)
	}
}

func TestStripeValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"enabled without return URLs", with("STRIPE_SECRET_KEY", "sk_test_abc", "STRIPE_WEBHOOK_SECRET", "whsec_abc"), "STRIPE_SUCCESS_URL is required"},
		{"required but missing", with("REQUIRE_STRIPE", "true"), "REQUIRE_STRIPE=true"},
		{"bad api base", with("STRIPE_API_BASE", "ftp://x"), "STRIPE_API_BASE"},
		{"relative success url", with("STRIPE_SUCCESS_URL", "/billing/success"), "STRIPE_SUCCESS_URL"},
		{"webhook secret shape", with("STRIPE_WEBHOOK_SECRET", "abc"), "whsec_"},
		{"portal configuration shape", with("STRIPE_PORTAL_CONFIGURATION", "conf_1"), "bpc_"},
		{"tolerance too small", with("STRIPE_WEBHOOK_TOLERANCE", "1s"), "STRIPE_WEBHOOK_TOLERANCE"},
	} {
		_, err := Load(MapLookup(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}
