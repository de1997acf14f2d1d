package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zerobullshit/backend/sidecar/internal/auth"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// maxRequestIDLen bounds an incoming X-Request-Id that is reused.
const maxRequestIDLen = 64

// validRequestID accepts 1-64 characters of [A-Za-z0-9._:-]: enough for UUIDs, trace ids and the ids
// proxies generate, and nothing that could forge log structure.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestID reuses a sane incoming X-Request-Id or makes one, returns it in the response and puts it in
// the request context (every log line of the request carries it).
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		c.SetRequest(req.WithContext(obs.WithRequestID(req.Context(), id)))
		return next(c)
	}
}

// probeRoutes are logged at debug level when they succeed (orchestrators poll them constantly).
var probeRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// knownMethods bounds the method label of the metrics.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// observe writes the access log line and the HTTP metrics. It renders handler errors itself (through
// the error handler) so that it sees the final status.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		s.metrics.HTTPInFlight.Inc()
		defer s.metrics.HTTPInFlight.Dec()

		if err := next(c); err != nil {
			c.Error(err)
		}

		req, res := c.Request(), c.Response()
		elapsed := time.Since(start)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := req.Method
		if !knownMethods[method] {
			method = "OTHER"
		}
		s.metrics.HTTPRequests.WithLabelValues(method, route, strconv.Itoa(res.Status)).Inc()
		s.metrics.HTTPDuration.WithLabelValues(method, route).Observe(elapsed.Seconds())

		level := slog.LevelInfo
		switch {
		case res.Status >= 500:
			level = slog.LevelError
		case res.Status < 400 && probeRoutes[route]:
			level = slog.LevelDebug
		}
		// The context after the handler: it carries the user id once authenticated.
		s.log.Log(req.Context(), level, "http request",
			"method", req.Method,
			"route", route,
			"path", req.URL.Path,
			"status", res.Status,
			"duration_ms", float64(elapsed.Microseconds())/1000,
			"bytes_in", req.ContentLength,
			"bytes_out", res.Size,
			"client_ip", c.RealIP(),
			"user_agent", req.UserAgent(),
		)
		return nil
	}
}

// recoverPanics turns a panic into a logged stack trace and a 500 {"code":"internal"} response.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.ErrorContext(c.Request().Context(), "panic in handler",
				"panic", fmt.Sprint(r), "route", c.Path(), "stack", string(debug.Stack()))
			err = errInternal
		}()
		return next(c)
	}
}

// secureHeaders sets the headers an API should send. HSTS only over HTTPS (as seen by c.Scheme, which
// trusts X-Forwarded-Proto only from TRUSTED_PROXIES).
func secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if c.Scheme() == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// limitBody refuses bodies larger than BODY_LIMIT: at once when Content-Length says so, and while
// reading otherwise (the read fails with *http.MaxBytesError, answered as 413).
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	limit := s.cfg.BodyLimit
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > limit {
			return errPayloadTooLarge
		}
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		}
		return next(c)
	}
}

// authenticate requires a valid Supabase user token and puts its claims (auth.NewContext) and the user
// id (for logs) in the request context.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		req := c.Request()
		ctx := req.Context()
		token, ok := auth.BearerToken(req.Header.Get(echo.HeaderAuthorization))
		if !ok {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="0bullshit"`)
			return Unauthorized("missing bearer token")
		}
		claims, err := s.verifier.Verify(ctx, token)
		if err != nil {
			reason := auth.ReasonOf(err)
			if reason == auth.ReasonKeysUnavailable {
				s.log.ErrorContext(ctx, "cannot verify user tokens: signing keys unavailable", "error", err)
				return Unavailable("cannot verify tokens right now, retry shortly")
			}
			s.log.InfoContext(ctx, "token refused", "reason", reason, "error", err)
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="0bullshit", error="invalid_token"`)
			if reason == auth.ReasonExpired {
				return Unauthorized("token expired")
			}
			return Unauthorized("invalid token")
		}
		ctx = obs.WithUserID(auth.NewContext(ctx, claims), claims.UserID)
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}

// rateLimit applies the per-user token bucket (after authenticate). Over the limit: 429
// {"code":"rate_limited"} with Retry-After in seconds.
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		claims, ok := ClaimsFrom(c)
		if !ok {
			return errInternal // authenticate did not run: a routing mistake
		}
		if ok, wait := s.limiter.allow(claims.UserID); !ok {
			e := NewError(http.StatusTooManyRequests, "too many requests, slow down")
			e.RetryAfter = max(1, int(math.Ceil(wait.Seconds())))
			return e
		}
		return next(c)
	}
}
