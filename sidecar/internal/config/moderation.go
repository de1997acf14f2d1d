package config

import (
	"log/slog"
	"strings"
	"time"
)

// Moderation defaults.
const (
	DefaultSpamBanTimeout = 10 * time.Second
)

// ModerationConfig configures how repeat spammers are throttled and (optionally) banned. The
// thresholds themselves (strike window, strikes before a throttle or a ban, durations) are data in
// private.moderation_settings, not configuration.
type ModerationConfig struct {
	// ThrottleEnabled (SPAM_THROTTLE_ENABLED, default true): record spam strikes and throttle repeat
	// spammers. False disables moderation entirely (no strikes are stored).
	ThrottleEnabled bool
	// BanEnabled (SPAM_BAN_ENABLED, default false): ban users through the Supabase Auth admin API once
	// they reach the ban threshold. Requires AuthURL and ServiceRoleKey; when they are missing
	// start-up fails, as the operator asked for bans.
	BanEnabled bool
	// AuthURL is the Supabase Auth (GoTrue) base URL, SUPABASE_URL + "/auth/v1"; "" without
	// SUPABASE_URL.
	AuthURL string
	// ServiceRoleKey (SUPABASE_SERVICE_ROLE_KEY) is secret: the service_role JWT or an sb_secret_ key.
	ServiceRoleKey string
	// BanTimeout (SPAM_BAN_TIMEOUT, default 10s) bounds one call to the Auth admin API.
	BanTimeout time.Duration
}

// loadModeration reads the SPAM_* variables and the Supabase service-role key.
func loadModeration(env *Env) ModerationConfig {
	m := ModerationConfig{
		ThrottleEnabled: env.Bool("SPAM_THROTTLE_ENABLED", true),
		BanEnabled:      env.Bool("SPAM_BAN_ENABLED", false),
		ServiceRoleKey:  env.String("SUPABASE_SERVICE_ROLE_KEY", ""),
		BanTimeout:      env.Duration("SPAM_BAN_TIMEOUT", DefaultSpamBanTimeout, time.Second, 2*time.Minute),
	}
	// SUPABASE_URL is validated by Load; here it only locates Supabase Auth.
	if u := strings.TrimRight(env.String("SUPABASE_URL", ""), "/"); u != "" {
		m.AuthURL = u + "/auth/v1"
	}
	if m.BanEnabled {
		if !m.ThrottleEnabled {
			env.Problemf("SPAM_BAN_ENABLED=true needs SPAM_THROTTLE_ENABLED=true (bans count the recorded strikes)")
		}
		if m.AuthURL == "" {
			env.Problemf("SPAM_BAN_ENABLED=true but SUPABASE_URL is not set (bans go through Supabase Auth)")
		}
		if m.ServiceRoleKey == "" {
			env.Problemf("SPAM_BAN_ENABLED=true but SUPABASE_SERVICE_ROLE_KEY is not set")
		}
	}
	return m
}

// LogValue shows the moderation settings without secrets.
func (m ModerationConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("throttle_enabled", m.ThrottleEnabled),
		slog.Bool("ban_enabled", m.BanEnabled),
		slog.String("auth_url", m.AuthURL),
		slog.Bool("service_role_key_set", m.ServiceRoleKey != ""),
		slog.String("ban_timeout", m.BanTimeout.String()),
	)
}
