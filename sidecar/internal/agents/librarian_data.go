package agents

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// dataQuestion is a count over the investor tables.
type dataQuestion struct {
	sectors []string
	stage   string
	country string
	angels  bool // count business angels
	funds   bool // count funds
}

// parseDataQuestion reads the filters with the judge's fact extraction (sectors, stage, country)
// and the kind of investor from the words used.
func parseDataQuestion(text, folded string) dataQuestion {
	f := judge.ExtractFacts(text)
	q := dataQuestion{sectors: f.Categories, stage: f.Stage, country: f.Country}
	angels := keywordHits(folded, angelWords) > 0
	funds := keywordHits(folded, fundWords) > 0
	generic := keywordHits(folded, investorW) > 0
	q.angels = angels || generic || !funds
	q.funds = funds || generic || !angels
	return q
}

// countSQL counts angels and funds matching optional filters: $1 sector ids (any of them, strong or
// general), $2 a funding stage, $3 a country code.
const countSQL = `
select
  (select count(*) from public.angel_investors a
    where (cardinality($1::text[]) = 0 or a.categories_strong && $1::text[] or a.categories_general && $1::text[])
      and ($2::text = '' or $2::text::public.funding_stage = any(a.stages_strong || a.stages_general))
      and ($3::text = '' or a.country::text = $3::text)),
  (select count(*) from public.investment_funds f
    where (cardinality($1::text[]) = 0 or f.categories_strong && $1::text[] or f.categories_general && $1::text[])
      and ($2::text = '' or $2::text::public.funding_stage = any(f.stages_strong || f.stages_general))
      and ($3::text = '' or f.country::text = $3::text))`

// errNoDatabase is returned by count when Agents has no database.
var errNoDatabase = errors.New("no database configured")

func (a *Agents) count(ctx context.Context, q dataQuestion) (angels, funds int64, err error) {
	if a.db == nil {
		return 0, 0, errNoDatabase
	}
	sectors := q.sectors
	if sectors == nil {
		sectors = []string{}
	}
	if err := a.db.QueryRow(ctx, countSQL, sectors, q.stage, q.country).Scan(&angels, &funds); err != nil {
		return 0, 0, fmt.Errorf("counting investors: %w", err)
	}
	return angels, funds, nil
}

// dataAnswer answers a count question from the database.
func (a *Agents) dataAnswer(ctx context.Context, r Request, q dataQuestion) (string, error) {
	lang := r.Language
	angels, funds, err := a.count(ctx, q)
	if errors.Is(err, errNoDatabase) {
		return pick(lang,
			"I can't reach our investor database right now, so I won't guess a number. Try again in a moment, or ask me to search investors for your project.",
			"Ahora mismo no puedo consultar nuestra base de datos de inversores, así que no voy a inventar una cifra. Prueba de nuevo en un momento o pídeme que busque inversores para tu proyecto."), nil
	}
	if err != nil {
		return "", err
	}
	var counts []string
	plural := func(n int64, one, many msg) string {
		if n == 1 {
			return one.in(lang)
		}
		return many.in(lang)
	}
	if q.angels {
		counts = append(counts, fmt.Sprintf("**%s** %s", formatNumber(float64(angels), lang),
			plural(angels, msg{"business angel", "business angel"}, msg{"business angels", "business angels"})))
	}
	if q.funds {
		counts = append(counts, fmt.Sprintf("**%s** %s", formatNumber(float64(funds), lang),
			plural(funds, msg{"fund", "fondo"}, msg{"funds", "fondos"})))
	}
	var b strings.Builder
	filters := describeFilters(q, lang)
	if filters == "" {
		fmt.Fprintf(&b, pick(lang, "Our database has %s in total.", "Nuestra base de datos tiene %s en total."), joinAnd(counts, lang))
	} else {
		fmt.Fprintf(&b, pick(lang, "In our database there are %s%s.", "En nuestra base de datos hay %s%s."), joinAnd(counts, lang), filters)
	}
	total := int64(0)
	if q.angels {
		total += angels
	}
	if q.funds {
		total += funds
	}
	b.WriteString("\n\n")
	switch {
	case total == 0 && filters != "":
		b.WriteString(pick(lang,
			"Try widening the filters: a neighbouring stage, a related sector or no country.",
			"Prueba a ampliar los filtros: una fase cercana, un sector relacionado o sin país."))
	case r.Project != nil && r.Project.Completeness >= 50:
		b.WriteString(pick(lang, "Ask me to find investors and I'll rank the best matches for ", "Pídeme que busque inversores y ordenaré los que mejor encajan con ") +
			projectName(r.Project, lang) + ".")
	default:
		b.WriteString(pick(lang,
			"Want the best matches for your startup? Tell me its sector and stage and ask me to find investors.",
			"¿Quieres los que mejor encajan con tu startup? Dime su sector y fase y pídeme que busque inversores."))
	}
	return b.String(), nil
}

// describeFilters renders the filters after the counts: " that invest in Fintech at seed stage,
// based in Spain"; "" without filters.
func describeFilters(q dataQuestion, lang string) string {
	var invest []string
	if len(q.sectors) > 0 {
		invest = append(invest, pick(lang, "in ", "en ")+sectorList(q.sectors, lang))
	}
	if q.stage != "" {
		invest = append(invest, pick(lang, "at "+stageLabel(q.stage, lang)+" stage", "en fase "+stageLabel(q.stage, lang)))
	}
	var b strings.Builder
	if len(invest) > 0 {
		b.WriteString(pick(lang, " that invest ", " que invierten ") + strings.Join(invest, " "))
	}
	if q.country != "" {
		if b.Len() > 0 {
			b.WriteString(",")
		}
		b.WriteString(pick(lang, " based in ", " con sede en ") + countryName(q.country, lang))
	}
	return b.String()
}
