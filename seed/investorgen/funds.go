package investorgen

import (
	"strconv"
	"strings"
	"time"
)

// Fund is one row of public.investment_funds. Empty strings and zero amounts are NULL.
type Fund struct {
	ID                [16]byte
	Name              string
	LinkedInURL       string
	Website           string
	Description       string
	Email             string
	Phone             string
	Location          Location
	CategoriesStrong  []string
	CategoriesGeneral []string
	StagesStrong      []string
	StagesGeneral     []string
	CheckMinUSD       int64
	CheckMaxUSD       int64
	Score             int32 // hundredths (0-100)
	DataUpdatedAt     time.Time
}

type fundKind int

const (
	fundPreSeed fundKind = iota
	fundSeed
	fundEarly
	fundGrowth
	fundMulti
)

var fundKinds = newWeighted([]fundKind{fundPreSeed, fundSeed, fundEarly, fundGrowth, fundMulti},
	func(k fundKind) int { return [...]int{15, 35, 25, 10, 15}[k] })

// fundCore is what employees need to know about their fund, fixed in the pre-pass.
type fundCore struct {
	name, slug, domain string
	place              place
	kind               fundKind
	strong, general    []string
	stStrong, stGen    []int
}

var (
	fundWords = []string{
		"Boreal", "Cierzo", "Levante", "Tramontana", "Alisio", "Mistral", "Siroco", "Orión", "Vega", "Lyra", "Altair",
		"Polaris", "Andes", "Pirineo", "Teide", "Duero", "Ebro", "Tajo", "Guadiana", "Faro", "Brújula", "Cumbre", "Cima",
		"Roble", "Olivo", "Encina", "Ceiba", "Quetzal", "Cóndor", "Puma", "Jaguar", "Lince", "Halcón", "Delta", "Kappa",
		"Sigma", "Nova", "Zenit", "Ápex", "Vértice", "Hélice", "Prisma", "Ágora", "Nexo", "Impulso", "Origen", "Albatros",
		"Arbor", "Basalto", "Cobalto", "Granito", "Ónix", "Jade", "Ámbar", "Índigo", "Cedro", "Alcor", "Mizar", "Deneb",
		"Rigel", "Antares", "Tagus", "Minerva", "Iberia", "Atlántida", "Medusa", "Tesela", "Azimut", "Cenit", "Estela",
	}
	fundSecond   = []string{"Blue", "North", "Bridge", "Peak", "Harbor", "Rock", "Point", "Stone", "Wave", "Field", "Gate", "Ridge", "Bay", "River", "Mar", "Sur", "Norte", "Sol", "Luna", "Verde", "Oak", "Light", "Summit", "Road", "Bloom"}
	fundHeads    = []string{"Blue", "North", "South", "East", "West", "Red", "Green", "Silver", "Gold", "Iron", "High", "Deep", "Bright", "Clear", "Open", "Wild", "True", "First", "Next", "Swift"}
	fundTails    = []string{"field", "gate", "stone", "bridge", "point", "rock", "wave", "water", "wood", "light", "peak", "ridge", "haven", "path", "line", "star", "brook"}
	fundSuffixes = newWeightedStrings([]weightedString{
		{"Ventures", 30}, {"Capital", 30}, {"Partners", 15}, {"VC", 10}, {"Fund", 5}, {"Investments", 5},
		{"Venture Capital", 3}, {"Growth", 2},
	})
	// sectorThemes name funds after their focus ("Boreal Health Capital").
	sectorThemes = map[string]string{
		"fintech": "Fintech", "healthtech": "Health", "biotech": "Bio", "ai": "AI", "climate": "Climate",
		"energy": "Energy", "foodtech": "Food", "agritech": "Agri", "mobility": "Mobility", "deeptech": "Deep Tech",
		"proptech": "Proptech", "edtech": "Edtech", "crypto": "Crypto", "consumer": "Consumer", "saas": "Software",
	}
	romans = []string{"II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
)

// fundName invents a name in one of a few house styles.
func fundName(x *rnd, c *fundCore) string {
	suffix := fundSuffixes.pick(x).S
	switch r := x.intn(100); {
	case r < 32:
		return x.pick(fundWords) + " " + suffix
	case r < 55:
		return x.pick(fundWords) + " " + x.pick(fundSecond) + " " + suffix
	case r < 72:
		return x.pick(fundHeads) + x.pick(fundTails) + " " + suffix
	case r < 87:
		if theme, ok := sectorThemes[c.strong[0]]; ok {
			return x.pick(fundWords) + " " + theme + " " + suffix
		}
		return x.pick(fundWords) + " " + suffix
	default:
		loc := locales[c.place.Country().Locale]
		a, b := x.pick(loc.Last), x.pick(loc.Last)
		if a != b && x.chance(0.5) {
			return a + " & " + b + " " + suffix
		}
		return a + " " + suffix
	}
}

func (g *Generator) buildFunds() {
	n := g.counts.Funds
	g.funds = make([]fundCore, n)
	names := make(map[string]struct{}, n)
	slugs := make(map[string]struct{}, n)
	x := g.x
	for i := range g.funds {
		x.reset(g.seed, streamFundCore, uint64(i))
		c := &g.funds[i]
		c.place = pickPlace(x)
		c.kind = fundKinds.pick(x)
		widen := 0
		if c.kind == fundMulti || c.kind == fundGrowth {
			widen = 1
		}
		c.strong, c.general = pickSectors(x, widen)
		c.stStrong, c.stGen = fundStages(x, c.kind)

		name := ""
		for try := 0; try < 4; try++ {
			name = fundName(x, c)
			if _, taken := names[strings.ToLower(name)]; !taken {
				break
			}
		}
		if _, taken := names[strings.ToLower(name)]; taken {
			base := name
			for k := 0; ; k++ {
				if k < len(romans) {
					name = base + " " + romans[k]
				} else {
					name = base + " " + strconv.Itoa(k+2)
				}
				if _, taken := names[strings.ToLower(name)]; !taken {
					break
				}
			}
		}
		names[strings.ToLower(name)] = struct{}{}
		c.name = name

		slug := slugify(name, "-")
		for k := 2; ; k++ {
			if _, taken := slugs[slug]; !taken {
				break
			}
			slug = slugify(name, "-") + "-" + strconv.Itoa(k)
		}
		slugs[slug] = struct{}{}
		c.slug = slug

		switch r := x.intn(10); {
		case r < 5:
			c.domain = slugify(name, "") + ".com"
		case r < 8:
			c.domain = slugify(strings.Fields(name)[0], "") + ".vc"
		default:
			c.domain = slugify(name, "") + "." + c.place.Country().TLD
		}
	}
}

// fundStages gives each kind of fund its typical window.
func fundStages(x *rnd, k fundKind) (strong, general []int) {
	switch k {
	case fundPreSeed:
		general = stageSpan(stPreSeed, stSeed)
		if x.chance(0.3) {
			general = stageSpan(stIdea, stSeed)
		}
		return []int{stPreSeed}, general
	case fundSeed:
		general = stageSpan(stSeed, stSeriesA)
		if x.chance(0.4) {
			general = stageSpan(stPreSeed, stSeriesA)
		}
		return []int{stSeed}, general
	case fundEarly:
		general = stageSpan(stSeed, stSeriesB)
		if x.chance(0.5) {
			return []int{stSeriesA}, general
		}
		return []int{stSeed, stSeriesA}, general
	case fundGrowth:
		return []int{stSeriesC, stGrowth}, stageSpan(stSeriesB, stGrowth)
	default:
		return []int{stSeriesA, stSeriesB}, stageSpan(stSeed, stGrowth)
	}
}

// fundCheck returns ticket bounds consistent with the kind of fund (USD).
func fundCheck(x *rnd, k fundKind) (lo, hi int64) {
	switch k {
	case fundPreSeed:
		lo = pickAmount(x, []int64{100_000, 150_000, 200_000, 250_000})
		hi = pickAmount(x, []int64{500_000, 750_000, 1_000_000})
	case fundSeed:
		lo = pickAmount(x, []int64{250_000, 300_000, 500_000, 750_000, 1_000_000})
		hi = pickAmount(x, []int64{1_000_000, 1_500_000, 2_000_000, 3_000_000})
	case fundEarly:
		lo = pickAmount(x, []int64{2_000_000, 3_000_000, 4_000_000, 5_000_000})
		hi = pickAmount(x, []int64{5_000_000, 8_000_000, 10_000_000, 15_000_000})
	case fundGrowth:
		lo = pickAmount(x, []int64{5_000_000, 10_000_000, 15_000_000})
		hi = pickAmount(x, []int64{15_000_000, 20_000_000, 25_000_000, 30_000_000})
	default:
		lo = pickAmount(x, []int64{2_000_000, 3_000_000})
		hi = pickAmount(x, []int64{10_000_000, 20_000_000, 30_000_000})
	}
	return lo, hi
}

// Fund generates fund i (0 <= i < Counts().Funds).
func (g *Generator) Fund(i int) Fund {
	checkIndex(i, g.counts.Funds)
	c := &g.funds[i]
	x := g.x
	x.reset(g.seed, streamFundText, uint64(i))
	f := Fund{
		ID: g.rowID(kindFund, i), Name: c.name, Location: c.place.location(),
		CategoriesStrong: c.strong, CategoriesGeneral: c.general,
		StagesStrong: stageStrings(c.stStrong), StagesGeneral: stageStrings(c.stGen),
	}
	if x.chance(0.85) {
		f.LinkedInURL = "https://www.linkedin.com/company/" + c.slug
	}
	if x.chance(0.9) {
		f.Website = "https://www." + c.domain
	}
	if x.chance(0.9) {
		f.CheckMinUSD, f.CheckMaxUSD = fundCheck(x, c.kind)
	}
	if x.chance(0.6) {
		f.Email = x.pick([]string{"hello", "info", "contact", "deals", "pitch", "hola"}) + "@" + c.domain
	}
	if x.chance(0.35) {
		f.Phone = phone(x, c.place.Country())
	}
	f.Score = x.normalCenti(62, 14, 5, 98)
	f.Description = fundDescription(x, c, f.CheckMinUSD, f.CheckMaxUSD)
	f.DataUpdatedAt = g.updatedAt(x)
	return f
}

func fundDescription(x *rnd, c *fundCore, lo, hi int64) string {
	city := c.place.City().Name
	if c.place.Country().Spanish && x.chance(0.6) {
		s := c.name + " es una gestora de capital riesgo con sede en " + city + " que invierte en startups de " +
			joinAnd(sectorLabels(c.general, true), "y") + " en fase " + stageRange(c.stGen, true) + "."
		if lo > 0 {
			s += " Tickets de " + usd(lo) + " a " + usd(hi) + "."
		}
		return s + x.pick([]string{
			" Acompañamos a los fundadores desde el primer cheque.",
			" Más de " + strconv.Itoa(x.between(10, 120)) + " compañías en cartera.",
			" Lideramos o colideramos rondas y reservamos capital para follow-ons.",
		})
	}
	s := c.name + " is a " + city + "-based venture capital firm backing " + stageRange(c.stGen, false) + " startups in " +
		joinAnd(sectorLabels(c.general, false), "and") + "."
	if lo > 0 {
		s += " Typical ticket " + usd(lo) + "–" + usd(hi) + "."
	}
	return s + x.pick([]string{
		" We partner with founders from the first cheque.",
		" " + strconv.Itoa(x.between(10, 120)) + " portfolio companies and counting.",
		" We lead or co-lead rounds and reserve capital for follow-ons.",
	})
}
