package agents

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Onboarding welcomes new users and moves them one step forward, by onboarding step and project
// state: no project, ask for the startup; an incomplete project, ask the top missing facts; a
// searchable project, suggest the first investor search.
func (a *Agents) Onboarding(ctx context.Context, r Request, s Stream) (Reply, error) {
	return a.answer(ctx, r, s, modelCall{agent: "onboarding", temperature: 0.5}, onboardingAnswer(r))
}

func onboardingAnswer(r Request) string {
	lang := r.Language
	var b strings.Builder
	first := r.Onboarding.CurrentStep == "" || r.Onboarding.CurrentStep == StepWelcome ||
		(r.Project == nil && !slices.Contains(r.Onboarding.CompletedSteps, StepWelcome))
	if first {
		b.WriteString(pick(lang,
			"Welcome to 0Bullshit 👋 I help founders get funded: I find the investors that fit your startup in our database, mentor you on your round and, on the Outreach plan, run LinkedIn campaigns you approve.",
			"Bienvenido a 0Bullshit 👋 Ayudo a fundadores a conseguir financiación: encuentro en nuestra base de datos los inversores que encajan con tu startup, te asesoro en la ronda y, con el plan Outreach, lanzo campañas en LinkedIn que tú apruebas."))
		b.WriteString("\n\n")
	} else if r.Onboarding.CurrentStep == StepCompleted {
		b.WriteString(pick(lang, "Welcome back! ", "¡Hola de nuevo! "))
	}
	b.WriteString(nextStep(r))
	return b.String()
}

// nextStep is the single most useful thing for the user to do now.
func nextStep(r Request) string {
	lang := r.Language
	p := r.Project
	switch {
	case p == nil:
		return pick(lang,
			"Let's start with your startup. Tell me:\n1. Its name and what it does, in one line.\n2. The sector (e.g. fintech, healthtech, SaaS).\n3. The stage: idea, pre-seed, seed, Series A…",
			"Empecemos por tu startup. Cuéntame:\n1. Su nombre y qué hace, en una línea.\n2. El sector (p. ej. fintech, salud digital, SaaS).\n3. La fase: idea, pre-seed, seed, Serie A…")
	case p.Completeness < 50:
		return fmt.Sprintf(pick(lang,
			"%s is %d%% complete; I need 50%% to find the right investors. Tell me:\n%s",
			"%s está completo al %d%%; necesito un 50%% para encontrar los inversores adecuados. Cuéntame:\n%s"),
			projectName(p, lang), p.Completeness, askMissing(missingKeys(p), 2, lang))
	default:
		return fmt.Sprintf(pick(lang,
			"%s is ready for a search (%d%% complete). Try: \"%s\".",
			"%s está listo para buscar (%d%% completo). Prueba: \"%s\"."),
			projectName(p, lang), p.Completeness, searchExample(p, lang))
	}
}

// searchExample is a search request built from the project: "find seed Fintech investors in Spain".
func searchExample(p *Project, lang string) string {
	f := p.Facts
	if offlineLang(lang) == langES {
		s := "busca inversores"
		if len(f.Categories) > 0 {
			s += " de " + sectorLabel(f.Categories[0], lang)
		}
		if f.Stage != "" {
			s += " para fase " + stageLabel(f.Stage, lang)
		}
		if f.Country != "" {
			s += " en " + countryName(f.Country, lang)
		}
		return s
	}
	s := "find"
	if f.Stage != "" {
		s += " " + stageLabel(f.Stage, lang)
	}
	if len(f.Categories) > 0 {
		s += " " + sectorLabel(f.Categories[0], lang)
	}
	s += " investors"
	if f.Country != "" {
		s += " in " + countryName(f.Country, lang)
	}
	return s
}
