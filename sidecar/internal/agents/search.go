package agents

import (
	"fmt"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// SearchSummary is a finished search, as the chat engine reports it.
type SearchSummary struct {
	Total   int         // matches before the plan's limit
	Charged int         // credits charged
	Results []SearchHit // shown results, best first
	Limit   int         // the plan's result limit
	PlanID  string
}

// SearchHit is one shown result.
type SearchHit struct {
	Kind, Name, Headline, Fund, Location, LinkedInURL string
	Score                                             int      // 0..100 match score
	Reasons                                           []string // short human reasons already in words, e.g. "invests in fintech", "seed stage"
}

// searchNouns name each kind of result: singular and plural.
var searchNouns = map[string][2]msg{
	"investors": {{"investor", "inversor"}, {"investors", "inversores"}},
	"employees": {{"person at the fund", "persona del fondo"}, {"people at the fund", "personas del fondo"}},
	"companies": {{"service company", "empresa de servicios"}, {"service companies", "empresas de servicios"}},
}

// SearchResults writes the reply for a finished search: the results with why they match, what it
// cost, the plan's limit and the next step. It is not bounded by MaxReplyChars.
func (a *Agents) SearchResults(r Request, kind string, res SearchSummary) Reply {
	lang := r.Language
	nouns, ok := searchNouns[kind]
	if !ok {
		nouns = [2]msg{{"result", "resultado"}, {"results", "resultados"}}
	}
	noun := func(n int) string {
		if n == 1 {
			return nouns[0].in(lang)
		}
		return nouns[1].in(lang)
	}
	var b strings.Builder
	if len(res.Results) == 0 {
		b.WriteString(pick(lang, "I found no ", "No he encontrado ") + noun(2) + pick(lang, " for this search.", " para esta búsqueda."))
		b.WriteString("\n\n" + pick(lang,
			"Try widening it: a related sector, a neighbouring stage, or no country or city. Updating your project facts also changes the ranking.",
			"Prueba a ampliarla: un sector relacionado, una fase cercana o sin país ni ciudad. Actualizar los datos de tu proyecto también cambia el ranking."))
		if res.Charged > 0 {
			fmt.Fprintf(&b, "\n\n"+pick(lang, "Credits used: %d.", "Créditos usados: %d."), res.Charged)
		}
		return Reply{Text: finish(lang, b.String(), 0), Mode: judge.ModeOffline}
	}
	total := max(res.Total, len(res.Results))
	if r.Project != nil && strings.TrimSpace(r.Project.Name) != "" && kind == "investors" {
		fmt.Fprintf(&b, pick(lang, "I found **%s** %s for %s. The best matches:", "He encontrado **%s** %s para %s. Los que mejor encajan:"),
			formatNumber(float64(total), lang), noun(total), projectName(r.Project, lang))
	} else {
		fmt.Fprintf(&b, pick(lang, "I found **%s** %s. The best matches:", "He encontrado **%s** %s. Los que mejor encajan:"),
			formatNumber(float64(total), lang), noun(total))
	}
	b.WriteString("\n")
	for i, h := range res.Results {
		b.WriteString("\n" + hitLine(i+1, h, lang))
	}
	b.WriteString("\n")
	if res.Limit > 0 && total > len(res.Results) {
		fmt.Fprintf(&b, "\n"+pick(lang, "Showing %d of %s (your plan shows up to %d per search).", "Mostrando %d de %s (tu plan muestra hasta %d por búsqueda)."),
			len(res.Results), formatNumber(float64(total), lang), res.Limit)
	}
	if res.Charged > 0 {
		fmt.Fprintf(&b, "\n"+pick(lang, "Credits used: %d.", "Créditos usados: %d."), res.Charged)
	}
	b.WriteString("\n\n")
	switch {
	case kind == "investors" && r.Plan.OutreachEnabled:
		b.WriteString(pick(lang, "Want me to prepare a LinkedIn campaign for them? You approve every message before it's sent.",
			"¿Preparo una campaña de LinkedIn para ellos? Tú apruebas cada mensaje antes de enviarlo."))
	case kind == "investors":
		b.WriteString(pick(lang, "Want help writing a first message to one of them? Tell me which one.",
			"¿Te ayudo a escribir un primer mensaje a alguno de ellos? Dime a cuál."))
	case kind == "employees":
		b.WriteString(pick(lang, "Partners usually decide; associates often open the door. Want a first message for one of them?",
			"Los partners suelen decidir y los associates suelen abrir la puerta. ¿Te preparo un primer mensaje para alguno?"))
	default:
		b.WriteString(pick(lang, "Ask for references and compare two or three before choosing.",
			"Pide referencias y compara dos o tres antes de elegir."))
	}
	return Reply{Text: finish(lang, b.String(), 0), Mode: judge.ModeOffline}
}

// hitLine renders one result: "1. **Name** — headline · location · 87% match\n   reasons\n   link".
func hitLine(n int, h SearchHit, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d. **%s**", n, strings.TrimSpace(h.Name))
	var meta []string
	if h.Headline != "" {
		meta = append(meta, truncate(h.Headline, 90))
	}
	if h.Fund != "" && !strings.Contains(h.Headline, h.Fund) {
		meta = append(meta, h.Fund)
	}
	if h.Location != "" {
		meta = append(meta, truncate(h.Location, 60))
	}
	if h.Score > 0 {
		meta = append(meta, fmt.Sprintf(pick(lang, "%d%% match", "%d%% de encaje"), h.Score))
	}
	if len(meta) > 0 {
		b.WriteString(" — " + strings.Join(meta, " · "))
	}
	if len(h.Reasons) > 0 {
		b.WriteString("\n   " + pick(lang, "Why: ", "Por qué: ") + strings.Join(h.Reasons, ", "))
	}
	if h.LinkedInURL != "" {
		b.WriteString("\n   " + h.LinkedInURL)
	}
	return b.String()
}
