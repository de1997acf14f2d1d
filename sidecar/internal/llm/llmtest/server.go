// Package llmtest is a fake of the Gemini API (Gemini Developer API, v1beta) for tests and benchmarks.
//
// The fake speaks the wire format the official SDK (google.golang.org/genai) uses, so tests drive the
// real SDK against it through HTTPOptions.BaseURL (llm.Config.BaseURL):
//
//	POST /v1beta/models/{model}:generateContent                 JSON in, JSON out
//	POST /v1beta/models/{model}:streamGenerateContent?alt=sse   JSON in, "data: {...}\n\n" events out
//
// It checks the x-goog-api-key header, records every request (model, system instruction, contents and
// generationConfig, decoded), and answers from a script: replies queued with Enqueue are used first, in
// order, then the responder set with SetResponder, else Text("OK"). A Reply can be text, text split in
// stream chunks, JSON for structured output, usage metadata, and faults: HTTP errors with Google's error
// body, prompt- and candidate-level safety blocks, an empty candidate list, a malformed body, a slow
// answer, a stream that breaks mid-way or sends an in-band error.
//
//	fake := llmtest.NewServer(t)
//	fake.Enqueue(llmtest.RateLimited(0), llmtest.SplitText("Hola, ¿en qué te ayudo?", 3).WithUsage(12, 8))
//	// ... point the client at fake.URL with llmtest.APIKey, call it ...
//	got := fake.LastRequest()
//	// got.Model, got.System, got.Contents, got.Config.Temperature, got.Config.ResponseSchema ...
//
// Answers are immediate unless a Reply asks for a delay, so benchmarks against the fake measure the
// client's own overhead. Use WithoutRecording in benchmarks so the fake neither decodes nor keeps the
// requests.
package llmtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// APIKey is the key the fake accepts unless WithAPIKey says otherwise.
const APIKey = "llmtest-api-key"

// APIVersion is the only API version the fake serves (the SDK's default for the Gemini API).
const APIVersion = "v1beta"

const maxBody = 16 << 20

// Request is one request the fake received, decoded.
type Request struct {
	Method string
	// Path is the URL path, e.g. "/v1beta/models/gemini-3.5-flash:generateContent".
	Path  string
	Query url.Values
	// Model is the model id from the path, without the "models/" prefix.
	Model string
	// Action is "generateContent" or "streamGenerateContent".
	Action string
	// Stream reports Action == "streamGenerateContent".
	Stream bool
	// APIKey is the x-goog-api-key header.
	APIKey string
	Header http.Header
	// Body is the raw JSON body.
	Body []byte

	// System is the text of systemInstruction (parts concatenated), SystemRole its role.
	System     string
	SystemRole string
	// Contents are the turns, in order.
	Contents []Content
	// Config is generationConfig.
	Config GenerationConfig
	// SafetySettings are the raw safetySettings entries.
	SafetySettings []json.RawMessage
}

// Content is one turn of a request: its role and its text parts concatenated.
type Content struct {
	Role string
	Text string
}

// GenerationConfig is the request's generationConfig. Raw holds every field, including ones not
// decoded here.
type GenerationConfig struct {
	Temperature        *float64       `json:"temperature,omitempty"`
	TopP               *float64       `json:"topP,omitempty"`
	TopK               *float64       `json:"topK,omitempty"`
	MaxOutputTokens    int            `json:"maxOutputTokens,omitempty"`
	CandidateCount     int            `json:"candidateCount,omitempty"`
	StopSequences      []string       `json:"stopSequences,omitempty"`
	ResponseMIMEType   string         `json:"responseMimeType,omitempty"`
	ResponseSchema     map[string]any `json:"responseSchema,omitempty"`
	ResponseJSONSchema any            `json:"responseJsonSchema,omitempty"`
	ThinkingConfig     map[string]any `json:"thinkingConfig,omitempty"`
	Raw                map[string]any `json:"-"`
}

// Server is the fake. It is an http.Handler; New and NewServer also run it on a local httptest server.
// All methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give the client (llm.Config.BaseURL / genai HTTPOptions.BaseURL).
	URL string

	srv    *httptest.Server
	apiKey string
	record bool

	mu        sync.Mutex
	queue     []Reply
	responder func(Request) Reply
	requests  []Request

	count atomic.Int64
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey makes the fake accept key instead of APIKey; "" accepts any key, or none.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithoutRecording stops the fake from decoding and keeping requests (for benchmarks); Requests then
// stays empty and responders get a Request with only Method, Path, Model, Action, Stream, APIKey and
// Body.
func WithoutRecording() Option { return func(s *Server) { s.record = false } }

// NewHandler returns a fake that is not listening: mount it on your own server.
func NewHandler(opts ...Option) *Server {
	s := &Server{apiKey: APIKey, record: true}
	for _, o := range opts {
		o(s)
	}
	return s
}

// New starts a fake on a local port. Close it when done.
func New(opts ...Option) *Server {
	s := NewHandler(opts...)
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// NewServer starts a fake closed by tb's cleanup.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := New(opts...)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the fake's server (a no-op for NewHandler).
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.CloseClientConnections()
		s.srv.Close()
	}
}

// Enqueue adds replies to the script; each request consumes the next one.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	s.queue = append(s.queue, replies...)
	s.mu.Unlock()
}

// SetResponder answers the requests that find the queue empty (nil restores the default, Text("OK")).
// f runs concurrently for concurrent requests.
func (s *Server) SetResponder(f func(Request) Reply) {
	s.mu.Lock()
	s.responder = f
	s.mu.Unlock()
}

// Pending is the number of queued replies not used yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// RequestCount is the number of requests received, recorded or not.
func (s *Server) RequestCount() int { return int(s.count.Load()) }

// Requests returns a copy of the recorded requests, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// LastRequest returns the latest recorded request, or the zero Request when there is none.
func (s *Server) LastRequest() Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}
	}
	return s.requests[len(s.requests)-1]
}

// Reset forgets the recorded requests and the queued replies.
func (s *Server) Reset() {
	s.mu.Lock()
	s.queue, s.requests = nil, nil
	s.mu.Unlock()
}

// ServeHTTP answers one Gemini API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.count.Add(1)
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), APIKey: r.Header.Get("x-goog-api-key")}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, Reply{Status: http.StatusBadRequest, ErrorMessage: "reading body: " + err.Error()})
		return
	}
	req.Body = body
	model, action, ok := parsePath(r.URL.Path)
	req.Model, req.Action, req.Stream = model, action, action == "streamGenerateContent"

	s.mu.Lock()
	record, responder := s.record, s.responder
	s.mu.Unlock()
	var decodeErr error
	if record {
		req.Header = r.Header.Clone()
		decodeErr = decodeRequest(&req)
	}
	if record {
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
	}

	switch {
	case !ok:
		writeError(w, Reply{Status: http.StatusNotFound, ErrorMessage: "The requested URL " + r.URL.Path + " was not found on this server."})
		return
	case r.Method != http.MethodPost:
		writeError(w, Reply{Status: http.StatusMethodNotAllowed, ErrorStatus: "INVALID_ARGUMENT", ErrorMessage: "method " + r.Method + " not allowed"})
		return
	case req.Stream && req.Query.Get("alt") != "sse":
		writeError(w, Reply{Status: http.StatusBadRequest, ErrorMessage: "llmtest serves streamGenerateContent only with alt=sse"})
		return
	}
	if s.apiKey != "" {
		switch req.APIKey {
		case s.apiKey:
		case "":
			writeError(w, Reply{Status: http.StatusForbidden, ErrorMessage: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."})
			return
		default:
			writeError(w, Reply{Status: http.StatusBadRequest, ErrorMessage: "API key not valid. Please pass a valid API key."})
			return
		}
	}
	if decodeErr != nil {
		writeError(w, Reply{Status: http.StatusBadRequest, ErrorMessage: decodeErr.Error()})
		return
	}
	if record && len(req.Contents) == 0 {
		writeError(w, Reply{Status: http.StatusBadRequest, ErrorMessage: "* GenerateContentRequest.contents: contents is not specified"})
		return
	}

	reply := s.next(req, responder)
	if !sleep(r.Context(), reply.Delay) {
		return
	}
	if reply.Status >= 400 {
		writeError(w, reply)
		return
	}
	a := answer{reply: reply, model: model, id: "llmtest-" + strconv.FormatInt(n, 10), usage: reply.usage(&req)}
	if req.Stream {
		a.stream(w, r)
		return
	}
	a.unary(w)
}

func (s *Server) next(req Request, responder func(Request) Reply) Reply {
	s.mu.Lock()
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		return r
	}
	s.mu.Unlock()
	if responder != nil {
		return responder(req)
	}
	return Text("OK")
}

// parsePath splits "/v1beta/models/{model}:{action}".
func parsePath(p string) (model, action string, ok bool) {
	rest, found := strings.CutPrefix(p, "/"+APIVersion+"/models/")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return "", "", false
	}
	model, action = rest[:i], rest[i+1:]
	if action != "generateContent" && action != "streamGenerateContent" {
		return "", "", false
	}
	return model, action, true
}

func decodeRequest(req *Request) error {
	var wr wireRequest
	if err := json.Unmarshal(req.Body, &wr); err != nil {
		return err
	}
	for _, c := range wr.Contents {
		req.Contents = append(req.Contents, Content{Role: c.Role, Text: joinParts(c.Parts)})
	}
	if wr.SystemInstruction != nil {
		req.System, req.SystemRole = joinParts(wr.SystemInstruction.Parts), wr.SystemInstruction.Role
	}
	req.SafetySettings = wr.SafetySettings
	if len(wr.GenerationConfig) > 0 {
		if err := json.Unmarshal(wr.GenerationConfig, &req.Config); err != nil {
			return err
		}
		if err := json.Unmarshal(wr.GenerationConfig, &req.Config.Raw); err != nil {
			return err
		}
	}
	return nil
}

func joinParts(parts []wirePart) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// usage is the usageMetadata for r answering req.
func (r Reply) usage(req *Request) wireUsage {
	var u Usage
	if r.Usage != nil {
		u = *r.Usage
	} else {
		promptBytes := len(req.Body) / 2 // not decoded: a rough share of the body
		if req.Contents != nil {
			promptBytes = len(req.System)
			for _, c := range req.Contents {
				promptBytes += len(c.Text)
			}
		}
		u.PromptTokens = max(1, tokens(promptBytes))
		if !r.NoCandidates && r.BlockReason == "" {
			u.OutputTokens = tokens(len(r.Text()))
			u.ThoughtsTokens = tokens(len(r.Thought))
		}
	}
	total := u.TotalTokens
	if total == 0 {
		total = u.PromptTokens + u.OutputTokens + u.ThoughtsTokens
	}
	return wireUsage{
		PromptTokenCount:     u.PromptTokens,
		CandidatesTokenCount: u.OutputTokens,
		ThoughtsTokenCount:   u.ThoughtsTokens,
		TotalTokenCount:      total,
		PromptTokensDetails:  []wireModalityTokens{{Modality: "TEXT", TokenCount: u.PromptTokens}},
	}
}

func tokens(n int) int { return (n + 3) / 4 }

// answer writes one successful (HTTP 200) reply.
type answer struct {
	reply Reply
	model string
	id    string
	usage wireUsage
}

func (a answer) base() wireResponse {
	v := a.reply.ModelVersion
	if v == "" {
		v = a.model
	}
	return wireResponse{ModelVersion: v, ResponseID: a.id}
}

func (a answer) finishReason() string {
	if a.reply.FinishReason == "" {
		return "STOP"
	}
	return a.reply.FinishReason
}

func (a answer) unary(w http.ResponseWriter) {
	r := a.reply
	if r.Break {
		panic(http.ErrAbortHandler) // the connection closes before any byte of the answer
	}
	if r.Raw != "" {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = io.WriteString(w, r.Raw)
		return
	}
	resp := a.base()
	resp.UsageMetadata = &a.usage
	switch {
	case r.BlockReason != "":
		resp.PromptFeedback = &wirePromptFeedback{BlockReason: r.BlockReason, SafetyRatings: r.SafetyRatings}
	case r.NoCandidates:
	default:
		c := wireCandidate{FinishReason: a.finishReason(), SafetyRatings: r.SafetyRatings}
		var parts []wirePart
		if r.Thought != "" {
			parts = append(parts, wirePart{Text: r.Thought, Thought: true})
		}
		if text := r.Text(); text != "" {
			parts = append(parts, wirePart{Text: text})
		}
		if len(parts) > 0 {
			c.Content = &wireContent{Role: "model", Parts: parts}
		}
		resp.Candidates = []wireCandidate{c}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (a answer) stream(w http.ResponseWriter, req *http.Request) {
	r := a.reply
	ctx := req.Context()
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	events := 0
	send := func(v any) bool {
		if events > 0 && !sleep(ctx, r.ChunkDelay) {
			return false
		}
		events++
		var b []byte
		if s, ok := v.(string); ok {
			b = []byte(s)
		} else {
			var err error
			if b, err = json.Marshal(v); err != nil {
				panic(err)
			}
		}
		if _, err := io.WriteString(w, "data: "+string(b)+"\n\n"); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}

	finish := a.finishReason()
	ends := !r.Break && r.StreamErrorStatus == 0 && !r.OmitFinish && r.BlockReason == "" && !r.NoCandidates
	// STOP and MAX_TOKENS ride on the last text chunk, as the API does; other reasons (safety) come in
	// a final event of their own, without content.
	finishOnLast := ends && (finish == "STOP" || finish == "MAX_TOKENS") && len(r.Chunks) > 0
	promptOnly := a.usage
	promptOnly.CandidatesTokenCount, promptOnly.ThoughtsTokenCount = 0, 0
	promptOnly.TotalTokenCount = promptOnly.PromptTokenCount

	for i, chunk := range r.Chunks {
		var parts []wirePart
		if i == 0 && r.Thought != "" {
			parts = append(parts, wirePart{Text: r.Thought, Thought: true})
		}
		parts = append(parts, wirePart{Text: chunk})
		ev := a.base()
		c := wireCandidate{Content: &wireContent{Role: "model", Parts: parts}}
		if last := i == len(r.Chunks)-1; last && finishOnLast {
			c.FinishReason = finish
			c.SafetyRatings = r.SafetyRatings
			ev.UsageMetadata = &a.usage
		} else {
			u := promptOnly
			ev.UsageMetadata = &u
		}
		ev.Candidates = []wireCandidate{c}
		if !send(ev) {
			return
		}
	}
	if r.Raw != "" && !send(r.Raw) {
		return
	}
	switch {
	case r.Break:
		panic(http.ErrAbortHandler) // truncated chunked body: the client reads an unexpected EOF
	case r.StreamErrorStatus != 0:
		send(errorBody(r.StreamErrorStatus, r.ErrorStatus, r.ErrorMessage, r.RetryDelay))
	case r.BlockReason != "":
		ev := a.base()
		ev.PromptFeedback = &wirePromptFeedback{BlockReason: r.BlockReason, SafetyRatings: r.SafetyRatings}
		ev.UsageMetadata = &promptOnly
		send(ev)
	case r.NoCandidates:
		ev := a.base()
		ev.UsageMetadata = &a.usage
		send(ev)
	case r.OmitFinish || finishOnLast:
	default:
		ev := a.base()
		ev.Candidates = []wireCandidate{{FinishReason: finish, SafetyRatings: r.SafetyRatings}}
		ev.UsageMetadata = &a.usage
		send(ev)
	}
}

func writeError(w http.ResponseWriter, r Reply) {
	writeJSON(w, r.Status, errorBody(r.Status, r.ErrorStatus, r.ErrorMessage, r.RetryDelay))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// sleep waits d unless ctx ends first; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
