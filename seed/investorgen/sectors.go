package investorgen

// sector mirrors a row of public.sectors (id and labels) plus how common it is in the data set.
type sector struct {
	ID      string
	LabelEN string
	LabelES string
	Weight  int
}

// sectors mirrors public.sectors. Weights give the skew seen in European/LatAm early-stage deal
// flow: software, fintech and AI everywhere; govtech and legaltech rare. TestSectorsMatchDatabase
// checks ids and labels against the migrations.
var sectors = []sector{
	{"saas", "SaaS", "SaaS", 140},
	{"fintech", "Fintech", "Fintech", 130},
	{"ai", "Artificial intelligence", "Inteligencia artificial", 120},
	{"healthtech", "Healthtech", "Salud digital", 90},
	{"marketplace", "Marketplaces", "Marketplaces", 80},
	{"consumer", "Consumer", "Consumo", 70},
	{"ecommerce", "E-commerce & retail", "E-commerce y retail", 60},
	{"edtech", "Edtech", "Educación", 50},
	{"devtools", "Developer tools", "Herramientas para desarrolladores", 40},
	{"proptech", "Proptech", "Proptech", 40},
	{"climate", "Climate tech", "Clima y sostenibilidad", 40},
	{"mobility", "Mobility", "Movilidad", 30},
	{"logistics", "Logistics & supply chain", "Logística", 30},
	{"foodtech", "Foodtech", "Foodtech", 30},
	{"cybersecurity", "Cybersecurity", "Ciberseguridad", 30},
	{"deeptech", "Deep tech", "Deep tech", 30},
	{"biotech", "Biotech", "Biotecnología", 30},
	{"hrtech", "HR tech & future of work", "RR. HH. y empleo", 30},
	{"martech", "Marketing & sales tech", "Marketing y ventas", 30},
	{"insurtech", "Insurtech", "Insurtech", 20},
	{"crypto", "Crypto & Web3", "Cripto y Web3", 20},
	{"energy", "Energy", "Energía", 20},
	{"agritech", "Agritech", "Agritech", 20},
	{"gaming", "Gaming", "Videojuegos", 20},
	{"media", "Media & entertainment", "Medios y entretenimiento", 20},
	{"hardware", "Hardware & IoT", "Hardware e IoT", 20},
	{"traveltech", "Travel & hospitality", "Turismo y hostelería", 20},
	{"social", "Social", "Redes sociales", 10},
	{"legaltech", "Legaltech", "Legaltech", 8},
	{"govtech", "Govtech & public sector", "Govtech y sector público", 5},
}

var sectorDist = newWeighted(sectors, func(s sector) int { return s.Weight })

// Funding stages in enum order (public.funding_stage).
var stageNames = []string{"idea", "pre_seed", "seed", "series_a", "series_b", "series_c", "growth"}

const (
	stIdea = iota
	stPreSeed
	stSeed
	stSeriesA
	stSeriesB
	stSeriesC
	stGrowth
)

var stageLabelEN = []string{"idea", "pre-seed", "seed", "Series A", "Series B", "Series C", "growth"}
var stageLabelES = []string{"idea", "pre-semilla", "semilla", "Serie A", "Serie B", "Serie C", "crecimiento"}

// serviceCategory is a companies.service_category slug with its share of the data set.
type serviceCategory struct {
	Slug   string
	Weight int
}

var serviceCategories = []serviceCategory{
	{"software_development", 18}, {"marketing", 14}, {"legal", 12}, {"accounting", 12},
	{"consulting", 8}, {"design", 8}, {"growth", 7}, {"recruiting", 6}, {"pr", 4},
	{"fundraising_advisory", 4}, {"cloud", 4}, {"cybersecurity", 3},
}

var serviceDist = newWeighted(serviceCategories, func(s serviceCategory) int { return s.Weight })

// Seniorities accepted by fund_employees.seniority.
var seniorities = []string{"analyst", "associate", "principal", "partner", "managing_partner", "venture_partner", "other"}
