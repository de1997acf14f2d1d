package judge

import (
	"slices"
	"strings"
)

// Descriptive facts: product status, problem, business model and target market.

var statusPhrases = func() phraseIndex {
	ix := phraseIndex{}
	for status, list := range map[string]string{
		"idea":      "just an idea|solo una idea|only an idea|idea stage|fase de idea|fase idea|todavia una idea|still an idea|somos una idea|at the idea stage",
		"prototype": "prototype|prototipo|prototipos|poc|proof of concept|prueba de concepto|prototyping",
		"mvp":       "mvp|beta|minimum viable product|producto minimo viable",
		"launched":  "launched|lanzado|lanzamos|we re live|we are live|went live|estamos en produccion|en produccion|in production|en el mercado|on the market",
		"revenue":   "paying customers|paying users|clientes de pago|clientes que pagan|facturamos|facturando|we bill|generating revenue|generamos ingresos|revenue generating",
		"pre":       "pre revenue|sin ingresos|sin facturar|no revenue|todavia no facturamos|aun no facturamos",
	} {
		for _, p := range strings.Split(list, "|") {
			ix.add(newPhrase(p, status))
		}
	}
	ix.sortLongestFirst()
	return ix
}()

func (x *factText) productStatus(m *Metrics) string {
	best, preRevenue := -1, false
	for _, h := range statusPhrases.find(x.toks) {
		if h.value == "pre" {
			preRevenue = true
			continue
		}
		if x.negated(h.at) {
			continue
		}
		if i := slices.Index(productStatuses, h.value); i > best {
			best = i
		}
	}
	if m != nil && (m.MRR > 0 || m.ARR > 0 || m.Revenue > 0) && !preRevenue {
		best = len(productStatuses) - 1
	}
	if best == len(productStatuses)-1 && preRevenue {
		best = -1
	}
	if best < 0 {
		return ""
	}
	return productStatuses[best]
}

var problemMarkers = func() phraseIndex {
	ix := phraseIndex{}
	for _, p := range []string{
		"the problem we solve", "the problem we re solving", "the problem we are solving", "the problem is",
		"our problem", "problem", "el problema que resolvemos", "el problema que solucionamos", "nuestro problema",
		"el problema es", "problema", "we solve", "resolvemos", "solucionamos", "pain point",
	} {
		ix.add(newPhrase(p, p))
	}
	ix.sortLongestFirst()
	return ix
}()

func (x *factText) problem() string {
	for _, h := range problemMarkers.find(x.toks) {
		last := x.toks[h.at+h.n-1]
		rest := x.text[last.end:]
		trimmed := strings.TrimLeft(rest, " ")
		if h.value == "problem" || h.value == "problema" || h.value == "our problem" || h.value == "nuestro problema" {
			if !strings.HasPrefix(trimmed, ":") {
				continue
			}
		}
		trimmed = strings.TrimLeft(trimmed, ": ")
		end := len(trimmed)
		for i := 0; i < len(trimmed); i++ {
			if c := trimmed[i]; c == '!' || c == '?' || c == '\n' || (c == '.' && (i+1 == len(trimmed) || trimmed[i+1] == ' ')) {
				end = i
				break
			}
		}
		p := strings.TrimSpace(trimmed[:end])
		if len(strings.Fields(p)) >= 3 {
			return truncateRunes(p, maxProblemLen)
		}
	}
	return ""
}

var businessModelTags = []struct{ word, tag string }{
	{"b2b2c", "B2B2C"}, {"b2b", "B2B"}, {"b2c", "B2C"}, {"d2c", "D2C"}, {"dtc", "D2C"}, {"saas", "SaaS"},
	{"marketplace", "marketplace"}, {"marketplaces", "marketplace"}, {"subscription", "subscription"},
	{"suscripcion", "subscription"}, {"freemium", "freemium"}, {"commission", "commission"},
	{"comision", "commission"}, {"licensing", "licensing"}, {"licencias", "licensing"},
}

func (x *factText) businessModel() string {
	var tags []string
	for _, t := range x.toks {
		for _, b := range businessModelTags {
			if t.norm == b.word && !slices.Contains(tags, b.tag) {
				tags = append(tags, b.tag)
			}
		}
	}
	return strings.Join(tags, ", ")
}

var (
	customerNouns = toSet(`companies empresas businesses negocios pymes smes smbs clinics clinicas restaurants restaurantes
hospitals hospitales schools colegios universities universidades retailers freelancers autonomos startups families
familias teams equipos developers desarrolladores nurses enfermeras enfermeros doctors medicos farmers agricultores
landlords propietarios shops tiendas brands marcas hotels hoteles gyms gimnasios`)
	targetLeads = toSet("for para")
	sellLeads   = []string{"vendemos a", "we sell to", "our customers are", "nuestros clientes son", "dirigido a", "aimed at", "we serve", "servimos a"}
)

// targetMarket finds "for logistics companies", "para pymes", "vendemos a restaurantes". It returns
// the text and its byte span (sector words inside it describe the customers, not the startup).
func (x *factText) targetMarket() (string, int, int) {
	for _, lead := range sellLeads {
		if strings.Contains(x.folded, " "+lead+" ") {
			// find the token after the lead phrase
			n := len(strings.Fields(lead))
			for k := 0; k+n <= len(x.toks); k++ {
				if joinNorms(x.toks[k:k+n]) == lead && k+n < len(x.toks) {
					start := x.toks[k+n].start
					p := x.phraseFrom(start)
					if p != "" {
						return truncateRunes(p, 200), start, start + len(p)
					}
				}
			}
		}
	}
	for i, t := range x.toks {
		if !targetLeads[t.norm] {
			continue
		}
		for k := i + 1; k < min(len(x.toks), i+5); k++ {
			if customerNouns[x.toks[k].norm] {
				start, end := x.toks[i+1].start, x.toks[k].end
				return x.text[start:end], start, end
			}
		}
	}
	return "", 0, 0
}
