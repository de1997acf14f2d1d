package config

import "log/slog"

// ModerationConfig configures how repeat spammers are throttled and (optionally) banned.
type ModerationConfig struct{}

// loadModeration reads the SPAM_* variables.
func loadModeration(env *Env) ModerationConfig {
	return ModerationConfig{}
}

// LogValue shows the moderation settings without secrets.
func (m ModerationConfig) LogValue() slog.Value {
	return slog.GroupValue()
}
