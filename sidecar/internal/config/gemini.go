package config

import (
	"log/slog"
	"strings"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
)

// Gemini limits accepted at start-up.
const (
	minGeminiTimeout = time.Second
	maxGeminiTimeout = 5 * time.Minute
	maxGeminiRetries = 10
)

// GeminiConfig configures the Gemini client (judge and agents). Build the client with
// llm.New(ctx, cfg.LLMConfig()) when Enabled, and the judge with judge.NewGemini(client, offline,
// cfg.JudgeOptions()).
type GeminiConfig struct {
	Integration
	// APIKey (GEMINI_API_KEY) is secret.
	APIKey string
	// Model (GEMINI_MODEL, default llm.DefaultModel) answers the founders (the streamed agent call).
	Model string
	// JudgeModel (GEMINI_JUDGE_MODEL, default llm.DefaultFastModel) makes the judge's structured call.
	JudgeModel string
	// BaseURL (GEMINI_BASE_URL, optional) overrides the API endpoint: local fakes and proxies only.
	BaseURL string
	// Timeout (GEMINI_TIMEOUT, default llm.DefaultTimeout) bounds one attempt of a call.
	Timeout time.Duration
	// JudgeTimeout (GEMINI_JUDGE_TIMEOUT, default judge.DefaultGeminiTimeout) bounds the whole judge
	// call, retries included; past it the offline judge answers.
	JudgeTimeout time.Duration
	// MaxRetries (GEMINI_MAX_RETRIES, default llm.DefaultMaxRetries; 0 disables retries) is how many
	// times a 429/5xx/timeout is retried.
	MaxRetries int
}

// loadGemini reads the GEMINI_* variables.
func loadGemini(env *Env) GeminiConfig {
	g := GeminiConfig{
		Integration:  env.Integration("gemini", "GEMINI_API_KEY"),
		APIKey:       env.String("GEMINI_API_KEY", ""),
		Model:        geminiModel(env, "GEMINI_MODEL", llm.DefaultModel),
		JudgeModel:   geminiModel(env, "GEMINI_JUDGE_MODEL", llm.DefaultFastModel),
		BaseURL:      strings.TrimRight(env.String("GEMINI_BASE_URL", ""), "/"),
		Timeout:      env.Duration("GEMINI_TIMEOUT", llm.DefaultTimeout, minGeminiTimeout, maxGeminiTimeout),
		JudgeTimeout: env.Duration("GEMINI_JUDGE_TIMEOUT", judge.DefaultGeminiTimeout, minGeminiTimeout, maxGeminiTimeout),
		MaxRetries:   env.Int("GEMINI_MAX_RETRIES", llm.DefaultMaxRetries, 0, maxGeminiRetries),
	}
	if g.BaseURL != "" {
		if err := checkBaseURL(g.BaseURL); err != nil {
			env.Problemf("GEMINI_BASE_URL=%q: %v", g.BaseURL, err)
		}
	}
	return g
}

// geminiModel reads a model id: letters, digits, '.', '-' and '_', optionally after "models/"
// (it ends up in the request path).
func geminiModel(env *Env, name, def string) string {
	v := env.String(name, def)
	id := strings.TrimPrefix(v, "models/")
	ok := id != "" && !strings.Contains(id, "..")
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			ok = false
		}
	}
	if !ok {
		env.Problemf("%s=%q: not a model id (example: %s)", name, v, def)
		return def
	}
	return v
}

// LLMConfig is the llm.Config for these settings (Model is the agents' model; the judge passes
// JudgeModel per request through JudgeOptions). Set Logger on the result if needed.
func (g GeminiConfig) LLMConfig() llm.Config {
	retries := g.MaxRetries
	if retries == 0 {
		retries = -1 // llm: 0 means "default", negative disables
	}
	return llm.Config{
		APIKey:     g.APIKey,
		Model:      g.Model,
		BaseURL:    g.BaseURL,
		Timeout:    g.Timeout,
		MaxRetries: retries,
	}
}

// JudgeOptions are the judge.GeminiOptions for these settings.
func (g GeminiConfig) JudgeOptions() judge.GeminiOptions {
	return judge.GeminiOptions{Model: g.JudgeModel, Timeout: g.JudgeTimeout}
}

// LogValue shows the Gemini integration state without the key. (The start-up log's shape is pinned
// by config_test.go; the model settings are in Settings.)
func (g GeminiConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", g.Enabled))
}

// Settings shows the model, endpoint, timeout and retry settings (no secret), for a start-up log line
// of the chat.
func (g GeminiConfig) Settings() slog.Value {
	return slog.GroupValue(
		slog.Bool("enabled", g.Enabled),
		slog.String("model", g.Model),
		slog.String("judge_model", g.JudgeModel),
		slog.String("base_url", g.BaseURL),
		slog.String("timeout", g.Timeout.String()),
		slog.String("judge_timeout", g.JudgeTimeout.String()),
		slog.Int("max_retries", g.MaxRetries),
	)
}
