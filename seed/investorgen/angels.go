package investorgen

import (
	"strconv"
	"strings"
	"time"
)

// Angel is one row of public.angel_investors. Empty strings and zero amounts are NULL.
type Angel struct {
	ID                [16]byte
	LinkedInURL       string
	FullName          string
	Headline          string
	About             string
	Email             string
	ProfilePicURL     string
	Location          Location
	CategoriesStrong  []string
	CategoriesGeneral []string
	StagesStrong      []string
	StagesGeneral     []string
	CheckMinUSD       int64
	CheckMaxUSD       int64
	Score             int32 // hundredths: 7250 is 72.50 (0-100)
	ReasonsEN         string
	ReasonsES         string
	DataUpdatedAt     time.Time
}

// Angel generates angel i (0 <= i < Counts().Angels).
func (g *Generator) Angel(i int) Angel {
	checkIndex(i, g.counts.Angels)
	x := g.x
	x.reset(g.seed, streamAngel, uint64(i))

	p := pickPlace(x)
	first, last := personName(x, p)
	a := Angel{ID: g.rowID(kindAngel, i), FullName: first + " " + last, Location: p.location()}
	a.LinkedInURL = "https://www.linkedin.com/in/" + g.personSlug(kindAngel, i, first, last, x.chance(0.2))
	a.CategoriesStrong, a.CategoriesGeneral = pickSectors(x, 0)
	stStrong, stGeneral := angelStages(x)
	a.StagesStrong, a.StagesGeneral = stageStrings(stStrong), stageStrings(stGeneral)
	if x.chance(0.88) {
		a.CheckMinUSD, a.CheckMaxUSD = angelCheck(x, stGeneral)
	}
	if x.chance(0.06) {
		a.Score = x.normalCenti(30, 8, 0, 40)
	} else {
		a.Score = x.normalCenti(64, 11, 0, 100)
	}
	spanish := p.Country().Spanish && x.chance(0.75)
	company := brand(x)
	strongLabels := sectorLabels(a.CategoriesStrong, spanish)
	a.Headline = angelHeadline(x, spanish, company, strongLabels)
	investments := x.between(2, 40)
	since := g.asOf.Year() - x.between(1, 12)
	a.About = angelAbout(x, spanish, p, company, investments, since, sectorLabels(a.CategoriesGeneral, spanish), stGeneral, a.CheckMinUSD, a.CheckMaxUSD)
	if x.chance(0.4) {
		if x.chance(0.75) {
			a.Email = personalEmail(x, first, last)
		} else {
			a.Email = workEmail(x, first, last, slugify(company, "")+".com")
		}
	}
	if x.chance(0.7) {
		a.ProfilePicURL = profilePic(x)
	}
	a.DataUpdatedAt = g.updatedAt(x)
	a.ReasonsEN, a.ReasonsES = angelReasons(a, investments, stGeneral)
	return a
}

func angelHeadline(x *rnd, spanish bool, company string, strong []string) string {
	s1 := strong[0]
	two := joinAnd(strong[:min(2, len(strong))], "&")
	if spanish {
		two = joinAnd(strong[:min(2, len(strong))], "y")
		switch x.intn(5) {
		case 0:
			return "Business Angel | Fundador de " + company + " | " + two
		case 1:
			return "Business Angel | " + x.pick(founderRoles) + " en " + company
		case 2:
			return "Emprendimiento en serie e inversión ángel (" + strconv.Itoa(x.between(5, 40)) + "+ inversiones) | " + s1
		case 3:
			return "Business Angel en " + two + " | Mentor en " + x.pick(accelerators)
		default:
			return x.pick(founderRoles) + " en " + x.pick(bigEmployers) + " | Business Angel | " + s1
		}
	}
	switch x.intn(6) {
	case 0:
		return "Business Angel | ex-founder @ " + company + " | " + two
	case 1:
		return "Angel Investor | " + x.pick(founderRoles) + " at " + company
	case 2:
		return "Founder & CEO @ " + company + " · Angel investor in " + s1 + " startups"
	case 3:
		return "Serial entrepreneur | Angel investor (" + strconv.Itoa(x.between(5, 40)) + "+ investments) | " + two
	case 4:
		return "Business Angel | Mentor at " + x.pick(accelerators) + " | ex-" + x.pick(bigEmployers)
	default:
		return x.pick(founderRoles) + " at " + x.pick(bigEmployers) + " | Business Angel | " + s1
	}
}

func angelAbout(x *rnd, spanish bool, p place, company string, investments, since int, general []string, stages []int, lo, hi int64) string {
	var b strings.Builder
	city := p.City().Name
	years := x.between(8, 25)
	if spanish {
		switch x.intn(4) {
		case 0:
			b.WriteString("Business angel con base en " + city + ".")
		case 1:
			b.WriteString("Fundé " + company + " y la vendí a " + x.pick(bigEmployers) + " en " + strconv.Itoa(since) + "; desde entonces invierto en startups en fase temprana.")
		case 2:
			b.WriteString(strconv.Itoa(years) + " años construyendo y escalando empresas tecnológicas, los últimos " + strconv.Itoa(x.between(2, 8)) + " como " + x.pick(founderRoles) + " en " + x.pick(bigEmployers) + ".")
		default:
			b.WriteString("Perfil operativo reconvertido en inversión ángel, desde " + city + ".")
		}
		b.WriteString(" He invertido en " + strconv.Itoa(investments) + " startups desde " + strconv.Itoa(since) + ", sobre todo en fase " + stageRange(stages, true) + ".")
		b.WriteString(" Invierto en " + joinAnd(general, "y"))
		if lo > 0 {
			b.WriteString(" con tickets de " + usd(lo) + " a " + usd(hi))
		}
		b.WriteString(".")
		switch x.intn(4) {
		case 0:
			b.WriteString(" Me encanta ayudar con go-to-market, contratación y levantamiento de capital.")
		case 1:
			b.WriteString(" Envíame un deck breve y vuestras métricas clave.")
		case 2:
			b.WriteString(" Busco equipos técnicos con una visión única de su mercado.")
		default:
			b.WriteString(" Suelo coinvertir junto a " + x.pick(accelerators) + " y fondos locales.")
		}
		return b.String()
	}
	switch x.intn(4) {
	case 0:
		b.WriteString("Entrepreneur and business angel based in " + city + ".")
	case 1:
		b.WriteString("I founded " + company + " and sold it to " + x.pick(bigEmployers) + " in " + strconv.Itoa(since) + "; since then I invest my own money in early-stage startups.")
	case 2:
		b.WriteString(strconv.Itoa(years) + " years building and scaling technology companies, the last " + strconv.Itoa(x.between(2, 8)) + " as " + x.pick(founderRoles) + " at " + x.pick(bigEmployers) + ".")
	default:
		b.WriteString("Operator turned angel investor, based in " + city + ".")
	}
	b.WriteString(" I have backed " + strconv.Itoa(investments) + " startups since " + strconv.Itoa(since) + ", mostly at " + stageRange(stages, false) + " stage.")
	b.WriteString(" I invest in " + joinAnd(general, "and"))
	if lo > 0 {
		b.WriteString(" with tickets of " + usd(lo) + "–" + usd(hi))
	}
	b.WriteString(".")
	switch x.intn(4) {
	case 0:
		b.WriteString(" Happy to help founders with go-to-market, hiring and fundraising.")
	case 1:
		b.WriteString(" Send me a short deck and your key metrics.")
	case 2:
		b.WriteString(" I look for technical founders with an unfair insight into their market.")
	default:
		b.WriteString(" I usually co-invest alongside " + x.pick(accelerators) + " and local funds.")
	}
	return b.String()
}

var monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// angelReasons imitates the prototype's LLM-written validation reasons, in both languages.
func angelReasons(a Angel, investments int, stages []int) (en, es string) {
	n := strconv.Itoa(investments)
	en = "Active business angel with " + n + " investments, focused on " + joinAnd(sectorLabels(a.CategoriesStrong, false), "and") +
		". Invests at " + stageRange(stages, false) + " stage"
	es = "Business angel activo con " + n + " inversiones, centrado en " + joinAnd(sectorLabels(a.CategoriesStrong, true), "y") +
		". Invierte en fase " + stageRange(stages, true)
	if a.CheckMinUSD > 0 {
		en += " with tickets of " + usd(a.CheckMinUSD) + "–" + usd(a.CheckMaxUSD)
		es += " con tickets de " + usd(a.CheckMinUSD) + " a " + usd(a.CheckMaxUSD)
	}
	t := a.DataUpdatedAt
	en += ". Profile checked " + t.Format("January 2006") + "; "
	es += ". Perfil revisado en " + monthsES[t.Month()-1] + " de " + strconv.Itoa(t.Year()) + "; "
	switch {
	case a.Score >= 7500:
		en += "strong track record and founder background."
		es += "historial sólido y experiencia como fundador."
	case a.Score >= 5500:
		en += "a solid fit for early-stage rounds."
		es += "buen encaje para rondas en fase temprana."
	default:
		en += "limited recent investment activity."
		es += "poca actividad inversora reciente."
	}
	return en, es
}
