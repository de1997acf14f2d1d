package config

import "log/slog"

// UnipileConfig configures LinkedIn outreach through Unipile.
type UnipileConfig struct {
	Integration
}

// loadUnipile reads the UNIPILE_* variables.
func loadUnipile(env *Env) UnipileConfig {
	return UnipileConfig{Integration: env.Integration("unipile", "UNIPILE_API_KEY", "UNIPILE_DSN")}
}

// LogValue shows the Unipile settings without secrets.
func (u UnipileConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("enabled", u.Enabled))
}
