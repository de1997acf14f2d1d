package judge

import (
	"context"
	"fmt"
)

// Intent names the agent that should answer a message.
type Intent string

// The intents, exactly as the API and the database spell them.
const (
	IntentSearchInvestors Intent = "search_investors" // find investors (funds, angels) for the startup
	IntentSearchEmployees Intent = "search_employees" // find people who work at a fund (partners, associates)
	IntentSearchCompanies Intent = "search_companies" // find service providers (lawyers, agencies, accountants)
	IntentMentor          Intent = "mentor"           // advice: strategy, fundraising tactics, pricing, team
	IntentLibrarian       Intent = "librarian"        // factual questions: definitions, our data, the project record
	IntentProjectUpdate   Intent = "project_update"   // the founder states or changes facts about the startup
	IntentOutreach        Intent = "outreach"         // write messages to investors, run LinkedIn campaigns
	IntentPlans           Intent = "plans"            // plans, prices, credits, billing
	IntentSmalltalk       Intent = "smalltalk"        // greetings, thanks, acknowledgements, questions about the assistant
	IntentSpam            Intent = "spam"             // abuse, prompt injection, gibberish, flooding, link spam
)

var allIntents = [...]Intent{
	IntentSearchInvestors, IntentSearchEmployees, IntentSearchCompanies, IntentMentor, IntentLibrarian,
	IntentProjectUpdate, IntentOutreach, IntentPlans, IntentSmalltalk, IntentSpam,
}

// Intents returns every intent, in a stable order.
func Intents() []Intent { return append([]Intent(nil), allIntents[:]...) }

// Valid reports whether i is one of the defined intents.
func (i Intent) Valid() bool {
	for _, v := range allIntents {
		if i == v {
			return true
		}
	}
	return false
}

// ParseIntent returns the intent named s, or an error.
func ParseIntent(s string) (Intent, error) {
	if i := Intent(s); i.Valid() {
		return i, nil
	}
	return "", fmt.Errorf("judge: unknown intent %q", s)
}

// Modes recorded in Decision.Mode.
const (
	ModeOffline = "offline"
	ModeGemini  = "gemini"
)

// Decision is the judge's verdict on one user message.
type Decision struct {
	Intent     Intent  `json:"intent"`
	Confidence float64 `json:"confidence"` // 0..1; for offline decisions it reflects the margin over the runner-up
	Language   string  `json:"language"`   // ISO 639-1 code of the reply language ("es", "en")
	SpamScore  float64 `json:"spam_score"` // 0..1; spam is decided at Config.SpamThreshold
	// Facts about the founder's own startup stated in this message. Empty when none.
	Facts   ProjectFacts `json:"facts"`
	Reasons []string     `json:"reasons,omitempty"` // short, machine-ish explanations ("guard:flood", "context:accepted_offer")
	Mode    string       `json:"mode,omitempty"`    // ModeOffline or ModeGemini
}

// Turn is one earlier message of the conversation.
type Turn struct {
	Role string `json:"role"` // "user" or "assistant"
	Text string `json:"text"`
}

// Roles of a Turn.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// ProjectSnapshot is what the judge knows about the founder's current project. The offline judge
// uses Facts to tell new facts from restated ones (restating the known sector is not an update);
// a model-backed judge also gives both fields to the model as context.
type ProjectSnapshot struct {
	Facts        ProjectFacts `json:"facts"`
	Completeness int          `json:"completeness"` // 0..100, as the database computes it
}

// Input is one message to judge.
type Input struct {
	Text    string           // the user's message, as typed
	History []Turn           // recent messages, oldest first; the last one is usually the assistant's
	Project *ProjectSnapshot // optional: the project the conversation is about
	// RecentUserMessages counts the messages this user sent in the last minute, this one excluded;
	// used for flood detection.
	RecentUserMessages int
}

// Judge decides the intent of a message. Implementations must be safe for concurrent use.
type Judge interface {
	Decide(ctx context.Context, in Input) (Decision, error)
}

// lastAssistant returns the text of the most recent assistant turn, or "".
func (in Input) lastAssistant() string {
	for i := len(in.History) - 1; i >= 0; i-- {
		if in.History[i].Role == RoleAssistant {
			return in.History[i].Text
		}
	}
	return ""
}
