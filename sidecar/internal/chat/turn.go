package chat

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// turnContext is what private.begin_chat_turn returns.
type turnContext struct {
	Done    bool   `json:"done"`
	ReplyID string `json:"reply_id"`
	Message struct {
		ID             string    `json:"id"`
		ConversationID string    `json:"conversation_id"`
		UserID         string    `json:"user_id"`
		Content        string    `json:"content"`
		CreatedAt      time.Time `json:"created_at"`
	} `json:"message"`
	User struct {
		ID          string `json:"id"`
		Language    string `json:"language"`
		DisplayName string `json:"display_name"`
		IsAnonymous bool   `json:"is_anonymous"`
	} `json:"user"`
	Plan    planRow        `json:"plan"`
	Plans   []planRow      `json:"plans"`
	Costs   map[string]int `json:"costs"`
	Credits struct {
		Plan      string `json:"plan"`
		DailyLeft int    `json:"daily_left"`
		Balance   int    `json:"balance"`
		Available int    `json:"available"`
	} `json:"credits"`
	Project    *projectContext `json:"project"`
	Onboarding *struct {
		CurrentStep    string   `json:"current_step"`
		CompletedSteps []string `json:"completed_steps"`
	} `json:"onboarding"`
	History            []judge.Turn `json:"history"`
	RecentUserMessages int          `json:"recent_user_messages"`
	Settings           struct {
		UpsellMinConfidence float64 `json:"upsell_min_confidence"`
	} `json:"settings"`
	UpsellEligible bool `json:"upsell_eligible"`
}

// projectContext is the project a turn is about, as begin_chat_turn returns it.
type projectContext struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	Facts        judge.ProjectFacts `json:"facts"`
	Completeness int                `json:"completeness"`
	Missing      []string           `json:"missing"`
}

type planRow struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	PriceCents        int    `json:"price_cents"`
	Interval          string `json:"billing_interval"`
	DailyCredits      int    `json:"daily_credits"`
	MaxProjects       *int   `json:"max_projects"`
	SearchResultLimit int    `json:"search_result_limit"`
	OutreachEnabled   bool   `json:"outreach_enabled"`
}

func (p planRow) agentPlan() agents.Plan {
	ap := agents.Plan{ID: p.ID, Name: p.Name, DailyCredits: p.DailyCredits, SearchResultLimit: p.SearchResultLimit,
		OutreachEnabled: p.OutreachEnabled, PriceCents: p.PriceCents, Interval: p.Interval}
	if p.MaxProjects != nil {
		ap.MaxProjects = *p.MaxProjects
	}
	return ap
}

func decodeTurnContext(raw []byte) (*turnContext, error) {
	var tc turnContext
	if err := json.Unmarshal(raw, &tc); err != nil {
		return nil, fmt.Errorf("decoding the turn context: %w", err)
	}
	return &tc, nil
}

// judgeInput is what the judge sees.
func (tc *turnContext) judgeInput() judge.Input {
	in := judge.Input{Text: tc.Message.Content, History: tc.History, RecentUserMessages: tc.RecentUserMessages}
	if tc.Project != nil {
		in.Project = &judge.ProjectSnapshot{Facts: tc.Project.Facts, Completeness: tc.Project.Completeness}
	}
	return in
}

// request is what the agents see.
func (tc *turnContext) request(d judge.Decision) agents.Request {
	r := agents.Request{
		Text: tc.Message.Content, Language: d.Language, Decision: d, History: tc.History,
		Plan:    tc.Plan.agentPlan(),
		Costs:   tc.Costs,
		Credits: agents.Credits{Available: tc.Credits.Available, DailyRemaining: tc.Credits.DailyLeft, Balance: tc.Credits.Balance},
	}
	if r.Language == "" {
		r.Language = tc.User.Language
	}
	if tc.Project != nil {
		r.Project = &agents.Project{ID: tc.Project.ID, Name: tc.Project.Name, Facts: tc.Project.Facts,
			Completeness: tc.Project.Completeness, Missing: tc.Project.Missing}
	}
	if tc.Onboarding != nil {
		r.Onboarding = agents.Onboarding{CurrentStep: tc.Onboarding.CurrentStep, CompletedSteps: tc.Onboarding.CompletedSteps}
	} else {
		r.Onboarding = agents.Onboarding{CurrentStep: "welcome"}
	}
	return r
}

func (tc *turnContext) agentPlans() []agents.Plan {
	out := make([]agents.Plan, len(tc.Plans))
	for i, p := range tc.Plans {
		out[i] = p.agentPlan()
	}
	return out
}

// factsApplied is what private.apply_turn_facts returns.
type factsApplied struct {
	ProjectID          string             `json:"project_id"`
	Name               string             `json:"name"`
	Created            bool               `json:"created"`
	Changed            []string           `json:"changed"`
	Before             judge.ProjectFacts `json:"before"`
	After              judge.ProjectFacts `json:"after"`
	CompletenessBefore int                `json:"completeness_before"`
	CompletenessAfter  int                `json:"completeness_after"`
	Missing            []string           `json:"missing"`
}
