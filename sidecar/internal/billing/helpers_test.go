package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.DiscardHandler)

const (
	testJWTSecret     = "super-secret-jwt-token-with-at-least-32-characters-long"
	testWebhookSecret = "whsec_test_secret"
)

// --- stripe-mock ------------------------------------------------------------------------------------

var stripeMock struct {
	once sync.Once
	url  string
	err  error
}

// stripeMockURL starts stripe-mock once per test process (HTTP on a free loopback port; HTTPS on another
// loopback port so it never listens on all interfaces) and returns its HTTP base URL. The test fails
// when stripe-mock is not installed: `make stripe-mock` installs it into .local/bin.
func stripeMockURL(t testing.TB) string {
	t.Helper()
	stripeMock.once.Do(func() { stripeMock.url, stripeMock.err = startStripeMock() })
	if stripeMock.err != nil {
		t.Fatalf("stripe-mock: %v", stripeMock.err)
	}
	return stripeMock.url
}

func findStripeMock() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, ".local", "bin", "stripe-mock")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("not found on PATH nor in .local/bin: run `make stripe-mock` (go install github.com/stripe/stripe-mock@v0.203.0)")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startStripeMock() (string, error) {
	bin, err := findStripeMock()
	if err != nil {
		return "", err
	}
	for attempt := 0; attempt < 3; attempt++ {
		hp, err1 := freePort()
		sp, err2 := freePort()
		if err1 != nil || err2 != nil {
			return "", fmt.Errorf("picking ports: %v %v", err1, err2)
		}
		cmd := exec.Command(bin, "-http-addr", fmt.Sprintf("127.0.0.1:%d", hp), "-https-addr", fmt.Sprintf("127.0.0.1:%d", sp))
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the test process
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return "", fmt.Errorf("starting %s: %w", bin, err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-exited:
				deadline = time.Time{}
				continue
			default:
			}
			if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", hp), 200*time.Millisecond); err == nil {
				c.Close()
				return fmt.Sprintf("http://127.0.0.1:%d", hp), nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = cmd.Process.Kill()
		if attempt == 2 {
			return "", fmt.Errorf("did not start listening: %s", out.String())
		}
	}
	return "", fmt.Errorf("could not start")
}

// recorder is an http.RoundTripper that records the Stripe API calls (method, path, form, idempotency key).
type recorder struct {
	mu    sync.Mutex
	calls []stripeCall
}

type stripeCall struct {
	Method, Path, IdempotencyKey, StripeVersion string
	Form                                        url.Values
	Status                                      int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, _ := url.ParseQuery(string(body))
	resp, err := http.DefaultTransport.RoundTrip(req)
	c := stripeCall{Method: req.Method, Path: req.URL.Path, IdempotencyKey: req.Header.Get("Idempotency-Key"),
		StripeVersion: req.Header.Get("Stripe-Version"), Form: form}
	if resp != nil {
		c.Status = resp.StatusCode
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) find(method, path string) []stripeCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []stripeCall
	for _, c := range r.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// --- an HTTP server with the billing routes -----------------------------------------------------------

type env struct {
	db   *pgtest.DB
	srv  *httptest.Server
	rec  *recorder
	cfg  config.StripeConfig
	proc *Processor
}

func stripeConfig(apiBase string) config.StripeConfig {
	return config.StripeConfig{
		Integration:      config.Integration{Name: "stripe", Enabled: true},
		SecretKey:        "sk_test_123",
		WebhookSecret:    testWebhookSecret,
		APIBase:          apiBase,
		SuccessURL:       "https://app.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:        "https://app.example.com/billing/cancel",
		PortalReturnURL:  "https://app.example.com/account",
		Timeout:          10 * time.Second,
		MaxRetries:       0,
		WebhookTolerance: 5 * time.Minute,
	}
}

// newEnv gives the test a database with prices configured, a billing HTTP server (stripe-mock behind it
// when withStripe) and a processor.
func newEnv(t testing.TB, withStripe bool) *env {
	t.Helper()
	db := pgtest.New(t)
	db.Exec(t, `update public.plans set stripe_price_id = 'price_' || id where price_cents > 0`)
	db.Exec(t, `update public.credit_packs set stripe_price_id = 'price_pack_' || id`)
	e := &env{db: db, rec: &recorder{}}
	apiBase := ""
	if withStripe {
		apiBase = stripeMockURL(t)
	}
	e.cfg = stripeConfig(apiBase)
	var svc *Service
	if withStripe {
		svc = NewService(db.Pool, NewStripeClient(e.cfg, &http.Client{Transport: e.rec, Timeout: 10 * time.Second}), e.cfg, quiet)
	}
	e.srv = serve(t, db.Pool, svc)
	e.proc = NewProcessor(db.Pool, ProcessorOptions{Workers: 2, PollInterval: 50 * time.Millisecond, MaxAttempts: 3, Logger: quiet})
	return e
}

// serve starts the sidecar's HTTP server with the billing routes on pool.
func serve(t testing.TB, pool *pgxpool.Pool, svc *Service) *httptest.Server {
	hs := httpapi.New(&config.Config{
		HTTPAddr: "127.0.0.1:0", JWTSecret: testJWTSecret, RateLimitPerMinute: 6000, RateLimitBurst: 1000,
		BodyLimit: 1 << 20, ShutdownTimeout: 5 * time.Second,
	}, httpapi.Deps{DB: pool})
	rcv := NewReceiver(pool, testWebhookSecret, 5*time.Minute, quiet)
	Routes(hs.V1(), hs.Webhooks(), pool, svc, rcv, quiet)
	srv := httptest.NewServer(hs.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func userToken(t testing.TB, uid string) string {
	t.Helper()
	now := time.Now()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": uid, "aud": "authenticated", "role": "authenticated", "email": "founder@example.com",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "session_id": "0b1e6a43-7a0b-4b8e-9d55-54a0c6f1e7aa",
		"is_anonymous": false, "app_metadata": map[string]any{"provider": "email"},
	}).SignedString([]byte(testJWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// call sends a request and decodes the JSON answer into a map.
func (e *env) call(t testing.TB, method, path, token string, body any, headers map[string]string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, _ := json.Marshal(b)
		rd = bytes.NewReader(js)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, e.srv.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if m == nil {
		m = map[string]any{"_raw": string(raw)}
	}
	return resp.StatusCode, m
}

// --- events --------------------------------------------------------------------------------------------

// event builds a Stripe event payload of the pinned API version.
func event(id, typ string, created int64, object map[string]any) []byte {
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "created": created, "api_version": stripe.APIVersion,
		"livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": object},
	})
	if err != nil {
		panic(err)
	}
	return b
}

// signed returns the Stripe-Signature header for payload, signed at ts with secret.
func signed(payload []byte, secret string, ts time.Time) string {
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: ts})
	return sp.Header
}

// deliver posts a correctly signed event to /webhooks/stripe.
func (e *env) deliver(t testing.TB, payload []byte) (int, map[string]any) {
	t.Helper()
	return e.call(t, http.MethodPost, "/webhooks/stripe", "", payload,
		map[string]string{"Stripe-Signature": signed(payload, testWebhookSecret, time.Now())})
}
