package judge

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
)

// PromptVersion names the embedded judge prompt (prompts/<PromptVersion>.txt). It is recorded in
// the reasons of every model decision ("prompt:judge_v2"), so a change of prompt is visible in the
// stored turns. Bump it (new file, old one kept) whenever the prompt changes meaningfully.
const PromptVersion = "judge_v2"

//go:embed prompts/judge_v2.txt
var judgePrompt string

// Defaults of GeminiOptions.
const (
	DefaultGeminiTimeout      = 10 * time.Second
	DefaultGeminiHistoryTurns = 6
	DefaultGeminiMaxTokens    = 2048
	DefaultGeminiTemperature  = float32(0.2)
	// maxHistoryTurnChars bounds each earlier turn given to the model as context.
	maxHistoryTurnChars = 1500
)

// GeminiOptions tunes a Gemini judge. Zero fields get the defaults.
type GeminiOptions struct {
	// Model is the model id of the judge call (GEMINI_JUDGE_MODEL). Default llm.DefaultFastModel.
	Model string
	// Timeout bounds the whole judge call, retries included; past it the offline judge answers
	// (reason "fallback:timeout"). Default DefaultGeminiTimeout.
	Timeout time.Duration
	// HistoryTurns is how many recent turns go to the model as context. Default
	// DefaultGeminiHistoryTurns; negative sends none.
	HistoryTurns int
	// MaxTokens is the output budget of the call. Default DefaultGeminiMaxTokens.
	MaxTokens int
	// Temperature of the call. Default DefaultGeminiTemperature.
	Temperature *float32
	// Logger receives a warning for every fallback (never the user's text). Default slog.Default().
	Logger *slog.Logger
}

func (o GeminiOptions) withDefaults() GeminiOptions {
	if o.Model == "" {
		o.Model = llm.DefaultFastModel
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultGeminiTimeout
	}
	if o.HistoryTurns == 0 {
		o.HistoryTurns = DefaultGeminiHistoryTurns
	} else if o.HistoryTurns < 0 {
		o.HistoryTurns = 0
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = DefaultGeminiMaxTokens
	}
	if o.Temperature == nil {
		t := DefaultGeminiTemperature
		o.Temperature = &t
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Gemini is the model-backed judge. Per message it runs the offline judge's guards (a settled
// message costs no model call), then makes ONE structured GenerateJSON call (prompt
// prompts/judge_v2.txt, the user's text delimited with llm.QuoteUserText, recent history and the
// project snapshot as context) and validates the answer. Fact groups that fail
// ProjectFacts.Validate are dropped (the intent is kept, reason "facts:dropped(...)"); any llm
// error after the client's retries, the judge timeout, or an answer that still fails
// Decision.Validate makes the offline judge answer instead, with Mode ModeOffline and the reason
// "fallback:<kind>" (blocked, rate_limited, unavailable, bad_output, invalid_request, timeout,
// invalid_decision, error). It is safe for concurrent use.
type Gemini struct {
	client   *llm.Client
	offline  *Offline
	guards   *Guards
	opts     GeminiOptions
	system   string
	schema   *llm.Schema
	fallback func(ctx context.Context, in Input) (Decision, error)
}

var _ Judge = (*Gemini)(nil)

// NewGemini builds a Gemini judge calling client, with fallback answering when the model cannot
// (nil: an offline judge with DefaultConfig). client must not be nil: without an API key use the
// offline judge directly.
func NewGemini(client *llm.Client, fallback *Offline, opts GeminiOptions) (*Gemini, error) {
	if client == nil {
		return nil, errors.New("judge: new gemini judge: nil llm client (use the offline judge without an API key)")
	}
	if fallback == nil {
		var err error
		if fallback, err = NewOffline(DefaultConfig()); err != nil {
			return nil, fmt.Errorf("judge: new gemini judge: %w", err)
		}
	}
	g := &Gemini{
		client:  client,
		offline: fallback,
		guards:  fallback.Guards(),
		opts:    opts.withDefaults(),
		system:  judgeSystemPrompt(),
		schema:  judgeSchema(),
	}
	g.fallback = g.offline.Decide
	return g, nil
}

// Decide judges one message; see DecideWithUsage.
func (g *Gemini) Decide(ctx context.Context, in Input) (Decision, error) {
	d, _, err := g.DecideWithUsage(ctx, in)
	return d, err
}

// DecideWithUsage judges one message and also returns the tokens the model call consumed (zero
// when a guard settled the message; filled in as far as the API reported it when the call failed
// and the offline judge answered). It fails only when ctx is done: every model problem falls back
// to the offline judge.
func (g *Gemini) DecideWithUsage(ctx context.Context, in Input) (Decision, llm.Usage, error) {
	if err := ctx.Err(); err != nil {
		return Decision{}, llm.Usage{}, fmt.Errorf("judge: gemini decide: %w", err)
	}
	pre, settled := g.guards.Check(in)
	if settled {
		return pre, llm.Usage{}, nil
	}

	callCtx, cancel := context.WithTimeout(ctx, g.opts.Timeout)
	defer cancel()
	var out modelDecision
	usage, err := g.client.GenerateJSON(callCtx, g.request(in), g.schema, &out)
	if err != nil {
		if ctx.Err() != nil {
			return Decision{}, usage, fmt.Errorf("judge: gemini decide: %w", ctx.Err())
		}
		kind := failureKind(err, callCtx)
		g.opts.Logger.WarnContext(ctx, "judge: gemini failed, using the offline judge",
			slog.String("kind", kind), slog.String("model", g.opts.Model), slog.Int("attempts", usage.Attempts),
			slog.String("error", err.Error()))
		return g.fallbackDecision(ctx, in, usage, kind)
	}
	d, err := out.decision(pre)
	if err != nil {
		g.opts.Logger.WarnContext(ctx, "judge: gemini answer invalid, using the offline judge",
			slog.String("model", g.opts.Model), slog.String("error", err.Error()))
		return g.fallbackDecision(ctx, in, usage, "invalid_decision")
	}
	return d, usage, nil
}

// fallbackDecision asks the offline judge and marks the decision with the reason.
func (g *Gemini) fallbackDecision(ctx context.Context, in Input, usage llm.Usage, kind string) (Decision, llm.Usage, error) {
	d, err := g.fallback(ctx, in)
	if err != nil {
		return Decision{}, usage, fmt.Errorf("judge: gemini fallback (%s): %w", kind, err)
	}
	d.Mode = ModeOffline
	d.Reasons = append(d.Reasons, "fallback:"+kind)
	return d, usage, nil
}

// failureKind names the class of a GenerateJSON error for the "fallback:<kind>" reason.
func failureKind(err error, callCtx context.Context) string {
	switch {
	case errors.Is(callCtx.Err(), context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, llm.ErrBlocked):
		return "blocked"
	case errors.Is(err, llm.ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, llm.ErrUnavailable):
		return "unavailable"
	case errors.Is(err, llm.ErrBadOutput):
		return "bad_output"
	case errors.Is(err, llm.ErrInvalidRequest):
		return "invalid_request"
	}
	return "error"
}

// request builds the one judge call: the system prompt, then one user turn holding the project
// snapshot, the recent conversation and the message, each untrusted piece delimited.
func (g *Gemini) request(in Input) llm.Request {
	var b strings.Builder
	b.WriteString("Project snapshot (JSON, data written by the founder):\n")
	if in.Project != nil {
		snap, err := json.Marshal(in.Project)
		if err != nil { // cannot happen for validated facts; the message is judged without it
			snap = []byte("{}")
		}
		b.WriteString(llm.QuoteUserText(string(snap)))
	} else {
		b.WriteString("(no project yet)")
	}
	b.WriteString("\n\nRecent conversation, oldest first:\n")
	hist := in.History
	if len(hist) > g.opts.HistoryTurns {
		hist = hist[len(hist)-g.opts.HistoryTurns:]
	}
	if len(hist) == 0 {
		b.WriteString("(none)\n")
	}
	for _, t := range hist {
		role := RoleUser
		if t.Role == RoleAssistant {
			role = RoleAssistant
		}
		b.WriteString(role)
		b.WriteString(":\n")
		b.WriteString(llm.QuoteUserText(truncateRunes(t.Text, maxHistoryTurnChars)))
		b.WriteString("\n")
	}
	b.WriteString("\nMessage to judge:\n")
	b.WriteString(llm.QuoteUserText(in.Text))
	return llm.Request{
		System:      g.system,
		Messages:    []llm.Message{{Role: llm.RoleUser, Text: b.String()}},
		Model:       g.opts.Model,
		Temperature: g.opts.Temperature,
		MaxTokens:   g.opts.MaxTokens,
	}
}

// modelDecision is the JSON the model answers (judgeSchema).
type modelDecision struct {
	Intent     string       `json:"intent"`
	Confidence float64      `json:"confidence"`
	Language   string       `json:"language"`
	SpamScore  float64      `json:"spam_score"`
	Facts      ProjectFacts `json:"facts"`
}

// decision turns a schema-valid answer into a validated Decision. pre carries the guards' soft
// spam score and reasons.
func (m modelDecision) decision(pre Decision) (Decision, error) {
	d := Decision{
		Intent:     Intent(m.Intent),
		Confidence: round3(m.Confidence),
		Language:   strings.ToLower(strings.TrimSpace(m.Language)),
		SpamScore:  round3(math.Max(m.SpamScore, pre.SpamScore)),
		Reasons:    append(append([]string(nil), pre.Reasons...), "prompt:"+PromptVersion),
		Mode:       ModeGemini,
	}
	if d.Intent != IntentSpam {
		facts, dropped := keepValidFacts(m.Facts)
		d.Facts = facts
		if len(dropped) > 0 {
			d.Reasons = append(d.Reasons, "facts:dropped("+strings.Join(dropped, ",")+")")
		}
	}
	if err := d.Validate(); err != nil {
		return Decision{}, err
	}
	return d, nil
}

// keepValidFacts returns f without the fact groups that fail validation, and the JSON names of
// the groups dropped. Each group is validated on its own, so one bad value does not cost the rest.
func keepValidFacts(f ProjectFacts) (ProjectFacts, []string) {
	if f.Validate() == nil {
		return f, nil
	}
	var kept ProjectFacts
	var dropped []string
	check := func(name string, only ProjectFacts, keep func()) {
		if only.IsZero() {
			return
		}
		if only.Validate() == nil {
			keep()
		} else {
			dropped = append(dropped, name)
		}
	}
	check("name", ProjectFacts{Name: f.Name}, func() { kept.Name = f.Name })
	check("categories", ProjectFacts{Categories: f.Categories}, func() { kept.Categories = f.Categories })
	check("stage", ProjectFacts{Stage: f.Stage}, func() { kept.Stage = f.Stage })
	check("country", ProjectFacts{Country: f.Country}, func() { kept.Country = f.Country })
	check("city", ProjectFacts{City: f.City}, func() { kept.City = f.City })
	check("business_model", ProjectFacts{BusinessModel: f.BusinessModel}, func() { kept.BusinessModel = f.BusinessModel })
	check("target_market", ProjectFacts{TargetMarket: f.TargetMarket}, func() { kept.TargetMarket = f.TargetMarket })
	check("metrics", ProjectFacts{Metrics: f.Metrics}, func() { kept.Metrics = f.Metrics })
	check("team", ProjectFacts{Team: f.Team}, func() { kept.Team = f.Team })
	check("problem", ProjectFacts{Problem: f.Problem}, func() { kept.Problem = f.Problem })
	check("product_status", ProjectFacts{ProductStatus: f.ProductStatus}, func() { kept.ProductStatus = f.ProductStatus })
	check("previous_funding", ProjectFacts{PreviousFunding: f.PreviousFunding}, func() { kept.PreviousFunding = f.PreviousFunding })
	check("funding_ask_usd", ProjectFacts{FundingAskUSD: f.FundingAskUSD}, func() { kept.FundingAskUSD = f.FundingAskUSD })
	if kept.Validate() != nil { // groups valid alone but not together: keep nothing
		return ProjectFacts{}, []string{"all"}
	}
	return kept, dropped
}

// judgeSystemPrompt fills the embedded prompt's placeholders with the vocabularies.
func judgeSystemPrompt() string {
	ids := make([]string, len(sectors))
	for i, s := range sectors {
		ids[i] = s.ID
	}
	return strings.NewReplacer(
		"{{USER_TEXT_RULE}}", llm.UserTextRule,
		"{{SECTORS}}", strings.Join(ids, ", "),
		"{{STAGES}}", strings.Join(fundingStages, ", "),
		"{{PRODUCT_STATUSES}}", strings.Join(productStatuses, ", "),
	).Replace(judgePrompt)
}

// judgeSchema is the response schema of the judge call. Closed vocabularies (intent, stage,
// product status, sectors, growth period) are enums, so the model is constrained to them; free
// values are typed only and checked afterwards by ProjectFacts.Validate, which drops a bad fact
// instead of losing the whole decision.
func judgeSchema() *llm.Schema {
	zero, one := 0.0, 1.0
	intents := make([]string, len(allIntents))
	for i, in := range allIntents {
		intents[i] = string(in)
	}
	ids := make([]string, len(sectors))
	for i, s := range sectors {
		ids[i] = s.ID
	}
	str := func(desc string) *llm.Schema { return &llm.Schema{Type: llm.TypeString, Description: desc} }
	num := func(desc string) *llm.Schema { return &llm.Schema{Type: llm.TypeNumber, Description: desc} }
	integer := func(desc string) *llm.Schema { return &llm.Schema{Type: llm.TypeInteger, Description: desc} }
	facts := &llm.Schema{
		Type:        llm.TypeObject,
		Description: "facts the founder states about their own startup in this message; omit unknown fields",
		Properties: map[string]*llm.Schema{
			"name":             str("the startup's name, only when the founder states it"),
			"categories":       {Type: llm.TypeArray, Items: &llm.Schema{Type: llm.TypeString, Enum: ids}, MaxItems: ptr(int64(maxCategories))},
			"stage":            {Type: llm.TypeString, Enum: append([]string(nil), fundingStages...)},
			"product_status":   {Type: llm.TypeString, Enum: append([]string(nil), productStatuses...)},
			"country":          str("ISO 3166-1 alpha-2, upper-case"),
			"city":             str("city name"),
			"business_model":   str("how the startup makes money"),
			"target_market":    str("who the customers are"),
			"problem":          str("the problem the startup solves"),
			"previous_funding": str("money raised so far"),
			"funding_ask_usd":  integer("amount being raised, in US dollars"),
			"metrics": {Type: llm.TypeObject, Properties: map[string]*llm.Schema{
				"arr": num("annual recurring revenue"), "mrr": num("monthly recurring revenue"),
				"users": integer("users or customers"), "revenue": num("yearly revenue"),
				"growth_rate":   num("growth in percent per growth_period"),
				"growth_period": {Type: llm.TypeString, Enum: []string{"monthly", "yearly"}},
				"burn_rate":     num("net burn per month"), "runway_months": num("months of runway"),
				"currency": str("ISO 4217 code"),
			}},
			"team": {Type: llm.TypeObject, Properties: map[string]*llm.Schema{
				"size": integer("people in the team"),
				"roles": {Type: llm.TypeArray, Items: &llm.Schema{Type: llm.TypeString},
					MaxItems: ptr(int64(maxRoles))},
				"experience": str("relevant experience, one sentence"),
			}},
		},
	}
	return &llm.Schema{
		Type: llm.TypeObject,
		Properties: map[string]*llm.Schema{
			"intent":     {Type: llm.TypeString, Enum: intents},
			"confidence": {Type: llm.TypeNumber, Minimum: &zero, Maximum: &one},
			"language":   {Type: llm.TypeString, Pattern: "^[a-z]{2}$", Description: "ISO 639-1 code of the message's language"},
			"spam_score": {Type: llm.TypeNumber, Minimum: &zero, Maximum: &one},
			"facts":      facts,
		},
		Required:         []string{"intent", "confidence", "language", "spam_score", "facts"},
		PropertyOrdering: []string{"intent", "confidence", "language", "spam_score", "facts"},
	}
}

func ptr[T any](v T) *T { return &v }
