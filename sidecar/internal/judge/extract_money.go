package judge

import (
	"math"
	"sort"
	"strings"
)

// Money and traction facts: metrics, burn and runway, the funding ask and previous funding.

// Metric keywords, by class. Matching is on folded words; "monthly"-type words turn revenue into MRR.
var metricWords = func() map[string]string {
	m := map[string]string{}
	for class, words := range map[string]string{
		"mrr":      "mrr",
		"arr":      "arr",
		"revenue":  "revenue revenues ingresos facturamos facturacion facturando facturado facturan ventas sales turnover billing generamos ingresamos vendemos",
		"users":    "users user usuarios usuario customers customer clientes cliente clients alumnos students estudiantes members miembros subscribers suscriptores downloads descargas mau dau pacientes patients registrados",
		"growth":   "growth crecimiento crecemos crecer growing grow grew crecimos crece increase aumento mom yoy",
		"ask":      "raising raise levantar levantando buscamos buscando seeking ronda round ask pedimos necesitamos queremos looking",
		"previous": "raised levantado levantamos closed cerramos cerrado recibido recibimos received secured conseguido conseguimos obtuvimos obtenido got",
		"burn":     "burn quemamos gastamos spend spending gasto quema",
		"ignore":   "valuation valoracion ticket tickets cap premoney postmoney money churn price precio cuesta cost costs salary salario sueldo cac ltv",
	} {
		for _, w := range strings.Fields(words) {
			m[w] = class
		}
	}
	return m
}()

var (
	monthlyWords = toSet("mensual mensuales monthly month mes mom mo")
	yearlyWords  = toSet("anual anuales yearly year ano anos yoy interanual annually annual")
)

// tokenSpan returns the first and last token indexes covered by a's byte span (precomputed).
func (x *factText) tokenSpan(a amount) (first, last int) {
	for i := range x.amounts {
		if x.amounts[i].start == a.start {
			return x.spans[i][0], x.spans[i][1]
		}
	}
	return x.findSpan(a)
}

// findSpan locates a's tokens by binary search.
func (x *factText) findSpan(a amount) (first, last int) {
	first = sort.Search(len(x.toks), func(i int) bool { return x.toks[i].start >= a.start })
	last = first - 1
	for i := first; i < len(x.toks) && x.toks[i].start < a.end; i++ {
		last = i
	}
	return first, last
}

type classHit struct {
	class string
	dist  int
}

// classify returns the nearest compatible keyword class around amount a (4 words each side).
// A previous-funding word in the window beats a nearer ask word ("cerramos una ronda de 150k").
func (x *factText) classify(a amount) string {
	first, last := x.tokenSpan(a)
	var hits []classHit
	for d := 1; d <= 4; d++ {
		for _, i := range []int{first - d, last + d} {
			if i < 0 || i >= len(x.toks) {
				continue
			}
			if c, ok := metricWords[x.toks[i].norm]; ok {
				hits = append(hits, classHit{c, d})
			}
		}
	}
	compatible := func(c string) bool {
		switch c {
		case "users":
			return !a.percent && a.currency == ""
		case "mrr", "arr", "revenue":
			return !a.percent
		case "growth":
			return a.percent
		case "ask", "previous":
			return !a.percent && (a.money() || a.value >= 1000)
		case "burn":
			return !a.percent
		}
		return true // ignore
	}
	for _, h := range hits {
		if !compatible(h.class) {
			continue
		}
		if h.class == "ask" {
			for _, p := range hits {
				if p.class == "previous" && compatible("previous") {
					return "previous"
				}
			}
		}
		return h.class
	}
	return ""
}

// period looks for a monthly/yearly word within 4 words after token last (or 2 before first).
func (x *factText) period(a amount) string {
	first, last := x.tokenSpan(a)
	for i := max(0, first-2); i <= min(len(x.toks)-1, last+4); i++ {
		if i >= first && i <= last {
			continue
		}
		switch {
		case monthlyWords[x.toks[i].norm]:
			return "monthly"
		case yearlyWords[x.toks[i].norm]:
			return "yearly"
		}
	}
	return ""
}

func (x *factText) metrics() *Metrics {
	var m Metrics
	set := false
	for i, a := range x.amounts {
		if a.value <= 0 || math.IsInf(a.value, 0) || a.value > maxMetricAmount {
			continue
		}
		if x.runway(a) {
			m.RunwayMonths, set = a.value, true
			continue
		}
		class := x.classes[i]
		switch class {
		case "burn":
			m.BurnRate, set = a.value, true
			if x.period(a) == "yearly" {
				m.BurnRate = math.Round(a.value / 12)
			}
		case "mrr":
			m.MRR, set = a.value, true
		case "arr":
			m.ARR, set = a.value, true
		case "revenue":
			if x.period(a) == "monthly" {
				m.MRR = a.value
			} else {
				m.Revenue = a.value
			}
			set = true
		case "users":
			if a.value == math.Trunc(a.value) && a.value < 1e12 {
				m.Users, set = int64(a.value), true
			}
		case "growth":
			if a.value <= maxGrowthPercent {
				m.GrowthRate, m.GrowthPeriod, set = a.value, x.period(a), true
			}
		default:
			continue
		}
		if class != "users" && class != "growth" && m.Currency == "" {
			m.Currency = a.currency
		}
	}
	if !set {
		return nil
	}
	return &m
}

var runwayWords = toSet("runway caja pista cash vida")

// runway reports whether a is a number of months of runway: "14 months of runway", "18 meses de caja".
func (x *factText) runway(a amount) bool {
	if a.money() || a.percent {
		return false
	}
	_, last := x.tokenSpan(a)
	if last+1 >= len(x.toks) {
		return false
	}
	if n := x.toks[last+1].norm; n != "months" && n != "meses" && n != "month" && n != "mes" {
		return false
	}
	for i := last + 2; i < min(len(x.toks), last+5); i++ {
		if runwayWords[x.toks[i].norm] {
			return true
		}
	}
	for i := max(0, last-3); i <= last; i++ {
		if runwayWords[x.toks[i].norm] {
			return true
		}
	}
	return false
}

func (x *factText) fundingAsk(cfg Config) int64 {
	for i, a := range x.amounts {
		if x.classes[i] != "ask" || a.value < 1000 {
			continue
		}
		usd := a.value
		switch a.currency {
		case "EUR":
			usd *= cfg.USDPerEUR
		case "GBP":
			usd *= cfg.USDPerGBP
		}
		if usd >= 1 && usd <= maxFundingAskUSD {
			return int64(math.Round(usd))
		}
	}
	return 0
}

var (
	previousWords = toSet("raised levantado levantamos closed cerramos cerrado recibido recibimos received secured conseguido conseguimos obtuvimos obtenido")
	fundingSource = toSet(`fff friends family amigos familia familiares angels angel business enisa cdti grant grants subvencion
subvenciones ayuda ayudas seed semilla ronda round inversores investors aceleradora accelerator crowdfunding vc vcs fondo fund`)
	bootstrapped = []string{"bootstrapped", "bootstrapping", "autofinanciados", "autofinanciado", "autofinanciadas",
		"self funded", "sin financiacion externa", "no hemos levantado", "haven t raised", "have not raised",
		"no external funding", "sin inversion externa"}
)

func (x *factText) previousFunding() string {
	lastPrevious := -1 // start of the last amount classified as previous funding
	for i, a := range x.amounts {
		if x.classes[i] == "previous" {
			lastPrevious = a.start
		}
	}
	for i, t := range x.toks {
		if !previousWords[t.norm] || x.negated(i) {
			continue
		}
		ok := lastPrevious > t.start
		for k := i + 1; k < min(len(x.toks), i+7) && !ok; k++ {
			ok = fundingSource[x.toks[k].norm]
		}
		if ok {
			if c := x.clause(t.start, true); c != "" {
				return truncateRunes(c, 200)
			}
		}
	}
	for _, b := range bootstrapped {
		if strings.Contains(x.folded, " "+b+" ") {
			return "none (bootstrapped)"
		}
	}
	return ""
}
