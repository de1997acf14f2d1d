package judge

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkOfflineDecide cycles through the labelled dataset (guards, language, intent and facts).
func BenchmarkOfflineDecide(b *testing.B) {
	j := newTestJudge(b)
	data := loadDataset(b, "testdata/messages.jsonl")
	inputs := make([]Input, len(data))
	for i, l := range data {
		inputs[i] = Input{Text: l.Text, History: l.History}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := j.Decide(ctx, inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOfflineDecideLong measures a message near the 4000-character limit.
func BenchmarkOfflineDecideLong(b *testing.B) {
	j := newTestJudge(b)
	var sb strings.Builder
	for _, l := range loadDataset(b, "testdata/messages.jsonl") {
		if l.Intent != IntentSpam && sb.Len()+len(l.Text) < 3900 {
			sb.WriteString(l.Text + " ")
		}
	}
	in := Input{Text: sb.String()}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Decide(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuard measures the guards alone (what a model-backed judge pays before calling out).
func BenchmarkGuard(b *testing.B) {
	data := loadDataset(b, "testdata/messages.jsonl")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l := data[i%len(data)]
		Guard(Input{Text: l.Text, History: l.History})
	}
}
