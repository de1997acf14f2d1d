package agents

import (
	"context"
	"fmt"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
)

// Model call settings. The output budget leaves room for thinking tokens; the prompt asks for
// replies under 1,000 characters.
const (
	modelMaxTokens    = 1024
	historyTurns      = 8
	historyTurnChars  = 800
	maxModelReplyChar = MaxReplyChars + 300
)

// modelCall describes one agent's model call.
type modelCall struct {
	agent       string   // prompt name: "mentor", "librarian", ...
	temperature float32  // sampling temperature
	context     []string // extra trusted context blocks (plans, search state...)
}

// answer produces the reply for r: with a model, one streamed call grounded on the offline
// reference answer; without one (or when the call fails), the offline answer itself. It returns an
// error only when ctx is done.
func (a *Agents) answer(ctx context.Context, r Request, s Stream, call modelCall, reference string) (Reply, error) {
	if err := ctx.Err(); err != nil {
		return Reply{}, fmt.Errorf("agents: %s: %w", call.agent, err)
	}
	if a.llm == nil {
		return offline(r, s, reference), nil
	}
	ms := &maskingStream{out: s, lang: r.Language}
	res, err := a.llm.Stream(ctx, a.modelRequest(r, call, reference), func(delta string) error {
		ms.write(delta)
		return nil
	})
	text := strings.TrimSpace(res.Text)
	if err == nil && text == "" {
		err = fmt.Errorf("empty answer (finish reason %s)", res.FinishReason)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Reply{}, fmt.Errorf("agents: %s: %w", call.agent, ctxErr)
		}
		a.log.WarnContext(ctx, "agent model call failed; answering offline", "agent", call.agent, "error", err,
			"attempts", res.Usage.Attempts)
		if ms.sent && r.ResetStream != nil {
			r.ResetStream()
		}
		reply := offline(r, s, reference)
		reply.Usage = res.Usage
		return reply, nil
	}
	ms.flush()
	return Reply{Text: finish(r.Language, text, maxModelReplyChar), Mode: judge.ModeGemini, Usage: res.Usage,
		Prompt: promptID(call.agent)}, nil
}

// modelRequest builds the call: system prompt, recent history, then one user turn holding the
// trusted context, the reference answer and the user's delimited message.
func (a *Agents) modelRequest(r Request, call modelCall, reference string) llm.Request {
	system := prompts[promptID("base")] + "\n\n" + prompts[promptID(call.agent)] + "\n\n" + llm.UserTextRule
	var msgs []llm.Message
	hist := r.History
	if len(hist) > historyTurns {
		hist = hist[len(hist)-historyTurns:]
	}
	for _, t := range hist {
		text := truncate(t.Text, historyTurnChars)
		if text == "" {
			continue
		}
		if t.Role == judge.RoleAssistant {
			if len(msgs) == 0 {
				continue // the conversation sent to the model starts with the user
			}
			msgs = append(msgs, llm.Message{Role: llm.RoleModel, Text: text})
			continue
		}
		msgs = append(msgs, llm.Message{Role: llm.RoleUser, Text: llm.QuoteUserText(text)})
	}

	var b strings.Builder
	lang := r.Language
	if lang == "" {
		lang = langEN
	}
	fmt.Fprintf(&b, "## Context (from our database; trusted)\nReply language: %s (%s). Write the whole reply in %s.\n",
		languageName(lang), lang, languageName(lang))
	b.WriteString(contextBlock(r))
	for _, c := range call.context {
		b.WriteString("\n" + strings.TrimSpace(c) + "\n")
	}
	b.WriteString("\n## Reference answer (offline system; its facts and numbers are correct)\n")
	b.WriteString(strings.TrimSpace(reference))
	b.WriteString("\n\n## The user's message\n")
	b.WriteString(llm.QuoteUserText(r.Text))
	msgs = append(msgs, llm.Message{Role: llm.RoleUser, Text: b.String()})

	temp := call.temperature
	return llm.Request{System: system, Messages: msgs, Temperature: &temp, MaxTokens: modelMaxTokens}
}

// contextBlock describes the user's project, plan, credits and onboarding in English.
func contextBlock(r Request) string {
	var b strings.Builder
	if p := r.Project; p != nil {
		name := strings.TrimSpace(p.Name)
		if name == "" {
			name = "(unnamed)"
		}
		fmt.Fprintf(&b, "Project: %s, completeness %d%% (investor search needs 50%%).\n", name, p.Completeness)
		for _, l := range factLines(p.Facts, langEN) {
			b.WriteString(l + "\n")
		}
		if m := missingKeys(p); len(m) > 0 {
			labels := make([]string, len(m))
			for i, k := range m {
				labels[i] = factLabel(k, langEN)
			}
			fmt.Fprintf(&b, "Missing facts, most valuable first: %s.\n", strings.Join(labels, ", "))
		}
	} else {
		b.WriteString("Project: the user has no project yet.\n")
	}
	if r.Plan.ID != "" {
		fmt.Fprintf(&b, "Plan: %s (%d daily credits; outreach campaigns %s).\n", planName(r.Plan), r.Plan.DailyCredits,
			map[bool]string{true: "included", false: "not included"}[r.Plan.OutreachEnabled])
	}
	fmt.Fprintf(&b, "Credits available: %d (%d left of today's allowance + %d balance).\n",
		r.Credits.Available, r.Credits.DailyRemaining, r.Credits.Balance)
	if r.Onboarding.CurrentStep != "" {
		fmt.Fprintf(&b, "Onboarding step: %s.\n", r.Onboarding.CurrentStep)
	}
	return b.String()
}

// planName is the plan's display name.
func planName(p Plan) string {
	if strings.TrimSpace(p.Name) != "" {
		return p.Name
	}
	return capitalize(p.ID)
}
