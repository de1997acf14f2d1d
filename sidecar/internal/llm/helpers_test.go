package llm_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

const testModel = "gemini-test-flash"

// newClient returns a client of the fake with fast retries; opts adjust the config.
func newClient(tb testing.TB, fake *llmtest.Server, opts ...func(*llm.Config)) *llm.Client {
	tb.Helper()
	cfg := llm.Config{
		APIKey:         llmtest.APIKey,
		BaseURL:        fake.URL,
		Model:          testModel,
		Timeout:        5 * time.Second,
		MaxRetries:     2,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  20 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := llm.New(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("llm.New: %v", err)
	}
	return c
}

func ask(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Text: text}}}
}

// asError asserts err is an *llm.Error of the given kind and returns it.
func asError(t *testing.T, err, kind error) *llm.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %v", kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want errors.Is %v", err, kind)
	}
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *llm.Error: %v", err, err)
	}
	return e
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
