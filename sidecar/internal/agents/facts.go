package agents

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// Fact keys of Project.Missing, most valuable first, as public.project_missing_facts orders them
// (public.project_completeness holds the weights).
var factKeys = []string{"categories", "stage", "metrics", "team", "problem", "product_status", "previous_funding"}

// factQuestions ask for one missing fact each.
var factQuestions = map[string]msg{
	"categories": {"Which sector are you in (e.g. fintech, healthtech, SaaS, climate)?",
		"¿En qué sector estáis (p. ej. fintech, salud digital, SaaS, clima)?"},
	"stage": {"What stage is the company at: idea, pre-seed, seed, Series A…?",
		"¿En qué fase está la empresa: idea, pre-seed, seed, Serie A…?"},
	"metrics": {"What traction do you have: users or customers, MRR or revenue, monthly growth?",
		"¿Qué tracción tenéis: usuarios o clientes, MRR o facturación, crecimiento mensual?"},
	"team": {"Who is on the team: how many people and which roles (e.g. CEO, CTO)?",
		"¿Quién forma el equipo: cuántas personas y qué roles (p. ej. CEO, CTO)?"},
	"problem": {"What problem do you solve, and for whom?",
		"¿Qué problema resolvéis y para quién?"},
	"product_status": {"Where is the product: idea, prototype, MVP, launched or already making revenue?",
		"¿En qué punto está el producto: idea, prototipo, MVP, lanzado o ya facturando?"},
	"previous_funding": {"Have you raised money before (how much, and from whom)?",
		"¿Habéis levantado dinero antes (cuánto y de quién)?"},
}

// factLabels name each fact key.
var factLabels = map[string]msg{
	"categories": {"sector", "sector"}, "stage": {"stage", "fase"}, "metrics": {"metrics", "métricas"},
	"team": {"team", "equipo"}, "problem": {"problem", "problema"}, "product_status": {"product status", "estado del producto"},
	"previous_funding": {"previous funding", "financiación previa"}, "country": {"country", "país"}, "city": {"city", "ciudad"},
	"business_model": {"business model", "modelo de negocio"}, "target_market": {"target market", "mercado objetivo"},
	"funding_ask_usd": {"funding ask", "ronda que buscáis"}, "name": {"name", "nombre"},
}

func factLabel(key, lang string) string {
	if m, ok := factLabels[key]; ok {
		return m.in(lang)
	}
	return strings.ReplaceAll(key, "_", " ")
}

// missingKeys returns the project's missing fact keys, most valuable first: Project.Missing when
// the database gave it, else computed from the facts. A nil project misses everything.
func missingKeys(p *Project) []string {
	if p != nil && len(p.Missing) > 0 {
		return p.Missing
	}
	var f judge.ProjectFacts
	if p != nil {
		f = p.Facts
	}
	var out []string
	for _, key := range factKeys {
		if !hasFact(f, key) {
			out = append(out, key)
		}
	}
	return out
}

func hasFact(f judge.ProjectFacts, key string) bool {
	switch key {
	case "categories":
		return len(f.Categories) > 0
	case "stage":
		return f.Stage != ""
	case "metrics":
		m := f.Metrics
		return m != nil && (m.ARR > 0 || m.MRR > 0 || m.Users > 0 || m.Revenue > 0)
	case "team":
		t := f.Team
		return t != nil && (t.Size > 0 || len(t.Roles) > 0 || t.Experience != "")
	case "problem":
		return f.Problem != ""
	case "product_status":
		return f.ProductStatus != ""
	case "previous_funding":
		return f.PreviousFunding != ""
	}
	return false
}

// Vocabulary labels.
var (
	sectorNames = func() map[string]msg {
		m := map[string]msg{}
		for _, s := range judge.Sectors() {
			m[s.ID] = msg{s.LabelEN, s.LabelES}
		}
		return m
	}()
	countryNames = func() map[string]msg {
		m := map[string]msg{}
		for _, c := range judge.Countries() {
			m[c.Code] = msg{c.NameEN, c.NameES}
		}
		return m
	}()
	stageNames = map[string]msg{
		"idea": {"idea", "idea"}, "pre_seed": {"pre-seed", "pre-seed"}, "seed": {"seed", "seed"},
		"series_a": {"Series A", "Serie A"}, "series_b": {"Series B", "Serie B"}, "series_c": {"Series C", "Serie C"},
		"growth": {"growth", "growth"},
	}
	productStatusNames = map[string]msg{
		"idea": {"idea", "idea"}, "prototype": {"prototype", "prototipo"}, "mvp": {"MVP", "MVP"},
		"launched": {"launched", "lanzado"}, "revenue": {"making revenue", "facturando"},
	}
)

func label(names map[string]msg, id, lang string) string {
	if m, ok := names[id]; ok {
		return m.in(lang)
	}
	return id
}

func sectorLabel(id, lang string) string   { return label(sectorNames, id, lang) }
func stageLabel(id, lang string) string    { return label(stageNames, id, lang) }
func countryName(code, lang string) string { return label(countryNames, code, lang) }

// sectorList joins sector labels ("Fintech, SaaS").
func sectorList(ids []string, lang string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = sectorLabel(id, lang)
	}
	return joinAnd(out, lang)
}

// joinAnd joins items as "a, b and c" / "a, b y c".
func joinAnd(items []string, lang string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + pick(lang, " and ", " y ") + items[len(items)-1]
}

// describeStartup is a short description: "a seed-stage Fintech startup in Spain".
func describeStartup(p *Project, lang string) string {
	if p == nil {
		return pick(lang, "your startup", "tu startup")
	}
	f := p.Facts
	es := offlineLang(lang) == langES
	var b strings.Builder
	if es {
		b.WriteString("una startup")
		if len(f.Categories) > 0 {
			b.WriteString(" de " + sectorList(f.Categories, lang))
		}
		if f.Stage != "" {
			b.WriteString(" en fase " + stageLabel(f.Stage, lang))
		}
		if f.Country != "" {
			b.WriteString(" en " + countryName(f.Country, lang))
		}
		return b.String()
	}
	b.WriteString("a")
	if f.Stage != "" {
		b.WriteString(" " + stageLabel(f.Stage, lang) + "-stage")
	}
	if len(f.Categories) > 0 {
		b.WriteString(" " + sectorList(f.Categories, lang))
	}
	b.WriteString(" startup")
	if f.Country != "" {
		b.WriteString(" in " + countryName(f.Country, lang))
	}
	s := b.String()
	if strings.HasPrefix(s, "a idea") {
		s = "an" + s[1:]
	}
	return s
}

// projectName is the project's name in bold, or a generic reference.
func projectName(p *Project, lang string) string {
	if p == nil || strings.TrimSpace(p.Name) == "" {
		return pick(lang, "your project", "tu proyecto")
	}
	return "**" + strings.TrimSpace(p.Name) + "**"
}

// factLines renders every known fact as "- **label:** value" lines.
func factLines(f judge.ProjectFacts, lang string) []string {
	var out []string
	add := func(key, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, "- **"+capitalize(factLabel(key, lang))+":** "+v)
		}
	}
	add("categories", sectorList(f.Categories, lang))
	if f.Stage != "" {
		add("stage", stageLabel(f.Stage, lang))
	}
	place := countryName(f.Country, lang)
	if f.City != "" {
		place = strings.TrimSuffix(f.City+", "+place, ", ")
	}
	add("country", place)
	add("product_status", label(productStatusNames, f.ProductStatus, lang))
	add("problem", truncate(f.Problem, 160))
	add("business_model", truncate(f.BusinessModel, 120))
	add("target_market", truncate(f.TargetMarket, 120))
	add("metrics", metricsText(f.Metrics, lang))
	add("team", teamText(f.Team, lang))
	add("previous_funding", truncate(f.PreviousFunding, 120))
	if f.FundingAskUSD > 0 {
		add("funding_ask_usd", "$"+formatNumber(float64(f.FundingAskUSD), lang))
	}
	return out
}

// factValue renders one fact key's value, or "".
func factValue(f judge.ProjectFacts, key, lang string) string {
	switch key {
	case "categories":
		return sectorList(f.Categories, lang)
	case "stage":
		return stageLabel(f.Stage, lang)
	case "country":
		return countryName(f.Country, lang)
	case "city":
		return f.City
	case "metrics":
		return metricsText(f.Metrics, lang)
	case "team":
		return teamText(f.Team, lang)
	case "problem":
		return truncate(f.Problem, 120)
	case "product_status":
		return label(productStatusNames, f.ProductStatus, lang)
	case "previous_funding":
		return truncate(f.PreviousFunding, 100)
	case "business_model":
		return truncate(f.BusinessModel, 100)
	case "target_market":
		return truncate(f.TargetMarket, 100)
	case "funding_ask_usd":
		if f.FundingAskUSD > 0 {
			return "$" + formatNumber(float64(f.FundingAskUSD), lang)
		}
	}
	return ""
}

func metricsText(m *judge.Metrics, lang string) string {
	if m == nil {
		return ""
	}
	cur := ""
	if m.Currency != "" {
		cur = " " + m.Currency
	}
	var parts []string
	if m.MRR > 0 {
		parts = append(parts, "MRR "+formatNumber(m.MRR, lang)+cur)
	}
	if m.ARR > 0 {
		parts = append(parts, "ARR "+formatNumber(m.ARR, lang)+cur)
	}
	if m.Revenue > 0 {
		parts = append(parts, pick(lang, "revenue ", "facturación ")+formatNumber(m.Revenue, lang)+cur)
	}
	if m.Users > 0 {
		parts = append(parts, formatNumber(float64(m.Users), lang)+pick(lang, " users", " usuarios"))
	}
	if m.GrowthRate != 0 {
		period := pick(lang, "/month", "/mes")
		if m.GrowthPeriod == "yearly" {
			period = pick(lang, "/year", "/año")
		}
		parts = append(parts, pick(lang, "growth ", "crecimiento ")+formatNumber(m.GrowthRate, lang)+"%"+period)
	}
	if m.BurnRate > 0 {
		parts = append(parts, pick(lang, "burn ", "burn ")+formatNumber(m.BurnRate, lang)+cur+pick(lang, "/month", "/mes"))
	}
	if m.RunwayMonths > 0 {
		parts = append(parts, pick(lang, "runway ", "runway ")+formatNumber(m.RunwayMonths, lang)+pick(lang, " months", " meses"))
	}
	return strings.Join(parts, ", ")
}

func teamText(t *judge.Team, lang string) string {
	if t == nil {
		return ""
	}
	var parts []string
	if t.Size > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", t.Size, pick(lang, "people", "personas")))
	}
	if len(t.Roles) > 0 {
		parts = append(parts, strings.Join(t.Roles, ", "))
	}
	if t.Experience != "" {
		parts = append(parts, truncate(t.Experience, 80))
	}
	return strings.Join(parts, "; ")
}

// formatNumber writes v with thousands separators ("40,000" / "40.000") and at most one decimal.
func formatNumber(v float64, lang string) string {
	thousands, decimal := ",", "."
	if offlineLang(lang) == langES {
		thousands, decimal = ".", ","
	}
	neg := v < 0
	v = math.Abs(v)
	whole := math.Floor(v)
	frac := int(math.Round((v - whole) * 10))
	if frac == 10 {
		whole++
		frac = 0
	}
	digits := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac > 0 {
		b.WriteString(decimal + strconv.Itoa(frac))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// askMissing renders the questions for the first n missing facts, as a numbered list when there
// are several.
func askMissing(keys []string, n int, lang string) string {
	if len(keys) > n {
		keys = keys[:n]
	}
	var qs []string
	for _, k := range keys {
		if q, ok := factQuestions[k]; ok {
			qs = append(qs, q.in(lang))
		}
	}
	if len(qs) == 1 {
		return qs[0]
	}
	var b strings.Builder
	for i, q := range qs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%d. %s", i+1, q)
	}
	return b.String()
}
