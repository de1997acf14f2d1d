// Package config loads the sidecar's configuration from environment variables into one Config, applies
// defaults and validates everything at start-up, reporting every problem at once (fail fast).
//
// Every variable is documented in .env.example at the repository root. Optional integrations (Gemini now;
// Stripe and Unipile later) follow one pattern, see Integration: a missing secret disables the
// integration with a log line unless REQUIRE_<NAME>=true.
package config

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults.
const (
	DefaultHTTPAddr                 = ":8080"
	DefaultRateLimitPerMinute       = 60
	DefaultRateLimitBurst           = 10
	DefaultBodyLimit          int64 = 1 << 20 // 1MB
	DefaultShutdownTimeout          = 20 * time.Second
	DefaultDBConnectTimeout         = 10 * time.Second

	// MinJWTSecretLength is the shortest HS256 secret accepted (Supabase's secrets are at least 32
	// characters; shorter ones can be brute-forced).
	MinJWTSecretLength = 32
)

// Config is the whole sidecar configuration. Load fills it; nothing else reads the environment.
type Config struct {
	// DatabaseURL (DATABASE_URL, required) is a direct or session-mode connection as role postgres.
	// pgx pool settings go in the URL query (pool_max_conns=10, ...).
	DatabaseURL string
	// DBConnectTimeout (DATABASE_CONNECT_TIMEOUT, default 10s) bounds the first connection at start-up.
	DBConnectTimeout time.Duration

	// HTTPAddr (HTTP_ADDR, default ":8080") is the listen address.
	HTTPAddr string
	// LogLevel (LOG_LEVEL: debug, info, warn, error; default info).
	LogLevel slog.Level
	// LogFormat (LOG_FORMAT: json or text; default json).
	LogFormat string

	// SupabaseURL (SUPABASE_URL, optional) is the project URL, e.g. https://<ref>.supabase.co, without a
	// trailing slash. When set, asymmetric JWT keys are fetched from JWKSURL().
	SupabaseURL string
	// JWTSecret (SUPABASE_JWT_SECRET) verifies HS256 tokens. At least one of JWTSecret and SupabaseURL is
	// required.
	JWTSecret string
	// JWTIssuer (SUPABASE_JWT_ISSUER, optional): when set, tokens must carry exactly this "iss"
	// (hosted projects: https://<ref>.supabase.co/auth/v1).
	JWTIssuer string

	// TrustedProxies (TRUSTED_PROXIES, comma-separated CIDRs or addresses): only peers in these ranges
	// may tell us the client address (X-Forwarded-For) and scheme (X-Forwarded-Proto). Empty: trust
	// nobody, the TCP peer is the client.
	TrustedProxies []netip.Prefix
	// CORSAllowedOrigins (CORS_ALLOWED_ORIGINS, comma-separated origins such as https://app.example.com):
	// browsers on these origins may call the API. Empty: no CORS headers (same-origin or server calls only).
	CORSAllowedOrigins []string

	// RateLimitPerMinute (RATE_LIMIT_PER_MINUTE, default 60) is the sustained request rate per user on /v1.
	RateLimitPerMinute int
	// RateLimitBurst (RATE_LIMIT_BURST, default 10) is how many requests a user may make at once.
	RateLimitBurst int
	// BodyLimit (BODY_LIMIT, default 1MB) is the largest request body accepted, in bytes.
	BodyLimit int64
	// ShutdownTimeout (SHUTDOWN_TIMEOUT, default 20s) bounds the graceful shutdown: in-flight requests
	// and background workers must finish within it.
	ShutdownTimeout time.Duration

	// Gemini (GEMINI_API_KEY; REQUIRE_GEMINI) is the model provider. Disabled: offline mode.
	Gemini GeminiConfig
	// Chat (CHAT_*) sizes the chat workers (chat.go).
	Chat ChatConfig
	// Moderation (SPAM_*, SUPABASE_SERVICE_ROLE_KEY) throttles and bans repeat spammers (moderation.go).
	Moderation ModerationConfig
	// Stripe (STRIPE_*; REQUIRE_STRIPE) is billing: checkout, portal, webhooks (stripe.go).
	Stripe StripeConfig
	// Unipile (UNIPILE_*; REQUIRE_UNIPILE) is LinkedIn outreach (unipile.go). Disabled: dry-run sender.
	Unipile UnipileConfig
}

// Load reads the configuration for "sidecar serve" through lookup (os.LookupEnv when nil), applies
// defaults and validates it. The error, an *Error, lists every problem found.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	env := NewEnv(lookup)
	c := &Config{}

	c.DatabaseURL = env.Required("DATABASE_URL", "postgres://... of role postgres, direct or session mode")
	if c.DatabaseURL != "" {
		if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
			// pgx redacts the password in its parse errors.
			env.Problemf("DATABASE_URL: %v", err)
		}
	}
	c.DBConnectTimeout = env.Duration("DATABASE_CONNECT_TIMEOUT", DefaultDBConnectTimeout, time.Second, 5*time.Minute)

	c.HTTPAddr = env.String("HTTP_ADDR", DefaultHTTPAddr)
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || port == "" {
		env.Problemf("HTTP_ADDR=%q: must be host:port or :port", c.HTTPAddr)
	}
	c.LogLevel = slog.LevelInfo
	if v := env.String("LOG_LEVEL", ""); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			env.Problemf("LOG_LEVEL=%q: must be debug, info, warn or error", v)
		}
	}
	c.LogFormat = env.OneOf("LOG_FORMAT", "json", "json", "text")

	c.SupabaseURL = strings.TrimRight(env.String("SUPABASE_URL", ""), "/")
	if c.SupabaseURL != "" {
		if err := checkBaseURL(c.SupabaseURL); err != nil {
			env.Problemf("SUPABASE_URL=%q: %v", c.SupabaseURL, err)
		}
	}
	c.JWTSecret = env.String("SUPABASE_JWT_SECRET", "")
	if c.JWTSecret != "" && len(c.JWTSecret) < MinJWTSecretLength {
		env.Problemf("SUPABASE_JWT_SECRET is too short (%d characters, at least %d)", len(c.JWTSecret), MinJWTSecretLength)
	}
	if c.JWTSecret == "" && c.SupabaseURL == "" {
		env.Problemf("SUPABASE_JWT_SECRET or SUPABASE_URL is required to verify user tokens (HS256 secret, or JWKS for ES256/RS256)")
	}
	c.JWTIssuer = env.String("SUPABASE_JWT_ISSUER", "")

	c.TrustedProxies = env.Prefixes("TRUSTED_PROXIES")
	for _, o := range env.List("CORS_ALLOWED_ORIGINS") {
		origin, err := checkOrigin(o)
		if err != nil {
			env.Problemf("CORS_ALLOWED_ORIGINS: %q %v", o, err)
			continue
		}
		c.CORSAllowedOrigins = append(c.CORSAllowedOrigins, origin)
	}

	c.RateLimitPerMinute = env.Int("RATE_LIMIT_PER_MINUTE", DefaultRateLimitPerMinute, 1, 1_000_000)
	c.RateLimitBurst = env.Int("RATE_LIMIT_BURST", DefaultRateLimitBurst, 1, 1_000_000)
	c.BodyLimit = env.Bytes("BODY_LIMIT", DefaultBodyLimit, 1<<10, 1<<30)
	c.ShutdownTimeout = env.Duration("SHUTDOWN_TIMEOUT", DefaultShutdownTimeout, time.Second, 10*time.Minute)

	c.Gemini = loadGemini(env)
	c.Moderation = loadModeration(env)
	c.Chat = loadChat(env)
	c.Stripe = loadStripe(env)
	c.Unipile = loadUnipile(env)

	if err := env.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// JWKSURL is where Supabase Auth serves the project's public signing keys; "" without SupabaseURL.
func (c *Config) JWKSURL() string {
	if c.SupabaseURL == "" {
		return ""
	}
	return c.SupabaseURL + "/auth/v1/.well-known/jwks.json"
}

// Integrations lists the optional integrations, for the start-up log.
func (c *Config) Integrations() []Integration {
	return []Integration{c.Gemini.Integration, c.Stripe.Integration, c.Unipile.Integration}
}

// LogIntegrations writes one line per integration (enabled, or disabled and why).
func (c *Config) LogIntegrations(ctx context.Context, log *slog.Logger) {
	for _, in := range c.Integrations() {
		in.Log(ctx, log)
	}
}

// LogValue is the effective configuration without secrets: the database URL loses its password,
// secrets show only whether they are set.
func (c *Config) LogValue() slog.Value {
	proxies := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		proxies[i] = p.String()
	}
	return slog.GroupValue(
		slog.String("database", RedactURL(c.DatabaseURL)),
		slog.String("database_connect_timeout", c.DBConnectTimeout.String()),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
		slog.String("supabase_url", c.SupabaseURL),
		slog.String("jwks_url", c.JWKSURL()),
		slog.Bool("jwt_secret_set", c.JWTSecret != ""),
		slog.String("jwt_issuer", c.JWTIssuer),
		slog.Any("trusted_proxies", proxies),
		slog.Any("cors_allowed_origins", c.CORSAllowedOrigins),
		slog.Int("rate_limit_per_minute", c.RateLimitPerMinute),
		slog.Int("rate_limit_burst", c.RateLimitBurst),
		slog.Int64("body_limit", c.BodyLimit),
		slog.String("shutdown_timeout", c.ShutdownTimeout.String()),
		slog.Any("gemini", c.Gemini),
		slog.Any("moderation", c.Moderation),
		slog.Any("chat", c.Chat),
		slog.Any("stripe", c.Stripe),
		slog.Any("unipile", c.Unipile),
	)
}

// RedactURL returns a connection URL without its password (user, host, port, database and query
// keep their values), or "(unparseable)" when it is not a URL. Key=value connection strings keep only
// their host and dbname.
func RedactURL(raw string) string {
	if raw == "" {
		return ""
	}
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "(unparseable)"
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	var kept []string
	for _, kv := range strings.Fields(raw) {
		if k, _, _ := strings.Cut(kv, "="); k == "host" || k == "port" || k == "dbname" || k == "user" {
			kept = append(kept, kv)
		}
	}
	return strings.Join(kept, " ")
}

func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("must start with https:// (or http:// for a local stack)")
	}
	if u.Host == "" {
		return fmt.Errorf("has no host")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("must be a plain base URL (no user, query or fragment)")
	}
	return nil
}

// checkOrigin validates a browser origin (scheme://host[:port]) and returns it normalised.
func checkOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("is not an origin such as https://app.example.com")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("must be scheme://host[:port] only")
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}
