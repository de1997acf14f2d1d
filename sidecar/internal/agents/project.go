package agents

import (
	"context"
	"fmt"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// ProjectChange is what a turn changed in the project (private.apply_turn_facts).
type ProjectChange struct {
	Created                               bool
	Before, After                         judge.ProjectFacts
	CompletenessBefore, CompletenessAfter int
	Missing                               []string // missing fact keys after the change, most valuable first
	Changed                               []string // fact keys changed
	// Name is the project's name (optional; defaults to Request.Project's).
	Name string
}

// NeedFacts asks for the facts an action needs (investor search is gated at completeness 50):
// one or two concrete questions for the most valuable missing facts.
func (a *Agents) NeedFacts(r Request, purpose string) Reply {
	lang := r.Language
	p := r.Project
	var b strings.Builder
	if p == nil {
		b.WriteString(pick(lang,
			"To find investors that fit, I first need to know your startup:\n1. What is it called and what does it do, in one line?\n2. Which sector and stage is it in (idea, pre-seed, seed, Series A…)?",
			"Para encontrar inversores que encajen, primero necesito conocer tu startup:\n1. ¿Cómo se llama y qué hace, en una línea?\n2. ¿En qué sector y fase está (idea, pre-seed, seed, Serie A…)?"))
		return Reply{Text: finish(lang, b.String(), MaxReplyChars), Mode: judge.ModeOffline}
	}
	missing := missingKeys(p)
	if len(missing) == 0 {
		b.WriteString(fmt.Sprintf(pick(lang, "%s already has everything I need (%d%% complete). ", "%s ya tiene todo lo que necesito (%d%% completo). "),
			projectName(p, lang), p.Completeness))
		b.WriteString(pick(lang, "Try: \"", "Prueba: \"") + searchExample(p, lang) + "\".")
		return Reply{Text: finish(lang, b.String(), MaxReplyChars), Mode: judge.ModeOffline}
	}
	switch purpose {
	case string(judge.IntentSearchInvestors):
		fmt.Fprintf(&b, pick(lang, "To rank investors for %s I need a bit more: it is %d%% complete and a search needs 50%%.",
			"Para ordenar inversores para %s necesito algo más: está completo al %d%% y una búsqueda necesita un 50%%."),
			projectName(p, lang), p.Completeness)
	case string(judge.IntentProjectUpdate):
		fmt.Fprintf(&b, pick(lang, "I didn't catch new facts about %s in that message (it is %d%% complete).",
			"No he encontrado datos nuevos sobre %s en ese mensaje (está completo al %d%%)."), projectName(p, lang), p.Completeness)
	default:
		fmt.Fprintf(&b, pick(lang, "To do that well for %s I need a bit more (it is %d%% complete).",
			"Para hacerlo bien para %s necesito algo más (está completo al %d%%)."), projectName(p, lang), p.Completeness)
	}
	b.WriteString("\n\n" + askMissing(missing, 2, lang))
	if len(missing) > 1 {
		b.WriteString("\n\n" + pick(lang, "You can answer both in one message.", "Puedes responder a las dos en un solo mensaje."))
	}
	return Reply{Text: finish(lang, b.String(), MaxReplyChars), Mode: judge.ModeOffline}
}

// ProjectUpdated confirms the facts a turn saved, the completeness change, and the next step.
func (a *Agents) ProjectUpdated(ctx context.Context, r Request, u ProjectChange, s Stream) (Reply, error) {
	return a.answer(ctx, r, s, modelCall{agent: "project", temperature: 0.4}, projectUpdatedAnswer(r, u))
}

func projectUpdatedAnswer(r Request, u ProjectChange) string {
	lang := r.Language
	name := u.Name
	if name == "" && r.Project != nil {
		name = r.Project.Name
	}
	after := &Project{Name: name, Facts: u.After, Completeness: u.CompletenessAfter, Missing: u.Missing}
	var b strings.Builder
	if u.Created {
		b.WriteString(fmt.Sprintf(pick(lang, "Created your project %s ✅", "He creado tu proyecto %s ✅"), projectName(after, lang)))
	} else {
		b.WriteString(fmt.Sprintf(pick(lang, "Saved to %s ✅", "Guardado en %s ✅"), projectName(after, lang)))
	}
	var lines []string
	for _, k := range u.Changed {
		if v := factValue(u.After, k, lang); v != "" {
			lines = append(lines, "- **"+capitalize(factLabel(k, lang))+":** "+v)
		}
	}
	if len(lines) == 0 && u.Created {
		lines = factLines(u.After, lang)
	}
	if len(lines) > 0 {
		b.WriteString("\n\n" + strings.Join(lines, "\n"))
	}
	b.WriteString("\n\n")
	if u.CompletenessAfter != u.CompletenessBefore && !u.Created {
		fmt.Fprintf(&b, pick(lang, "Completeness: %d%% → %d%%.", "Completado: %d%% → %d%%."), u.CompletenessBefore, u.CompletenessAfter)
	} else {
		fmt.Fprintf(&b, pick(lang, "Completeness: %d%%.", "Completado: %d%%."), u.CompletenessAfter)
	}
	missing := missingKeys(after)
	switch {
	case u.CompletenessAfter >= 50 && (u.CompletenessBefore < 50 || u.Created):
		b.WriteString(pick(lang, " That's enough to search investors: try \"", " Ya es suficiente para buscar inversores: prueba \"") +
			searchExample(after, lang) + "\".")
	case len(missing) > 0:
		prefix := pick(lang, " Next: ", " Siguiente: ")
		if u.CompletenessAfter >= 50 {
			prefix = pick(lang, " To sharpen your matches: ", " Para afinar tus resultados: ")
		}
		b.WriteString(prefix + factQuestions[missing[0]].in(lang))
	}
	return b.String()
}
