package llm_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"google.golang.org/genai"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

func TestGenerate(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("Hola, Marta.").WithUsage(42, 7).WithModelVersion("gemini-test-flash-001"))
	c := newClient(t, fake)

	res, err := c.Generate(context.Background(), ask("hola"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if res.Text != "Hola, Marta." || res.FinishReason != llm.FinishStop {
		t.Errorf("result = %q, %q; want %q, STOP", res.Text, res.FinishReason, "Hola, Marta.")
	}
	want := llm.Usage{Model: testModel, ModelVersion: "gemini-test-flash-001", PromptTokens: 42, OutputTokens: 7, TotalTokens: 49, Attempts: 1}
	got := res.Usage
	got.Duration = 0
	if got != want {
		t.Errorf("usage = %+v, want %+v", got, want)
	}
	if res.Usage.Duration <= 0 {
		t.Errorf("usage.Duration = %v, want > 0", res.Usage.Duration)
	}
}

// The request on the wire is what the SDK makes of our Request and Config.
func TestGenerateRequestOnTheWire(t *testing.T) {
	fake := llmtest.NewServer(t)
	c := newClient(t, fake, func(cfg *llm.Config) {
		cfg.Temperature = genai.Ptr[float32](0.7)
		cfg.MaxOutputTokens = 512
		cfg.ThinkingLevel = "low"
	})
	req := llm.Request{
		System: "You are the 0Bullshit mentor.",
		Messages: []llm.Message{
			{Role: llm.RoleUser, Text: "I raise a seed round."},
			{Role: llm.RoleModel, Text: "How much?"},
			{Role: llm.RoleUser, Text: llm.QuoteUserText("500k")},
		},
	}
	if _, err := c.Generate(context.Background(), req); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	got := fake.LastRequest()
	if got.Path != "/v1beta/models/"+testModel+":generateContent" || got.Stream {
		t.Errorf("path = %q (stream %v), want generateContent of %s", got.Path, got.Stream, testModel)
	}
	if got.Model != testModel {
		t.Errorf("model = %q, want %q", got.Model, testModel)
	}
	if got.APIKey != llmtest.APIKey {
		t.Errorf("x-goog-api-key = %q, want the configured key", got.APIKey)
	}
	if got.Header.Get("x-server-timeout") == "" {
		t.Error("x-server-timeout header missing: the attempt deadline should reach the server")
	}
	if got.System != req.System || got.SystemRole != "user" {
		t.Errorf("systemInstruction = %q (role %q), want %q (role user)", got.System, got.SystemRole, req.System)
	}
	if len(got.Contents) != 3 {
		t.Fatalf("contents = %+v, want 3 turns", got.Contents)
	}
	for i, m := range req.Messages {
		if got.Contents[i].Role != string(m.Role) || got.Contents[i].Text != m.Text {
			t.Errorf("contents[%d] = %+v, want %s %q", i, got.Contents[i], m.Role, m.Text)
		}
	}
	cfg := got.Config
	if cfg.Temperature == nil || *cfg.Temperature != 0.7 {
		t.Errorf("temperature = %v, want 0.7", cfg.Temperature)
	}
	if cfg.MaxOutputTokens != 512 {
		t.Errorf("maxOutputTokens = %d, want 512", cfg.MaxOutputTokens)
	}
	if cfg.ThinkingConfig["thinkingLevel"] != "LOW" {
		t.Errorf("thinkingConfig = %v, want thinkingLevel LOW", cfg.ThinkingConfig)
	}
	if cfg.ResponseMIMEType != "" || cfg.ResponseSchema != nil {
		t.Errorf("plain Generate sent responseMimeType %q / schema %v", cfg.ResponseMIMEType, cfg.ResponseSchema)
	}

	// Request-level overrides win over the config.
	req.Temperature = genai.Ptr[float32](0)
	req.MaxTokens = 64
	req.Model = "gemini-other"
	if _, err := c.Generate(context.Background(), req); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	got = fake.LastRequest()
	if got.Model != "gemini-other" {
		t.Errorf("model = %q, want the request's gemini-other", got.Model)
	}
	if got.Config.Temperature == nil || *got.Config.Temperature != 0 {
		t.Errorf("temperature = %v, want an explicit 0", got.Config.Temperature)
	}
	if got.Config.MaxOutputTokens != 64 {
		t.Errorf("maxOutputTokens = %d, want 64", got.Config.MaxOutputTokens)
	}
}

func TestGenerateSkipsThoughts(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("answer").WithThought("secret reasoning"))
	res, err := newClient(t, fake).Generate(context.Background(), ask("q"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if res.Text != "answer" {
		t.Errorf("text = %q, want only the non-thought part", res.Text)
	}
	if res.Usage.ThoughtsTokens == 0 {
		t.Error("thoughts tokens not reported")
	}
}

func TestGenerateMaxTokensIsNotAnError(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("The three steps are: one, two").WithFinishReason("MAX_TOKENS"))
	res, err := newClient(t, fake).Generate(context.Background(), ask("q"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if res.FinishReason != llm.FinishMaxTokens {
		t.Errorf("finish = %q, want MAX_TOKENS so the caller knows the text is cut", res.FinishReason)
	}
}

func TestGenerateBadOutput(t *testing.T) {
	cases := []struct {
		name   string
		reply  llmtest.Reply
		reason string
	}{
		{"no candidates", llmtest.Empty(), ""},
		{"empty text", llmtest.Text(""), "STOP"},
		{"only thoughts", llmtest.Text("").WithThought("hmm"), "STOP"},
		{"empty after max tokens (thinking ate the budget)", llmtest.Text("").WithFinishReason("MAX_TOKENS"), "MAX_TOKENS"},
		{"unexpected finish reason", llmtest.Text("x").WithFinishReason("MALFORMED_FUNCTION_CALL"), "MALFORMED_FUNCTION_CALL"},
		{"body is not JSON", llmtest.Malformed(`{"candidates": [`), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tc.reply)
			_, err := newClient(t, fake).Generate(context.Background(), ask("q"))
			e := asError(t, err, llm.ErrBadOutput)
			if e.Reason != tc.reason {
				t.Errorf("reason = %q, want %q", e.Reason, tc.reason)
			}
			if n := fake.RequestCount(); n != 1 {
				t.Errorf("requests = %d, want 1 (bad output is not retried)", n)
			}
		})
	}
}

func TestBlocked(t *testing.T) {
	schema := &llm.Schema{Type: llm.TypeObject, Properties: map[string]*llm.Schema{"a": {Type: llm.TypeString}}}
	calls := map[string]func(*llm.Client) error{
		"generate": func(c *llm.Client) error { _, err := c.Generate(context.Background(), ask("q")); return err },
		"generate json": func(c *llm.Client) error {
			var out map[string]any
			_, err := c.GenerateJSON(context.Background(), ask("q"), schema, &out)
			return err
		},
		"stream": func(c *llm.Client) error { _, err := c.Stream(context.Background(), ask("q"), nil); return err },
	}
	replies := []struct {
		name   string
		reply  llmtest.Reply
		reason string
	}{
		{"prompt SAFETY", llmtest.PromptBlocked("SAFETY"), "SAFETY"},
		{"prompt PROHIBITED_CONTENT", llmtest.PromptBlocked("PROHIBITED_CONTENT"), "PROHIBITED_CONTENT"},
		{"candidate SAFETY", llmtest.CandidateBlocked("SAFETY"), "SAFETY"},
		{"candidate RECITATION", llmtest.CandidateBlocked("RECITATION"), "RECITATION"},
	}
	for op, call := range calls {
		for _, r := range replies {
			t.Run(op+"/"+r.name, func(t *testing.T) {
				fake := llmtest.NewServer(t)
				fake.Enqueue(r.reply)
				e := asError(t, call(newClient(t, fake)), llm.ErrBlocked)
				if e.Reason != r.reason || e.Op != op {
					t.Errorf("error = %+v, want op %q reason %q", e, op, r.reason)
				}
				if n := fake.RequestCount(); n != 1 {
					t.Errorf("requests = %d, want 1 (blocks are not retried)", n)
				}
			})
		}
	}
}

func TestInvalidRequestsAreRejectedLocally(t *testing.T) {
	fake := llmtest.NewServer(t)
	c := newClient(t, fake)
	cases := map[string]llm.Request{
		"no messages": {},
		"bad role":    {Messages: []llm.Message{{Role: "system", Text: "x"}}},
		"empty text":  {Messages: []llm.Message{{Role: llm.RoleUser, Text: "  "}}},
		"bad model":   {Model: "gemini?key=x", Messages: []llm.Message{{Role: llm.RoleUser, Text: "x"}}},
		"temperature": {Temperature: genai.Ptr[float32](3), Messages: []llm.Message{{Role: llm.RoleUser, Text: "x"}}},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Generate(context.Background(), req)
			e := asError(t, err, llm.ErrInvalidRequest)
			if e.Attempts != 0 {
				t.Errorf("attempts = %d, want 0", e.Attempts)
			}
		})
	}
	var out struct{}
	if _, err := c.GenerateJSON(context.Background(), ask("q"), nil, &out); !errors.Is(err, llm.ErrInvalidRequest) {
		t.Errorf("nil schema: %v, want ErrInvalidRequest", err)
	}
	schema := &llm.Schema{Type: llm.TypeObject}
	if _, err := c.GenerateJSON(context.Background(), ask("q"), schema, out); !errors.Is(err, llm.ErrInvalidRequest) {
		t.Errorf("non-pointer out: %v, want ErrInvalidRequest", err)
	}
	if n := fake.RequestCount(); n != 0 {
		t.Errorf("requests = %d, want none", n)
	}
}

func TestNew(t *testing.T) {
	ctx := context.Background()
	if _, err := llm.New(ctx, llm.Config{}); !errors.Is(err, llm.ErrNoAPIKey) {
		t.Errorf("no key: %v, want ErrNoAPIKey", err)
	}
	t.Setenv("GEMINI_API_KEY", "from-env")
	if _, err := llm.New(ctx, llm.Config{}); !errors.Is(err, llm.ErrNoAPIKey) {
		t.Errorf("no key in config but one in the environment: %v, want ErrNoAPIKey (config is explicit)", err)
	}
	bad := []llm.Config{
		{APIKey: "k", BaseURL: "not a url"},
		{APIKey: "k", BaseURL: "ftp://x"},
		{APIKey: "k", Model: "a/b"},
		{APIKey: "k", ThinkingLevel: "extreme"},
		{APIKey: "k", Temperature: genai.Ptr[float32](-1)},
	}
	for _, cfg := range bad {
		if _, err := llm.New(ctx, cfg); err == nil {
			t.Errorf("New(%+v) = nil error, want invalid config", cfg)
		} else if strings.Contains(err.Error(), "k\"") {
			t.Errorf("error leaks the key: %v", err)
		}
	}
	c, err := llm.New(ctx, llm.Config{APIKey: "k"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.Model() != llm.DefaultModel {
		t.Errorf("default model = %q, want %q", c.Model(), llm.DefaultModel)
	}
}

func TestWrongAPIKeyIsNotRetried(t *testing.T) {
	fake := llmtest.NewServer(t)
	c := newClient(t, fake, func(cfg *llm.Config) { cfg.APIKey = "wrong" })
	_, err := c.Generate(context.Background(), ask("q"))
	e := asError(t, err, llm.ErrInvalidRequest)
	if e.HTTPStatus != http.StatusBadRequest || e.Status != "INVALID_ARGUMENT" || !strings.Contains(err.Error(), "API key not valid") {
		t.Errorf("error = %v, want Google's 400 INVALID_ARGUMENT", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the key: %v", err)
	}
	if n := fake.RequestCount(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// Debug logs and errors name the model and the failure, never the key, the prompt or the answer.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const key, userText, answer = "AIza-SECRET-KEY", "my secret cap table", "model says SECRET-ANSWER"
	fake := llmtest.NewServer(t, llmtest.WithAPIKey(key))
	var buf bytes.Buffer
	var mu sync.Mutex
	c := newClient(t, fake, func(cfg *llm.Config) {
		cfg.APIKey = key
		cfg.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	fake.Enqueue(llmtest.Error(503, ""), llmtest.Text(answer))
	if _, err := c.Generate(context.Background(), ask(userText)); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	fake.Enqueue(llmtest.Error(500, ""), llmtest.Error(500, ""), llmtest.Error(500, ""))
	_, err := c.Stream(context.Background(), llm.Request{System: userText, Messages: []llm.Message{{Role: llm.RoleUser, Text: userText}}}, nil)
	if err == nil {
		t.Fatal("Stream: want an error")
	}
	fake.Enqueue(llmtest.JSON(map[string]string{"a": answer}))
	var out struct {
		A int `json:"a"`
	}
	_, jerr := c.GenerateJSON(context.Background(), ask(userText), &llm.Schema{Type: llm.TypeObject, Properties: map[string]*llm.Schema{"a": {Type: llm.TypeInteger}}}, &out)
	if jerr == nil {
		t.Fatal("GenerateJSON: want a schema error")
	}
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "llm retry") {
		t.Errorf("debug log has no retry record:\n%s", logs)
	}
	for _, secret := range []string{key, userText, "SECRET-ANSWER"} {
		for where, s := range map[string]string{"logs": logs, "stream error": err.Error(), "json error": jerr.Error()} {
			if strings.Contains(s, secret) {
				t.Errorf("%s contain %q:\n%s", where, secret, s)
			}
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestConcurrentCalls(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.SetResponder(func(r llmtest.Request) llmtest.Reply {
		return llmtest.SplitText("echo: "+r.Contents[len(r.Contents)-1].Text, 3)
	})
	c := newClient(t, fake)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		msg := strings.Repeat("x", i+1)
		wg.Go(func() {
			res, err := c.Generate(context.Background(), ask(msg))
			if err == nil && res.Text != "echo: "+msg {
				err = errors.New("generate got " + res.Text)
			}
			errs <- err
		})
		wg.Go(func() {
			res, err := c.Stream(context.Background(), ask(msg), nil)
			if err == nil && res.Text != "echo: "+msg {
				err = errors.New("stream got " + res.Text)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// The SDK quotes the raw body or SSE line in its decoding errors; ours must not (it is model output).
func TestErrorsDoNotQuoteMalformedPayload(t *testing.T) {
	const payload = "SECRET-MODEL-OUTPUT"
	fake := llmtest.NewServer(t)
	c := newClient(t, fake)

	fake.Enqueue(llmtest.Malformed(`{"candidates":[{"content":{"parts":[{"text":"` + payload + `"}]}}`))
	_, err := c.Generate(context.Background(), ask("q"))
	asError(t, err, llm.ErrBadOutput)
	if strings.Contains(err.Error(), payload) {
		t.Errorf("generate error quotes the body: %v", err)
	}

	fake.Enqueue(llmtest.Reply{Chunks: []string{"ok "}, Raw: `{"candidates":[{"content":{"parts":[{"text":"` + payload, OmitFinish: true})
	_, err = c.Stream(context.Background(), ask("q"), nil)
	asError(t, err, llm.ErrStreamBroken)
	if strings.Contains(err.Error(), payload) {
		t.Errorf("stream error quotes the event: %v", err)
	}

	fake.Enqueue(llmtest.Reply{Chunks: []string{"ok "}, Raw: "event: " + payload, OmitFinish: true})
	_, err = c.Stream(context.Background(), ask("q"), nil)
	asError(t, err, llm.ErrStreamBroken)
	if strings.Contains(err.Error(), payload) {
		t.Errorf("stream error quotes the event: %v", err)
	}
}
