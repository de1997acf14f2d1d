package agents

import (
	"context"
	"strings"
)

// Mentor answers advice questions (fundraising, pitch, valuation, team, pricing, growth,
// product-market fit, hiring) adapted to the project's stage, sector and missing facts.
func (a *Agents) Mentor(ctx context.Context, r Request, s Stream) (Reply, error) {
	return a.answer(ctx, r, s, modelCall{agent: "mentor", temperature: 0.7}, mentorAnswer(r))
}

// chooseTopic picks the topic whose keywords the question matches most; ties go to the earlier
// topic. A question matching none gets the general advice.
func chooseTopic(text string) mentorTopic {
	folded := foldWords(text)
	best, bestHits := generalTopic, 0
	for _, t := range mentorTopics {
		if n := keywordHits(folded, t.keywords); n > bestHits {
			best, bestHits = t, n
		}
	}
	return best
}

// stageBand maps a funding stage (or, without one, the product status) to an advice band; "" when
// neither is known.
func stageBand(p *Project) string {
	if p == nil {
		return ""
	}
	switch p.Facts.Stage {
	case "idea":
		return bandIdea
	case "pre_seed":
		return bandPreSeed
	case "seed":
		return bandSeed
	case "series_a":
		return bandSeriesA
	case "series_b", "series_c", "growth":
		return bandLater
	}
	switch p.Facts.ProductStatus {
	case "idea", "prototype":
		return bandIdea
	case "mvp", "launched":
		return bandPreSeed
	case "revenue":
		return bandSeed
	}
	return ""
}

// mentorAnswer is the offline mentor reply.
func mentorAnswer(r Request) string {
	lang := r.Language
	t := chooseTopic(r.Text)
	band := stageBand(r.Project)
	var b strings.Builder
	b.WriteString("**" + t.title.in(lang) + "**")
	if r.Project != nil && (r.Project.Facts.Stage != "" || len(r.Project.Facts.Categories) > 0) {
		b.WriteString(pick(lang, " for ", " para ") + describeStartup(r.Project, lang))
	}
	b.WriteString("\n\n")
	if core, ok := t.byStage[band]; ok {
		b.WriteString(core.in(lang))
	} else {
		b.WriteString(t.unknown.in(lang))
	}
	b.WriteString("\n\n")
	for _, bl := range t.bullets {
		b.WriteString("- " + bl.in(lang) + "\n")
	}
	if hint, ok := sectorHint(r.Project, t.id); ok {
		b.WriteString("\n" + hint.in(lang) + "\n")
	}
	if next := mentorNextStep(r, t.id); next != "" {
		b.WriteString("\n" + next)
	}
	return b.String()
}

// sectorHint is the first project sector's hint, for the topics where sector matters.
func sectorHint(p *Project, topic string) (msg, bool) {
	if p == nil {
		return msg{}, false
	}
	switch topic {
	case "fundraising", "pmf", "growth", "pitch", "general":
	default:
		return msg{}, false
	}
	for _, c := range p.Facts.Categories {
		if h, ok := sectorHints[c]; ok {
			return h, true
		}
	}
	return msg{}, false
}

// mentorNextStep closes the answer: the most valuable missing fact as a question, or (for
// fundraising with a searchable project) the invitation to search.
func mentorNextStep(r Request, topic string) string {
	lang := r.Language
	if r.Project == nil {
		return pick(lang, "Tell me about your startup (what it does, sector and stage) and I'll tailor this advice.",
			"Cuéntame tu startup (qué hace, sector y fase) y adapto estos consejos.")
	}
	missing := missingKeys(r.Project)
	for _, k := range missing {
		if k == "stage" || k == "categories" || (k == "metrics" && (topic == "fundraising" || topic == "growth" || topic == "valuation")) {
			return pick(lang, "To tailor this: ", "Para afinar más: ") + factQuestions[k].in(lang)
		}
	}
	if topic == "fundraising" && r.Project.Completeness >= 50 {
		return pick(lang, "When you're ready, ask me to find investors for ", "Cuando quieras, pídeme que busque inversores para ") +
			projectName(r.Project, lang) + "."
	}
	return ""
}
