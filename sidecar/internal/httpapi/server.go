// Package httpapi is the sidecar's HTTP server (echo v4.16.0): the middleware every request passes
// through, JSON errors with a stable code vocabulary, health and readiness probes, Prometheus metrics,
// and the authenticated /v1 API.
//
// Routes and what guards them:
//
//	GET /healthz       the process is alive (no dependencies checked)
//	GET /readyz        database reachable and migrations applied (Deps.MigrationVersion); 503 while draining
//	GET /metrics       Prometheus exposition (restrict it at the ingress)
//	/v1/*              Supabase user JWT required (claims in the context, see auth.FromContext), then a
//	                   per-user token-bucket rate limit; responses are Cache-Control: no-store
//	GET /v1/me         the caller's user id and credit status
//	/webhooks/*        nothing but the global middleware: verify the provider's signature on RawBody
//
// Later issues add routes before serving: server.V1().POST("/billing/checkout", h) for user actions,
// server.Webhooks().POST("/stripe", h) for webhooks.
//
// Global middleware, outermost first: request id, access log + metrics, panic recovery, secure headers,
// CORS (when CORS_ALLOWED_ORIGINS is set), body limit. The client address (c.RealIP) and scheme
// (c.Scheme) come from X-Forwarded-For / X-Forwarded-Proto only when the TCP peer is in
// TRUSTED_PROXIES; otherwise the peer itself is the client, so neither can be spoofed.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/zerobullshit/backend/sidecar/internal/auth"
	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// HTTP server timeouts. Chat answers stream over Supabase Realtime, not over this server, so requests
// are short.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

// DB is what the server needs from the database; *pgxpool.Pool satisfies it.
type DB interface {
	Ping(ctx context.Context) error
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// TokenVerifier verifies a user's access token; *auth.Verifier satisfies it.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (*auth.Claims, error)
}

// Deps are the server's collaborators.
type Deps struct {
	// DB is the pool (role postgres). Nil: /readyz and /v1/me answer 503.
	DB DB
	// Verifier checks user tokens. Nil: one is built from the config (secret and/or JWKS URL); New
	// panics if the config has neither (config.Load refuses such a config).
	Verifier TokenVerifier
	// Logger (default: discard).
	Logger *slog.Logger
	// Metrics (default: a fresh registry).
	Metrics *obs.Metrics
	// MigrationVersion is the newest migration this build needs (e.g. "20261125110000"): /readyz fails
	// until max(version) in supabase_migrations.schema_migrations reaches it. Empty: /readyz only checks
	// that some migration is applied. LatestMigrationVersion computes it from migration file names.
	MigrationVersion string
	// Now is the clock of the rate limiter (default time.Now).
	Now func() time.Time
}

// Server is the HTTP server. Register extra routes (V1, Webhooks, Echo) before Serve.
type Server struct {
	cfg       *config.Config
	echo      *echo.Echo
	v1        *echo.Group
	webhooks  *echo.Group
	http      *http.Server
	log       *slog.Logger
	metrics   *obs.Metrics
	db        DB
	verifier  TokenVerifier
	limiter   *limiter
	migration string
	draining  atomic.Bool
}

// New builds the server: middleware, error handler and routes. It does not listen; call Serve.
func New(cfg *config.Config, deps Deps) *Server {
	s := &Server{
		cfg:       cfg,
		log:       deps.Logger,
		metrics:   deps.Metrics,
		db:        deps.DB,
		verifier:  deps.Verifier,
		migration: deps.MigrationVersion,
		limiter:   newLimiter(cfg.RateLimitPerMinute, cfg.RateLimitBurst, deps.Now),
	}
	if s.log == nil {
		s.log = obs.Discard()
	}
	if s.metrics == nil {
		s.metrics = obs.NewMetrics()
	}
	if s.verifier == nil {
		v, err := auth.NewVerifier(auth.Options{
			Secret: cfg.JWTSecret, JWKSURL: cfg.JWKSURL(), Issuer: cfg.JWTIssuer, Logger: s.log,
		})
		if err != nil {
			panic(fmt.Sprintf("httpapi.New: %v", err))
		}
		s.verifier = v
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor, e.SchemeExtractor = proxyTrust(cfg.TrustedProxies)
	s.echo = e

	e.Use(s.requestID, s.observe, s.recoverPanics, secureHeaders)
	if len(cfg.CORSAllowedOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  cfg.CORSAllowedOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, echo.HeaderXRequestID},
			ExposeHeaders: []string{echo.HeaderXRequestID, "Retry-After"},
			MaxAge:        600,
		}))
	}
	e.Use(s.limitBody)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(s.metrics.Handler()))

	s.v1 = e.Group("/v1", s.authenticate, s.rateLimit)
	s.v1.GET("/me", s.me)
	s.webhooks = e.Group("/webhooks")

	s.http = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s
}

// proxyTrust returns the client-address and scheme extractors for the trusted proxy ranges. Without
// any, forwarding headers are ignored. With some, only peers in those ranges are believed: echo's
// default trust of loopback and private networks is switched off.
func proxyTrust(proxies []netip.Prefix) (echo.IPExtractor, echo.SchemeExtractor) {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect(), echo.ExtractSchemeDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{
			IP:   net.IP(p.Addr().AsSlice()),
			Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen()),
		}))
	}
	return echo.ExtractIPFromXFFHeader(opts...), echo.ExtractSchemeFromHeaders(opts...)
}

// Handler is the server's http.Handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.echo }

// Echo is the underlying echo instance, to register routes outside /v1 and /webhooks.
func (s *Server) Echo() *echo.Echo { return s.echo }

// V1 is the authenticated, rate-limited group: handlers find the caller with ClaimsFrom(c).
func (s *Server) V1() *echo.Group { return s.v1 }

// Webhooks is the /webhooks group: no user auth and no per-user rate limit. Handlers must read the
// body with RawBody and verify the provider's signature before trusting anything.
func (s *Server) Webhooks() *echo.Group { return s.webhooks }

// Serve answers requests on ln until Shutdown. It returns nil after a graceful shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}

// Shutdown makes /readyz fail, stops accepting connections and waits for in-flight requests until ctx
// ends; then it closes the remaining connections and returns an error saying so.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
		return fmt.Errorf("http shutdown: in-flight requests cut off: %w", err)
	}
	return nil
}

// ClaimsFrom returns the verified claims of the caller of a /v1 handler.
func ClaimsFrom(c echo.Context) (*auth.Claims, bool) {
	return auth.FromContext(c.Request().Context())
}
