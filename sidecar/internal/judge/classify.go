package judge

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// intentIndex is the position of each intent in allIntents (and in a scoreboard).
var intentIndex = func() map[Intent]int {
	m := map[Intent]int{}
	for i, in := range allIntents {
		m[in] = i
	}
	return m
}()

// scoreboard holds one score per intent, in allIntents order.
type scoreboard [len(allIntents)]float64

func (s *scoreboard) add(i Intent, v float64) { s[intentIndex[i]] += v }
func (s *scoreboard) get(i Intent) float64    { return s[intentIndex[i]] }

// top returns the best and second-best intents and their scores.
func (s *scoreboard) top() (best Intent, bestScore float64, second float64) {
	bi := -1
	for i, v := range s {
		if bi < 0 || v > s[bi] {
			bi = i
		}
	}
	for i, v := range s {
		if i != bi && v > second {
			second = v
		}
	}
	return allIntents[bi], s[bi], second
}

// scoreRules applies the intent rules to toks. matched lists "intent/group" for every group that
// contributed.
func scoreRules(toks []token) (sc scoreboard, matched []string) {
	best := make([]float64, groupCount)
	set := make([]bool, groupCount)
	owner := make([]*compiledRule, groupCount)
	for i, ok := range rulePatterns.match(toks) {
		if !ok {
			continue
		}
		r := &compiledRules[i]
		if !set[r.gid] || r.weight > best[r.gid] {
			best[r.gid], set[r.gid], owner[r.gid] = r.weight, true, r
		}
	}
	for g, ok := range set {
		if ok {
			sc.add(owner[g].intent, best[g])
			matched = append(matched, string(owner[g].intent)+"/"+owner[g].group)
		}
	}
	return sc, matched
}

var (
	selfWords = toSet(`we our ours us my mine i yo somos tenemos estamos hemos nuestro nuestra nuestros nuestras mi mis
soy tengo estoy nos buscamos necesitamos queremos facturamos crecemos vendemos levantamos cerramos`)
	secondPerson = toSet(`you your can could puedes podrias puede podria tu tus find busca buscame encuentra show
dame muestrame search`)
	questionStarts = toSet(`what how who which why when where is are can could should do does did que como quien
quienes cual cuales cuanto cuantos cuantas cuanta donde cuando puedo puedes deberia hay es whats define explain
explica explicame`)
)

func hasSelf(toks []token) bool {
	for _, t := range toks {
		if selfWords[t.norm] {
			return true
		}
	}
	return false
}

func isQuestion(text string, toks []token) bool {
	if strings.ContainsAny(text, "?¿") {
		return true
	}
	return len(toks) > 0 && questionStarts[toks[0].norm]
}

// selfClauses keeps the clauses of text that talk about the founder's startup: sentences split at
// . ! ? ; and commas, where a comma-clause without a first-person word inherits the previous
// clause's reading unless it addresses the assistant ("can you find...").
func selfClauses(text string) string {
	var keep []string
	prevSelf := false
	for _, sentence := range splitKeep(text, ".!?;¿¡\n") {
		prevSelf = false
		for _, c := range strings.Split(sentence, ",") {
			toks := tokenize(c)
			if len(toks) == 0 {
				continue
			}
			self := hasSelf(toks)
			addressed := false
			for _, t := range toks {
				if secondPerson[t.norm] {
					addressed = true
				}
			}
			if self || (prevSelf && !addressed) {
				keep = append(keep, strings.TrimSpace(c))
				prevSelf = true
				continue
			}
			prevSelf = false
		}
	}
	return strings.Join(keep, ". ")
}

// splitKeep splits s at any of the separator runes ('.' only before a space or the end, so
// "1.2M" stays whole).
func splitKeep(s, seps string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if !strings.ContainsRune(seps, r) {
			continue
		}
		if r == '.' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
			continue
		}
		out = append(out, s[start:i])
		start = i + len(string(r))
	}
	return append(out, s[start:])
}

// Conversation context read from the assistant's last turn.
type assistantContext struct {
	offered  Intent // the assistant asked whether to do this (search, outreach, upgrade)
	results  bool   // it showed search results
	draft    bool   // it showed a draft message
	campaign bool   // it talked about a running campaign
	askedFor bool   // it asked for facts about the project
}

var (
	resultsPattern  = mustPattern("found|encontrado|here_are|here_is|aqui_tienes|estos_son|these_are|top|matches|match|mejores|encajan|results|resultados|he_encontrado|i_found|estos_fondos|these_funds & @inv|@person|#Name")
	draftPattern    = mustPattern("draft|borrador|here_s_a|here_is_a|aqui_tienes_un|aqui_tienes_el|propuesta_de & @msg")
	campaignPattern = mustPattern("campaign|campana|invitations|invitaciones|connection_requests|secuencia|sequence")
	askedPattern    = mustPattern(`team|equipo|stage|fase|etapa|sector|industry|industria|country|pais|city|ciudad|metrics|metricas|mrr|arr|revenue|ingresos|facturais|users|usuarios|customers|clientes|problem|problema|funding|financiacion|raised|levantado|how_big|how_many_people|cuantos_sois|product|producto|where|donde|based|sois|estais`)
	yesPattern      = mustPattern(`^yes|^yeah|^yep|^yup|^sure|^please|^go_ahead|^do_it|^ok|^okay|^si|^sip|^claro|^dale|^hazlo|^adelante|^venga|^vale|^perfecto|^let_s_go|^lets_go|^vamos|^por_favor|^of_course|^por_supuesto|^go_for_it|^sounds_good|^absolutely|^genial|^great|^perfect|^busca|^search|^find_them|^hit_me|^va$|^porfa`)
	noPattern       = mustPattern(`^no|^nope|^not_now|^later|^de_momento_no|^ahora_no|^mas_tarde|^luego|^todavia_no|^not_yet|^aun_no|^nah|^paso|^mejor_no|^maybe_later|^quizas_luego`)
	editPattern     = mustPattern(`make_it|make_the|hazlo|cambialo|cambia|change|shorter|mas_corto|mas_corta|less_formal|menos_formal|more_formal|mas_formal|mention|menciona|di_que|say_that|add|anade|agrega|quita|remove|rewrite|reescribe|tono|tone|longer|mas_largo|translate|traduce|mejoralo|improve_it|otra_version|another_version`)
	deixisPattern   = mustPattern("@deixis|@contact|escribeles|contactales|mandales|enviales")
	morePattern     = mustPattern("more|mas|otros|another|other")
	personPattern   = mustPattern("@person")
	statsPattern    = mustPattern("how_many|cuantos|cuantas|accepted|aceptad*|replied|respond*|respuestas|status|estado|como_va|how_is_it_going|how_s_it_going|how_is_my|how_s_my")
)

func mustPattern(src string) pattern {
	p, err := compilePattern(src, ruleMacros)
	if err != nil {
		panic("judge: " + err.Error()) // constants; covered by the tests
	}
	return p
}

var actionIntents = []Intent{IntentSearchInvestors, IntentSearchEmployees, IntentSearchCompanies, IntentOutreach, IntentPlans}

func readAssistant(text string) assistantContext {
	var c assistantContext
	if text == "" {
		return c
	}
	toks := tokenize(text)
	question := strings.ContainsAny(text, "?¿")
	sc, _ := scoreRules(toks)
	if question {
		bestScore := 0.0
		for _, in := range actionIntents {
			if v := sc.get(in); v >= 2.5 && v > bestScore {
				c.offered, bestScore = in, v
			}
		}
	}
	c.results = resultsPattern.match(toks)
	c.draft = draftPattern.match(toks)
	c.campaign = campaignPattern.match(toks)
	c.askedFor = question && c.offered == "" && askedPattern.match(toks)
	return c
}

// thumbs and similar emoji count as "yes" when the assistant offered something.
var yesEmoji = []string{"👍", "👌", "🙌", "✅", "💪", "🚀", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"}

// classify scores every intent for one message. facts are all the facts the text states (read as
// about the founder's startup).
func classify(in Input, text string, toks []token, facts ProjectFacts) (scoreboard, []string) {
	sc, matched := scoreRules(toks)
	var reasons []string
	for _, m := range matched {
		reasons = append(reasons, "rule:"+m)
	}
	question := isQuestion(text, toks)
	self := hasSelf(toks)

	// Facts about the startup point to a project update, strongly when the founder speaks of "we".
	// Bare facts ("3 cofounders, CEO and CTO", "seed, edtech") count too, unless the message is about
	// someone else (investors, providers, people at a fund), whose facts are search filters.
	if n := newFactCount(facts, in.Project); n > 0 {
		about := max(sc.get(IntentSearchInvestors), sc.get(IntentSearchEmployees), sc.get(IntentSearchCompanies))
		bonus := 0.4 * float64(min(n, 3))
		switch {
		case self:
			bonus = 1.2 * float64(min(n, 4))
		case !question && about < 1:
			bonus = 1.0 * float64(min(n, 3))
		}
		// Facts that come with an explicit request for something else support that request:
		// "busco angels para mi fintech, estamos en pre-seed" is a search whose facts the chat merges.
		// Only an explicit update ("actualiza la fase", "actually we moved") keeps the full weight.
		request := max(about, sc.get(IntentOutreach), sc.get(IntentPlans), sc.get(IntentMentor))
		switch {
		case sc.get(IntentProjectUpdate) < 2 && request >= 3:
			bonus *= 0.5
		case max(about, sc.get(IntentOutreach)) >= 2.5 && !explicitUpdate(toks):
			bonus *= 0.3
			sc[intentIndex[IntentProjectUpdate]] *= 0.5
			reasons = append(reasons, "facts:support_request")
		}
		sc.add(IntentProjectUpdate, bonus)
		reasons = append(reasons, fmt.Sprintf("facts:%d", n))
	}
	// The librarian answers questions; a statement that uses a term ("14 months of runway") is not one.
	if !question {
		sc[intentIndex[IntentLibrarian]] *= 0.5
	}
	// A question or request about something else outweighs the facts it mentions.
	if question {
		other := 0.0
		for i, v := range sc {
			if allIntents[i] != IntentProjectUpdate && v > other {
				other = v
			}
		}
		if other >= 2 {
			sc[intentIndex[IntentProjectUpdate]] *= 0.5
		}
	}

	ctx := readAssistant(in.lastAssistant())
	trimmed := strings.TrimSpace(text)
	short := len(toks) <= 6
	yes := short && (yesPattern.match(toks) || (len(toks) == 0 && slices.Contains(yesEmoji, trimmed)))
	no := short && noPattern.match(toks)
	if ctx.offered != "" {
		_, best, _ := sc.top()
		switch {
		case yes && best < 3.5:
			sc.add(ctx.offered, 5)
			reasons = append(reasons, "context:accepted_offer("+string(ctx.offered)+")")
		case no && best < 3.5:
			sc.add(IntentSmalltalk, 5)
			reasons = append(reasons, "context:declined_offer")
		}
	}
	if ctx.results {
		if deixisPattern.match(toks) {
			sc.add(IntentOutreach, 2)
			reasons = append(reasons, "context:after_results")
		}
		if personPattern.match(toks) {
			sc.add(IntentSearchEmployees, 1.5)
		}
		if morePattern.match(toks) && sc.get(IntentOutreach) < 2 {
			sc.add(IntentSearchInvestors, 1)
		}
	}
	if ctx.draft && editPattern.match(toks) {
		sc.add(IntentOutreach, 3.5)
		reasons = append(reasons, "context:edit_draft")
	}
	if ctx.campaign && statsPattern.match(toks) {
		sc.add(IntentOutreach, 2.5)
		reasons = append(reasons, "context:campaign")
	}
	if ctx.askedFor && !question && !yes && !no && len(toks) > 0 {
		sc.add(IntentProjectUpdate, 2.5)
		reasons = append(reasons, "context:answered_question")
	}
	return sc, reasons
}

// explicitUpdatePattern: the founder asks to change the record or corrects it.
var explicitUpdatePattern = mustPattern("@updverb .. my|mi|our|nuestro|nuestra|the|el|la .. @field|^update|^actualizacion|^novedad|^novedades|^fyi|actually|en_realidad|de_hecho|ya_no|no_longer|not_anymore|ahora_somos|ahora_tenemos|we_pivoted|hemos_pivotado|we_moved|nos_hemos_mudado|nos_mudamos|hemos_cambiado|we_changed")

func explicitUpdate(toks []token) bool { return explicitUpdatePattern.match(toks) }

// newFactCount counts the fact groups in f that the project does not already hold.
func newFactCount(f ProjectFacts, p *ProjectSnapshot) int {
	if p == nil {
		return f.Count()
	}
	old := p.Facts
	n := 0
	for _, changed := range []bool{
		len(f.Categories) > 0 && !subset(f.Categories, old.Categories),
		f.Stage != "" && f.Stage != old.Stage,
		(f.Country != "" && f.Country != old.Country) || (f.City != "" && f.City != old.City),
		f.BusinessModel != "" && f.BusinessModel != old.BusinessModel,
		f.TargetMarket != "" && f.TargetMarket != old.TargetMarket,
		f.Metrics != nil && !reflect.DeepEqual(f.Metrics, old.Metrics),
		f.Team != nil && !reflect.DeepEqual(f.Team, old.Team),
		f.Problem != "" && f.Problem != old.Problem,
		f.ProductStatus != "" && f.ProductStatus != old.ProductStatus,
		f.PreviousFunding != "" && f.PreviousFunding != old.PreviousFunding,
		f.FundingAskUSD != 0 && f.FundingAskUSD != old.FundingAskUSD,
	} {
		if changed {
			n++
		}
	}
	return n
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
