package agents

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// recorder collects streamed deltas.
type recorder struct{ parts []string }

func (r *recorder) send(d string) { r.parts = append(r.parts, d) }
func (r *recorder) text() string  { return strings.Join(r.parts, "") }

// checkReply asserts the invariants of every chat reply: offline mode, the streamed pieces add up to
// the text, the language, the length bound, and the content markers (each group: any of them, case
// insensitive).
func checkReply(t *testing.T, rep Reply, rec *recorder, lang string, want [][]string, notWant []string) {
	t.Helper()
	if rep.Mode != judge.ModeOffline {
		t.Errorf("mode %q, want offline", rep.Mode)
	}
	if rec != nil && rec.text() != rep.Text {
		t.Errorf("streamed %q, reply %q", rec.text(), rep.Text)
	}
	if n := utf8.RuneCountInString(rep.Text); n > MaxReplyChars || n == 0 {
		t.Errorf("reply has %d characters:\n%s", n, rep.Text)
	}
	if got := judge.DetectLanguage(rep.Text, nil); got != lang {
		t.Errorf("reply language %q, want %q:\n%s", got, lang, rep.Text)
	}
	low := strings.ToLower(rep.Text)
	for _, group := range want {
		found := false
		for _, w := range group {
			if strings.Contains(low, strings.ToLower(w)) {
				found = true
			}
		}
		if !found {
			t.Errorf("reply lacks any of %q:\n%s", group, rep.Text)
		}
	}
	for _, w := range notWant {
		if strings.Contains(low, strings.ToLower(w)) {
			t.Errorf("reply contains %q:\n%s", w, rep.Text)
		}
	}
}

func project(name string, completeness int, f judge.ProjectFacts, missing ...string) *Project {
	return &Project{ID: "p1", Name: name, Facts: f, Completeness: completeness, Missing: missing}
}

var (
	ideaHealth = project("MediScan", 50, judge.ProjectFacts{Categories: []string{"healthtech"}, Stage: "idea"},
		"metrics", "team", "problem", "product_status", "previous_funding")
	seedFintech = project("Verdana Pay", 90, judge.ProjectFacts{Categories: []string{"fintech"}, Stage: "seed", Country: "ES",
		Metrics: &judge.Metrics{MRR: 40000, Currency: "EUR"}, Team: &judge.Team{Size: 6}, Problem: "invoicing for SMEs",
		ProductStatus: "revenue"}, "previous_funding")
	onlySector = project("Xo", 25, judge.ProjectFacts{Categories: []string{"saas"}}, "stage", "metrics", "team", "problem",
		"product_status", "previous_funding")
)

func TestMentor(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	cases := []struct {
		name, lang, text string
		p                *Project
		want             [][]string
		notWant          []string
	}{
		{"idea healthtech raising", "en", "How should I raise money for my startup?", ideaHealth,
			[][]string{{"validat"}, {"customers"}, {"regulation"}, {"traction"}}, nil},
		{"idea healthtech raising es", "es", "¿Cómo levanto dinero para mi startup?", ideaHealth,
			[][]string{{"valida"}, {"clientes"}, {"regulación"}}, nil},
		{"seed pitch deck", "en", "How should I prepare the pitch deck for this round?", seedFintech,
			[][]string{{"traction"}, {"the ask"}, {"seed-stage fintech"}}, []string{"idea stage"}},
		{"seed pitch deck es", "es", "¿Cómo preparo el pitch deck para la ronda?", seedFintech,
			[][]string{{"tracción"}, {"petición"}}, nil},
		{"valuation pre-seed", "en", "What valuation cap should we accept on our SAFE?", project("A", 50,
			judge.ProjectFacts{Categories: []string{"ai"}, Stage: "pre_seed"}), [][]string{{"SAFE"}, {"cap"}, {"pre-seed"}}, nil},
		{"cofounders es", "es", "¿Cómo repartimos el equity entre cofundadores?", seedFintech,
			[][]string{{"vesting"}, {"cliff"}}, nil},
		{"pricing", "en", "How much should we charge? Pricing is hard", seedFintech, [][]string{{"price"}}, nil},
		{"hiring es", "es", "¿Cuándo debería contratar a mi primer empleado?", ideaHealth, [][]string{{"cofundador"}}, nil},
		{"growth metrics series a", "en", "Which metrics matter for growth now?", project("B", 100,
			judge.ProjectFacts{Categories: []string{"saas"}, Stage: "series_a", Metrics: &judge.Metrics{ARR: 2e6}}),
			[][]string{{"CAC payback"}, {"net revenue retention"}}, nil},
		{"pmf no project", "en", "How do I know if I have product market fit?", nil,
			[][]string{{"retention"}, {"tell me about your startup"}}, nil},
		{"unknown stage asks for it", "es", "Dame consejos para crecer", onlySector,
			[][]string{{"¿en qué fase"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			rep, err := a.Mentor(t.Context(), Request{Text: c.text, Language: c.lang, Project: c.p}, rec.send)
			if err != nil {
				t.Fatal(err)
			}
			checkReply(t, rep, rec, c.lang, c.want, c.notWant)
		})
	}
}

func TestChooseTopic(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"How do I raise a seed round?":             "fundraising",
		"¿Cómo hago el deck para inversores?":      "pitch",
		"what's a fair valuation for a SAFE":       "valuation",
		"Busco cofundador técnico":                 "team",
		"cómo fijo el precio de la suscripción":    "pricing",
		"how do we reduce churn":                   "growth",
		"how to validate my idea":                  "pmf",
		"should I hire a freelancer or employees?": "hiring",
		"what should I focus on this week":         "general",
	} {
		if got := chooseTopic(text).id; got != want {
			t.Errorf("chooseTopic(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestLibrarianOffline(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()}) // no database: data questions must not invent numbers
	cases := []struct {
		name, lang, text string
		p                *Project
		want             [][]string
		notWant          []string
	}{
		{"safe", "en", "What is a SAFE?", nil, [][]string{{"Simple Agreement for Future Equity"}, {"valuation cap"}}, nil},
		{"nota convertible", "es", "¿Qué es una nota convertible?", nil, [][]string{{"préstamo"}, {"vencimiento"}}, nil},
		{"cap table not cap", "en", "what is a cap table?", nil, [][]string{{"who owns what"}}, []string{"maximum valuation"}},
		{"pre post", "es", "¿Qué diferencia hay entre pre-money y post-money?", nil, [][]string{{"post-money = pre-money"}}, nil},
		{"two terms", "en", "Explain vesting and liquidation preference", nil, [][]string{{"cliff"}, {"1x non-participating"}}, nil},
		{"runway es", "es", "¿qué es el runway?", seedFintech, [][]string{{"meses"}, {"seed"}}, nil},
		{"my project", "en", "What do you know about my project?", seedFintech,
			[][]string{{"Verdana Pay"}, {"Fintech"}, {"MRR 40,000 EUR"}, {"previous funding"}}, nil},
		{"mi proyecto", "es", "¿Qué sabes de mi proyecto?", seedFintech,
			[][]string{{"Verdana Pay"}, {"MRR 40.000 EUR"}, {"financiación previa"}}, nil},
		{"no project", "en", "what do you know about my startup?", nil, [][]string{{"don't have a project"}}, nil},
		{"data without db", "en", "How many seed fintech investors are there in Spain?", nil, [][]string{{"won't guess"}}, nil},
		{"unknown", "es", "¿Qué es un gato?", nil, [][]string{{"no tengo una respuesta fiable"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			rep, err := a.Librarian(t.Context(), Request{Text: c.text, Language: c.lang, Project: c.p}, rec.send)
			if err != nil {
				t.Fatal(err)
			}
			checkReply(t, rep, rec, c.lang, c.want, c.notWant)
		})
	}
}

func TestOnboardingAndSmalltalk(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	welcome := Onboarding{CurrentStep: StepWelcome}
	details := Onboarding{CurrentStep: StepProjectDetails, CompletedSteps: []string{StepWelcome, StepProjectCreation}}
	search := Onboarding{CurrentStep: StepFirstSearch, CompletedSteps: []string{StepWelcome, StepProjectCreation, StepProjectDetails}}
	done := Onboarding{CurrentStep: StepCompleted}
	cases := []struct {
		name, lang, text string
		ob               Onboarding
		p                *Project
		smalltalk        bool
		want             [][]string
		notWant          []string
	}{
		{"new user", "en", "hi", welcome, nil, false, [][]string{{"Welcome to 0Bullshit"}, {"name"}, {"sector"}, {"stage"}}, nil},
		{"new user es", "es", "hola", welcome, nil, false, [][]string{{"Bienvenido"}, {"nombre"}, {"sector"}, {"fase"}}, nil},
		{"incomplete", "en", "hey", details, onlySector, false,
			[][]string{{"25%"}, {"what stage"}, {"what traction"}}, []string{"Welcome to", "who is on the team"}},
		{"ready es", "es", "hola", search, seedFintech, false,
			[][]string{{"busca inversores de Fintech para fase seed en España"}}, nil},
		{"smalltalk thanks", "en", "thanks!", done, seedFintech, true, [][]string{{"welcome"}, {"find seed Fintech investors in Spain"}}, nil},
		{"smalltalk quien eres", "es", "¿quién eres?", done, onlySector, true, [][]string{{"asistente de 0Bullshit"}, {"¿en qué fase"}}, nil},
		{"smalltalk bye", "es", "adiós, hasta luego", done, nil, true, [][]string{{"hasta pronto"}}, nil},
		{"smalltalk hello no project", "en", "hello there", done, nil, true, [][]string{{"tell me about your startup"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			r := Request{Text: c.text, Language: c.lang, Project: c.p, Onboarding: c.ob}
			var rep Reply
			var err error
			if c.smalltalk {
				rep, err = a.Smalltalk(t.Context(), r, rec.send)
			} else {
				rep, err = a.Onboarding(t.Context(), r, rec.send)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkReply(t, rep, rec, c.lang, c.want, c.notWant)
		})
	}
}

func TestNeedFacts(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	for _, lang := range []string{"en", "es"} {
		for _, p := range []*Project{onlySector, ideaHealth, project("N", 0, judge.ProjectFacts{}, "categories", "stage", "metrics")} {
			rep := a.NeedFacts(Request{Language: lang, Project: p}, "search_investors")
			checkReply(t, rep, nil, lang, nil, nil)
			for i, k := range p.Missing {
				asked := strings.Contains(rep.Text, factQuestions[k].in(lang))
				if i < 2 && !asked {
					t.Errorf("%s %s: does not ask for %s:\n%s", lang, p.Name, k, rep.Text)
				}
				if i >= 2 && asked {
					t.Errorf("%s %s: asks for %s, beyond the top two:\n%s", lang, p.Name, k, rep.Text)
				}
			}
		}
		rep := a.NeedFacts(Request{Language: lang}, "search_investors")
		checkReply(t, rep, nil, lang, [][]string{{"called", "llama"}, {"Series A", "Serie A"}}, nil)
	}
	rep := a.NeedFacts(Request{Language: "es", Project: onlySector}, "project_update")
	checkReply(t, rep, nil, "es", [][]string{{"no he encontrado datos nuevos"}}, nil)
}

func TestProjectUpdated(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	change := ProjectChange{Created: true, Name: "Verdana", After: judge.ProjectFacts{Categories: []string{"fintech"}, Stage: "seed", Country: "ES"},
		CompletenessAfter: 50, Changed: []string{"categories", "stage", "country"}, Missing: []string{"metrics", "team"}}
	rep, err := a.ProjectUpdated(t.Context(), Request{Language: "en"}, change, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, nil, "en", [][]string{{"Created your project **Verdana**"}, {"Fintech"}, {"find seed Fintech investors in Spain"}}, nil)

	change = ProjectChange{Before: judge.ProjectFacts{Categories: []string{"saas"}}, After: judge.ProjectFacts{Categories: []string{"saas"},
		Team: &judge.Team{Size: 3, Roles: []string{"CEO", "CTO"}}}, CompletenessBefore: 25, CompletenessAfter: 35, Changed: []string{"team"},
		Missing: []string{"stage", "metrics"}}
	rec := &recorder{}
	rep, err = a.ProjectUpdated(t.Context(), Request{Language: "es", Project: onlySector}, change, rec.send)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, rec, "es", [][]string{{"Guardado en **Xo**"}, {"3 personas; CEO, CTO"}, {"25% → 35%"}, {"¿en qué fase"}}, []string{"fintech"})
}

func TestPlansAndCredits(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	plans := []Plan{
		{ID: "free", Name: "Free", DailyCredits: 50, SearchResultLimit: 5, MaxProjects: 1},
		{ID: "pro", Name: "Pro", DailyCredits: 150, SearchResultLimit: 15, MaxProjects: 5, PriceCents: 1900, Interval: "month"},
		{ID: "outreach", Name: "Outreach", DailyCredits: 200, SearchResultLimit: 30, OutreachEnabled: true, PriceCents: 4900, Interval: "month"},
	}
	costs := map[string]int{"chat_turn": 1, "investor_search": 50}
	r := Request{Text: "what plans do you have?", Language: "en", Plan: plans[0], Credits: Credits{Available: 230, DailyRemaining: 30, Balance: 200}, Costs: costs}
	rec := &recorder{}
	rep, err := a.Plans(t.Context(), r, plans, rec.send)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, rec, "en", [][]string{{"**Free** (free): 50 daily credits, 1 project, up to 5 results per search ← your plan"}, {"$19/month"}, {"$49/month"},
		{"unlimited projects"}, {"**230 credits**"}, {"30 left"}, {"200 balance"}, {"investor search 50"}}, nil)

	r.Language, r.Text, r.Plan = "es", "¿cuánto cuesta el plan pro?", plans[1]
	rep, err = a.Plans(t.Context(), r, plans, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, nil, "es", [][]string{{"**Pro** (19 $/mes): 150 créditos diarios, 5 proyectos, hasta 15 resultados por búsqueda ← tu plan"}}, nil)

	ins := a.InsufficientCredits(Request{Language: "es", Plan: plans[0], Credits: Credits{Available: 12, DailyRemaining: 12}}, "investor_search", 50)
	checkReply(t, ins, nil, "es", [][]string{{"una búsqueda de inversores necesita **50 créditos**"}, {"**12**"}, {"recarga 50 créditos"}}, nil)
	ins = a.InsufficientCredits(Request{Language: "en", Plan: plans[1], Credits: Credits{}}, "chat_turn", 1)
	checkReply(t, ins, nil, "en", [][]string{{"A chat message needs **1 credits**", "a chat message needs"}, {"150 credits every day"}}, nil)
}

func TestFixedLines(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	for _, c := range []struct{ lang, from, to, trigger, want string }{
		{"en", "free", "pro", "search_intent", "**Pro**"},
		{"es", "free", "pro", "search_limit_reached", "más por búsqueda"},
		{"en", "pro", "outreach", "outreach_interest", "approve"},
		{"es", "pro", "", "credits_exhausted", "paquete de créditos"},
	} {
		got := a.UpsellLine(c.lang, c.from, c.to, c.trigger)
		if !strings.Contains(got, c.want) || strings.Count(got, ". ") > 1 || judge.DetectLanguage(got, nil) != c.lang {
			t.Errorf("UpsellLine(%s, %s→%s, %s) = %q", c.lang, c.from, c.to, c.trigger, got)
		}
	}
	if got := a.Failed("en"); got != "Sorry, I couldn't answer that — no credits were charged. Please try again." {
		t.Errorf("Failed(en) = %q", got)
	}
	if got := a.Failed("es"); judge.DetectLanguage(got, nil) != "es" || !strings.Contains(got, "créditos") {
		t.Errorf("Failed(es) = %q", got)
	}
	for _, c := range []struct {
		lang    string
		reasons []string
		want    string
	}{
		{"en", []string{"guard:flood(9>8 per minute)"}, "very fast"},
		{"es", []string{"guard:injection=0.95"}, "No puedo cambiar"},
		{"es", []string{"guard:abuse=0.9"}, "respeto"},
		{"en", []string{"guard:gibberish=0.8"}, "couldn't make sense"},
		{"es", nil, "No he entendido"},
	} {
		rep := a.Spam(Request{Language: c.lang, Decision: judge.Decision{Intent: judge.IntentSpam, Reasons: c.reasons}})
		checkReply(t, rep, nil, c.lang, [][]string{{c.want}}, nil)
	}
}

func TestSearchResults(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	hits := []SearchHit{
		{Kind: "angel", Name: "Ana Strong", Headline: "Angel investor | ana@x.es | +34 600 000 000", Location: "Madrid, ES", Score: 92,
			LinkedInURL: "https://www.linkedin.com/in/ana", Reasons: []string{"known for fintech", "invests at your stage"}},
		{Kind: "fund", Name: "Alpha Fintech Ventures", Location: "Madrid", Score: 80, Reasons: []string{"invests in fintech"}},
	}
	r := Request{Language: "en", Project: seedFintech, Plan: Plan{ID: "free"}}
	rep := a.SearchResults(r, "investors", SearchSummary{Total: 14, Charged: 50, Results: hits, Limit: 2, PlanID: "free"})
	checkReply(t, rep, nil, "en", [][]string{{"**14** investors for **Verdana Pay**"}, {"1. **Ana Strong**"}, {"92% match"},
		{"Why: known for fintech, invests at your stage"}, {"https://www.linkedin.com/in/ana"}, {"Showing 2 of 14"}, {"Credits used: 50"}},
		[]string{"ana@x.es", "600 000 000"})

	r.Language, r.Plan.OutreachEnabled = "es", true
	rep = a.SearchResults(r, "investors", SearchSummary{Total: 2, Charged: 50, Results: hits, Limit: 15})
	checkReply(t, rep, nil, "es", [][]string{{"**2** inversores"}, {"campaña de LinkedIn"}}, []string{"Mostrando"})

	rep = a.SearchResults(Request{Language: "es"}, "companies", SearchSummary{})
	checkReply(t, rep, nil, "es", [][]string{{"No he encontrado empresas de servicios"}}, nil)
}

func TestOutreach(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	rep, err := a.Outreach(t.Context(), Request{Language: "en", Project: seedFintech, Plan: Plan{ID: "outreach", OutreachEnabled: true}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, nil, "en", [][]string{{"approve every message"}, {"safety caps"}}, []string{"Outreach** plan"})
	rep, err = a.Outreach(t.Context(), Request{Language: "es", Project: seedFintech, Plan: Plan{ID: "free"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, rep, nil, "es", [][]string{{"plan **Outreach**"}, {"Verdana Pay"}, {"MRR 40.000 EUR"}}, nil)
}

func TestMaskContacts(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"write to ana@fund.vc now":            "write to [hidden] now",
		"call +34 600 000 000 today":          "call [hidden] today",
		"call (555) 123-4567 or 555-123-4567": "call [hidden] or [hidden]",
		"we raised 1.500.000 € in 2023-2024":  "we raised 1.500.000 € in 2023-2024",
		"MRR 40,000 and 1 200 users":          "MRR 40,000 and 1 200 users",
		"ana2024@fund.vc, 12 slides":          "[hidden], 12 slides",
		"8 digits 600 000 00 are no phone":    "8 digits 600 000 00 are no phone",
		"mail a@b.co or +44 20 7946 0958":     "mail [hidden] or [hidden]",
	} {
		if got := maskContacts(in, "en"); got != want {
			t.Errorf("maskContacts(%q) = %q, want %q", in, got, want)
		}
	}
	// Streaming: an address or number split across deltas is still masked.
	rec := &recorder{}
	ms := &maskingStream{out: rec.send, lang: "es"}
	for _, d := range []string{"Escribe a an", "a@fu", "nd.vc o llama al +34 600 ", "000 000 ya", "."} {
		ms.write(d)
	}
	ms.flush()
	if got := rec.text(); got != "Escribe a [oculto] o llama al [oculto] ya." {
		t.Errorf("masked stream = %q", got)
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 400)
	if got := clip("a\n\n"+long, 100); got != "a" {
		t.Errorf("clip keeps %q", got)
	}
	if got := clip(long, 100); utf8.RuneCountInString(got) > 100 || !strings.HasSuffix(got, "…") {
		t.Errorf("clip = %q", got)
	}
	if got := formatNumber(1234567.25, "es"); got != "1.234.567,3" {
		t.Errorf("formatNumber = %q", got)
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	a := New(Options{Log: quiet()})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := a.Mentor(ctx, Request{Text: "hi", Language: "en"}, nil); err == nil {
		t.Fatal("Mentor with a cancelled context: no error")
	}
}
