package judge

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// ExtractFacts returns the facts text states, reading it as a message about the founder's own
// startup (the Offline judge decides when that reading applies). Extraction is deterministic and
// conservative: sectors from the taxonomy's labels and synonyms (minus a few words that are too
// generic in free text), funding stage, country and city, metrics, team, funding ask (converted to
// USD with DefaultConfig's rates), previous funding, product status, problem, business model,
// target market and the startup's name when the founder introduces it. The result always passes
// Validate.
func ExtractFacts(text string) ProjectFacts {
	return extractFacts(text, DefaultConfig())
}

func extractFacts(text string, cfg Config) ProjectFacts {
	text = strings.ToValidUTF8(text, "\uFFFD")
	return extractFactsTokens(text, tokenize(text), cfg)
}

// extractFactsTokens is extractFacts for valid UTF-8 text already tokenized.
func extractFactsTokens(text string, toks []token, cfg Config) ProjectFacts {
	x := factText{text: text, toks: toks, amounts: scanAmounts(text)}
	x.folded = " " + joinNorms(toks) + " "
	x.spans = make([][2]int, len(x.amounts))
	x.classes = make([]string, len(x.amounts))
	for i, a := range x.amounts {
		x.spans[i][0], x.spans[i][1] = x.findSpan(a)
	}
	for i, a := range x.amounts {
		x.classes[i] = x.classify(a)
	}
	var f ProjectFacts
	f.Name = startupName(text)
	var targetStart, targetEnd int
	f.TargetMarket, targetStart, targetEnd = x.targetMarket()
	f.Categories = x.sectors(targetStart, targetEnd)
	f.Stage = x.stage()
	f.Country, f.City = x.place()
	f.Metrics = x.metrics()
	f.Team = x.team()
	f.FundingAskUSD = x.fundingAsk(cfg)
	f.PreviousFunding = x.previousFunding()
	f.ProductStatus = x.productStatus(f.Metrics)
	f.Problem = x.problem()
	f.BusinessModel = x.businessModel()
	if f.Validate() != nil { // defensive: never hand out facts the database would reject
		return ProjectFacts{}
	}
	return f
}

type factText struct {
	text    string
	toks    []token
	amounts []amount
	folded  string   // " " + the folded words joined by spaces + " "
	spans   [][2]int // first and last token of each amount
	classes []string // keyword class of each amount ("mrr", "users", "ask"...), computed once
}

// phrase is a folded word sequence mapped to a value.
type phrase struct {
	words   []string // stems
	value   string
	capOnly bool // count only when written with a capital (or, for two letters, in capitals)
}

func newPhrase(s, value string) phrase {
	p := phrase{value: value}
	for _, t := range tokenize(s) {
		p.words = append(p.words, t.stem)
	}
	return p
}

// phraseIndex finds the longest phrase starting at each token.
type phraseIndex map[string][]phrase

func (ix phraseIndex) add(p phrase) {
	if len(p.words) == 0 {
		return
	}
	ix[p.words[0]] = append(ix[p.words[0]], p)
}

func (ix phraseIndex) sortLongestFirst() {
	for k := range ix {
		sort.SliceStable(ix[k], func(i, j int) bool { return len(ix[k][i].words) > len(ix[k][j].words) })
	}
}

type phraseHit struct {
	phrase
	at, n int // token index and length
}

// find returns the non-overlapping longest matches, in order.
func (ix phraseIndex) find(toks []token) []phraseHit {
	var hits []phraseHit
	for i := 0; i < len(toks); {
		matched := false
		for _, p := range ix[toks[i].stem] {
			if !p.matchAt(toks, i) {
				continue
			}
			hits = append(hits, phraseHit{phrase: p, at: i, n: len(p.words)})
			i += len(p.words)
			matched = true
			break
		}
		if !matched {
			i++
		}
	}
	return hits
}

func (p phrase) matchAt(toks []token, i int) bool {
	if i+len(p.words) > len(toks) {
		return false
	}
	for k, w := range p.words {
		if toks[i+k].stem != w {
			return false
		}
	}
	if p.capOnly {
		t := toks[i]
		if len(t.norm) <= 2 {
			return t.allCaps
		}
		return t.cap
	}
	return true
}

// Synonyms too generic to mean a sector in free text ("our platform", "legal advice", "estamos
// seguros"). SectorID still accepts them.
var ambiguousSynonyms = toSet(`platform plataforma software content contenido green community comunidad legal law
derecho sales ventas food games juegos travel viajes talent empleo delivery property space espacio devices cloud
infrastructure infraestructura consumo transport hr b2b b2c seguros administracion medios security health carbon
retail shipping entertainment`)

var (
	sectorIndex = func() phraseIndex {
		ix := phraseIndex{}
		for name, id := range sectorByName {
			if !ambiguousSynonyms[name] {
				ix.add(newPhrase(name, id))
			}
		}
		ix.sortLongestFirst()
		return ix
	}()
	placeIndex = func() phraseIndex {
		ix := phraseIndex{}
		add := func(name, value string) {
			p := newPhrase(name, value)
			p.capOnly = capitalOnlyNames[name]
			ix.add(p)
		}
		for name, c := range cityNames {
			add(name, "city:"+c.name)
		}
		for name, code := range countryByName {
			add(name, "country:"+code)
		}
		for name, code := range countryAliases {
			add(name, "country:"+code)
		}
		add("us", "country:US")
		ix.sortLongestFirst()
		return ix
	}()
	stageIndex = func() phraseIndex {
		ix := phraseIndex{}
		for name, st := range stageNames {
			switch name {
			case "idea", "growth", "crecimiento":
				continue // too generic alone; the phrases below cover them
			}
			ix.add(newPhrase(name, st))
		}
		for name, st := range map[string]string{
			"fase semilla": "seed", "ronda semilla": "seed", "seed round": "seed", "etapa semilla": "seed",
			"fase de crecimiento": "growth", "etapa de crecimiento": "growth", "growth round": "growth",
			"etapa de idea": "idea", "idea phase": "idea",
		} {
			ix.add(newPhrase(name, st))
		}
		ix.sortLongestFirst()
		return ix
	}()
)

// negated reports whether one of the three words before token i negates it ("not fintech",
// "ya no somos solo una idea", "en vez de").
func (x *factText) negated(i int) bool {
	for k := max(0, i-3); k < i; k++ {
		switch x.toks[k].norm {
		case "not", "no", "ni", "nor", "instead", "vez", "lugar", "anymore", "longer":
			return true
		}
	}
	return false
}

func (x *factText) sectors(skipFrom, skipTo int) []string {
	var ids []string
	for _, h := range sectorIndex.find(x.toks) {
		if x.negated(h.at) {
			continue
		}
		if skipTo > skipFrom && x.toks[h.at].start >= skipFrom && x.toks[h.at].start < skipTo {
			continue
		}
		if !slices.Contains(ids, h.value) {
			ids = append(ids, h.value)
		}
	}
	if len(ids) > maxCategories {
		ids = ids[:maxCategories]
	}
	return ids
}

func (x *factText) stage() string {
	first, target := "", ""
	for _, h := range stageIndex.find(x.toks) {
		if x.negated(h.at) {
			continue
		}
		if first == "" {
			first = h.value
		}
		if h.at > 0 {
			switch x.toks[h.at-1].norm {
			case "to", "a", "now", "ahora", "hacia":
				target = h.value
			}
		}
	}
	if target != "" {
		return target
	}
	return first
}

// expansionWords before a place mean it is not where the startup is ("expand to France").
var expansionWords = toSet(`expand expanding expansion expandir expandirnos expandirse crecer crecimiento entrar llegar
abrir open opening launch launching lanzar internacionalizar`)

func (x *factText) place() (country, city string) {
	cityCountry := ""
	for _, h := range placeIndex.find(x.toks) {
		skip := false
		for k := max(0, h.at-3); k < h.at; k++ {
			if expansionWords[x.toks[k].norm] {
				skip = true
			}
		}
		if skip {
			continue
		}
		kind, val, _ := strings.Cut(h.value, ":")
		switch kind {
		case "country":
			if country == "" {
				country = val
			}
		case "city":
			if city == "" {
				city = val
				cityCountry = cityNames[fold(val)].country
			}
		}
	}
	if country == "" {
		country = cityCountry
	}
	return country, city
}

func joinNorms(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.norm
	}
	return strings.Join(parts, " ")
}

// clause returns the trimmed clause of x.text around byte offset pos: between sentence punctuation
// (. ! ? ; : and new lines; a '.' only when followed by a space or the end). With fromComma, it
// starts after the last ", " before pos instead.
func (x *factText) clause(pos int, fromComma bool) string {
	start, end := 0, len(x.text)
	for i := pos - 1; i >= 0; i-- {
		if isClauseEnd(x.text, i) || (fromComma && x.text[i] == ',' && i+1 < len(x.text) && x.text[i+1] == ' ') {
			start = i + 1
			break
		}
	}
	for i := pos; i < len(x.text); i++ {
		if isClauseEnd(x.text, i) {
			end = i
			break
		}
	}
	return strings.TrimSpace(x.text[start:end])
}

func isClauseEnd(s string, i int) bool {
	switch s[i] {
	case '!', '?', ';', ':', '\n':
		return true
	case '.':
		return i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n'
	}
	return false
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}
