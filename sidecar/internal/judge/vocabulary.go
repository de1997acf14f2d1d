package judge

import (
	"slices"
	"strings"
)

// Vocabularies shared with the database (supabase/migrations/*_vocabularies.sql). The sector and
// country tables are Go copies of the migration's inserts; vocabulary_test.go parses the migration
// and fails when they drift apart.

// Sector is one entry of the sector taxonomy (public.sectors).
type Sector struct {
	ID       string
	LabelEN  string
	LabelES  string
	Synonyms []string // lower-case alternative names, English and Spanish
	Related  []string // sector ids that count as a partial match
}

var sectors = []Sector{
	{ID: "fintech", LabelEN: "Fintech", LabelES: "Fintech",
		Synonyms: []string{"financial services", "payments", "banking", "neobank", "lending", "wealthtech", "servicios financieros", "pagos", "banca", "finanzas"},
		Related:  []string{"insurtech", "crypto", "saas"}},
	{ID: "insurtech", LabelEN: "Insurtech", LabelES: "Insurtech",
		Synonyms: []string{"insurance", "seguros"},
		Related:  []string{"fintech", "healthtech"}},
	{ID: "crypto", LabelEN: "Crypto & Web3", LabelES: "Cripto y Web3",
		Synonyms: []string{"web3", "blockchain", "defi", "cryptocurrency", "criptomonedas"},
		Related:  []string{"fintech"}},
	{ID: "healthtech", LabelEN: "Healthtech", LabelES: "Salud digital",
		Synonyms: []string{"health", "digital health", "medtech", "healthcare", "salud", "sanidad", "salud digital"},
		Related:  []string{"biotech", "ai", "consumer"}},
	{ID: "biotech", LabelEN: "Biotech", LabelES: "Biotecnología",
		Synonyms: []string{"biotechnology", "life sciences", "pharma", "biotecnologia", "biotecnología", "ciencias de la vida"},
		Related:  []string{"healthtech", "deeptech"}},
	{ID: "edtech", LabelEN: "Edtech", LabelES: "Educación",
		Synonyms: []string{"education", "e-learning", "elearning", "educacion", "educación", "formacion", "formación"},
		Related:  []string{"saas", "consumer"}},
	{ID: "proptech", LabelEN: "Proptech", LabelES: "Proptech",
		Synonyms: []string{"real estate", "property", "inmobiliario", "construccion", "construcción", "contech"},
		Related:  []string{"fintech", "marketplace"}},
	{ID: "climate", LabelEN: "Climate tech", LabelES: "Clima y sostenibilidad",
		Synonyms: []string{"climate tech", "cleantech", "sustainability", "green", "carbon", "clima", "sostenibilidad", "medio ambiente"},
		Related:  []string{"energy", "mobility", "agritech"}},
	{ID: "energy", LabelEN: "Energy", LabelES: "Energía",
		Synonyms: []string{"renewables", "renewable energy", "solar", "batteries", "energia", "energía", "renovables"},
		Related:  []string{"climate", "deeptech"}},
	{ID: "saas", LabelEN: "SaaS", LabelES: "SaaS",
		Synonyms: []string{"software", "b2b software", "enterprise software", "b2b", "software empresarial"},
		Related:  []string{"ai", "devtools", "hrtech"}},
	{ID: "marketplace", LabelEN: "Marketplaces", LabelES: "Marketplaces",
		Synonyms: []string{"marketplaces", "platform", "two-sided marketplace", "plataforma"},
		Related:  []string{"ecommerce", "consumer"}},
	{ID: "ai", LabelEN: "Artificial intelligence", LabelES: "Inteligencia artificial",
		Synonyms: []string{"artificial intelligence", "machine learning", "ml", "genai", "generative ai", "llm", "inteligencia artificial", "ia", "aprendizaje automatico"},
		Related:  []string{"saas", "deeptech", "devtools"}},
	{ID: "consumer", LabelEN: "Consumer", LabelES: "Consumo",
		Synonyms: []string{"b2c", "consumer apps", "consumo", "apps de consumo"},
		Related:  []string{"ecommerce", "marketplace", "social"}},
	{ID: "ecommerce", LabelEN: "E-commerce & retail", LabelES: "E-commerce y retail",
		Synonyms: []string{"e-commerce", "retail", "d2c", "dtc", "online retail", "comercio electronico", "comercio electrónico"},
		Related:  []string{"consumer", "marketplace", "logistics"}},
	{ID: "mobility", LabelEN: "Mobility", LabelES: "Movilidad",
		Synonyms: []string{"transport", "transportation", "automotive", "ev", "movilidad", "transporte"},
		Related:  []string{"logistics", "climate"}},
	{ID: "logistics", LabelEN: "Logistics & supply chain", LabelES: "Logística",
		Synonyms: []string{"supply chain", "delivery", "shipping", "logistica", "logística", "cadena de suministro"},
		Related:  []string{"mobility", "ecommerce"}},
	{ID: "foodtech", LabelEN: "Foodtech", LabelES: "Foodtech",
		Synonyms: []string{"food", "food delivery", "alimentacion", "alimentación", "restauracion", "restauración"},
		Related:  []string{"agritech", "consumer"}},
	{ID: "agritech", LabelEN: "Agritech", LabelES: "Agritech",
		Synonyms: []string{"agriculture", "agtech", "farming", "agricultura", "agro"},
		Related:  []string{"foodtech", "climate"}},
	{ID: "gaming", LabelEN: "Gaming", LabelES: "Videojuegos",
		Synonyms: []string{"games", "video games", "esports", "videojuegos", "juegos"},
		Related:  []string{"consumer", "media"}},
	{ID: "media", LabelEN: "Media & entertainment", LabelES: "Medios y entretenimiento",
		Synonyms: []string{"entertainment", "content", "creator economy", "medios", "entretenimiento", "contenido"},
		Related:  []string{"consumer", "social", "gaming"}},
	{ID: "social", LabelEN: "Social", LabelES: "Redes sociales",
		Synonyms: []string{"social network", "community", "social media", "redes sociales", "comunidad"},
		Related:  []string{"consumer", "media"}},
	{ID: "cybersecurity", LabelEN: "Cybersecurity", LabelES: "Ciberseguridad",
		Synonyms: []string{"security", "infosec", "ciberseguridad", "seguridad informatica"},
		Related:  []string{"saas", "devtools"}},
	{ID: "devtools", LabelEN: "Developer tools", LabelES: "Herramientas para desarrolladores",
		Synonyms: []string{"developer tools", "infrastructure", "cloud", "open source", "devops", "infraestructura"},
		Related:  []string{"saas", "ai", "cybersecurity"}},
	{ID: "deeptech", LabelEN: "Deep tech", LabelES: "Deep tech",
		Synonyms: []string{"deep tech", "quantum", "robotics", "semiconductors", "space", "robotica", "robótica", "espacio"},
		Related:  []string{"hardware", "ai", "biotech"}},
	{ID: "hardware", LabelEN: "Hardware & IoT", LabelES: "Hardware e IoT",
		Synonyms: []string{"iot", "internet of things", "devices", "electronics", "dispositivos"},
		Related:  []string{"deeptech", "mobility"}},
	{ID: "hrtech", LabelEN: "HR tech & future of work", LabelES: "RR. HH. y empleo",
		Synonyms: []string{"hr", "recruiting", "future of work", "talent", "recursos humanos", "empleo", "reclutamiento"},
		Related:  []string{"saas", "edtech"}},
	{ID: "legaltech", LabelEN: "Legaltech", LabelES: "Legaltech",
		Synonyms: []string{"legal", "law", "regtech", "compliance", "derecho", "cumplimiento normativo"},
		Related:  []string{"saas", "fintech"}},
	{ID: "traveltech", LabelEN: "Travel & hospitality", LabelES: "Turismo y hostelería",
		Synonyms: []string{"travel", "tourism", "hospitality", "turismo", "viajes", "hosteleria", "hostelería"},
		Related:  []string{"consumer", "marketplace"}},
	{ID: "martech", LabelEN: "Marketing & sales tech", LabelES: "Marketing y ventas",
		Synonyms: []string{"marketing", "adtech", "sales", "advertising", "publicidad", "ventas"},
		Related:  []string{"saas", "ai"}},
	{ID: "govtech", LabelEN: "Govtech & public sector", LabelES: "Govtech y sector público",
		Synonyms: []string{"government", "public sector", "civic tech", "sector publico", "sector público", "administracion"},
		Related:  []string{"saas", "legaltech"}},
}

// Country is one row of public.countries.
type Country struct {
	Code   string // ISO 3166-1 alpha-2
	NameEN string
	NameES string
	Region string
}

var countries = []Country{
	{"ES", "Spain", "España", "europe"}, {"PT", "Portugal", "Portugal", "europe"},
	{"FR", "France", "Francia", "europe"}, {"DE", "Germany", "Alemania", "europe"},
	{"IT", "Italy", "Italia", "europe"}, {"GB", "United Kingdom", "Reino Unido", "europe"},
	{"IE", "Ireland", "Irlanda", "europe"}, {"NL", "Netherlands", "Países Bajos", "europe"},
	{"BE", "Belgium", "Bélgica", "europe"}, {"LU", "Luxembourg", "Luxemburgo", "europe"},
	{"CH", "Switzerland", "Suiza", "europe"}, {"AT", "Austria", "Austria", "europe"},
	{"SE", "Sweden", "Suecia", "europe"}, {"NO", "Norway", "Noruega", "europe"},
	{"DK", "Denmark", "Dinamarca", "europe"}, {"FI", "Finland", "Finlandia", "europe"},
	{"IS", "Iceland", "Islandia", "europe"}, {"PL", "Poland", "Polonia", "europe"},
	{"CZ", "Czechia", "Chequia", "europe"}, {"SK", "Slovakia", "Eslovaquia", "europe"},
	{"HU", "Hungary", "Hungría", "europe"}, {"RO", "Romania", "Rumanía", "europe"},
	{"BG", "Bulgaria", "Bulgaria", "europe"}, {"GR", "Greece", "Grecia", "europe"},
	{"HR", "Croatia", "Croacia", "europe"}, {"SI", "Slovenia", "Eslovenia", "europe"},
	{"EE", "Estonia", "Estonia", "europe"}, {"LV", "Latvia", "Letonia", "europe"},
	{"LT", "Lithuania", "Lituania", "europe"}, {"UA", "Ukraine", "Ucrania", "europe"},
	{"MT", "Malta", "Malta", "europe"}, {"CY", "Cyprus", "Chipre", "europe"},
	{"AD", "Andorra", "Andorra", "europe"}, {"US", "United States", "Estados Unidos", "north_america"},
	{"CA", "Canada", "Canadá", "north_america"}, {"MX", "Mexico", "México", "latam"},
	{"BR", "Brazil", "Brasil", "latam"}, {"AR", "Argentina", "Argentina", "latam"},
	{"CL", "Chile", "Chile", "latam"}, {"CO", "Colombia", "Colombia", "latam"},
	{"PE", "Peru", "Perú", "latam"}, {"UY", "Uruguay", "Uruguay", "latam"},
	{"PY", "Paraguay", "Paraguay", "latam"}, {"BO", "Bolivia", "Bolivia", "latam"},
	{"EC", "Ecuador", "Ecuador", "latam"}, {"VE", "Venezuela", "Venezuela", "latam"},
	{"CR", "Costa Rica", "Costa Rica", "latam"}, {"PA", "Panama", "Panamá", "latam"},
	{"DO", "Dominican Republic", "República Dominicana", "latam"}, {"GT", "Guatemala", "Guatemala", "latam"},
	{"SV", "El Salvador", "El Salvador", "latam"}, {"PR", "Puerto Rico", "Puerto Rico", "latam"},
	{"IL", "Israel", "Israel", "middle_east"}, {"AE", "United Arab Emirates", "Emiratos Árabes Unidos", "middle_east"},
	{"SA", "Saudi Arabia", "Arabia Saudí", "middle_east"}, {"TR", "Turkey", "Turquía", "middle_east"},
	{"QA", "Qatar", "Catar", "middle_east"}, {"IN", "India", "India", "asia"},
	{"CN", "China", "China", "asia"}, {"JP", "Japan", "Japón", "asia"},
	{"KR", "South Korea", "Corea del Sur", "asia"}, {"SG", "Singapore", "Singapur", "asia"},
	{"HK", "Hong Kong", "Hong Kong", "asia"}, {"ID", "Indonesia", "Indonesia", "asia"},
	{"VN", "Vietnam", "Vietnam", "asia"}, {"TH", "Thailand", "Tailandia", "asia"},
	{"MY", "Malaysia", "Malasia", "asia"}, {"PH", "Philippines", "Filipinas", "asia"},
	{"AU", "Australia", "Australia", "oceania"}, {"NZ", "New Zealand", "Nueva Zelanda", "oceania"},
	{"ZA", "South Africa", "Sudáfrica", "africa"}, {"NG", "Nigeria", "Nigeria", "africa"},
	{"KE", "Kenya", "Kenia", "africa"}, {"EG", "Egypt", "Egipto", "africa"},
	{"MA", "Morocco", "Marruecos", "africa"}, {"GH", "Ghana", "Ghana", "africa"},
}

// Funding stages (public.funding_stage), in order.
var fundingStages = []string{"idea", "pre_seed", "seed", "series_a", "series_b", "series_c", "growth"}

// Product statuses (public.product_status), in order.
var productStatuses = []string{"idea", "prototype", "mvp", "launched", "revenue"}

// Sectors returns a copy of the sector taxonomy.
func Sectors() []Sector {
	out := make([]Sector, len(sectors))
	for i, s := range sectors {
		s.Synonyms = slices.Clone(s.Synonyms)
		s.Related = slices.Clone(s.Related)
		out[i] = s
	}
	return out
}

// Countries returns a copy of the country list.
func Countries() []Country { return slices.Clone(countries) }

// FundingStages returns the funding stages in order (idea … growth).
func FundingStages() []string { return slices.Clone(fundingStages) }

// ProductStatuses returns the product statuses in order (idea … revenue).
func ProductStatuses() []string { return slices.Clone(productStatuses) }

// IsSector reports whether id is a sector id.
func IsSector(id string) bool { _, ok := sectorByID[id]; return ok }

// IsCountry reports whether code is a known ISO 3166-1 alpha-2 code (upper-case).
func IsCountry(code string) bool { _, ok := countryByCode[code]; return ok }

// Lookup tables, built by variable initialisers (not init functions) so that other files'
// initialisers can depend on them.
var (
	sectorByID = func() map[string]*Sector {
		m := map[string]*Sector{}
		for i := range sectors {
			m[sectors[i].ID] = &sectors[i]
		}
		return m
	}()
	// folded id, label or synonym → id. Mirrors public.sector_id: an exact id wins, then labels and
	// synonyms; ties go to the smaller id.
	sectorByName = func() map[string]string {
		m := map[string]string{}
		for _, s := range sectors {
			for _, n := range append([]string{s.LabelEN, s.LabelES}, s.Synonyms...) {
				k := fold(n)
				if prev, ok := m[k]; !ok || s.ID < prev {
					m[k] = s.ID
				}
			}
		}
		for _, s := range sectors {
			m[fold(s.ID)] = s.ID
		}
		return m
	}()
	countryByCode = func() map[string]*Country {
		m := map[string]*Country{}
		for i := range countries {
			m[countries[i].Code] = &countries[i]
		}
		return m
	}()
	// folded English or Spanish name → code
	countryByName = func() map[string]string {
		m := map[string]string{}
		for _, c := range countries {
			m[fold(c.NameEN)] = c.Code
			m[fold(c.NameES)] = c.Code
		}
		return m
	}()
)

// SectorID maps a sector id, label or synonym in English or Spanish (any case, with or without
// accents) to the sector id, like the database's public.sector_id.
func SectorID(name string) (string, bool) {
	id, ok := sectorByName[fold(name)]
	return id, ok
}

// CountryCode maps an ISO alpha-2 code or an English/Spanish country name to the code.
func CountryCode(name string) (string, bool) {
	t := strings.TrimSpace(name)
	if len(t) == 2 {
		if up := strings.ToUpper(t); IsCountry(up) {
			return up, true
		}
	}
	code, ok := countryByName[fold(t)]
	return code, ok
}

// ParseStage maps a funding stage as people write it ("Pre-Seed", "serie A", "semilla") to the
// vocabulary value.
func ParseStage(s string) (string, bool) {
	f := fold(s)
	if slices.Contains(fundingStages, strings.ReplaceAll(f, " ", "_")) {
		return strings.ReplaceAll(f, " ", "_"), true
	}
	st, ok := stageNames[f]
	return st, ok
}

// ParseProductStatus maps a product status ("MVP", "prototipo", "launched") to the vocabulary value.
func ParseProductStatus(s string) (string, bool) {
	f := fold(s)
	if slices.Contains(productStatuses, f) {
		return f, true
	}
	st, ok := productStatusNames[f]
	return st, ok
}

// stageNames maps folded stage phrases to funding stages. Used by ParseStage and the extractor.
var stageNames = map[string]string{
	"idea": "idea", "idea stage": "idea", "fase idea": "idea", "fase de idea": "idea",
	"pre seed": "pre_seed", "preseed": "pre_seed", "presemilla": "pre_seed", "pre semilla": "pre_seed",
	"seed": "seed", "semilla": "seed", "capital semilla": "seed",
	"series a": "series_a", "serie a": "series_a",
	"series b": "series_b", "serie b": "series_b",
	"series c": "series_c", "serie c": "series_c",
	"series d": "growth", "serie d": "growth", "series e": "growth", "serie e": "growth",
	"growth": "growth", "growth stage": "growth", "late stage": "growth", "crecimiento": "growth",
}

var productStatusNames = map[string]string{
	"prototipo": "prototype", "poc": "prototype", "proof of concept": "prototype", "prueba de concepto": "prototype",
	"beta": "mvp", "minimum viable product": "mvp", "producto minimo viable": "mvp",
	"lanzado": "launched", "live": "launched", "en produccion": "launched", "in production": "launched",
	"ingresos": "revenue", "facturando": "revenue", "revenue generating": "revenue",
}

// city is a startup hub the extractor recognises.
type city struct {
	name    string // canonical (English) name stored in ProjectFacts.City
	country string
}

// cityNames maps folded city names and common variants (English and Spanish) to the city.
var cityNames = func() map[string]city {
	m := map[string]city{}
	add := func(name, country string, variants ...string) {
		c := city{name: name, country: country}
		m[fold(name)] = c
		for _, v := range variants {
			m[fold(v)] = c
		}
	}
	add("Madrid", "ES")
	add("Barcelona", "ES")
	add("Valencia", "ES")
	add("Seville", "ES", "Sevilla")
	add("Bilbao", "ES")
	add("Malaga", "ES", "Málaga")
	add("Zaragoza", "ES")
	add("Lisbon", "PT", "Lisboa")
	add("Porto", "PT", "Oporto")
	add("Paris", "FR", "París")
	add("Berlin", "DE", "Berlín")
	add("Munich", "DE", "Múnich", "München")
	add("Hamburg", "DE", "Hamburgo")
	add("London", "GB", "Londres")
	add("Manchester", "GB")
	add("Dublin", "IE", "Dublín")
	add("Amsterdam", "NL", "Ámsterdam")
	add("Brussels", "BE", "Bruselas")
	add("Zurich", "CH", "Zúrich")
	add("Geneva", "CH", "Ginebra")
	add("Vienna", "AT", "Viena")
	add("Stockholm", "SE", "Estocolmo")
	add("Copenhagen", "DK", "Copenhague")
	add("Oslo", "NO")
	add("Helsinki", "FI")
	add("Tallinn", "EE")
	add("Warsaw", "PL", "Varsovia")
	add("Prague", "CZ", "Praga")
	add("Milan", "IT", "Milán", "Milano")
	add("Rome", "IT", "Roma")
	add("New York", "US", "Nueva York", "NYC")
	add("San Francisco", "US", "Bay Area", "Silicon Valley")
	add("Boston", "US")
	add("Austin", "US")
	add("Miami", "US")
	add("Los Angeles", "US", "Los Ángeles")
	add("Seattle", "US")
	add("Toronto", "CA")
	add("Vancouver", "CA")
	add("Montreal", "CA", "Montréal")
	add("Mexico City", "MX", "Ciudad de México", "CDMX", "DF")
	add("Monterrey", "MX")
	add("Guadalajara", "MX")
	add("Bogota", "CO", "Bogotá")
	add("Medellin", "CO", "Medellín")
	add("Santiago", "CL", "Santiago de Chile")
	add("Buenos Aires", "AR")
	add("Sao Paulo", "BR", "São Paulo")
	add("Rio de Janeiro", "BR")
	add("Lima", "PE")
	add("Montevideo", "UY")
	add("Quito", "EC")
	add("Tel Aviv", "IL")
	add("Dubai", "AE", "Dubái")
	add("Abu Dhabi", "AE")
	add("Riyadh", "SA", "Riad")
	add("Bangalore", "IN", "Bengaluru")
	add("Tokyo", "JP", "Tokio")
	add("Seoul", "KR", "Seúl")
	add("Sydney", "AU", "Sídney")
	add("Melbourne", "AU")
	add("Lagos", "NG")
	add("Nairobi", "KE")
	add("Cape Town", "ZA", "Ciudad del Cabo")
	add("Cairo", "EG", "El Cairo")
	return m
}()

// Country names and abbreviations that are also ordinary words ("us", "chile", "china", "turkey")
// count only when written with a capital letter.
var countryAliases = map[string]string{
	"usa": "US", "eeuu": "US", "ee uu": "US", "estados unidos de america": "US", "united states of america": "US",
	"uk": "GB", "u k": "GB", "great britain": "GB", "gran bretana": "GB", "england": "GB", "inglaterra": "GB",
	"holland": "NL", "holanda": "NL", "the netherlands": "NL", "uae": "AE", "eau": "AE", "emiratos": "AE",
	"korea": "KR", "corea": "KR", "czech republic": "CZ", "republica checa": "CZ", "suiza": "CH",
}

var capitalOnlyNames = map[string]bool{"us": true, "chile": true, "china": true, "turkey": true, "israel": true, "india": true, "df": true, "lima": true, "santiago": true, "austin": true, "lagos": true}
