package config

import "log/slog"

// StripeConfig configures billing (Stripe Checkout, Customer Portal, webhooks).
type StripeConfig struct {
	Integration
}

// loadStripe reads the STRIPE_* variables.
func loadStripe(env *Env) StripeConfig {
	return StripeConfig{Integration: env.Integration("stripe", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")}
}

// LogValue shows the Stripe settings without secrets.
func (s StripeConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", s.Enabled))
}
