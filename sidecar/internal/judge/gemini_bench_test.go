package judge

import (
	"context"
	"testing"

	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

// BenchmarkGeminiDecide is the sidecar's own cost of one judge call through the real genai client
// against a zero-latency fake Gemini: building the request (prompt, history, response schema),
// the HTTP round trip on loopback and validating the answer. The fake server runs in the same
// process, so the figure includes its (small) share.
func BenchmarkGeminiDecide(b *testing.B) {
	g, fake := newTestGemini(b, GeminiOptions{})
	fake.SetResponder(func(llmtest.Request) llmtest.Reply {
		return llmtest.JSON(modelAnswer("mentor", nil))
	})
	in := Input{Text: "How should I prepare my pitch deck for the seed round?", History: []Turn{
		{Role: "user", Text: "We are a fintech startup in Madrid raising a seed round."},
		{Role: "assistant", Text: "Great, tell me about your traction so far."},
	}}
	b.ReportAllocs()
	for b.Loop() {
		d, err := g.Decide(context.Background(), in)
		if err != nil || d.Mode != ModeGemini {
			b.Fatalf("decision %+v, error %v", d, err)
		}
	}
}
