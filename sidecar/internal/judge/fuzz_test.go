package judge

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FuzzOfflineDecide feeds arbitrary text (and an arbitrary assistant turn) through the guards,
// language detection, classification and extraction: no panics, and every decision is well formed.
func FuzzOfflineDecide(f *testing.F) {
	if data, err := os.ReadFile("testdata/messages.jsonl"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			var l labeled
			if json.Unmarshal([]byte(line), &l) == nil {
				f.Add(l.Text, "")
			}
		}
	}
	for _, s := range []string{"", " ", "\x00", "\xff\xfe", "$", "€€€", "1.2.3.4,5,6k€$", "k", "12%%", "¿¡", "<|im_start|>",
		"9999999999999999999999999999 millones de euros", "buscamos 1e308", "team of 99999999999", "ex-", "problem:",
		"Nuestro problema:", "somos 0 cofundadores", strings.Repeat("ñ", 5000)} {
		f.Add(s, "¿Quieres que busque inversores?")
	}
	j, err := NewOffline(DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, assistant string) {
		in := Input{Text: text, History: []Turn{{Role: RoleAssistant, Text: assistant}}, RecentUserMessages: len(text) % 20}
		d, err := j.Decide(context.Background(), in)
		if err != nil {
			t.Fatalf("Decide: %v", err)
		}
		if len(d.Language) != 2 || d.Language != strings.ToLower(d.Language) {
			t.Fatalf("language %q", d.Language)
		}
		if !(d.Confidence >= 0 && d.Confidence <= 1) || !(d.SpamScore >= 0 && d.SpamScore <= 1) {
			t.Fatalf("confidence %v spam %v", d.Confidence, d.SpamScore)
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("invalid decision for %q: %v", text, err)
		}
		if _, err := FormatJSON(d); err != nil {
			t.Fatalf("FormatJSON: %v", err)
		}
		if err := ExtractFacts(text).Validate(); err != nil {
			t.Fatalf("ExtractFacts(%q) invalid: %v", text, err)
		}
		if g, ok := Guard(in); ok && !g.Intent.Valid() {
			t.Fatalf("guard settled with intent %q", g.Intent)
		}
	})
}
