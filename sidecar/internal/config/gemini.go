package config

import "log/slog"

// GeminiConfig configures the Gemini client (judge and agents).
type GeminiConfig struct {
	Integration
	// APIKey (GEMINI_API_KEY) is secret.
	APIKey string
}

// loadGemini reads the GEMINI_* variables.
func loadGemini(env *Env) GeminiConfig {
	return GeminiConfig{
		Integration: env.Integration("gemini", "GEMINI_API_KEY"),
		APIKey:      env.String("GEMINI_API_KEY", ""),
	}
}

// LogValue shows the Gemini settings without the key.
func (g GeminiConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", g.Enabled))
}
