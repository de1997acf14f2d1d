package llmtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

func post(t *testing.T, url, key, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("x-goog-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const body = `{"contents":[{"role":"user","parts":[{"text":"hola"}]}],"systemInstruction":{"role":"user","parts":[{"text":"sys"}]},"generationConfig":{"temperature":0.2,"responseMimeType":"application/json","responseSchema":{"type":"OBJECT"}}}`

func TestWireUnary(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("hi").WithUsage(3, 1))
	resp, got := post(t, fake.URL+"/v1beta/models/m-1:generateContent", llmtest.APIKey, body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %s, content type %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	want := `{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP","index":0}],` +
		`"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":3}]},` +
		`"modelVersion":"m-1","responseId":"llmtest-1"}`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	r := fake.LastRequest()
	if r.Model != "m-1" || r.Action != "generateContent" || r.System != "sys" || r.SystemRole != "user" ||
		len(r.Contents) != 1 || r.Contents[0] != (llmtest.Content{Role: "user", Text: "hola"}) ||
		*r.Config.Temperature != 0.2 || r.Config.ResponseMIMEType != "application/json" || r.Config.ResponseSchema["type"] != "OBJECT" ||
		r.Config.Raw["temperature"] != 0.2 {
		t.Errorf("recorded %+v", r)
	}
}

func TestWireStream(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Chunks("a", "b").WithUsage(5, 2))
	resp, got := post(t, fake.URL+"/v1beta/models/m:streamGenerateContent?alt=sse", llmtest.APIKey, body)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("content type %q", ct)
	}
	events := strings.Split(strings.TrimSuffix(got, "\n\n"), "\n\n")
	if len(events) != 2 {
		t.Fatalf("events = %q, want 2 (finish reason on the last chunk)", events)
	}
	for i, ev := range events {
		data, ok := strings.CutPrefix(ev, "data: ")
		if !ok {
			t.Fatalf("event %q is not a data line", ev)
		}
		var v struct {
			Candidates []struct {
				Content      struct{ Parts []struct{ Text string } }
				FinishReason string
			}
			UsageMetadata struct{ CandidatesTokenCount, TotalTokenCount int }
		}
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			t.Fatal(err)
		}
		c := v.Candidates[0]
		switch i {
		case 0:
			if c.Content.Parts[0].Text != "a" || c.FinishReason != "" || v.UsageMetadata.TotalTokenCount != 5 {
				t.Errorf("first event %s", data)
			}
		case 1:
			if c.Content.Parts[0].Text != "b" || c.FinishReason != "STOP" || v.UsageMetadata.TotalTokenCount != 7 {
				t.Errorf("last event %s", data)
			}
		}
	}
	// Without alt=sse the API streams a JSON array, which the fake does not implement.
	if resp, _ := post(t, fake.URL+"/v1beta/models/m:streamGenerateContent", llmtest.APIKey, body); resp.StatusCode != 400 {
		t.Errorf("stream without alt=sse: %s", resp.Status)
	}
}

func TestWireErrors(t *testing.T) {
	fake := llmtest.NewServer(t)
	url := fake.URL + "/v1beta/models/m:generateContent"
	type googleError struct {
		Error struct {
			Code    int
			Message string
			Status  string
			Details []map[string]any
		}
	}
	check := func(name string, resp *http.Response, got string, code int, status string) googleError {
		t.Helper()
		var e googleError
		if err := json.Unmarshal([]byte(got), &e); err != nil {
			t.Fatalf("%s: %v in %s", name, err, got)
		}
		if resp.StatusCode != code || e.Error.Code != code || e.Error.Status != status || e.Error.Message == "" {
			t.Errorf("%s: HTTP %d body %s, want %d %s", name, resp.StatusCode, got, code, status)
		}
		return e
	}
	resp, got := post(t, url, "", body)
	check("no key", resp, got, 403, "PERMISSION_DENIED")
	resp, got = post(t, url, "bad", body)
	check("wrong key", resp, got, 400, "INVALID_ARGUMENT")
	resp, got = post(t, fake.URL+"/v1/models/m:generateContent", llmtest.APIKey, body)
	check("unknown path", resp, got, 404, "NOT_FOUND")
	resp, got = post(t, url, llmtest.APIKey, `{"contents":[]}`)
	check("no contents", resp, got, 400, "INVALID_ARGUMENT")
	resp, got = post(t, url, llmtest.APIKey, `{`)
	check("bad JSON", resp, got, 400, "INVALID_ARGUMENT")

	fake.Enqueue(llmtest.RateLimited(1500*time.Millisecond), llmtest.Error(503, ""), llmtest.Error(500, "boom"))
	resp, got = post(t, url, llmtest.APIKey, body)
	e := check("429", resp, got, 429, "RESOURCE_EXHAUSTED")
	if len(e.Error.Details) != 1 || e.Error.Details[0]["@type"] != "type.googleapis.com/google.rpc.RetryInfo" || e.Error.Details[0]["retryDelay"] != "1.5s" {
		t.Errorf("429 details = %v", e.Error.Details)
	}
	resp, got = post(t, url, llmtest.APIKey, body)
	check("503", resp, got, 503, "UNAVAILABLE")
	resp, got = post(t, url, llmtest.APIKey, body)
	if e := check("500", resp, got, 500, "INTERNAL"); e.Error.Message != "boom" {
		t.Errorf("message = %q", e.Error.Message)
	}
	if n := fake.RequestCount(); n != 8 || len(fake.Requests()) != 8 {
		t.Errorf("count %d, recorded %d; want 8 (failed requests are recorded too)", n, len(fake.Requests()))
	}
}

func TestAnyKeyAndNoRecording(t *testing.T) {
	fake := llmtest.NewServer(t, llmtest.WithAPIKey(""), llmtest.WithoutRecording())
	var seen llmtest.Request
	fake.SetResponder(func(r llmtest.Request) llmtest.Reply { seen = r; return llmtest.Text("x") })
	if resp, _ := post(t, fake.URL+"/v1beta/models/m:generateContent", "", body); resp.StatusCode != 200 {
		t.Fatalf("status %s", resp.Status)
	}
	if fake.RequestCount() != 1 || len(fake.Requests()) != 0 || fake.LastRequest().Model != "" {
		t.Errorf("recorded %d requests without recording", len(fake.Requests()))
	}
	if seen.Model != "m" || seen.Body == nil || seen.Contents != nil {
		t.Errorf("responder saw %+v, want the undecoded request", seen)
	}
}

func TestDelayHonoursCancellation(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("late").WithDelay(10 * time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.URL+"/v1beta/models/m:generateContent", strings.NewReader(body))
	req.Header.Set("x-goog-api-key", llmtest.APIKey)
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v", err)
	}
	// The handler must have returned too: Close waits for active handlers.
	done := make(chan struct{})
	go func() { fake.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("handler still waiting after the client left")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("too slow")
	}
}

func TestSplitText(t *testing.T) {
	s := "¿Qué tal? 👋 bien"
	for _, n := range []int{-1, 1, 2, 3, 5, 100} {
		r := llmtest.SplitText(s, n)
		if r.Text() != s {
			t.Errorf("SplitText(%d) joins to %q", n, r.Text())
		}
		want := max(1, min(n, utf8.RuneCountInString(s)))
		if len(r.Chunks) != want {
			t.Errorf("SplitText(%d) = %d chunks, want %d", n, len(r.Chunks), want)
		}
		for _, c := range r.Chunks {
			if !utf8.ValidString(c) || c == "" {
				t.Errorf("SplitText(%d) chunk %q", n, c)
			}
		}
	}
}

// The real SDK reads every reply shape of the fake into the fields a client relies on.
func TestSDKParsesReplies(t *testing.T) {
	fake := llmtest.NewServer(t)
	gc, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey: llmtest.APIKey, Backend: genai.BackendGeminiAPI, HTTPOptions: genai.HTTPOptions{BaseURL: fake.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gen := func(r llmtest.Reply) (*genai.GenerateContentResponse, error) {
		fake.Enqueue(r)
		return gc.Models.GenerateContent(ctx, "m", genai.Text("hi"), nil)
	}

	resp, err := gen(llmtest.Text("answer").WithThought("why").WithUsage(7, 3).WithModelVersion("m-002"))
	if err != nil {
		t.Fatal(err)
	}
	u := resp.UsageMetadata
	if resp.Text() != "answer" || resp.Candidates[0].FinishReason != genai.FinishReasonStop || resp.ModelVersion != "m-002" ||
		u.PromptTokenCount != 7 || u.CandidatesTokenCount != 3 || u.TotalTokenCount != 10 || !resp.Candidates[0].Content.Parts[0].Thought {
		t.Errorf("text reply parsed as %+v", resp)
	}

	resp, err = gen(llmtest.PromptBlocked("PROHIBITED_CONTENT"))
	if err != nil || resp.PromptFeedback == nil || resp.PromptFeedback.BlockReason != genai.BlockedReasonProhibitedContent ||
		len(resp.Candidates) != 0 || !resp.PromptFeedback.SafetyRatings[0].Blocked {
		t.Errorf("prompt block parsed as %+v, %v", resp, err)
	}

	resp, err = gen(llmtest.CandidateBlocked("SAFETY"))
	if err != nil || resp.Candidates[0].FinishReason != genai.FinishReasonSafety || resp.Candidates[0].Content != nil ||
		resp.Candidates[0].SafetyRatings[0].Probability != genai.HarmProbabilityHigh {
		t.Errorf("candidate block parsed as %+v, %v", resp, err)
	}

	resp, err = gen(llmtest.Empty())
	if err != nil || len(resp.Candidates) != 0 || resp.PromptFeedback != nil {
		t.Errorf("empty parsed as %+v, %v", resp, err)
	}

	_, err = gen(llmtest.RateLimited(2 * time.Second))
	var apiErr genai.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 429 || apiErr.Status != "RESOURCE_EXHAUSTED" || apiErr.Details[0]["retryDelay"] != "2s" {
		t.Errorf("429 parsed as %#v", err)
	}

	if _, err = gen(llmtest.Malformed("{nope")); err == nil {
		t.Error("malformed body parsed without error")
	}

	// Streams: chunks in order, finish reason and usage at the end; a broken stream yields an error
	// after the chunks.
	stream := func(r llmtest.Reply) (texts []string, last *genai.GenerateContentResponse, err error) {
		fake.Enqueue(r)
		for chunk, err := range gc.Models.GenerateContentStream(ctx, "m", genai.Text("hi"), nil) {
			if err != nil {
				return texts, last, err
			}
			texts = append(texts, chunk.Text())
			last = chunk
		}
		return texts, last, nil
	}
	texts, last, err := stream(llmtest.Chunks("x", "y", "z").WithUsage(4, 3))
	if err != nil || strings.Join(texts, "|") != "x|y|z" || last.Candidates[0].FinishReason != genai.FinishReasonStop || last.UsageMetadata.TotalTokenCount != 7 {
		t.Errorf("stream = %q, %+v, %v", texts, last, err)
	}
	texts, _, err = stream(llmtest.Broken("x", "y"))
	if err == nil || strings.Join(texts, "|") != "x|y" {
		t.Errorf("broken stream = %q, %v; want 2 chunks then an error", texts, err)
	}
	texts, _, err = stream(llmtest.StreamError(503, "x"))
	if !errors.As(err, &apiErr) || apiErr.Code != 503 || len(texts) != 1 {
		t.Errorf("in-band error = %q, %v", texts, err)
	}
	texts, last, err = stream(llmtest.CandidateBlocked("SAFETY", "x"))
	if err != nil || len(texts) != 2 || last.Candidates[0].FinishReason != genai.FinishReasonSafety {
		t.Errorf("blocked stream = %q, %+v, %v", texts, last, err)
	}
}
