package judge

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestExtractFacts(t *testing.T) {
	cases := []struct {
		text string
		want ProjectFacts
	}{
		// Spanish.
		{"Tenemos un MRR de 12k€ y crecemos un 20% mensual", ProjectFacts{
			Metrics: &Metrics{MRR: 12000, GrowthRate: 20, GrowthPeriod: "monthly", Currency: "EUR"}, ProductStatus: "revenue"}},
		{"Ya tenemos el MVP y 3.400 usuarios registrados", ProjectFacts{Metrics: &Metrics{Users: 3400}, ProductStatus: "mvp"}},
		{"Somos 3 cofundadores con experiencia en banca", ProjectFacts{
			Categories: []string{"fintech"}, Team: &Team{Size: 3, Experience: "experiencia en banca"}}},
		{"Hemos levantado 150k de FFF", ProjectFacts{PreviousFunding: "Hemos levantado 150k de FFF"}},
		{"Buscamos 500k para crecer en Latinoamérica", ProjectFacts{FundingAskUSD: 500000}},
		{"Buscamos 500.000 € para crecer", ProjectFacts{FundingAskUSD: 540000}},
		{"Somos una fintech de Madrid en fase pre-seed", ProjectFacts{
			Categories: []string{"fintech"}, Stage: "pre_seed", Country: "ES", City: "Madrid"}},
		{"somos una startup de salud digital en presemilla", ProjectFacts{Categories: []string{"healthtech"}, Stage: "pre_seed"}},
		{"Estamos en serie A y somos de Bogotá", ProjectFacts{Stage: "series_a", Country: "CO", City: "Bogota"}},
		{"acabamos de cerrar la semilla", ProjectFacts{Stage: "seed"}},
		{"Nuestro problema: las pymes tardan semanas en cobrar sus facturas", ProjectFacts{
			Problem: "las pymes tardan semanas en cobrar sus facturas"}},
		{"facturamos 40.000 euros al año", ProjectFacts{Metrics: &Metrics{Revenue: 40000, Currency: "EUR"}, ProductStatus: "revenue"}},
		{"facturamos 10k al mes", ProjectFacts{Metrics: &Metrics{MRR: 10000}, ProductStatus: "revenue"}},
		{"el equipo ahora somos 8 personas", ProjectFacts{Team: &Team{Size: 8}}},
		{"Ya no somos solo una idea, tenemos un prototipo funcionando", ProjectFacts{ProductStatus: "prototype"}},
		{"estamos en Ciudad de México y vendemos a restaurantes", ProjectFacts{
			Country: "MX", City: "Mexico City", TargetMarket: "restaurantes"}},
		{"Somos una edtech argentina con 2.000 alumnos, levantamos 1,5 millones de dólares de business angels", ProjectFacts{
			Categories: []string{"edtech"}, Country: "AR", Metrics: &Metrics{Users: 2000},
			PreviousFunding: "levantamos 1,5 millones de dólares de business angels"}},
		{"quemamos 20.000€ al mes, nos quedan 9 meses de caja", ProjectFacts{
			Metrics: &Metrics{BurnRate: 20000, RunwayMonths: 9, Currency: "EUR"}}},
		{"somos autofinanciados", ProjectFacts{PreviousFunding: "none (bootstrapped)"}},
		// English.
		{"We're now at $15k MRR and growing 20% month over month", ProjectFacts{
			Metrics: &Metrics{MRR: 15000, GrowthRate: 20, GrowthPeriod: "monthly", Currency: "USD"}, ProductStatus: "revenue"}},
		{"We have 3,400 active users and $1.2M ARR", ProjectFacts{
			Metrics: &Metrics{ARR: 1200000, Users: 3400, Currency: "USD"}, ProductStatus: "revenue"}},
		{"We are a team of 5: two founders and three engineers", ProjectFacts{Team: &Team{Size: 5}}},
		{"two founders and three engineers", ProjectFacts{Team: &Team{Size: 5}}},
		{"3 cofounders, CEO CTO and CPO, all ex-Google", ProjectFacts{
			Team: &Team{Size: 3, Roles: []string{"CEO", "CTO", "CPO"}, Experience: "ex-Google"}}},
		{"just me and my cofounder", ProjectFacts{Team: &Team{Size: 2}}},
		{"Update: we closed $150k from friends and family last month", ProjectFacts{
			PreviousFunding: "we closed $150k from friends and family last month"}},
		{"We're raising $2M to expand to France", ProjectFacts{FundingAskUSD: 2000000}},
		{"raising £1M seed round in London", ProjectFacts{Stage: "seed", Country: "GB", City: "London", FundingAskUSD: 1270000}},
		{"Our startup is a B2B SaaS for logistics companies in Mexico", ProjectFacts{
			Categories: []string{"saas"}, Country: "MX", BusinessModel: "B2B, SaaS", TargetMarket: "logistics companies"}},
		{"We're based in Berlin and just launched our MVP", ProjectFacts{Country: "DE", City: "Berlin", ProductStatus: "launched"}},
		{"Actually we're in healthtech, not fintech", ProjectFacts{Categories: []string{"healthtech"}}},
		{"Change my stage to Series A", ProjectFacts{Stage: "series_a"}},
		{"we moved from seed to series b", ProjectFacts{Stage: "series_b"}},
		{"The problem we solve: small clinics waste hours on manual scheduling", ProjectFacts{
			Problem: "small clinics waste hours on manual scheduling"}},
		{"Our product is still a prototype, pre-revenue", ProjectFacts{ProductStatus: "prototype"}},
		{"our burn is 30k a month and we have 14 months of runway", ProjectFacts{Metrics: &Metrics{BurnRate: 30000, RunwayMonths: 14}}},
		{"We're an AI-powered marketplace for freelance nurses in the US, bootstrapped", ProjectFacts{
			Categories: []string{"ai", "marketplace"}, Country: "US", BusinessModel: "marketplace",
			TargetMarket: "freelance nurses", PreviousFunding: "none (bootstrapped)"}},
		// Things that are not facts.
		{"us too, thanks", ProjectFacts{}},
		{"I love chile peppers", ProjectFacts{}},
		{"What is a SAFE?", ProjectFacts{}},
		{"The meeting is at 10:30 on 12.03.2026 for 20 min", ProjectFacts{}},
		{"Is a $10M valuation too high with 20k MRR?", ProjectFacts{Metrics: &Metrics{MRR: 20000}, ProductStatus: "revenue"}},
	}
	for _, c := range cases {
		got := ExtractFacts(c.text)
		if !reflect.DeepEqual(got, c.want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(c.want)
			t.Errorf("ExtractFacts(%q)\n got  %s\n want %s", c.text, g, w)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("ExtractFacts(%q) is invalid: %v", c.text, err)
		}
	}
}

func TestParseLocaleNumber(t *testing.T) {
	for _, c := range []struct {
		raw  string
		mult bool
		want float64
	}{
		{"3.400", false, 3400}, {"3,400", false, 3400}, {"1.2", true, 1.2}, {"1,5", true, 1.5}, {"1,5", false, 1.5},
		{"1.250.000", false, 1250000}, {"1,234.56", false, 1234.56}, {"1.234,56", false, 1234.56}, {"40", false, 40},
		{"1.250", true, 1.25}, {"12", true, 12},
	} {
		if got := parseLocaleNumber(c.raw, c.mult); got != c.want {
			t.Errorf("parseLocaleNumber(%q, %v) = %v, want %v", c.raw, c.mult, got, c.want)
		}
	}
}

func TestScanAmounts(t *testing.T) {
	for _, c := range []struct {
		text     string
		value    float64
		currency string
		percent  bool
	}{
		{"MRR de 12k€", 12000, "EUR", false}, {"$1.2M ARR", 1.2e6, "USD", false}, {"€ 500k", 500000, "EUR", false},
		{"1,5 millones de euros", 1.5e6, "EUR", false}, {"USD 2M", 2e6, "USD", false}, {"20 %", 20, "", true},
		{"20 por ciento", 20, "", true}, {"3 mil usuarios", 3000, "", false}, {"£300k", 300000, "GBP", false},
		{"2.5 million dollars", 2.5e6, "USD", false}, {"40.000 euros", 40000, "EUR", false},
	} {
		a := scanAmounts(c.text)
		if len(a) != 1 || a[0].value != c.value || a[0].currency != c.currency || a[0].percent != c.percent {
			t.Errorf("scanAmounts(%q) = %+v, want %v %s percent=%v", c.text, a, c.value, c.currency, c.percent)
		}
	}
	if a := scanAmounts("B2B web3 20 min"); len(a) != 1 || a[0].value != 20 || a[0].mult {
		t.Errorf("words with digits or 'min' read as amounts: %+v", a)
	}
}
