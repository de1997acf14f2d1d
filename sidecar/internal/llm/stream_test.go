package llm_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

// collect returns an onDelta that records the deltas.
func collect(deltas *[]string) func(string) error {
	return func(s string) error { *deltas = append(*deltas, s); return nil }
}

func TestStream(t *testing.T) {
	fake := llmtest.NewServer(t)
	answer := "Para una ronda seed en España, empieza por business angels del sector. ¿Quieres que busque?"
	reply := llmtest.SplitText(answer, 7).WithUsage(80, 21)
	fake.Enqueue(reply)
	c := newClient(t, fake)

	var deltas []string
	res, err := c.Stream(context.Background(), llm.Request{System: "mentor", Messages: []llm.Message{{Role: llm.RoleUser, Text: "hola"}}}, collect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if !slices.Equal(deltas, reply.Chunks) {
		t.Errorf("deltas = %q, want the 7 chunks in order %q", deltas, reply.Chunks)
	}
	if res.Text != answer || res.FinishReason != llm.FinishStop {
		t.Errorf("result = %q / %q, want the concatenation and STOP", res.Text, res.FinishReason)
	}
	if u := res.Usage; u.PromptTokens != 80 || u.OutputTokens != 21 || u.TotalTokens != 101 || u.Attempts != 1 || u.ModelVersion != testModel {
		t.Errorf("usage = %+v, want the final chunk's usage", u)
	}
	sent := fake.LastRequest()
	if !sent.Stream || sent.Path != "/v1beta/models/"+testModel+":streamGenerateContent" || sent.Query.Get("alt") != "sse" {
		t.Errorf("request = %s ?%s, want streamGenerateContent?alt=sse", sent.Path, sent.Query.Encode())
	}
	if sent.System != "mentor" || sent.Contents[0].Text != "hola" {
		t.Errorf("request content = %q / %+v", sent.System, sent.Contents)
	}
}

func TestStreamSkipsThoughtsAndAcceptsNilCallback(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Chunks("a", "b").WithThought("thinking..."))
	res, err := newClient(t, fake).Stream(context.Background(), ask("q"), nil)
	if err != nil || res.Text != "ab" {
		t.Fatalf("Stream = %q, %v; want \"ab\"", res.Text, err)
	}
}

func TestStreamBrokenMidway(t *testing.T) {
	cases := map[string]llmtest.Reply{
		"connection lost":      llmtest.Broken("Hola, ", "te cuento"),
		"in-band error":        llmtest.StreamError(http.StatusInternalServerError, "Hola, ", "te cuento"),
		"no finish reason":     llmtest.Reply{Chunks: []string{"Hola, ", "te cuento"}, OmitFinish: true},
		"malformed last event": llmtest.Reply{Chunks: []string{"Hola, ", "te cuento"}, Raw: `{"candidates": [`, OmitFinish: true},
	}
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(reply, llmtest.Text("must not be used"))
			var deltas []string
			res, err := newClient(t, fake).Stream(context.Background(), ask("q"), collect(&deltas))
			e := asError(t, err, llm.ErrStreamBroken)
			if res.Text != "Hola, te cuento" {
				t.Errorf("partial text = %q, want what was delivered", res.Text)
			}
			if !slices.Equal(deltas, []string{"Hola, ", "te cuento"}) {
				t.Errorf("deltas = %q", deltas)
			}
			if n := fake.RequestCount(); n != 1 || e.Attempts != 1 {
				t.Errorf("requests = %d, attempts = %d; want 1: text was already delivered", n, e.Attempts)
			}
			if name == "in-band error" && e.HTTPStatus != http.StatusInternalServerError {
				t.Errorf("status = %d, want the in-band error's 500", e.HTTPStatus)
			}
		})
	}
}

// Before any text is delivered a failed stream is retried like any call.
func TestStreamRetriedBeforeFirstChunk(t *testing.T) {
	cases := map[string]llmtest.Reply{
		"429":                   llmtest.RateLimited(0),
		"503":                   llmtest.Error(http.StatusServiceUnavailable, ""),
		"connection lost":       llmtest.Broken(),
		"in-band error":         llmtest.StreamError(http.StatusServiceUnavailable),
		"closed without answer": {OmitFinish: true},
	}
	for name, first := range cases {
		t.Run(name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(first, llmtest.Chunks("ok", "!"))
			var deltas []string
			res, err := newClient(t, fake).Stream(context.Background(), ask("q"), collect(&deltas))
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if res.Text != "ok!" || res.Usage.Attempts != 2 || !slices.Equal(deltas, []string{"ok", "!"}) {
				t.Errorf("result = %q attempts %d deltas %q", res.Text, res.Usage.Attempts, deltas)
			}
		})
	}
}

func TestStreamSafetyBlockMidAnswer(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.CandidateBlocked("SAFETY", "Part one, ", "part two"))
	var deltas []string
	res, err := newClient(t, fake).Stream(context.Background(), ask("q"), collect(&deltas))
	e := asError(t, err, llm.ErrBlocked)
	if e.Reason != "SAFETY" || res.FinishReason != "SAFETY" {
		t.Errorf("reason = %q / finish %q, want SAFETY", e.Reason, res.FinishReason)
	}
	if res.Text != "Part one, part two" || len(deltas) != 2 {
		t.Errorf("partial = %q, deltas %q: the caller must know what was shown", res.Text, deltas)
	}
}

func TestStreamCallbackErrorStops(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Chunks("a", "b", "c", "d").WithChunkDelay(10 * time.Millisecond))
	errClientGone := errors.New("websocket closed")
	var deltas []string
	res, err := newClient(t, fake).Stream(context.Background(), ask("q"), func(s string) error {
		deltas = append(deltas, s)
		if len(deltas) == 2 {
			return errClientGone
		}
		return nil
	})
	if !errors.Is(err, errClientGone) {
		t.Fatalf("error = %v, want the callback's error", err)
	}
	if res.Text != "ab" || len(deltas) != 2 {
		t.Errorf("text %q deltas %q, want the stream stopped after the second delta", res.Text, deltas)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// Timeout bounds the wait for each chunk, not the whole stream.
func TestStreamIdleTimeout(t *testing.T) {
	fake := llmtest.NewServer(t)
	c := newClient(t, fake, func(cfg *llm.Config) { cfg.Timeout = 150 * time.Millisecond })

	// Slow but steady: 6 chunks 40 ms apart take longer than the timeout in total, and succeed.
	fake.Enqueue(llmtest.Chunks("1", "2", "3", "4", "5", "6").WithChunkDelay(40 * time.Millisecond))
	res, err := c.Stream(context.Background(), ask("q"), nil)
	if err != nil || res.Text != "123456" {
		t.Fatalf("steady stream: %q, %v", res.Text, err)
	}
	if res.Usage.Duration < 150*time.Millisecond {
		t.Errorf("steady stream took %v; the test needs it longer than the timeout", res.Usage.Duration)
	}

	// Stalled after the first chunk: broken, with the partial text, well before the stall ends.
	fake.Enqueue(llmtest.Chunks("1", "2").WithChunkDelay(5 * time.Second))
	start := time.Now()
	res, err = c.Stream(context.Background(), ask("q"), nil)
	asError(t, err, llm.ErrStreamBroken)
	if res.Text != "1" {
		t.Errorf("partial = %q, want \"1\"", res.Text)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stalled stream returned after %v, want about the 150ms timeout", d)
	}
	if !strings.Contains(err.Error(), "timeout") {
		t.Errorf("error %q does not say it timed out", err)
	}
}

func TestStreamCancelMidStream(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Chunks("a", "b", "c").WithChunkDelay(5 * time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	res, err := newClient(t, fake).Stream(ctx, ask("q"), func(string) error {
		time.AfterFunc(20*time.Millisecond, cancel)
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if errors.Is(err, llm.ErrStreamBroken) || errors.Is(err, llm.ErrUnavailable) {
		t.Errorf("error = %v: a caller's cancel is not a model failure", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v, want promptly", d)
	}
	if res.Text != "a" {
		t.Errorf("partial = %q", res.Text)
	}
}
