package llm

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Model names (spec/external-apis.md §3.7). They are defaults only: the model is configuration
// (GEMINI_MODEL), because Google retires model ids on short notice.
const (
	// DefaultModel answers the founders (the streamed agent call).
	DefaultModel = "gemini-3.5-flash"
	// DefaultFastModel is the cheap model for classification and scoring (the judge).
	DefaultFastModel = "gemini-3.5-flash-lite"
)

// Defaults applied by New to the zero fields of Config.
const (
	DefaultBaseURL        = "https://generativelanguage.googleapis.com/"
	DefaultTimeout        = 30 * time.Second
	DefaultMaxRetries     = 2
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay  = 8 * time.Second
)

// ErrNoAPIKey is returned by New when Config.APIKey is empty: the caller should run in offline mode.
var ErrNoAPIKey = errors.New("llm: no API key")

// Config configures a Client. Zero fields get the defaults above.
type Config struct {
	// APIKey is the Gemini API key (secret: never logged). Required. It is sent as x-goog-api-key.
	APIKey string
	// Model is the model id used when a Request names none ("gemini-3.5-flash"; "models/" prefix
	// optional). Default DefaultModel.
	Model string
	// BaseURL overrides the API endpoint (tests point it at llmtest). Default DefaultBaseURL. The
	// SDK's GOOGLE_GEMINI_BASE_URL environment variable is deliberately not consulted.
	BaseURL string

	// Timeout bounds one attempt: the whole request of Generate and GenerateJSON, and for Stream the
	// wait for each chunk (the first included), so a long answer that keeps flowing is not cut while a
	// stalled one is. Default DefaultTimeout; negative disables it (the caller's context still applies).
	Timeout time.Duration
	// MaxRetries is how many times a call is retried after a 429, a 408/5xx, a transport error or a
	// timeout (so at most MaxRetries+1 attempts). 0 means DefaultMaxRetries; negative disables retries.
	MaxRetries int
	// RetryBaseDelay is the backoff before the first retry; it doubles for each further retry, up to
	// RetryMaxDelay, with jitter (each delay is drawn from [d/2, d)). Defaults DefaultRetryBaseDelay and
	// DefaultRetryMaxDelay. A 429 whose RetryInfo asks for longer than RetryMaxDelay is not retried.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration

	// Temperature is the default sampling temperature (nil: the model's default). Request.Temperature
	// overrides it.
	Temperature *float32
	// MaxOutputTokens is the default output budget (0: the model's default). Request.MaxTokens
	// overrides it.
	MaxOutputTokens int
	// ThinkingLevel is sent as thinkingConfig.thinkingLevel for Gemini 3.x models: "MINIMAL", "LOW",
	// "MEDIUM" or "HIGH" (any case). Empty leaves the model's default.
	ThinkingLevel string

	// HTTPClient is the HTTP client the SDK uses (nil: one with a connection pool sized for many
	// concurrent calls). Its own Timeout, if any, applies on top of Timeout.
	HTTPClient *http.Client
	// Logger receives debug records (retries, call summaries); nil uses slog.Default(). Records never
	// contain the API key, prompts or model output.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	} else if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.RetryBaseDelay <= 0 {
		c.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if c.RetryMaxDelay <= 0 {
		c.RetryMaxDelay = DefaultRetryMaxDelay
	}
	if c.RetryMaxDelay < c.RetryBaseDelay {
		c.RetryMaxDelay = c.RetryBaseDelay
	}
	c.ThinkingLevel = strings.ToUpper(strings.TrimSpace(c.ThinkingLevel))
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func (c Config) validate() error {
	if strings.TrimSpace(c.APIKey) == "" {
		return ErrNoAPIKey
	}
	var problems []string
	if err := validModel(c.Model); err != nil {
		problems = append(problems, err.Error())
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("base URL %q is not an absolute http(s) URL", c.BaseURL))
	}
	switch c.ThinkingLevel {
	case "", "MINIMAL", "LOW", "MEDIUM", "HIGH":
	default:
		problems = append(problems, fmt.Sprintf("thinking level %q is not MINIMAL, LOW, MEDIUM or HIGH", c.ThinkingLevel))
	}
	if c.Temperature != nil && (*c.Temperature < 0 || *c.Temperature > 2) {
		problems = append(problems, fmt.Sprintf("temperature %v is outside [0, 2]", *c.Temperature))
	}
	if c.MaxOutputTokens < 0 {
		problems = append(problems, "max output tokens is negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("llm: invalid config: %s", strings.Join(problems, "; "))
	}
	return nil
}

// validModel accepts "gemini-3.5-flash" and "models/gemini-3.5-flash": the id ends up in the URL path.
func validModel(m string) error {
	id := strings.TrimPrefix(m, "models/")
	if id == "" {
		return errors.New("model is empty")
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return fmt.Errorf("model %q has characters outside [A-Za-z0-9._-]", m)
		}
	}
	if strings.Contains(id, "..") {
		return fmt.Errorf("model %q contains \"..\"", m)
	}
	return nil
}
