package chat

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/search"
)

// Credit actions (public.credit_costs).
const (
	costChatTurn       = "chat_turn"
	costInvestorSearch = "investor_search"
	costEmployeeSearch = "employee_search"
	costCompanySearch  = "company_search"
)

// MinSearchCompleteness is the project completeness a search needs (ARCHITECTURE §4).
const MinSearchCompleteness = 50

// searchPlan is a search to run inside the commit transaction.
type searchPlan struct {
	kind       search.Kind
	costAction string
	req        agents.Request
	projectID  string
	query      string
	limit      int
	planID     string
}

// route picks the agent for the decision and the user's state and produces the outcome.
func (e *Engine) route(ctx context.Context, tc *turnContext, d judge.Decision, ju llm.Usage, req agents.Request,
	applied *factsApplied) (*outcome, error) {
	stream := e.newStream(ctx, tc)
	defer stream.Close()
	req.ResetStream = stream.Reset
	answer := func(agent, charge string, r agents.Reply, err error) (*outcome, error) {
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", agent, err)
		}
		return e.newOutcome(tc, d, ju, agent, r, "answered", charge), nil
	}
	charged := func(agent string, run func() (agents.Reply, error)) (*outcome, error) {
		if tc.Credits.Available < tc.Costs[costChatTurn] {
			return e.insufficient(tc, d, ju, req, costChatTurn), nil
		}
		r, err := run()
		return answer(agent, costChatTurn, r, err)
	}

	switch d.Intent {
	case judge.IntentSearchInvestors, judge.IntentSearchEmployees, judge.IntentSearchCompanies:
		return e.routeSearch(tc, d, ju, req)

	case judge.IntentProjectUpdate:
		if applied == nil {
			return charged("project_update", func() (agents.Reply, error) { return e.agents.NeedFacts(req, string(d.Intent)), nil })
		}
		change := agents.ProjectChange{Name: applied.Name, Created: applied.Created, Before: applied.Before, After: applied.After,
			CompletenessBefore: applied.CompletenessBefore, CompletenessAfter: applied.CompletenessAfter,
			Missing: applied.Missing, Changed: applied.Changed}
		return charged("project_update", func() (agents.Reply, error) {
			return e.agents.ProjectUpdated(ctx, req, change, stream.Send)
		})

	case judge.IntentMentor:
		return charged("mentor", func() (agents.Reply, error) { return e.agents.Mentor(ctx, req, stream.Send) })

	case judge.IntentLibrarian:
		return charged("librarian", func() (agents.Reply, error) { return e.agents.Librarian(ctx, req, stream.Send) })

	case judge.IntentOutreach:
		out, err := charged("outreach", func() (agents.Reply, error) { return e.agents.Outreach(ctx, req, stream.Send) })
		if err == nil && !tc.Plan.OutreachEnabled && out.charge != "" {
			e.offer(tc, out, "outreach", "outreach_interest", d.Confidence)
		}
		return out, err

	case judge.IntentPlans:
		r, err := e.agents.Plans(ctx, req, tc.agentPlans(), stream.Send)
		return answer("plans", "", r, err)

	default: // smalltalk
		if tc.Onboarding == nil || tc.Onboarding.CurrentStep != "completed" {
			r, err := e.agents.Onboarding(ctx, req, stream.Send)
			return answer("onboarding", "", r, err)
		}
		r, err := e.agents.Smalltalk(ctx, req, stream.Send)
		return answer("smalltalk", "", r, err)
	}
}

// routeSearch gates a search (project completeness, credits) and plans it for the commit.
func (e *Engine) routeSearch(tc *turnContext, d judge.Decision, ju llm.Usage, req agents.Request) (*outcome, error) {
	plan := &searchPlan{req: req, query: tc.Message.Content, limit: tc.Plan.SearchResultLimit, planID: tc.Plan.ID}
	switch d.Intent {
	case judge.IntentSearchEmployees:
		plan.kind, plan.costAction = search.Employees, costEmployeeSearch
	case judge.IntentSearchCompanies:
		plan.kind, plan.costAction = search.Companies, costCompanySearch
	default:
		plan.kind, plan.costAction = search.Investors, costInvestorSearch
	}
	// Investor searches rank for the project, which needs enough facts; company and people searches
	// can run on the words of the message alone.
	if plan.kind == search.Investors && (tc.Project == nil || tc.Project.Completeness < MinSearchCompleteness) {
		out := e.newOutcome(tc, d, ju, "search_gate", e.agents.NeedFacts(req, string(d.Intent)), "answered", "")
		return out, nil
	}
	if tc.Project != nil {
		plan.projectID = tc.Project.ID
	}
	if tc.Credits.Available < tc.Costs[plan.costAction] {
		return e.insufficient(tc, d, ju, req, plan.costAction), nil
	}
	out := e.newOutcome(tc, d, ju, "search", agents.Reply{Mode: judge.ModeOffline}, "answered", "")
	out.search = plan
	if tc.Plan.ID == "free" {
		e.offer(tc, out, "pro", "search_intent", d.Confidence)
	}
	return out, nil
}

// runSearch runs the planned search in the commit transaction (charged once per message: the
// request id is the message id) and writes the reply from its results.
func (e *Engine) runSearch(ctx context.Context, tx pgx.Tx, tc *turnContext, out *outcome) error {
	p := out.search
	req := search.Request{ProjectID: p.projectID, Limit: p.limit, RequestID: tc.Message.ID}
	if p.kind != search.Investors || p.projectID == "" {
		req.Criteria.Query = p.query
	}
	resp, err := search.New(tx, e.log).Search(ctx, p.kind, tc.Message.UserID, req)
	var se *search.Error
	if errors.As(err, &se) && se.Code != "PT402" && se.Status < 500 {
		// The search refused the request (unknown fund, nothing to search for...): say why, uncharged.
		out.text = e.agents.SearchResults(p.req, string(p.kind), agents.SearchSummary{PlanID: p.planID, Limit: p.limit}).Text
		if se.Message != "" {
			out.text = se.Message + "\n\n" + out.text
		}
		out.meta["search_error"] = se.Code
		out.upsell = nil
		return nil
	}
	if err != nil {
		return err
	}
	sum := agents.SearchSummary{Total: resp.TotalMatches, Limit: resp.Limit, PlanID: p.planID}
	if resp.Credits != nil {
		sum.Charged = resp.Credits.Charged
	}
	for _, r := range resp.Results {
		sum.Results = append(sum.Results, hitOf(r, p.req.Language))
	}
	reply := e.agents.SearchResults(p.req, string(p.kind), sum)
	out.text = reply.Text
	out.meta["search_id"] = resp.SearchID
	out.meta["search_results"] = resp.ResultCount
	if resp.Plan != nil && resp.Plan.Limited && out.upsell != nil {
		out.upsell.Trigger = "search_limit_reached"
	}
	if out.upsell != nil {
		out.text += "\n\n" + e.agents.UpsellLine(p.req.Language, tc.Plan.ID, out.upsell.ToPlan, out.upsell.Trigger)
	}
	return nil
}

// insufficient is the uncharged answer when the user's credits do not cover the action.
func (e *Engine) insufficient(tc *turnContext, d judge.Decision, ju llm.Usage, req agents.Request, action string) *outcome {
	r := e.agents.InsufficientCredits(req, action, tc.Costs[action])
	out := e.newOutcome(tc, d, ju, "credits", r, "answered", "")
	out.meta["insufficient_credits"] = action
	out.notification = insufficientNotification(action, tc.Costs[action])
	to := "pro"
	if tc.Plan.ID != "free" {
		to = "" // paid plans: a credit pack
	}
	e.offer(tc, out, to, "credits_exhausted", 0.9)
	return out
}

// offer attaches an upsell when the rules allow it (chat_settings: confidence, per-day cap, spacing,
// messages in between, not right after a plan change). For search turns the line is added once the
// results are known (runSearch); otherwise it is appended now.
func (e *Engine) offer(tc *turnContext, out *outcome, toPlan, trigger string, confidence float64) {
	if !tc.UpsellEligible || confidence < tc.Settings.UpsellMinConfidence || toPlan == tc.Plan.ID {
		return
	}
	out.upsell = &upsellOffer{ToPlan: toPlan, Trigger: trigger, Confidence: min(confidence, 1)}
	if out.search == nil {
		out.text += "\n\n" + e.agents.UpsellLine(out.decision.Language, tc.Plan.ID, toPlan, trigger)
	}
}
