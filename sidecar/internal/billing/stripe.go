package billing

import (
	"net/http"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/zerobullshit/backend/sidecar/internal/config"
)

// NewStripeClient returns a stripe-go client for cfg (API version 2023-10-16, as stripe-go v76 pins).
// cfg.APIBase points it at stripe-mock or a proxy. httpClient may be nil (a client with cfg.Timeout).
func NewStripeClient(cfg config.StripeConfig, httpClient *http.Client) *client.API {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: cfg.Timeout}
	}
	bc := &stripe.BackendConfig{
		MaxNetworkRetries: stripe.Int64(int64(cfg.MaxRetries)),
		HTTPClient:        httpClient,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelWarn},
	}
	if cfg.APIBase != "" {
		bc.URL = stripe.String(cfg.APIBase)
	}
	return client.New(cfg.SecretKey, stripe.NewBackendsWithConfig(bc))
}
