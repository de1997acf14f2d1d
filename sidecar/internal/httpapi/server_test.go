package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/zerobullshit/backend/sidecar/internal/auth"
	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

const (
	testSecret = "super-secret-jwt-token-with-at-least-32-characters-long"
	testUser   = "6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a21"
	otherUser  = "0d2c4b8a-1111-4a22-8b33-5c6d7e8f9a0b"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func testConfig() *config.Config {
	return &config.Config{
		HTTPAddr:           "127.0.0.1:0",
		JWTSecret:          testSecret,
		RateLimitPerMinute: 60,
		RateLimitBurst:     100,
		BodyLimit:          1024,
		ShutdownTimeout:    5 * time.Second,
	}
}

type testServer struct {
	*Server
	logs  *syncBuffer
	clock *clock
}

func newTestServer(t *testing.T, cfg *config.Config, deps Deps) *testServer {
	t.Helper()
	if cfg == nil {
		cfg = testConfig()
	}
	logs := &syncBuffer{}
	log, err := obs.NewLogger(logs, slog.LevelDebug, "json")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now()}
	if deps.Logger == nil {
		deps.Logger = log
	}
	deps.Now = clk.Now
	return &testServer{Server: New(cfg, deps), logs: logs, clock: clk}
}

// do sends one request through the handler. remote is the TCP peer ("" = httptest's default).
func (s *testServer) do(t *testing.T, method, target string, body io.Reader, hdr map[string]string, remote string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if remote != "" {
		req.RemoteAddr = remote
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func token(t *testing.T, uid string, mod func(jwt.MapClaims)) string {
	t.Helper()
	now := time.Now()
	c := jwt.MapClaims{
		"sub": uid, "aud": "authenticated", "role": "authenticated", "email": "founder@example.com",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "session_id": "0b1e6a43-7a0b-4b8e-9d55-54a0c6f1e7aa",
		"is_anonymous": false, "app_metadata": map[string]any{"provider": "email"},
	}
	if mod != nil {
		mod(c)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// errorBody decodes and checks an error response.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) Error {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var e Error
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("body %q is not JSON: %v", rec.Body, err)
	}
	if e.Code != code || e.Message == "" {
		t.Errorf("body = %s, want code %q and a message", rec.Body, code)
	}
	return e
}

func TestEchoErrorsAreJSON(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	wantError(t, s.do(t, "GET", "/nope", nil, nil, ""), 404, CodeNotFound)
	rec := s.do(t, "POST", "/healthz", nil, nil, "")
	wantError(t, rec, 405, CodeMethodNotAllowed)
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
		t.Errorf("405 without Allow header: %q", allow)
	}
	big := strings.NewReader(strings.Repeat("x", 2048))
	wantError(t, s.do(t, "POST", "/webhooks/anything", big, nil, ""), 413, CodePayloadTooLarge)

	rec = s.do(t, "HEAD", "/nope", nil, nil, "")
	if rec.Code != 404 || rec.Body.Len() != 0 {
		t.Errorf("HEAD 404: status %d, body %q", rec.Code, rec.Body)
	}
}

func TestHealthzAndRequestID(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	rec := s.do(t, "GET", "/healthz", nil, nil, "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"ok"`) {
		t.Fatalf("healthz = %d %s", rec.Code, rec.Body)
	}
	generated := rec.Header().Get("X-Request-Id")
	if len(generated) != 32 {
		t.Errorf("generated request id %q, want 32 hex characters", generated)
	}
	if again := s.do(t, "GET", "/healthz", nil, nil, "").Header().Get("X-Request-Id"); again == generated {
		t.Error("two requests got the same generated id")
	}

	tests := []struct {
		in   string
		keep bool
	}{
		{"abc-123_X.y:z", true},
		{"6f1c1a9e-2b7d-4c11-9a53-0d3f5e7b8a21", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"has space", false},
		{"new\nline", false},
		{`quote"`, false},
		{"é", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header["X-Request-Id"] = []string{tt.in}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		got := rec.Header().Get("X-Request-Id")
		if (got == tt.in) != tt.keep || got == "" {
			t.Errorf("incoming %q -> %q, keep=%v", tt.in, got, tt.keep)
		}
	}
}

func TestSecureHeadersAndScheme(t *testing.T) {
	cfg := testConfig()
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	s := newTestServer(t, cfg, Deps{})
	fwd := map[string]string{"X-Forwarded-Proto": "https"}

	rec := s.do(t, "GET", "/healthz", nil, nil, "10.1.1.1:5555")
	for k, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain http")
	}
	if rec := s.do(t, "GET", "/healthz", nil, fwd, "10.1.1.1:5555"); rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a trusted TLS proxy")
	}
	if rec := s.do(t, "GET", "/healthz", nil, fwd, "203.0.113.5:5555"); rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted client chose the scheme with X-Forwarded-Proto")
	}
	// Private networks are not trusted unless listed.
	if rec := s.do(t, "GET", "/healthz", nil, fwd, "192.168.0.9:5555"); rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("an unlisted private peer chose the scheme")
	}
}

func TestRealIPCannotBeSpoofed(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		peer    string
		xff     string
		want    string
	}{
		{"no proxies: header ignored", nil, "198.51.100.7:1", "1.2.3.4", "198.51.100.7"},
		{"no proxies: loopback peer still direct", nil, "127.0.0.1:1", "1.2.3.4", "127.0.0.1"},
		{"trusted proxy appends client", []string{"10.0.0.0/8"}, "10.0.0.2:1", "1.2.3.4, 203.0.113.9", "203.0.113.9"},
		{"chain of trusted proxies", []string{"10.0.0.0/8"}, "10.0.0.2:1", "203.0.113.9, 10.0.0.7", "203.0.113.9"},
		{"untrusted peer", []string{"10.0.0.0/8"}, "198.51.100.7:1", "1.2.3.4", "198.51.100.7"},
		{"private peer not listed", []string{"10.0.0.0/8"}, "192.168.1.1:1", "1.2.3.4", "192.168.1.1"},
		{"loopback not listed", []string{"10.0.0.0/8"}, "127.0.0.1:1", "1.2.3.4", "127.0.0.1"},
		{"garbage in chain", []string{"10.0.0.0/8"}, "10.0.0.2:1", "1.2.3.4, nonsense", "10.0.0.2"},
		{"single trusted address", []string{"203.0.113.1/32"}, "203.0.113.1:1", "198.51.100.20", "198.51.100.20"},
		{"ipv6 proxy", []string{"2001:db8::/32"}, "[2001:db8::1]:1", "198.51.100.21", "198.51.100.21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			for _, p := range tt.trusted {
				cfg.TrustedProxies = append(cfg.TrustedProxies, netip.MustParsePrefix(p))
			}
			s := newTestServer(t, cfg, Deps{})
			s.Echo().GET("/ip", func(c echo.Context) error { return c.String(200, c.RealIP()) })
			rec := s.do(t, "GET", "/ip", nil, map[string]string{"X-Forwarded-For": tt.xff, "X-Real-Ip": "6.6.6.6"}, tt.peer)
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("RealIP = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPanicRecovery(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	s.Echo().GET("/boom", func(c echo.Context) error { panic("secret internals: password=hunter2") })
	rec := s.do(t, "GET", "/boom", nil, map[string]string{"X-Request-Id": "req-panic-1"}, "")
	e := wantError(t, rec, 500, CodeInternal)
	if strings.Contains(rec.Body.String(), "hunter2") || e.Message != "internal error" {
		t.Errorf("500 body leaks internals: %s", rec.Body)
	}
	if rec.Header().Get("X-Request-Id") != "req-panic-1" {
		t.Error("request id lost on panic")
	}
	logs := s.logs.String()
	for _, want := range []string{`"msg":"panic in handler"`, `"request_id":"req-panic-1"`, "hunter2", `"stack":"goroutine`, `"msg":"http request"`, `"status":500`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	if rec := s.do(t, "GET", "/healthz", nil, nil, ""); rec.Code != 200 {
		t.Errorf("server broken after a panic: %d", rec.Code)
	}
}

func TestHandlerErrorMapping(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	errs := map[string]error{
		"/p0001":    &pgconn.PgError{Code: "P0001", Message: "project name is required", Hint: "give it a name"},
		"/42501":    fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "42501", Message: "not your project"}),
		"/pt402":    &pgconn.PgError{Code: "PT402", Message: "not enough credits"},
		"/pt404":    &pgconn.PgError{Code: "PT404", Message: "no such campaign"},
		"/pt500":    &pgconn.PgError{Code: "PT500", Message: "internal detail"},
		"/unique":   &pgconn.PgError{Code: "23505", Message: `duplicate key value violates unique constraint "secret_idx"`},
		"/other-pg": &pgconn.PgError{Code: "42P01", Message: `relation "internal_table" does not exist`},
		"/plain":    errors.New("dial tcp 10.0.0.5:5432: connection refused"),
		"/echo500":  echo.NewHTTPError(500, "stack trace here"),
		"/echo400":  echo.NewHTTPError(400, "Syntax error: offset=3"),
		"/api":      &Error{Status: 422, Code: CodeUnprocessable, Message: "stage must be one of idea, seed"},
		"/timeout":  fmt.Errorf("query: %w", context.DeadlineExceeded),
	}
	for path, err := range errs {
		s.Echo().GET(path, func(c echo.Context) error { return err })
	}
	tests := []struct {
		path    string
		status  int
		code    string
		message string
		hint    string
	}{
		{"/p0001", 400, CodeBadRequest, "project name is required", "give it a name"},
		{"/42501", 403, CodeForbidden, "not your project", ""},
		{"/pt402", 402, CodePaymentRequired, "not enough credits", ""},
		{"/pt404", 404, CodeNotFound, "no such campaign", ""},
		{"/pt500", 500, CodeInternal, "internal error", ""},
		{"/unique", 409, CodeConflict, "already exists", ""},
		{"/other-pg", 500, CodeInternal, "internal error", ""},
		{"/plain", 500, CodeInternal, "internal error", ""},
		{"/echo500", 500, CodeInternal, "internal server error", ""},
		{"/echo400", 400, CodeBadRequest, "Syntax error: offset=3", ""},
		{"/api", 422, CodeUnprocessable, "stage must be one of idea, seed", ""},
		{"/timeout", 504, CodeTimeout, "the request took too long", ""},
	}
	for _, tt := range tests {
		rec := s.do(t, "GET", tt.path, nil, nil, "")
		e := wantError(t, rec, tt.status, tt.code)
		if e.Message != tt.message || e.Hint != tt.hint {
			t.Errorf("%s: body %s, want message %q hint %q", tt.path, rec.Body, tt.message, tt.hint)
		}
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "connection refused") || !strings.Contains(logs, "internal_table") {
		t.Error("internal errors were not logged")
	}
}

func TestClientClosedRequest(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	s.Echo().GET("/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/slow", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != StatusClientClosedRequest {
		t.Errorf("status = %d, want 499", rec.Code)
	}
	if strings.Contains(s.logs.String(), `"level":"ERROR"`) {
		t.Error("a client going away was logged as an error")
	}
}

// fakeVerifier refuses with a fixed reason or accepts with fixed claims.
type fakeVerifier struct {
	reason string
	claims *auth.Claims
}

func (f fakeVerifier) Verify(context.Context, string) (*auth.Claims, error) {
	if f.reason != "" {
		return nil, &auth.Error{Reason: f.reason}
	}
	return f.claims, nil
}

func TestV1RequiresUserToken(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	s.V1().GET("/ping", func(c echo.Context) error {
		cl, _ := ClaimsFrom(c)
		return c.String(200, cl.UserID)
	})
	tests := []struct {
		name    string
		hdr     map[string]string
		status  int
		message string
	}{
		{"no header", nil, 401, "missing bearer token"},
		{"basic auth", map[string]string{"Authorization": "Basic dTpw"}, 401, "missing bearer token"},
		{"garbage", bearer("abc"), 401, "invalid token"},
		{"expired", bearer(token(t, testUser, func(c jwt.MapClaims) {
			c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
			c["exp"] = time.Now().Add(-time.Hour).Unix()
		})), 401, "token expired"},
		{"anon key", bearer(token(t, testUser, func(c jwt.MapClaims) { c["role"] = "anon" })), 401, "invalid token"},
		{"service_role key", bearer(token(t, testUser, func(c jwt.MapClaims) { c["role"] = "service_role" })), 401, "invalid token"},
		{"wrong aud", bearer(token(t, testUser, func(c jwt.MapClaims) { c["aud"] = "other" })), 401, "invalid token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.do(t, "GET", "/v1/ping", nil, tt.hdr, "")
			e := wantError(t, rec, tt.status, CodeUnauthorized)
			if e.Message != tt.message {
				t.Errorf("message = %q, want %q", e.Message, tt.message)
			}
			if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
	// An unknown /v1 path needs a token too: it does not reveal which routes exist.
	wantError(t, s.do(t, "GET", "/v1/nothing-here", nil, nil, ""), 401, CodeUnauthorized)

	rec := s.do(t, "GET", "/v1/ping", nil, bearer(token(t, strings.ToUpper(testUser), nil)), "")
	if rec.Code != 200 || rec.Body.String() != testUser {
		t.Fatalf("valid token: %d %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("/v1 response cacheable")
	}
	if !strings.Contains(s.logs.String(), `"user_id":"`+testUser+`"`) {
		t.Error("access log line lacks the user id")
	}
	wantError(t, s.do(t, "GET", "/v1/nothing-here", nil, bearer(token(t, testUser, nil)), ""), 404, CodeNotFound)
	// No database: /v1/me is unavailable, not a crash.
	wantError(t, s.do(t, "GET", "/v1/me", nil, bearer(token(t, testUser, nil)), ""), 503, CodeUnavailable)
}

func TestV1KeysUnavailableIs503(t *testing.T) {
	s := newTestServer(t, nil, Deps{Verifier: fakeVerifier{reason: auth.ReasonKeysUnavailable}})
	wantError(t, s.do(t, "GET", "/v1/me", nil, bearer("x.y.z"), ""), 503, CodeUnavailable)
}

func TestRateLimitPerUser(t *testing.T) {
	cfg := testConfig()
	cfg.RateLimitPerMinute = 6 // one token every 10 s
	cfg.RateLimitBurst = 3
	s := newTestServer(t, cfg, Deps{})
	s.V1().GET("/ping", func(c echo.Context) error { return c.NoContent(204) })
	alice, bob := bearer(token(t, testUser, nil)), bearer(token(t, otherUser, nil))

	for i := range 3 {
		if rec := s.do(t, "GET", "/v1/ping", nil, alice, ""); rec.Code != 204 {
			t.Fatalf("request %d within the burst: %d", i+1, rec.Code)
		}
	}
	rec := s.do(t, "GET", "/v1/ping", nil, alice, "")
	wantError(t, rec, 429, CodeRateLimited)
	if ra := rec.Header().Get("Retry-After"); ra != "10" {
		t.Errorf("Retry-After = %q, want 10", ra)
	}
	if rec := s.do(t, "GET", "/v1/ping", nil, bob, ""); rec.Code != 204 {
		t.Errorf("another user was limited too: %d", rec.Code)
	}
	// Changing IP or spoofing X-Forwarded-For does not help: the key is the user.
	wantError(t, s.do(t, "GET", "/v1/ping", nil, map[string]string{"Authorization": alice["Authorization"], "X-Forwarded-For": "9.9.9.9"}, "198.51.100.1:1"), 429, CodeRateLimited)

	s.clock.Advance(10 * time.Second)
	if rec := s.do(t, "GET", "/v1/ping", nil, alice, ""); rec.Code != 204 {
		t.Errorf("after refill: %d", rec.Code)
	}
	wantError(t, s.do(t, "GET", "/v1/ping", nil, alice, ""), 429, CodeRateLimited)
	// Unauthenticated requests are refused before they reach the limiter.
	wantError(t, s.do(t, "GET", "/v1/ping", nil, nil, ""), 401, CodeUnauthorized)
}

func TestLimiterRefillAndSweep(t *testing.T) {
	clk := &clock{now: time.Unix(1_000_000, 0)}
	l := newLimiter(60, 2, clk.Now)
	for _, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a"); ok != want {
			t.Fatalf("allow = %v, want %v", ok, want)
		}
	}
	_, wait := l.allow("a")
	if wait != time.Second {
		t.Errorf("wait = %s, want 1s", wait)
	}
	clk.Advance(500 * time.Millisecond)
	if _, wait := l.allow("a"); wait != 500*time.Millisecond {
		t.Errorf("wait after half a refill = %s", wait)
	}
	l.allow("b")
	if l.size() != 2 {
		t.Fatalf("size = %d", l.size())
	}
	// After a minute every bucket is full again: the sweep drops them.
	clk.Advance(time.Minute)
	l.allow("c")
	if n := l.size(); n != 1 {
		t.Errorf("after the sweep %d buckets remain, want 1 (c)", n)
	}
}

func TestRawBodyAfterBodyLimit(t *testing.T) {
	s := newTestServer(t, nil, Deps{}) // limit 1024 bytes
	type seen struct {
		raw   []byte
		again []byte
		bound map[string]any
	}
	var got seen
	s.Webhooks().POST("/test", func(c echo.Context) error {
		raw, err := RawBody(c)
		if err != nil {
			return err
		}
		again, err := RawBody(c)
		if err != nil {
			return err
		}
		got = seen{raw: raw, again: again}
		if strings.HasPrefix(c.Request().Header.Get("Content-Type"), "application/json") {
			if err := c.Bind(&got.bound); err != nil {
				return err
			}
		}
		return c.NoContent(200)
	})

	payloads := [][]byte{
		[]byte("{\"id\": \"evt_1\",  \"amount\":1.50 ,\r\n\"x\":\"\\u00e9\"}\n"),
		append([]byte("not json \x00\xff\xfe "), bytes.Repeat([]byte("z"), 1000)...), // 1024 bytes exactly
		{},
	}
	for i, p := range payloads {
		req := httptest.NewRequest("POST", "/webhooks/test", bytes.NewReader(p))
		if i == 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("payload %d: %d %s", i, rec.Code, rec.Body)
		}
		if !bytes.Equal(got.raw, p) || !bytes.Equal(got.again, p) {
			t.Errorf("payload %d: raw body %q, want %q", i, got.raw, p)
		}
		if i == 0 && got.bound["id"] != "evt_1" {
			t.Errorf("Bind after RawBody: %v", got.bound)
		}
	}

	// Over the limit without Content-Length (chunked): refused while reading.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(bytes.Repeat([]byte("y"), 1025))
		_ = pw.Close()
	}()
	req := httptest.NewRequest("POST", "/webhooks/test", pr)
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	wantError(t, rec, 413, CodePayloadTooLarge)

	// Over the limit with Content-Length: refused before the handler.
	got = seen{}
	wantError(t, s.do(t, "POST", "/webhooks/test", bytes.NewReader(make([]byte, 1025)), nil, ""), 413, CodePayloadTooLarge)
	if got.raw != nil {
		t.Error("handler ran for an oversized body")
	}
}

func TestBindOverLimitIs413(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	s.Webhooks().POST("/bind", func(c echo.Context) error {
		var v map[string]any
		return c.Bind(&v)
	})
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(`{"a":"` + strings.Repeat("y", 2000) + `"}`))
		_ = pw.Close()
	}()
	req := httptest.NewRequest("POST", "/webhooks/bind", pr)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	wantError(t, rec, 413, CodePayloadTooLarge)
}

func TestMetricsEndpoint(t *testing.T) {
	m := obs.NewMetrics()
	s := newTestServer(t, nil, Deps{Metrics: m})
	s.do(t, "GET", "/healthz", nil, nil, "")
	s.do(t, "GET", "/healthz", nil, nil, "")
	s.do(t, "GET", "/no/such/path/12345", nil, nil, "")
	s.do(t, "BREW", "/healthz", nil, nil, "")
	rec := s.do(t, "GET", "/metrics", nil, nil, "")
	if rec.Code != 200 {
		t.Fatalf("/metrics = %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`zb_http_requests_total{method="GET",route="/healthz",status="200"} 2`,
		`zb_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`zb_http_requests_total{method="OTHER",route="/healthz",status="405"} 1`,
		`zb_http_request_duration_seconds_count{method="GET",route="/healthz"} 2`,
		"zb_http_requests_in_flight 1", // the /metrics request itself
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "12345") {
		t.Error("a raw path leaked into metric labels")
	}
}

func TestCORS(t *testing.T) {
	cfg := testConfig()
	cfg.CORSAllowedOrigins = []string{"https://app.example.com"}
	s := newTestServer(t, cfg, Deps{})
	pre := func(origin string) *httptest.ResponseRecorder {
		return s.do(t, "OPTIONS", "/v1/me", nil, map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization",
		}, "")
	}
	rec := pre("https://app.example.com")
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("allowed origin preflight: %d, ACAO %q", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	if rec := pre("https://evil.example.com"); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("disallowed origin got ACAO %q", rec.Header().Get("Access-Control-Allow-Origin"))
	}
	// Without CORS_ALLOWED_ORIGINS no CORS headers at all.
	s2 := newTestServer(t, nil, Deps{})
	rec = s2.do(t, "GET", "/healthz", nil, map[string]string{"Origin": "https://app.example.com"}, "")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS headers without configured origins")
	}
}

func TestReadyzWithoutDatabase(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	e := wantError(t, s.do(t, "GET", "/readyz", nil, nil, ""), 503, CodeUnavailable)
	if e.Message != "no database configured" {
		t.Errorf("message = %q", e.Message)
	}

	// A pool whose server is not there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s = newTestServer(t, nil, Deps{DB: pool})
	e = wantError(t, s.do(t, "GET", "/readyz", nil, nil, ""), 503, CodeUnavailable)
	if e.Message != "database unreachable" {
		t.Errorf("message = %q", e.Message)
	}
	if strings.Contains(e.Message, addr) {
		t.Error("readyz leaks the database address")
	}
}

func TestGracefulShutdown(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	started, release := make(chan struct{}), make(chan struct{})
	s.Echo().GET("/slow", func(c echo.Context) error {
		close(started)
		<-release
		return c.String(200, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	type result struct {
		body string
		err  error
	}
	inflight := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			inflight <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		inflight <- result{string(b), err}
	}()
	<-started

	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	// Shutdown waits for the in-flight request; new connections are refused.
	deadline := time.Now().Add(2 * time.Second)
	for {
		_, err := http.Get(base + "/healthz")
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("new requests still accepted during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned before the in-flight request finished: %v", err)
	default:
	}
	if rec := s.do(t, "GET", "/readyz", nil, nil, ""); rec.Code != 503 || !strings.Contains(rec.Body.String(), "shutting down") {
		t.Errorf("readyz while draining: %d %s", rec.Code, rec.Body)
	}
	close(release)
	if r := <-inflight; r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestShutdownTimeoutCutsRequests(t *testing.T) {
	s := newTestServer(t, nil, Deps{})
	started := make(chan struct{})
	s.Echo().GET("/stuck", func(c echo.Context) error {
		close(started)
		select {
		case <-c.Request().Context().Done():
		case <-time.After(10 * time.Second):
		}
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(ln) }()
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/stuck")
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Shutdown(ctx)
	if err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Shutdown = %v, want a cut-off error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown took %s despite its deadline", d)
	}
}

func TestVersionHelpers(t *testing.T) {
	less := []struct {
		a, b string
		want bool
	}{
		{"20261125100000", "20261125110000", true},
		{"20261125110000", "20261125100000", false},
		{"20261125110000", "20261125110000", false},
		{"999", "20260101000000", true},
		{"020261125110000", "20261125110000", false},
	}
	for _, tt := range less {
		if got := VersionLess(tt.a, tt.b); got != tt.want {
			t.Errorf("VersionLess(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
	got := LatestMigrationVersion(
		"migrations/20261125100000_vocabularies.sql",
		"supabase/migrations/20261125110000_investor_search.sql",
		"20261125100200_accounts.sql",
		"README.md", "seed.sql", "abc_def.sql", "20991231000000_draft.sql.bak",
	)
	if got != "20261125110000" {
		t.Errorf("LatestMigrationVersion = %q", got)
	}
	if LatestMigrationVersion() != "" {
		t.Error("no names should give \"\"")
	}
}
