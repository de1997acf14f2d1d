package agents

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Librarian answers factual questions: fundraising terms (glossary), counts from our investor
// database, and what we know about the user's project. Other questions get the mentor's advice when
// they match a topic, else a short guide to what the librarian can answer.
func (a *Agents) Librarian(ctx context.Context, r Request, s Stream) (Reply, error) {
	reference, err := a.librarianAnswer(ctx, r)
	if err != nil {
		return Reply{}, fmt.Errorf("agents: librarian: %w", err)
	}
	return a.answer(ctx, r, s, modelCall{agent: "librarian", temperature: 0.2}, reference)
}

func (a *Agents) librarianAnswer(ctx context.Context, r Request) (string, error) {
	folded := foldWords(r.Text)
	lang := r.Language
	switch {
	case isProjectQuestion(folded):
		return projectSummary(r.Project, lang), nil
	case isDataQuestion(folded):
		q := parseDataQuestion(r.Text, folded)
		return a.dataAnswer(ctx, r, q)
	}
	if terms := matchGlossary(folded); len(terms) > 0 {
		return glossaryAnswer(terms, r, lang), nil
	}
	if t := chooseTopic(r.Text); t.id != generalTopic.id {
		return mentorAnswer(r), nil
	}
	return pick(lang,
		"I don't have a reliable answer to that. Here is what I can tell you:\n\n"+
			"- **Fundraising terms**: SAFE, convertible note, pre-money, dilution, liquidation preference, vesting…\n"+
			"- **Our investor data**: e.g. \"how many seed fintech investors are there in Spain?\"\n"+
			"- **Your project**: \"what do you know about my project?\"",
		"No tengo una respuesta fiable para eso. Esto es lo que puedo contarte:\n\n"+
			"- **Términos de financiación**: SAFE, nota convertible, pre-money, dilución, preferencia de liquidación, vesting…\n"+
			"- **Nuestros datos de inversores**: p. ej. \"¿cuántos inversores seed de fintech hay en España?\"\n"+
			"- **Tu proyecto**: \"¿qué sabes de mi proyecto?\""), nil
}

var (
	projectRefs = []string{"my project", "my startup", "my company", "our project", "our startup", "our company", "about us",
		"mi proyecto", "mi startup", "mi empresa", "nuestro proyecto", "nuestra startup", "nuestra empresa", "sobre nosotros", "de nosotros"}
	projectAsks = []string{"know", "knows", "sabes", "sabe", "info*", "dato*", "summar*", "resum*", "profile", "perfil", "saved",
		"guardad*", "have", "tienes", "teneis", "status", "estado", "missing", "falta*", "complet*", "what", "que"}
	countWords = []string{"how many", "number of", "count", "cuantos", "cuantas", "numero de", "cantidad de", "total"}
	haveWords  = []string{"hay", "tienes", "teneis", "tiene", "do you have", "have you got", "database", "base de datos", "are there", "is there"}
	angelWords = []string{"angel*", "business angel*"}
	fundWords  = []string{"fund", "funds", "fondo", "fondos", "vc", "vcs", "venture capital", "capital riesgo", "firms", "gestoras"}
	investorW  = []string{"investor*", "inversor*", "inversionista*"}
)

func isProjectQuestion(folded string) bool {
	return keywordHits(folded, projectRefs) > 0 && keywordHits(folded, projectAsks) > 0
}

func isDataQuestion(folded string) bool {
	who := keywordHits(folded, angelWords)+keywordHits(folded, fundWords)+keywordHits(folded, investorW) > 0
	return who && keywordHits(folded, countWords)+keywordHits(folded, haveWords) > 0
}

// matchGlossary returns the glossary terms the question names, best first, at most two. A keyword
// inside a longer matched keyword ("cap" in "cap table") does not count.
func matchGlossary(folded string) []glossaryTerm {
	type hit struct {
		term int
		kw   string
	}
	var hits []hit
	for i, t := range glossary {
		for _, k := range t.keywords {
			if hasKeyword(folded, k) {
				hits = append(hits, hit{i, strings.TrimSuffix(k, "*")})
			}
		}
	}
	score := make([]int, len(glossary))
	for _, h := range hits {
		shadowed := slices.ContainsFunc(hits, func(o hit) bool {
			return o.term != h.term && len(o.kw) > len(h.kw) && strings.Contains(" "+o.kw+" ", " "+h.kw)
		})
		if !shadowed {
			score[h.term] += len(strings.Fields(h.kw))
		}
	}
	order := make([]int, len(glossary))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return score[y] - score[x] })
	var out []glossaryTerm
	for _, i := range order {
		if score[i] == 0 || len(out) == 2 {
			break
		}
		out = append(out, glossary[i])
	}
	return out
}

func glossaryAnswer(terms []glossaryTerm, r Request, lang string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("**" + t.term.in(lang) + "**: " + t.def.in(lang))
	}
	if r.Project != nil && r.Project.Facts.Stage != "" {
		b.WriteString("\n\n" + pick(lang, "Want to know how this applies to your ", "¿Quieres ver cómo aplica a tu ronda ") +
			pick(lang, stageLabel(r.Project.Facts.Stage, lang)+" round? Just ask.", stageLabel(r.Project.Facts.Stage, lang)+"? Pregúntame."))
	}
	return b.String()
}

// projectSummary describes what we know about the project and what is missing.
func projectSummary(p *Project, lang string) string {
	if p == nil {
		return pick(lang,
			"You don't have a project yet, so I know nothing about your startup. Tell me its name, what it does, the sector and the stage, and I'll create it.",
			"Todavía no tienes proyecto, así que no sé nada de tu startup. Dime el nombre, qué hace, el sector y la fase, y lo creo.")
	}
	var b strings.Builder
	fmt.Fprintf(&b, pick(lang, "Here's what I know about %s (%d%% complete):", "Esto es lo que sé de %s (%d%% completo):"),
		projectName(p, lang), p.Completeness)
	lines := factLines(p.Facts, lang)
	if len(lines) == 0 {
		b.WriteString("\n\n" + pick(lang, "Nothing yet beyond the name.", "Nada todavía aparte del nombre."))
	} else {
		b.WriteString("\n\n" + strings.Join(lines, "\n"))
	}
	if missing := missingKeys(p); len(missing) > 0 {
		labels := make([]string, len(missing))
		for i, k := range missing {
			labels[i] = factLabel(k, lang)
		}
		b.WriteString("\n\n" + pick(lang, "Missing: ", "Falta: ") + joinAnd(labels, lang) + ". " + factQuestions[missing[0]].in(lang))
	}
	return b.String()
}
