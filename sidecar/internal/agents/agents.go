package agents

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
)

// MaxReplyChars bounds every reply except search results (characters, not bytes).
const MaxReplyChars = 1200

// Request is one turn as an agent sees it.
type Request struct {
	Text       string         // the user's message
	Language   string         // ISO 639-1 from the judge: "en", "es", ...
	Decision   judge.Decision // the judge's verdict on Text
	History    []judge.Turn   // recent messages, oldest first
	Project    *Project       // nil: the user has no project yet
	Plan       Plan           // the user's current plan
	Credits    Credits        // the user's credits now
	Onboarding Onboarding     // where the user is in onboarding
	// Costs are the credit costs by action (public.credit_costs: "chat_turn", "investor_search",
	// ...). Optional: without them replies do not quote costs.
	Costs map[string]int
	// ResetStream, when set, is called when text already streamed is abandoned (the model failed
	// half-way and the reply falls back to the offline answer, which is streamed from the start).
	ResetStream func()
}

// Project is the conversation's project.
type Project struct {
	ID, Name     string
	Facts        judge.ProjectFacts
	Completeness int      // 0..100 as the database computes it (categories 25, stage 25, metrics 15, team 10, problem 10, product status 10, previous funding 5)
	Missing      []string // missing fact keys, most valuable first: "categories","stage","metrics","team","problem","product_status","previous_funding"
}

// Plan is a subscription plan (public.plans).
type Plan struct {
	ID, Name          string
	DailyCredits      int
	SearchResultLimit int
	OutreachEnabled   bool
	MaxProjects       int // 0 = unlimited
	// PriceCents and Interval ("month", "year"; "" for free plans) are optional: without them
	// (PriceCents 0 and Interval "") replies do not quote a price, except "free" for the plan with
	// ID "free".
	PriceCents int
	Interval   string
}

// Credits is the user's credit position.
type Credits struct {
	Available      int // DailyRemaining + Balance: what the next action can spend
	DailyRemaining int // left of today's allowance (refilled at 00:00 UTC)
	Balance        int // initial grant and purchased packs; never expires
}

// Onboarding is the user's onboarding state (public.user_onboarding).
type Onboarding struct {
	CurrentStep    string // welcome, project_creation, project_details, first_search, completed
	CompletedSteps []string
}

// Onboarding steps.
const (
	StepWelcome         = "welcome"
	StepProjectCreation = "project_creation"
	StepProjectDetails  = "project_details"
	StepFirstSearch     = "first_search"
	StepCompleted       = "completed"
)

// Reply is an agent's answer.
type Reply struct {
	Text  string
	Mode  string    // judge.ModeGemini or judge.ModeOffline
	Usage llm.Usage // tokens of the model call, also when it failed and the reply fell back
	// Prompt names the prompt file used in Gemini mode (e.g. "mentor_v1"); empty offline.
	Prompt string
}

// Stream receives successive pieces of a reply as they are produced. It may be nil.
type Stream func(delta string)

// Querier runs the librarian's read-only queries: a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Options configure Agents.
type Options struct {
	LLM *llm.Client  // nil: offline
	DB  Querier      // for the librarian's data answers; may be nil (data questions then say so)
	Log *slog.Logger // nil: slog.Default()
}

// Agents writes replies. It is safe for concurrent use.
type Agents struct {
	llm *llm.Client
	db  Querier
	log *slog.Logger
}

// New returns Agents configured by o.
func New(o Options) *Agents {
	a := &Agents{llm: o.LLM, db: o.DB, log: o.Log}
	if a.log == nil {
		a.log = slog.Default()
	}
	return a
}
