package investorgen

// city is a city with the subdivision LinkedIn shows after it ("Barcelona, Catalonia, Spain").
type city struct {
	Name   string
	Region string
	Weight int
}

// country mirrors a row of public.countries (code, English name, region) and adds what the
// generator needs: how often it appears, the naming locale of the people there, the dialling code,
// the usual web TLD and its startup cities.
type country struct {
	Code    string
	NameEN  string
	Region  string // public.countries.region
	Weight  int
	Locale  string // key of locales
	Dial    string
	TLD     string
	Spanish bool // the default language of text for people there is Spanish
	Cities  []city
}

// countries is weighted toward Spain, then the rest of Europe, the US and Latin America: the product
// is Spanish-first. TestCountriesMatchDatabase checks codes, names and regions against the migrations.
var countries = []country{
	{"ES", "Spain", "europe", 280, "es", "+34", "es", true, []city{
		{"Madrid", "Community of Madrid", 40}, {"Barcelona", "Catalonia", 28}, {"Valencia", "Valencian Community", 8},
		{"Málaga", "Andalusia", 5}, {"Seville", "Andalusia", 4}, {"Bilbao", "Basque Country", 4},
		{"San Sebastián", "Basque Country", 2}, {"Zaragoza", "Aragon", 2}, {"Palma", "Balearic Islands", 2},
		{"Alicante", "Valencian Community", 2}, {"A Coruña", "Galicia", 1}, {"Vigo", "Galicia", 1},
		{"Valladolid", "Castile and León", 1}, {"Pamplona", "Navarre", 1}, {"Murcia", "Region of Murcia", 1},
		{"Las Palmas de Gran Canaria", "Canary Islands", 1}, {"Granada", "Andalusia", 1}, {"Oviedo", "Asturias", 1},
		{"Santander", "Cantabria", 1},
	}},
	{"US", "United States", "north_america", 120, "en", "+1", "com", false, []city{
		{"San Francisco", "California", 20}, {"New York", "New York", 20}, {"Boston", "Massachusetts", 8},
		{"Miami", "Florida", 8}, {"Austin", "Texas", 6}, {"Los Angeles", "California", 6}, {"Palo Alto", "California", 5},
		{"Seattle", "Washington", 4}, {"Chicago", "Illinois", 4}, {"Menlo Park", "California", 3}, {"Denver", "Colorado", 2},
	}},
	{"GB", "United Kingdom", "europe", 70, "en", "+44", "co.uk", false, []city{
		{"London", "England", 70}, {"Manchester", "England", 6}, {"Edinburgh", "Scotland", 6}, {"Cambridge", "England", 5},
		{"Oxford", "England", 4}, {"Bristol", "England", 3}, {"Birmingham", "England", 3}, {"Leeds", "England", 2},
	}},
	{"MX", "Mexico", "latam", 60, "latam", "+52", "mx", true, []city{
		{"Mexico City", "Mexico City", 65}, {"Monterrey", "Nuevo León", 15}, {"Guadalajara", "Jalisco", 15}, {"Querétaro", "Querétaro", 5},
	}},
	{"FR", "France", "europe", 50, "fr", "+33", "fr", false, []city{
		{"Paris", "Île-de-France", 70}, {"Lyon", "Auvergne-Rhône-Alpes", 8}, {"Marseille", "Provence-Alpes-Côte d'Azur", 4},
		{"Toulouse", "Occitanie", 4}, {"Bordeaux", "Nouvelle-Aquitaine", 4}, {"Nantes", "Pays de la Loire", 3},
		{"Lille", "Hauts-de-France", 3}, {"Nice", "Provence-Alpes-Côte d'Azur", 2},
	}},
	{"DE", "Germany", "europe", 50, "de", "+49", "de", false, []city{
		{"Berlin", "Berlin", 40}, {"Munich", "Bavaria", 25}, {"Hamburg", "Hamburg", 12}, {"Frankfurt", "Hesse", 8},
		{"Cologne", "North Rhine-Westphalia", 5}, {"Düsseldorf", "North Rhine-Westphalia", 4}, {"Stuttgart", "Baden-Württemberg", 4},
	}},
	{"PT", "Portugal", "europe", 40, "pt", "+351", "pt", false, []city{
		{"Lisbon", "Lisbon", 60}, {"Porto", "Porto", 30}, {"Braga", "Braga", 5}, {"Coimbra", "Coimbra", 5},
	}},
	{"IT", "Italy", "europe", 40, "it", "+39", "it", false, []city{
		{"Milan", "Lombardy", 55}, {"Rome", "Lazio", 20}, {"Turin", "Piedmont", 10}, {"Bologna", "Emilia-Romagna", 6},
		{"Florence", "Tuscany", 5}, {"Naples", "Campania", 4},
	}},
	{"AR", "Argentina", "latam", 30, "latam", "+54", "com.ar", true, []city{
		{"Buenos Aires", "Buenos Aires", 80}, {"Córdoba", "Córdoba", 10}, {"Rosario", "Santa Fe", 5}, {"Mendoza", "Mendoza", 5},
	}},
	{"CO", "Colombia", "latam", 30, "latam", "+57", "co", true, []city{
		{"Bogotá", "Bogotá D.C.", 65}, {"Medellín", "Antioquia", 25}, {"Cali", "Valle del Cauca", 6}, {"Barranquilla", "Atlántico", 4},
	}},
	{"CL", "Chile", "latam", 30, "latam", "+56", "cl", true, []city{
		{"Santiago", "Santiago Metropolitan Region", 85}, {"Valparaíso", "Valparaíso", 8}, {"Concepción", "Biobío", 7},
	}},
	{"BR", "Brazil", "latam", 30, "pt", "+55", "com.br", false, []city{
		{"São Paulo", "São Paulo", 60}, {"Rio de Janeiro", "Rio de Janeiro", 20}, {"Belo Horizonte", "Minas Gerais", 8},
		{"Florianópolis", "Santa Catarina", 6}, {"Curitiba", "Paraná", 6},
	}},
	{"NL", "Netherlands", "europe", 20, "nl", "+31", "nl", false, []city{
		{"Amsterdam", "North Holland", 70}, {"Rotterdam", "South Holland", 15}, {"Utrecht", "Utrecht", 10}, {"Eindhoven", "North Brabant", 5},
	}},
	{"IE", "Ireland", "europe", 15, "en", "+353", "ie", false, []city{
		{"Dublin", "County Dublin", 85}, {"Cork", "County Cork", 10}, {"Galway", "County Galway", 5},
	}},
	{"CH", "Switzerland", "europe", 15, "de", "+41", "ch", false, []city{
		{"Zurich", "Zurich", 55}, {"Geneva", "Geneva", 25}, {"Lausanne", "Vaud", 10}, {"Zug", "Zug", 10},
	}},
	{"SE", "Sweden", "europe", 15, "nordic", "+46", "se", false, []city{
		{"Stockholm", "Stockholm County", 80}, {"Gothenburg", "Västra Götaland County", 12}, {"Malmö", "Skåne County", 8},
	}},
	{"DK", "Denmark", "europe", 10, "nordic", "+45", "dk", false, []city{
		{"Copenhagen", "Capital Region of Denmark", 85}, {"Aarhus", "Central Denmark Region", 15},
	}},
	{"NO", "Norway", "europe", 10, "nordic", "+47", "no", false, []city{{"Oslo", "Oslo", 85}, {"Bergen", "Vestland", 15}}},
	{"FI", "Finland", "europe", 10, "nordic", "+358", "fi", false, []city{
		{"Helsinki", "Uusimaa", 85}, {"Espoo", "Uusimaa", 10}, {"Tampere", "Pirkanmaa", 5},
	}},
	{"BE", "Belgium", "europe", 10, "fr", "+32", "be", false, []city{
		{"Brussels", "Brussels-Capital Region", 60}, {"Antwerp", "Flanders", 20}, {"Ghent", "Flanders", 20},
	}},
	{"PE", "Peru", "latam", 10, "latam", "+51", "pe", true, []city{{"Lima", "Lima", 100}}},
	{"UY", "Uruguay", "latam", 10, "latam", "+598", "uy", true, []city{{"Montevideo", "Montevideo", 100}}},
	{"CA", "Canada", "north_america", 10, "en", "+1", "ca", false, []city{
		{"Toronto", "Ontario", 50}, {"Montreal", "Quebec", 25}, {"Vancouver", "British Columbia", 25},
	}},
	{"IL", "Israel", "middle_east", 10, "il", "+972", "co.il", false, []city{
		{"Tel Aviv", "Tel Aviv District", 80}, {"Jerusalem", "Jerusalem District", 10}, {"Haifa", "Haifa District", 10},
	}},
	{"AE", "United Arab Emirates", "middle_east", 8, "en", "+971", "ae", false, []city{{"Dubai", "Dubai", 80}, {"Abu Dhabi", "Abu Dhabi", 20}}},
	{"AT", "Austria", "europe", 5, "de", "+43", "at", false, []city{{"Vienna", "Vienna", 100}}},
	{"PL", "Poland", "europe", 5, "pl", "+48", "pl", false, []city{
		{"Warsaw", "Masovian Voivodeship", 70}, {"Kraków", "Lesser Poland Voivodeship", 30},
	}},
	{"EE", "Estonia", "europe", 5, "nordic", "+372", "ee", false, []city{{"Tallinn", "Harju County", 100}}},
	{"SG", "Singapore", "asia", 5, "en", "+65", "sg", false, []city{{"Singapore", "Singapore", 100}}},
}

var countryDist = newWeighted(countries, func(c country) int { return c.Weight })

// cityDists[i] is the city distribution of countries[i].
var cityDists = func() []weighted[city] {
	out := make([]weighted[city], len(countries))
	for i, c := range countries {
		out[i] = newWeighted(c.Cities, func(c city) int { return c.Weight })
	}
	return out
}()

// place is a resolved location: a country index and a city index within it.
type place struct {
	country int
	city    int
}

func (p place) Country() *country { return &countries[p.country] }
func (p place) City() *city       { return &countries[p.country].Cities[p.city] }

// pickPlace draws a country (weighted) and a city within it (weighted).
func pickPlace(x *rnd) place {
	ci := countryDist.index(x)
	return place{country: ci, city: cityDists[ci].index(x)}
}

// Location is the location columns shared by every table.
type Location struct {
	Text    string // "Madrid, Community of Madrid, Spain"
	City    string
	Region  string
	Country string // ISO 3166-1 alpha-2
}

func (p place) location() Location {
	c, ct := p.Country(), p.City()
	text := ct.Name + ", " + ct.Region + ", " + c.NameEN
	if ct.Name == ct.Region {
		text = ct.Name + ", " + c.NameEN
	}
	return Location{Text: text, City: ct.Name, Region: ct.Region, Country: c.Code}
}
