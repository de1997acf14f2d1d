package llm_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

// The benchmarks run a full round trip against the zero-latency fake (no recording), so ns/op and
// allocs/op are our overhead plus the SDK's plus local HTTP and the fake itself (allocations of the
// fake's handler are counted too: it runs in the same process). BenchmarkRawHTTP is the floor: the
// same request body posted with net/http and the answer discarded. BenchmarkSDKDirect is genai alone.
//
//	go test ./sidecar/internal/llm -run '^$' -bench . -benchmem

var benchReq = llm.Request{
	System: "You are the 0Bullshit mentor. Answer in the founder's language.\n" + llm.UserTextRule,
	Messages: []llm.Message{
		{Role: llm.RoleUser, Text: llm.QuoteUserText("Hola, busco inversores pre-seed para una fintech en Madrid.")},
	},
}

func benchFake(b *testing.B, reply llmtest.Reply) *llmtest.Server {
	fake := llmtest.NewServer(b, llmtest.WithoutRecording())
	fake.SetResponder(func(llmtest.Request) llmtest.Reply { return reply })
	return fake
}

const benchAnswer = "Claro. Para una fintech pre-seed en Madrid te recomiendo empezar por business angels con experiencia en pagos."

func BenchmarkRawHTTP(b *testing.B) {
	fake := benchFake(b, llmtest.Text(benchAnswer))
	body := []byte(`{"contents":[{"parts":[{"text":` + jsonString(benchReq.Messages[0].Text) + `}],"role":"user"}],` +
		`"systemInstruction":{"parts":[{"text":` + jsonString(benchReq.System) + `}],"role":"user"}}`)
	url := fake.URL + "/v1beta/models/" + testModel + ":generateContent"
	hc := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-goog-api-key", llmtest.APIKey)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
}

func BenchmarkSDKDirect(b *testing.B) {
	fake := benchFake(b, llmtest.Text(benchAnswer))
	gc, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey: llmtest.APIKey, Backend: genai.BackendGeminiAPI, HTTPOptions: genai.HTTPOptions{BaseURL: fake.URL},
	})
	if err != nil {
		b.Fatal(err)
	}
	contents := []*genai.Content{genai.NewContentFromText(benchReq.Messages[0].Text, genai.RoleUser)}
	cfg := &genai.GenerateContentConfig{SystemInstruction: genai.NewContentFromText(benchReq.System, genai.RoleUser)}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := gc.Models.GenerateContent(context.Background(), testModel, contents, cfg)
		if err != nil || len(resp.Candidates) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	fake := benchFake(b, llmtest.Text(benchAnswer))
	c := newClient(b, fake)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Generate(context.Background(), benchReq); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateJSON(b *testing.B) {
	fake := benchFake(b, llmtest.JSON(map[string]any{
		"intent": "search_investors", "confidence": 0.92, "spam": 3, "language": "es",
		"sectors": []string{"fintech"}, "amount": nil,
	}))
	c := newClient(b, fake)
	schema := decisionSchema()
	b.ReportAllocs()
	for b.Loop() {
		var out decision
		if _, err := c.GenerateJSON(context.Background(), benchReq, schema, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	fake := benchFake(b, llmtest.SplitText(benchAnswer, 8))
	c := newClient(b, fake)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := c.Stream(context.Background(), benchReq, func(string) error { n++; return nil }); err != nil || n != 8 {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkQuoteUserText(b *testing.B) {
	msg := strings.Repeat("Busco inversión «pre-seed» para mi startup 🚀 <b>ya</b>. ", 20)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		_ = llm.QuoteUserText(msg)
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
