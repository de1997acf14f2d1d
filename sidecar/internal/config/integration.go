package config

import (
	"context"
	"log/slog"
	"strings"
)

// Integration is the state of an optional external service (Gemini, Stripe, Unipile, ...) whose
// secrets come from the environment.
//
// The rule (ARCHITECTURE.md §6): a missing secret disables that integration with a clear log line
// instead of stopping the process, unless the operator set REQUIRE_<NAME>=true, which turns the missing
// secret into a start-up error. Code that uses an integration checks Enabled and falls back (offline
// mode, 503 "unavailable", skipped job) when it is false.
type Integration struct {
	// Name is the lower-case integration name ("gemini"); REQUIRE_<NAME> uses its upper-case form.
	Name string
	// Enabled is true when every secret is set.
	Enabled bool
	// Required is the value of REQUIRE_<NAME>.
	Required bool
	// Missing lists the secret variables that are unset (empty when Enabled).
	Missing []string
}

// RequireVar is the name of the variable that makes an integration mandatory: REQUIRE_<NAME>.
func RequireVar(name string) string {
	return "REQUIRE_" + strings.ToUpper(name)
}

// Integration reads REQUIRE_<NAME> and checks that every one of secrets is set. When some are missing
// the integration is disabled, and when REQUIRE_<NAME>=true that is also a recorded problem (start-up
// fails). Read the secret values themselves with String.
//
// Adding an integration (issues 5 and 6 do this for Stripe and Unipile):
//
//	type StripeConfig struct {
//		Integration
//		SecretKey, WebhookSecret string
//	}
//	// in Load:
//	c.Stripe.Integration = env.Integration("stripe", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")
//	c.Stripe.SecretKey = env.String("STRIPE_SECRET_KEY", "")
//	// and list it in (*Config).Integrations, document it in .env.example.
func (e *Env) Integration(name string, secrets ...string) Integration {
	in := Integration{Name: strings.ToLower(name), Required: e.Bool(RequireVar(name), false)}
	for _, s := range secrets {
		if !e.IsSet(s) {
			in.Missing = append(in.Missing, s)
		}
	}
	in.Enabled = len(in.Missing) == 0
	if !in.Enabled && in.Required {
		e.Problemf("%s=true but %s %s not set", RequireVar(name), strings.Join(in.Missing, ", "), isAre(len(in.Missing)))
	}
	return in
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// Log writes one line about the integration: info when enabled, warning when disabled (with the
// missing variables and how to make it mandatory).
func (i Integration) Log(ctx context.Context, log *slog.Logger) {
	if i.Enabled {
		log.InfoContext(ctx, "integration enabled", "integration", i.Name)
		return
	}
	log.WarnContext(ctx, "integration disabled: secrets not set",
		"integration", i.Name,
		"missing", i.Missing,
		"hint", "set them to enable it, or "+RequireVar(i.Name)+"=true to refuse to start without them")
}
