package importer

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{"['fintech', 'saas']", []string{"fintech", "saas"}, false},
		{`["fintech", 'saas',]`, []string{"fintech", "saas"}, false},
		{"[]", nil, false},
		{"  [ ]  ", nil, false},
		{"nan", nil, false},
		{"", nil, false},
		{`['it\'s', "a, b", None, 'x\\y']`, []string{"it's", "a, b", `x\y`}, false},
		{"[fintech, saas]", []string{"fintech", "saas"}, false},
		{"Fintech, SaaS ;Health", []string{"Fintech", "SaaS", "Health"}, false},
		{"'fintech', \"saas\"", []string{"fintech", "saas"}, false},
		{"['fintech', 'saas'", nil, true},
		{"['fintech' 'saas']", nil, true},
		{"['a', ['b']]", nil, true},
		{"['a'] extra", nil, true},
		{"['unterminated]", nil, true},
	}
	for _, tc := range cases {
		got, err := parseList(tc.in)
		if (err != nil) != tc.err || (err != nil && !errors.Is(err, errListLiteral)) {
			t.Errorf("parseList(%q) error = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("parseList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseCenti(t *testing.T) {
	good := map[string]int64{"72,5": 7250, "72.5": 7250, "81.25": 8125, " 100 ": 10000, "0": 0, "77.456": 7746,
		"77.455": 7746, "77.454": 7745, ",5": 50, "6.": 600, "-1.5": -150, "+3": 300}
	for in, want := range good {
		if got, err := parseCenti(in); err != nil || got != want {
			t.Errorf("parseCenti(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"abc", "1.234,5", "12%", "1e3", "", "7,5,1", "9999999999999"} {
		if _, err := parseCenti(in); err == nil {
			t.Errorf("parseCenti(%q) accepted", in)
		}
	}
	if s := centiString(7250); s != "72.50" {
		t.Errorf("centiString(7250) = %s", s)
	}
}

func TestNormalizeLinkedIn(t *testing.T) {
	person := map[string]string{
		"https://es.linkedin.com/in/Lucia-Martin-4b2/?originalSubdomain=es":     "https://www.linkedin.com/in/lucia-martin-4b2",
		"http://www.linkedin.com/in/jmiller/":                                   "https://www.linkedin.com/in/jmiller",
		"linkedin.com/in/rui-costa":                                             "https://www.linkedin.com/in/rui-costa",
		"HTTPS://WWW.LINKEDIN.COM/in/x#about":                                   "https://www.linkedin.com/in/x",
		"https://www.linkedin.com/in/mar%C3%ADa-l%C3%B3pez/details/experience/": "https://www.linkedin.com/in/mar%c3%ada-l%c3%b3pez",
		"//m.linkedin.com/in/ana":                                               "https://www.linkedin.com/in/ana",
	}
	for in, want := range person {
		if got, err := normalizeLinkedIn(in, linkedInPerson); err != nil || got != want {
			t.Errorf("normalizeLinkedIn(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"htp://linkedin/in/x":                   "not an http(s) URL",
		"https://www.linkedin.evil.com/in/x":    "not a linkedin.com address",
		"https://notlinkedin.com/in/x":          "not a linkedin.com address",
		"https://www.linkedin.com/company/acme": "not a personal profile",
		"https://www.linkedin.com/in/":          "expected /in/<name>",
		"https://www.linkedin.com/":             "expected /in/<name>",
	}
	for in, want := range bad {
		if _, err := normalizeLinkedIn(in, linkedInPerson); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("normalizeLinkedIn(%q) error = %v, want %q", in, err, want)
		}
	}
	if got, err := normalizeLinkedIn("https://fr.linkedin.com/company/Mistral-Capital/about/", linkedInOrg); err != nil || got != "https://www.linkedin.com/company/mistral-capital" {
		t.Errorf("company URL = %q, %v", got, err)
	}
	if _, err := normalizeLinkedIn("https://www.linkedin.com/in/someone", linkedInOrg); err == nil {
		t.Error("a profile URL was accepted as a company page")
	}
}

func TestStages(t *testing.T) {
	cases := map[string][]string{
		"Pre-seed": {"pre_seed"}, "pre_seed": {"pre_seed"}, "Pre-semilla": {"pre_seed"}, "Semilla": {"seed"},
		"Serie A": {"series_a"}, "Series A": {"series_a"}, "series_b": {"series_b"}, "SEED": {"seed"},
		"early stage": {"pre_seed", "seed"}, "Early-Stage Venture": {"pre_seed", "seed"}, "Etapa temprana": {"pre_seed", "seed"},
		"late stage": {"series_c", "growth"}, "Fase tardía": {"series_c", "growth"}, "Expansión": {"series_b"},
		"Crecimiento": {"growth"}, "idea": {"idea"}, "Series D": {"series_c"},
	}
	for in, want := range cases {
		if got, ok := stagesFor(in); !ok || !slices.Equal(got, want) {
			t.Errorf("stagesFor(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"Series Z", "startup", "traction", "debt"} {
		if got, ok := stagesFor(in); ok {
			t.Errorf("stagesFor(%q) = %v, want unknown", in, got)
		}
	}
	if got := sortStages([]string{"growth", "seed", "pre_seed", "seed"}); !slices.Equal(got, []string{"pre_seed", "seed", "growth"}) {
		t.Errorf("sortStages = %v", got)
	}
}

func TestSeniorityOf(t *testing.T) {
	cases := map[string]string{
		"Managing Partner": "managing_partner", "Founder & Managing Partner": "managing_partner", "Socio Director": "managing_partner",
		"Venture Partner": "venture_partner", "General Partner": "partner", "Partner": "partner", "Socia": "partner",
		"Principal": "principal", "Investment Director": "principal", "Senior Associate": "associate",
		"Analista de inversiones": "analyst", "Investment Analyst": "analyst", "Head of Platform": "other", "": "other",
		"Partnerships Lead": "other",
	}
	for in, want := range cases {
		if got := seniorityOf(in); got != want {
			t.Errorf("seniorityOf(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestServiceCategory(t *testing.T) {
	cases := map[string]string{
		"Legal": "legal", "Desarrollo de software": "software_development", "software_development": "software_development",
		"Contabilidad": "accounting", "Relaciones Públicas": "pr", "Diseño": "design", "Consultoría": "consulting",
		"Data & Analytics": "data_analytics", "9": "", "x": "",
	}
	for in, want := range cases {
		if got := serviceCategory(in); got != want {
			t.Errorf("serviceCategory(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaders(t *testing.T) {
	cr, err := openCSV(strings.NewReader("\uFEFFNombre;Descripción_Corta;SERVICE-CATEGORY;extra\nA;b;Legal;x\n"))
	if err != nil {
		t.Fatal(err)
	}
	names, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	h, err := readHeader(Companies, names)
	if err != nil {
		t.Fatal(err)
	}
	if !h.has(fName) || !h.has(fDescription) || !h.has(fServiceCategory) || !slices.Equal(h.ignored, []string{"extra"}) {
		t.Fatalf("header %q mapped to %v, ignored %v", names, h.index, h.ignored)
	}
	if _, err := readHeader(Angels, []string{"fullName", "headline"}); err == nil || !strings.Contains(err.Error(), "no linkedinUrl column") {
		t.Errorf("missing linkedinUrl: %v", err)
	}
}
