package llm_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

func TestRetry429ThenSuccess(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.RateLimited(0), llmtest.Text("ok"))
	res, err := newClient(t, fake).Generate(context.Background(), ask("q"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if res.Text != "ok" || res.Usage.Attempts != 2 || fake.RequestCount() != 2 {
		t.Errorf("text %q attempts %d requests %d; want ok after 2", res.Text, res.Usage.Attempts, fake.RequestCount())
	}
}

func TestRetryTransientThenSuccess(t *testing.T) {
	for name, first := range map[string]llmtest.Reply{
		"408":             llmtest.Error(http.StatusRequestTimeout, ""),
		"500":             llmtest.Error(http.StatusInternalServerError, ""),
		"502":             llmtest.Error(http.StatusBadGateway, ""),
		"503":             llmtest.Error(http.StatusServiceUnavailable, ""),
		"504":             llmtest.Error(http.StatusGatewayTimeout, ""),
		"connection lost": llmtest.Broken(),
	} {
		t.Run(name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(first, llmtest.Text("ok"))
			res, err := newClient(t, fake).Generate(context.Background(), ask("q"))
			if err != nil || res.Usage.Attempts != 2 {
				t.Fatalf("Generate = %+v, %v; want success on attempt 2", res.Usage, err)
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	cases := []struct {
		status int
		kind   error
	}{
		{http.StatusInternalServerError, llm.ErrUnavailable},
		{http.StatusServiceUnavailable, llm.ErrUnavailable},
		{http.StatusTooManyRequests, llm.ErrRateLimited},
	}
	for _, tc := range cases {
		for _, maxRetries := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d/max_retries_%d", tc.status, maxRetries), func(t *testing.T) {
				fake := llmtest.NewServer(t)
				for range maxRetries + 2 {
					fake.Enqueue(llmtest.Error(tc.status, ""))
				}
				c := newClient(t, fake, func(cfg *llm.Config) { cfg.MaxRetries = maxRetries })
				res, err := c.Generate(context.Background(), ask("q"))
				e := asError(t, err, tc.kind)
				if e.HTTPStatus != tc.status || e.Attempts != maxRetries+1 || res.Usage.Attempts != maxRetries+1 {
					t.Errorf("error %+v usage %+v, want status %d after %d attempts", e, res.Usage, tc.status, maxRetries+1)
				}
				if n := fake.RequestCount(); n != maxRetries+1 {
					t.Errorf("requests = %d, want MaxRetries+1 = %d", n, maxRetries+1)
				}
			})
		}
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Error(503, ""), llmtest.Text("ok"))
	_, err := newClient(t, fake, func(cfg *llm.Config) { cfg.MaxRetries = -1 }).Generate(context.Background(), ask("q"))
	asError(t, err, llm.ErrUnavailable)
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 501} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(llmtest.Error(status, ""), llmtest.Text("must not be used"))
			_, err := newClient(t, fake).Generate(context.Background(), ask("q"))
			var e *llm.Error
			if !errors.As(err, &e) || e.HTTPStatus != status || e.Attempts != 1 {
				t.Fatalf("error = %v, want status %d on the only attempt", err, status)
			}
			if errors.Is(err, llm.ErrRateLimited) {
				t.Errorf("error = %v, must not be rate limited", err)
			}
			if status < 500 && !errors.Is(err, llm.ErrInvalidRequest) {
				t.Errorf("error = %v, want ErrInvalidRequest", err)
			}
			if n := fake.RequestCount(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
		})
	}
}

// google.rpc.RetryInfo is honoured when short and not waited for when longer than RetryMaxDelay.
func TestRetryInfo(t *testing.T) {
	t.Run("short delay honoured", func(t *testing.T) {
		fake := llmtest.NewServer(t)
		fake.Enqueue(llmtest.RateLimited(60*time.Millisecond), llmtest.Text("ok"))
		c := newClient(t, fake, func(cfg *llm.Config) { cfg.RetryMaxDelay = time.Second })
		res, err := c.Generate(context.Background(), ask("q"))
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if res.Usage.Duration < 60*time.Millisecond {
			t.Errorf("retried after %v, before the 60ms the API asked for", res.Usage.Duration)
		}
	})
	t.Run("long delay not waited", func(t *testing.T) {
		fake := llmtest.NewServer(t)
		fake.Enqueue(llmtest.RateLimited(37*time.Second), llmtest.Text("ok"))
		start := time.Now()
		_, err := newClient(t, fake).Generate(context.Background(), ask("q"))
		e := asError(t, err, llm.ErrRateLimited)
		if e.RetryAfter != 37*time.Second || e.Status != "RESOURCE_EXHAUSTED" {
			t.Errorf("error = %+v, want RetryAfter 37s and RESOURCE_EXHAUSTED", e)
		}
		if d := time.Since(start); d > time.Second || fake.RequestCount() != 1 {
			t.Errorf("took %v with %d requests, want an immediate ErrRateLimited", d, fake.RequestCount())
		}
	})
}

func TestTimeoutIsRetriedThenUnavailable(t *testing.T) {
	fake := llmtest.NewServer(t)
	slow := llmtest.Text("late").WithDelay(10 * time.Second)
	fake.Enqueue(slow, slow, slow)
	c := newClient(t, fake, func(cfg *llm.Config) {
		cfg.Timeout = 80 * time.Millisecond
		cfg.MaxRetries = 1
	})
	start := time.Now()
	res, err := c.Generate(context.Background(), ask("q"))
	elapsed := time.Since(start)
	e := asError(t, err, llm.ErrUnavailable)
	if e.Attempts != 2 || res.Usage.Attempts != 2 || fake.RequestCount() != 2 {
		t.Errorf("attempts %d, requests %d; want 2 (timeouts are retried)", e.Attempts, fake.RequestCount())
	}
	if elapsed < 160*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("took %v, want about 2 × 80ms", elapsed)
	}
}

func TestCallerDeadline(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("late").WithDelay(10 * time.Second))
	ctx := ctxTimeout(t, 100*time.Millisecond)
	start := time.Now()
	_, err := newClient(t, fake).Generate(ctx, ask("q"))
	asError(t, err, llm.ErrUnavailable)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want it to match context.DeadlineExceeded too", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v, want at the 100ms deadline", d)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("requests = %d, want 1 (no retry past the caller's deadline)", n)
	}
}

// A backoff that would outlive the caller's deadline is not started.
func TestNoBackoffPastDeadline(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Error(503, ""), llmtest.Text("ok"))
	c := newClient(t, fake, func(cfg *llm.Config) {
		cfg.RetryBaseDelay = 5 * time.Second
		cfg.RetryMaxDelay = 5 * time.Second
	})
	start := time.Now()
	_, err := c.Generate(ctxTimeout(t, time.Second), ask("q"))
	e := asError(t, err, llm.ErrUnavailable)
	if e.HTTPStatus != 503 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("error %v after %v, want the 503 at once", err, time.Since(start))
	}
}

func TestCancel(t *testing.T) {
	t.Run("during request", func(t *testing.T) {
		fake := llmtest.NewServer(t)
		fake.Enqueue(llmtest.Text("late").WithDelay(10 * time.Second))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		start := time.Now()
		_, err := newClient(t, fake).Generate(ctx, ask("q"))
		e := asError(t, err, context.Canceled)
		if d := time.Since(start); d > time.Second {
			t.Errorf("returned after %v, want promptly", d)
		}
		if errors.Is(err, llm.ErrUnavailable) || e.Attempts != 1 || fake.RequestCount() != 1 {
			t.Errorf("error %v after %d requests, want a plain cancel and no retry", err, fake.RequestCount())
		}
	})
	t.Run("during backoff", func(t *testing.T) {
		fake := llmtest.NewServer(t)
		fake.Enqueue(llmtest.Error(503, ""), llmtest.Text("ok"))
		c := newClient(t, fake, func(cfg *llm.Config) {
			cfg.RetryBaseDelay = 5 * time.Second
			cfg.RetryMaxDelay = 5 * time.Second
		})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Generate(ctx, ask("q"))
		asError(t, err, context.Canceled)
		if d := time.Since(start); d > time.Second || fake.RequestCount() != 1 {
			t.Errorf("returned after %v with %d requests, want promptly after 1", d, fake.RequestCount())
		}
	})
}
