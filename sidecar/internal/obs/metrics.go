package obs

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric of the sidecar.
const Namespace = "zb"

// Outcome label values.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// Metrics holds every metric the sidecar exports, declared here in one place so packages only
// increment them. Keep label values to small fixed sets (route templates, job kinds, model names),
// never ids or raw paths.
//
//	zb_http_requests_total{method,route,status}          counter   (httpapi)
//	zb_http_request_duration_seconds{method,route}       histogram (httpapi)
//	zb_http_requests_in_flight                           gauge     (httpapi)
//	zb_jobs_processed_total{kind}                        counter   jobs finished, whatever the outcome
//	zb_jobs_failed_total{kind}                           counter   of those, the failed ones
//	zb_job_duration_seconds{kind,outcome}                histogram one job attempt, outcome ok|error
//	zb_llm_calls_total{model,mode,outcome}               counter   one model call
//	zb_llm_call_duration_seconds{model,mode}             histogram
//	zb_llm_tokens_total{model,mode,direction}            counter   direction input|output
//	zb_webhook_events_total{source,outcome}              counter   source stripe|unipile; outcome accepted|duplicate|rejected
//
// For the LLM metrics, model is the configured model name and mode is how the answer was produced:
// "gemini" for a real model call (outcome error when it failed after its retries), "offline" when
// the deterministic fallback then answered in its place (tokens stay 0). Without an API key no
// model call is made and nothing is counted. Calls are counted when made, whether or not the turn
// then commits. Job kind is the job type ("chat_turn", "outreach_step", "credit_reset", ...); a job
// attempt that failed counts as failed even when its failure was answered (the chat's last attempt).
type Metrics struct {
	// Registry is what /metrics serves. Register package-specific collectors on it.
	Registry *prometheus.Registry

	HTTPRequests    *prometheus.CounterVec
	HTTPDuration    *prometheus.HistogramVec
	HTTPInFlight    prometheus.Gauge
	JobsProcessed   *prometheus.CounterVec
	JobsFailed      *prometheus.CounterVec
	JobDuration     *prometheus.HistogramVec
	LLMCalls        *prometheus.CounterVec
	LLMCallDuration *prometheus.HistogramVec
	LLMTokens       *prometheus.CounterVec
	WebhookEvents   *prometheus.CounterVec
}

// NewMetrics creates the metrics on a fresh registry, together with the Go runtime, process and build
// info collectors.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route template and status code.",
		}, []string{"method", "route", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route template.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		HTTPInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
		JobsProcessed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "jobs", Name: "processed_total",
			Help: "Background job attempts finished, whatever the outcome, by kind.",
		}, []string{"kind"}),
		JobsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "jobs", Name: "failed_total",
			Help: "Background job attempts that failed, by kind.",
		}, []string{"kind"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "job", Name: "duration_seconds",
			Help:    "Time one background job attempt took, by kind and outcome.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
		}, []string{"kind", "outcome"}),
		LLMCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "llm", Name: "calls_total",
			Help: "Model calls (mode gemini) and offline stand-ins (mode offline), by model, mode and outcome.",
		}, []string{"model", "mode", "outcome"}),
		LLMCallDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "llm", Name: "call_duration_seconds",
			Help:    "Time one model call took, by model and mode.",
			Buckets: []float64{.1, .25, .5, 1, 2, 4, 8, 15, 30, 60},
		}, []string{"model", "mode"}),
		LLMTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "llm", Name: "tokens_total",
			Help: "Tokens used, by model, mode and direction (input or output).",
		}, []string{"model", "mode", "direction"}),
		WebhookEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "webhook", Name: "events_total",
			Help: "Webhook deliveries received, by source and outcome (accepted, duplicate, rejected).",
		}, []string{"source", "outcome"}),
	}
	r.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		m.HTTPRequests, m.HTTPDuration, m.HTTPInFlight,
		m.JobsProcessed, m.JobsFailed, m.JobDuration,
		m.LLMCalls, m.LLMCallDuration, m.LLMTokens,
		m.WebhookEvents,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveJob records one finished job attempt of kind that took d and failed when err != nil.
func (m *Metrics) ObserveJob(kind string, d time.Duration, err error) {
	out := outcome(err)
	m.JobsProcessed.WithLabelValues(kind).Inc()
	if err != nil {
		m.JobsFailed.WithLabelValues(kind).Inc()
	}
	m.JobDuration.WithLabelValues(kind, out).Observe(d.Seconds())
}

// ObserveLLMCall records one model call (or offline stand-in) and its token usage.
func (m *Metrics) ObserveLLMCall(model, mode string, d time.Duration, inputTokens, outputTokens int, err error) {
	m.LLMCalls.WithLabelValues(model, mode, outcome(err)).Inc()
	m.LLMCallDuration.WithLabelValues(model, mode).Observe(d.Seconds())
	if inputTokens > 0 {
		m.LLMTokens.WithLabelValues(model, mode, "input").Add(float64(inputTokens))
	}
	if outputTokens > 0 {
		m.LLMTokens.WithLabelValues(model, mode, "output").Add(float64(outputTokens))
	}
}

func outcome(err error) string {
	if err != nil {
		return OutcomeError
	}
	return OutcomeOK
}
