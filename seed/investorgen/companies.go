package investorgen

import (
	"slices"
	"strconv"
	"time"
)

// Company is one row of public.companies (service providers for startups). Empty strings are NULL.
type Company struct {
	ID              [16]byte
	Name            string
	LinkedInURL     string
	Website         string
	Description     string
	Email           string
	Phone           string
	ServiceCategory string
	Sectors         []string
	Keywords        []string
	Location        Location
	RelevanceScore  int32 // hundredths (0-100)
	DataUpdatedAt   time.Time
}

type companyCore struct {
	name, slug string
	place      place
	category   int // index into serviceCategories
}

// serviceText is how each service category is named and what its firms list as keywords.
type serviceText struct {
	suffixesEN     []string
	suffixesES     []string
	descEN, descES string
	keywordsEN     []string
	keywordsES     []string
}

var serviceTexts = map[string]serviceText{
	"software_development": {[]string{"Labs", "Software", "Digital", "Dev Studio", "Tech"}, []string{"Labs", "Software", "Digital", "Tech"}, "software development studio", "estudio de desarrollo de software",
		[]string{"mvp development", "mobile apps", "web development", "react", "node.js", "python", "product engineering", "nearshore"},
		[]string{"desarrollo de mvp", "apps móviles", "desarrollo web", "react", "python", "ingeniería de producto", "desarrollo a medida"}},
	"marketing": {[]string{"Marketing", "Agency", "Media", "Creative"}, []string{"Marketing", "Media", "Creativos"}, "digital marketing agency", "agencia de marketing digital",
		[]string{"performance marketing", "seo", "sem", "paid social", "content marketing", "branding", "email marketing"},
		[]string{"marketing de resultados", "seo", "sem", "redes sociales", "marketing de contenidos", "branding", "publicidad digital"}},
	"legal": {[]string{"Legal", "Law", "Legal Partners"}, []string{"Abogados", "Legal", "& Asociados"}, "law firm", "firma de abogados",
		[]string{"startup law", "term sheets", "shareholders agreements", "stock options", "intellectual property", "gdpr", "corporate law"},
		[]string{"derecho mercantil", "pactos de socios", "term sheets", "phantom shares", "propiedad intelectual", "rgpd", "compliance"}},
	"accounting": {[]string{"Accounting", "Tax & Accounting", "Accountants"}, []string{"Asesores", "Gestoría", "Asesoría Fiscal"}, "accounting and tax firm", "asesoría fiscal y contable",
		[]string{"bookkeeping", "tax compliance", "payroll", "financial reporting", "r&d tax credits", "audit readiness"},
		[]string{"contabilidad", "impuestos", "nóminas", "asesoría fiscal", "deducciones i+d", "cuentas anuales"}},
	"design": {[]string{"Studio", "Design"}, []string{"Estudio", "Diseño", "Studio"}, "product design studio", "estudio de diseño",
		[]string{"ux design", "ui design", "product design", "design systems", "user research", "branding"},
		[]string{"diseño ux", "diseño ui", "diseño de producto", "investigación de usuarios", "identidad visual"}},
	"growth": {[]string{"Growth", "Growth Partners"}, []string{"Growth", "Growth Partners"}, "growth consultancy", "consultora de growth",
		[]string{"growth hacking", "conversion optimisation", "product-led growth", "lifecycle marketing", "analytics", "a/b testing"},
		[]string{"growth hacking", "optimización de conversión", "analítica", "adquisición de usuarios", "retención"}},
	"pr": {[]string{"PR", "Communications"}, []string{"Comunicación", "PR"}, "PR and communications agency", "agencia de comunicación y relaciones públicas",
		[]string{"press relations", "startup pr", "media training", "thought leadership", "launch campaigns"},
		[]string{"relaciones con medios", "comunicación corporativa", "notas de prensa", "lanzamientos", "marca personal"}},
	"recruiting": {[]string{"Talent", "Recruiting", "People"}, []string{"Talento", "Selección", "People"}, "tech recruiting firm", "consultora de selección tecnológica",
		[]string{"tech recruiting", "executive search", "employer branding", "hiring engineers", "remote hiring"},
		[]string{"selección de personal", "headhunting", "reclutamiento tech", "employer branding", "contratación remota"}},
	"consulting": {[]string{"Consulting", "Advisory"}, []string{"Consultores", "Consulting"}, "strategy consultancy", "consultora estratégica",
		[]string{"go-to-market", "business strategy", "pricing", "operations", "internationalisation", "market research"},
		[]string{"estrategia", "go-to-market", "pricing", "operaciones", "internacionalización", "estudios de mercado"}},
	"fundraising_advisory": {[]string{"Capital Advisors", "Corporate Finance", "Fundraising"}, []string{"Capital Advisors", "Corporate Finance"}, "fundraising advisory firm", "asesoría de levantamiento de capital",
		[]string{"fundraising", "pitch deck", "financial model", "investor relations", "due diligence", "venture debt"},
		[]string{"levantamiento de capital", "pitch deck", "modelo financiero", "ronda de inversión", "due diligence", "enisa"}},
	"cloud": {[]string{"Cloud", "Cloud Services", "Ops"}, []string{"Cloud", "Cloud Services"}, "cloud and DevOps partner", "partner de cloud y DevOps",
		[]string{"aws", "google cloud", "azure", "kubernetes", "devops", "cost optimisation", "sre"},
		[]string{"aws", "google cloud", "kubernetes", "devops", "migración a la nube", "optimización de costes"}},
	"cybersecurity": {[]string{"Security", "Cyber"}, []string{"Ciberseguridad", "Security"}, "cybersecurity firm", "empresa de ciberseguridad",
		[]string{"penetration testing", "iso 27001", "soc 2", "security audits", "incident response", "gdpr"},
		[]string{"pentesting", "iso 27001", "auditorías de seguridad", "soc 2", "respuesta a incidentes", "ens"}},
}

// companyName builds a firm name: a brand or a partner's surname plus a category suffix.
func companyName(x *rnd, c *companyCore) string {
	st := serviceTexts[serviceCategories[c.category].Slug]
	suffix := x.pick(st.suffixesEN)
	if c.place.Country().Spanish && x.chance(0.8) {
		suffix = x.pick(st.suffixesES)
	}
	slug := serviceCategories[c.category].Slug
	if (slug == "legal" || slug == "accounting" || slug == "consulting") && x.chance(0.5) {
		loc := locales[c.place.Country().Locale]
		a, b := x.pick(loc.Last), x.pick(loc.Last)
		if a != b && x.chance(0.5) {
			return a + " & " + b + " " + suffix
		}
		return a + " " + suffix
	}
	return brand(x) + " " + suffix
}

func (g *Generator) buildCompanies() {
	n := g.counts.Companies
	g.companies = make([]companyCore, n)
	slugs := make(map[string]struct{}, n)
	x := g.x
	for i := range g.companies {
		x.reset(g.seed, streamCompanyCore, uint64(i))
		c := &g.companies[i]
		c.place = pickPlace(x)
		c.category = serviceDist.index(x)
		for try := 0; ; try++ {
			c.name = companyName(x, c)
			if try == 3 {
				c.name += " " + c.place.City().Name
			}
			c.slug = slugify(c.name, "-")
			if _, taken := slugs[c.slug]; !taken || try >= 3 {
				break
			}
		}
		base := c.slug
		for k := 2; ; k++ {
			if _, taken := slugs[c.slug]; !taken {
				break
			}
			c.slug = base + "-" + strconv.Itoa(k)
		}
		slugs[c.slug] = struct{}{}
	}
}

// Company generates company i (0 <= i < Counts().Companies).
func (g *Generator) Company(i int) Company {
	checkIndex(i, g.counts.Companies)
	c := &g.companies[i]
	x := g.x
	x.reset(g.seed, streamCompanyText, uint64(i))
	cat := serviceCategories[c.category].Slug
	st := serviceTexts[cat]
	co := Company{ID: g.rowID(kindCompany, i), Name: c.name, ServiceCategory: cat, Location: c.place.location()}
	if x.chance(0.8) {
		co.LinkedInURL = "https://www.linkedin.com/company/" + c.slug
	}
	domain := slugify(c.name, "") + "." + c.place.Country().TLD
	if x.chance(0.92) {
		co.Website = "https://www." + domain
	}
	if x.chance(0.7) {
		co.Email = x.pick([]string{"hola", "info", "hello", "contacto", "startups"}) + "@" + domain
	}
	if x.chance(0.6) {
		co.Phone = phone(x, c.place.Country())
	}
	if x.chance(0.6) {
		_, co.Sectors = pickSectors(x, -1)
		co.Sectors = co.Sectors[:min(len(co.Sectors), 3)]
	}
	spanish := c.place.Country().Spanish && x.chance(0.7)
	pool := st.keywordsEN
	if spanish {
		pool = st.keywordsES
	}
	service := subsetOf(x, pool, 5)
	kw := append(slices.Clone(service), co.Sectors...)
	slices.Sort(kw)
	co.Keywords = slices.Compact(kw)
	co.RelevanceScore = x.normalCenti(66, 14, 5, 100)
	co.Description = companyDescription(x, c, st, spanish, service, co.Sectors)
	co.DataUpdatedAt = g.updatedAt(x)
	return co
}

func companyDescription(x *rnd, c *companyCore, st serviceText, spanish bool, kw, sectorIDs []string) string {
	city := c.place.City().Name
	top := kw[:min(3, len(kw))]
	if spanish {
		s := c.name + " es una " + st.descES + " con sede en " + city + " que ayuda a startups con " + joinAnd(top, "y") + "."
		if len(sectorIDs) > 0 {
			s += " Especializada en " + joinAnd(sectorLabels(sectorIDs, true), "y") + "."
		}
		return s + x.pick([]string{" Tarifas especiales para startups.", " Más de " + strconv.Itoa(x.between(20, 300)) + " startups atendidas.", ""})
	}
	s := c.name + " is a " + st.descEN + " in " + city + " helping startups with " + joinAnd(top, "and") + "."
	if len(sectorIDs) > 0 {
		s += " Focused on " + joinAnd(sectorLabels(sectorIDs, false), "and") + " companies."
	}
	return s + x.pick([]string{" Startup-friendly pricing.", " Trusted by " + strconv.Itoa(x.between(20, 300)) + " startups.", ""})
}
