package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestLoggerAddsContextIDs(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, slog.LevelInfo, "json")
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithUserID(WithJobID(WithRequestID(context.Background(), "req-1"), "job-7"), "user-9")
	log.With("component", "test").InfoContext(ctx, "hello", "n", 1)
	log.InfoContext(WithJobID(context.Background(), "job-8"), "job only")
	log.Info("no context")
	log.DebugContext(ctx, "filtered out by level")

	lines := decodeLines(t, &buf)
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d: %s", len(lines), buf.String())
	}
	first := lines[0]
	for k, want := range map[string]any{"msg": "hello", "request_id": "req-1", "job_id": "job-7", "user_id": "user-9", "component": "test", "n": 1.0} {
		if first[k] != want {
			t.Errorf("line 1 %s = %v, want %v", k, first[k], want)
		}
	}
	if lines[1]["job_id"] != "job-8" || lines[1]["request_id"] != nil || lines[1]["user_id"] != nil {
		t.Errorf("line 2 = %v, want only job_id", lines[1])
	}
	for _, k := range []string{"request_id", "job_id", "user_id"} {
		if _, ok := lines[2][k]; ok {
			t.Errorf("line without context has %s: %v", k, lines[2])
		}
	}
}

func TestContextAccessors(t *testing.T) {
	ctx := context.Background()
	if RequestID(ctx) != "" || JobID(ctx) != "" || UserID(ctx) != "" {
		t.Fatal("empty context returned ids")
	}
	ctx = WithRequestID(ctx, "r")
	ctx = WithJobID(ctx, "j")
	ctx = WithUserID(ctx, "u")
	if RequestID(ctx) != "r" || JobID(ctx) != "j" || UserID(ctx) != "u" {
		t.Errorf("got %q %q %q", RequestID(ctx), JobID(ctx), UserID(ctx))
	}
}

func TestNewLoggerFormats(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, slog.LevelWarn, "text")
	if err != nil {
		t.Fatal(err)
	}
	log.WarnContext(WithRequestID(context.Background(), "abc"), "careful")
	log.Info("dropped")
	if got := buf.String(); !strings.Contains(got, "msg=careful request_id=abc") || strings.Contains(got, "dropped") {
		t.Errorf("text output = %q", got)
	}
	if _, err := NewLogger(io.Discard, slog.LevelInfo, "xml"); err == nil {
		t.Error("format xml accepted")
	}
}

func counterValue(t *testing.T, m *Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, mt := range mf.GetMetric() {
			if labelsMatch(mt.GetLabel(), labels) {
				if mt.Counter != nil {
					return mt.GetCounter().GetValue()
				}
				if mt.Histogram != nil {
					return float64(mt.GetHistogram().GetSampleCount())
				}
			}
		}
	}
	return 0
}

func labelsMatch(got []*dto.LabelPair, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, lp := range got {
		if want[lp.GetName()] != lp.GetValue() {
			return false
		}
	}
	return true
}

func TestObserveJob(t *testing.T) {
	m := NewMetrics()
	m.ObserveJob("chat_turn", 120*time.Millisecond, nil)
	m.ObserveJob("chat_turn", time.Second, errors.New("boom"))
	m.ObserveJob("credit_reset", time.Millisecond, nil)

	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"zb_jobs_processed_total", map[string]string{"kind": "chat_turn"}, 2},
		{"zb_jobs_failed_total", map[string]string{"kind": "chat_turn"}, 1},
		{"zb_jobs_processed_total", map[string]string{"kind": "credit_reset"}, 1},
		{"zb_jobs_failed_total", map[string]string{"kind": "credit_reset"}, 0},
		{"zb_job_duration_seconds", map[string]string{"kind": "chat_turn", "outcome": "ok"}, 1},
		{"zb_job_duration_seconds", map[string]string{"kind": "chat_turn", "outcome": "error"}, 1},
	}
	for _, c := range checks {
		if got := counterValue(t, m, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

func TestObserveLLMCall(t *testing.T) {
	m := NewMetrics()
	m.ObserveLLMCall("gemini-2.5-flash", "gemini", 2*time.Second, 100, 40, nil)
	m.ObserveLLMCall("gemini-2.5-flash", "gemini", time.Second, 10, 0, errors.New("429"))
	m.ObserveLLMCall("gemini-2.5-flash", "offline", 0, 0, 0, nil)

	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"zb_llm_calls_total", map[string]string{"model": "gemini-2.5-flash", "mode": "gemini", "outcome": "ok"}, 1},
		{"zb_llm_calls_total", map[string]string{"model": "gemini-2.5-flash", "mode": "gemini", "outcome": "error"}, 1},
		{"zb_llm_calls_total", map[string]string{"model": "gemini-2.5-flash", "mode": "offline", "outcome": "ok"}, 1},
		{"zb_llm_tokens_total", map[string]string{"model": "gemini-2.5-flash", "mode": "gemini", "direction": "input"}, 110},
		{"zb_llm_tokens_total", map[string]string{"model": "gemini-2.5-flash", "mode": "gemini", "direction": "output"}, 40},
		{"zb_llm_tokens_total", map[string]string{"model": "gemini-2.5-flash", "mode": "offline", "direction": "input"}, 0},
		{"zb_llm_call_duration_seconds", map[string]string{"model": "gemini-2.5-flash", "mode": "gemini"}, 2},
	}
	for _, c := range checks {
		if got := counterValue(t, m, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

func TestMetricsHandlerExposesDeclaredMetrics(t *testing.T) {
	m := NewMetrics()
	// Vectors appear in the output once they have a child.
	m.HTTPRequests.WithLabelValues("GET", "/healthz", "200").Inc()
	m.HTTPDuration.WithLabelValues("GET", "/healthz").Observe(0.01)
	m.ObserveJob("k", time.Millisecond, errors.New("x"))
	m.ObserveLLMCall("m", "gemini", time.Millisecond, 1, 1, nil)
	m.WebhookEvents.WithLabelValues("stripe", "accepted").Inc()

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, name := range []string{
		"zb_http_requests_total", "zb_http_request_duration_seconds_bucket", "zb_http_requests_in_flight",
		"zb_jobs_processed_total", "zb_jobs_failed_total", "zb_job_duration_seconds_bucket",
		"zb_llm_calls_total", "zb_llm_call_duration_seconds_bucket", "zb_llm_tokens_total",
		"zb_webhook_events_total", "go_goroutines", "go_build_info",
	} {
		if !strings.Contains(body, "\n"+name) && !strings.HasPrefix(body, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
