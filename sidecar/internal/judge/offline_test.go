package judge

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

func newTestJudge(t testing.TB) *Offline {
	t.Helper()
	j, err := NewOffline(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func decide(t *testing.T, j *Offline, in Input) Decision {
	t.Helper()
	d, err := j.Decide(context.Background(), in)
	if err != nil {
		t.Fatalf("Decide(%q): %v", in.Text, err)
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("Decide(%q) returned an invalid decision: %v", in.Text, err)
	}
	if d.Mode != ModeOffline {
		t.Errorf("mode %q", d.Mode)
	}
	return d
}

func TestOfflineUsesHistory(t *testing.T) {
	j := newTestJudge(t)
	offer := []Turn{{Role: RoleAssistant, Text: "Shall I search for seed investors that match your project?"}}
	offerOutreach := []Turn{{Role: RoleAssistant, Text: "Do you want me to prepare a LinkedIn outreach campaign for these investors?"}}
	offerEs := []Turn{{Role: RoleAssistant, Text: "¿Quieres que busque inversores para tu ronda?"}}
	for _, c := range []struct {
		text    string
		history []Turn
		want    Intent
	}{
		{"yes", offer, IntentSearchInvestors},
		{"yes", nil, IntentSmalltalk},
		{"👍", offer, IntentSearchInvestors},
		{"👍", nil, IntentSmalltalk},
		{"sure", offerOutreach, IntentOutreach},
		{"no thanks", offer, IntentSmalltalk},
		{"venga, adelante", offerEs, IntentSearchInvestors},
		{"ahora no", offerEs, IntentSmalltalk},
		// A real request after an offer is judged on its own.
		{"actually, how much is Pro?", offer, IntentPlans},
		{"seed, fintech", []Turn{{Role: RoleAssistant, Text: "What stage are you at, and what's your sector?"}}, IntentProjectUpdate},
		{"write to them", []Turn{{Role: RoleAssistant, Text: "I found 12 investors; the top 3 matches are above."}}, IntentOutreach},
		{"shorter please", []Turn{{Role: RoleAssistant, Text: "Here's a draft message: \"Hi Ana, ...\""}}, IntentOutreach},
	} {
		d := decide(t, j, Input{Text: c.text, History: c.history})
		if d.Intent != c.want {
			t.Errorf("%q after %v: intent %s (%v), want %s", c.text, c.history, d.Intent, d.Reasons, c.want)
		}
	}
}

func TestOfflineFactsGating(t *testing.T) {
	j := newTestJudge(t)
	// Project update: all facts.
	d := decide(t, j, Input{Text: "Somos una fintech de Madrid en fase pre-seed con 12k€ de MRR"})
	if d.Intent != IntentProjectUpdate || d.Facts.Stage != "pre_seed" || d.Facts.Country != "ES" || d.Facts.Metrics == nil {
		t.Errorf("project update: %s %+v", d.Intent, d.Facts)
	}
	// A search: only the founder's own clauses count; the search filter is not a fact.
	d = decide(t, j, Input{Text: "We have 40k MRR now, can you find Series A funds in fintech in Germany?"})
	if d.Intent != IntentSearchInvestors {
		t.Fatalf("intent %s", d.Intent)
	}
	if d.Facts.Metrics == nil || d.Facts.Metrics.MRR != 40000 || d.Facts.Stage != "" || d.Facts.Country != "" || len(d.Facts.Categories) > 0 {
		t.Errorf("search facts: %+v", d.Facts)
	}
	d = decide(t, j, Input{Text: "show me VCs that back climate tech in Germany"})
	if !d.Facts.IsZero() {
		t.Errorf("filters leaked into facts: %+v", d.Facts)
	}
	// Other intents carry no facts.
	d = decide(t, j, Input{Text: "We need a law firm experienced in term sheets in Madrid"})
	if d.Intent != IntentSearchCompanies || !d.Facts.IsZero() {
		t.Errorf("companies: %s %+v", d.Intent, d.Facts)
	}
}

func TestOfflineProjectSnapshot(t *testing.T) {
	j := newTestJudge(t)
	text := "seed fintech"
	fresh := decide(t, j, Input{Text: text})
	known := decide(t, j, Input{Text: text, Project: &ProjectSnapshot{
		Facts: ProjectFacts{Categories: []string{"fintech"}, Stage: "seed"}, Completeness: 50}})
	if fresh.Intent != IntentProjectUpdate {
		t.Errorf("new facts: %s", fresh.Intent)
	}
	if known.Intent == IntentProjectUpdate && known.Confidence >= fresh.Confidence {
		t.Errorf("restating known facts should not look like a stronger update: %v vs %v", known, fresh)
	}
}

func TestOfflineConfidence(t *testing.T) {
	j := newTestJudge(t)
	clear := decide(t, j, Input{Text: "Find me seed investors for my fintech startup in Spain"})
	vague := decide(t, j, Input{Text: "hmm, interesting, tell me more about that"})
	if clear.Confidence <= vague.Confidence {
		t.Errorf("clear %.2f should beat vague %.2f", clear.Confidence, vague.Confidence)
	}
	if clear.Confidence < 0.7 {
		t.Errorf("clear request confidence %.2f", clear.Confidence)
	}
}

func TestOfflineContextCanceled(t *testing.T) {
	j := newTestJudge(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := j.Decide(ctx, Input{Text: "hola"})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "judge:") {
		t.Errorf("err = %v", err)
	}
}

func TestOfflineConcurrent(t *testing.T) {
	j := newTestJudge(t)
	data := loadDataset(t, "testdata/messages.jsonl")
	want := make([]Decision, len(data))
	for i, l := range data {
		want[i], _ = j.Decide(context.Background(), Input{Text: l.Text, History: l.History})
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, l := range data {
				d, _ := j.Decide(context.Background(), Input{Text: l.Text, History: l.History})
				if d.Intent != want[i].Intent || d.Confidence != want[i].Confidence {
					t.Errorf("non-deterministic result for %q", l.Text)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestFormatJSON(t *testing.T) {
	j := newTestJudge(t)
	d := decide(t, j, Input{Text: "Tenemos un MRR de 12k€ y somos 3 cofundadores"})
	b, err := FormatJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	for _, k := range []string{"intent", "confidence", "language", "spam_score", "facts"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q in %s", k, b)
		}
	}
	if m["intent"] != "project_update" || m["language"] != "es" {
		t.Errorf("unexpected %s", b)
	}
	facts := m["facts"].(map[string]any)
	if facts["metrics"].(map[string]any)["mrr"] != 12000.0 || facts["team"].(map[string]any)["size"] != 3.0 {
		t.Errorf("facts %v", facts)
	}
	// Empty facts are an object, never null.
	b, _ = FormatJSON(Decision{Intent: IntentSmalltalk, Language: "en"})
	if !strings.Contains(string(b), `"facts": {}`) {
		t.Errorf("empty facts: %s", b)
	}
	// Round trip.
	var back Decision
	b, _ = FormatJSON(d)
	if err := json.Unmarshal(b, &back); err != nil || back.Intent != d.Intent || back.Facts.Metrics.MRR != 12000 {
		t.Errorf("round trip: %v %+v", err, back)
	}
	if _, err := FormatJSON(Decision{Confidence: math.NaN()}); err == nil || !strings.Contains(err.Error(), "judge: format") {
		t.Errorf("NaN: %v", err)
	}
}

// A search that states the startup's facts is a search, and the facts are still extracted (the
// chat merges them into the project).
func TestOfflineSearchWithFacts(t *testing.T) {
	j, err := NewOffline(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	d, err := j.Decide(context.Background(), Input{Text: "Busco business angels para mi fintech en Madrid, estamos en pre-seed"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Intent != IntentSearchInvestors {
		t.Fatalf("intent %s, want search_investors (%v)", d.Intent, d.Reasons)
	}
	if d.Facts.Stage != "pre_seed" || !slices.Contains(d.Facts.Categories, "fintech") || d.Facts.City != "Madrid" {
		t.Errorf("facts = %+v", d.Facts)
	}
	// An explicit correction stays an update even when it mentions investors.
	d, err = j.Decide(context.Background(), Input{Text: "Actualiza la fase: ya estamos en seed, los inversores nos piden métricas"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Intent != IntentProjectUpdate {
		t.Errorf("intent %s, want project_update (%v)", d.Intent, d.Reasons)
	}
}
