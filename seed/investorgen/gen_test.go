package investorgen

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	personURL  = regexp.MustCompile(`^https://www\.linkedin\.com/in/[^/?#[:space:]]+$`)
	orgURL     = regexp.MustCompile(`^https://www\.linkedin\.com/(company|school|showcase)/[^/?#[:space:]]+$`)
	emailRe    = regexp.MustCompile(`^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$`)
	slugRe     = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)
	httpPrefix = regexp.MustCompile(`^https?://`)
)

func demo(t testing.TB, seed int64) *Generator {
	t.Helper()
	c, err := LookupPreset(PresetDemo)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(seed, c, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// digest hashes every row the generator produces, in load order.
func digest(g *Generator) string {
	h := sha256.New()
	c := g.Counts()
	for i := range c.Funds {
		fmt.Fprintf(h, "%+v\n", g.Fund(i))
	}
	for i := range c.Employees {
		fmt.Fprintf(h, "%+v\n", g.Employee(i))
	}
	for i := range c.Angels {
		fmt.Fprintf(h, "%+v\n", g.Angel(i))
	}
	for i := range c.Companies {
		fmt.Fprintf(h, "%+v\n", g.Company(i))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := digest(demo(t, 42)), digest(demo(t, 42))
	if a != b {
		t.Fatalf("seed 42 produced different data on two runs: %s vs %s", a, b)
	}
	if c := digest(demo(t, 43)); c == a {
		t.Fatal("seeds 42 and 43 produced identical data")
	}
}

func TestRowsDoNotDependOnAccessOrder(t *testing.T) {
	g := demo(t, 7)
	want := fmt.Sprintf("%+v|%+v|%+v", g.Angel(900), g.Employee(500), g.Company(17))
	for i := 0; i < 50; i++ { // interleave other draws
		g.Angel(i)
		g.Fund(i)
	}
	other := g.Clone()
	for _, gg := range []*Generator{g, other} {
		if got := fmt.Sprintf("%+v|%+v|%+v", gg.Angel(900), gg.Employee(500), gg.Company(17)); got != want {
			t.Fatalf("row changed with access order:\n got %s\nwant %s", got, want)
		}
	}
}

func TestPresets(t *testing.T) {
	want := map[string]int{PresetDemo: 3_000, Preset100k: 100_000, Preset1M: 1_000_000}
	for _, name := range Presets() {
		c, err := LookupPreset(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Investors(); got != want[name] {
			t.Errorf("preset %s has %d investors, want %d", name, got, want[name])
		}
		if err := c.validate(); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
	}
	if _, err := LookupPreset("10m"); err == nil || !strings.Contains(err.Error(), "demo, 100k, 1m") {
		t.Errorf("unknown preset error = %v", err)
	}
}

func TestCountsValidation(t *testing.T) {
	cases := []struct {
		c    Counts
		want string
	}{
		{Counts{Angels: -1}, "angels must be between"},
		{Counts{Funds: 2, MinEmployeesPerFund: 5, MaxEmployeesPerFund: 3}, "is above the max"},
		{Counts{Funds: 2, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 3, Employees: 7}, "cannot be spread"},
		{Counts{Funds: 2, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 3, Employees: 3}, "cannot be spread"},
	}
	for _, tc := range cases {
		_, err := New(1, tc.c, time.Time{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) error = %v, want it to mention %q", tc.c, err, tc.want)
		}
	}
}

func TestEmployeeTotalsAndFundSizes(t *testing.T) {
	for _, c := range []Counts{
		{Funds: 1000, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6, Employees: 4000},
		{Funds: 1000, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6, Employees: 5900}, // near the top
		{Funds: 500, MinEmployeesPerFund: 1, MaxEmployeesPerFund: 3},                   // drawn total
	} {
		g, err := New(3, c, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for f := range c.Funds {
			from, to := g.FundEmployees(f)
			n := to - from
			if n < c.MinEmployeesPerFund || n > c.MaxEmployeesPerFund {
				t.Fatalf("fund %d has %d employees, want %d-%d", f, n, c.MinEmployeesPerFund, c.MaxEmployeesPerFund)
			}
			total += n
			for i := from; i < to; i++ {
				if e := g.Employee(i); e.FundID != g.Fund(f).ID || e.FundName != g.Fund(f).Name {
					t.Fatalf("employee %d belongs to %s, want fund %d %s", i, e.FundName, f, g.Fund(f).Name)
				}
			}
			if first := g.Employee(from).Seniority; first != "partner" && first != "managing_partner" {
				t.Fatalf("fund %d is led by a %s", f, first)
			}
		}
		if total != g.Counts().Employees || (c.Employees > 0 && total != c.Employees) {
			t.Fatalf("employees add up to %d, counts say %d (asked %d)", total, g.Counts().Employees, c.Employees)
		}
	}
}

// TestRowsSatisfyConstraints checks, in Go, every CHECK the migration puts on the four tables, plus
// the invariants the generator promises (strong within general, check bands by stage, uniqueness).
func TestRowsSatisfyConstraints(t *testing.T) {
	g := demo(t, 42)
	c := g.Counts()
	asOf := DefaultAsOf
	personURLs := map[string]string{}
	seenURL := func(u, who string) {
		if prev, dup := personURLs[u]; dup {
			t.Fatalf("LinkedIn URL %s used by %s and %s", u, prev, who)
		}
		personURLs[u] = who
	}
	checkCommon := func(who, email string, loc Location, updated time.Time, strong, general, stStrong, stGeneral []string) {
		t.Helper()
		if email != "" && !emailRe.MatchString(email) {
			t.Fatalf("%s: bad email %q", who, email)
		}
		if loc.Country == "" || loc.City == "" || !strings.HasPrefix(loc.Text, loc.City+", ") {
			t.Fatalf("%s: bad location %+v", who, loc)
		}
		if updated.After(asOf) || updated.Before(asOf.AddDate(0, 0, -731)) {
			t.Fatalf("%s: data_updated_at %s outside the two years before %s", who, updated, asOf)
		}
		for _, s := range strong {
			if !slices.Contains(general, s) {
				t.Fatalf("%s: strong sector %s not in general %v", who, s, general)
			}
		}
		for _, s := range stStrong {
			if len(stGeneral) > 0 && !slices.Contains(stGeneral, s) {
				t.Fatalf("%s: strong stage %s not in general %v", who, s, stGeneral)
			}
		}
		for _, s := range append(slices.Clone(general), strong...) {
			if !slugRe.MatchString(s) || !slices.ContainsFunc(sectors, func(x sector) bool { return x.ID == s }) {
				t.Fatalf("%s: sector %q not in the taxonomy", who, s)
			}
		}
		for _, s := range append(slices.Clone(stGeneral), stStrong...) {
			if !slices.Contains(stageNames, s) {
				t.Fatalf("%s: stage %q is not a funding_stage", who, s)
			}
		}
	}

	for i := range c.Angels {
		a := g.Angel(i)
		who := "angel " + a.FullName
		if !personURL.MatchString(a.LinkedInURL) {
			t.Fatalf("%s: bad LinkedIn URL %q", who, a.LinkedInURL)
		}
		seenURL(a.LinkedInURL, who)
		if a.Score < 0 || a.Score > 10000 {
			t.Fatalf("%s: score %d", who, a.Score)
		}
		if (a.CheckMinUSD == 0) != (a.CheckMaxUSD == 0) || a.CheckMinUSD > a.CheckMaxUSD ||
			(a.CheckMinUSD > 0 && (a.CheckMinUSD < 10_000 || a.CheckMaxUSD > 250_000)) {
			t.Fatalf("%s: check %d-%d", who, a.CheckMinUSD, a.CheckMaxUSD)
		}
		if n := len(a.CategoriesGeneral); n < 2 || n > 6 || len(a.CategoriesStrong) < 1 || len(a.CategoriesStrong) > 3 {
			t.Fatalf("%s: %d general / %d strong sectors", who, n, len(a.CategoriesStrong))
		}
		if a.ProfilePicURL != "" && !httpPrefix.MatchString(a.ProfilePicURL) {
			t.Fatalf("%s: picture %q", who, a.ProfilePicURL)
		}
		if len(a.Headline) > 500 || a.About == "" || a.ReasonsEN == "" || a.ReasonsES == "" {
			t.Fatalf("%s: texts missing or too long", who)
		}
		checkCommon(who, a.Email, a.Location, a.DataUpdatedAt, a.CategoriesStrong, a.CategoriesGeneral, a.StagesStrong, a.StagesGeneral)
	}

	names := map[string]bool{}
	orgURLs := map[string]bool{}
	for i := range c.Funds {
		f := g.Fund(i)
		who := "fund " + f.Name
		if names[strings.ToLower(f.Name)] {
			t.Fatalf("%s: name not unique (case-insensitively)", who)
		}
		names[strings.ToLower(f.Name)] = true
		if f.LinkedInURL != "" {
			if !orgURL.MatchString(f.LinkedInURL) || orgURLs[f.LinkedInURL] {
				t.Fatalf("%s: bad or duplicate LinkedIn URL %q", who, f.LinkedInURL)
			}
			orgURLs[f.LinkedInURL] = true
		}
		if f.Website != "" && !httpPrefix.MatchString(f.Website) {
			t.Fatalf("%s: website %q", who, f.Website)
		}
		if f.CheckMinUSD > f.CheckMaxUSD || (f.CheckMinUSD > 0 && (f.CheckMinUSD < 100_000 || f.CheckMaxUSD > 30_000_000)) {
			t.Fatalf("%s: check %d-%d", who, f.CheckMinUSD, f.CheckMaxUSD)
		}
		if f.CheckMinUSD > 0 && f.StagesStrong[0] >= "series_a" && f.StagesStrong[0] <= "series_c" && f.CheckMinUSD < 2_000_000 {
			t.Fatalf("%s: a %v fund writing %d checks", who, f.StagesStrong, f.CheckMinUSD)
		}
		if len(f.Phone) > 40 || f.Score < 0 || f.Score > 10000 {
			t.Fatalf("%s: phone %q score %d", who, f.Phone, f.Score)
		}
		checkCommon(who, f.Email, f.Location, f.DataUpdatedAt, f.CategoriesStrong, f.CategoriesGeneral, f.StagesStrong, f.StagesGeneral)
	}

	for i := range c.Employees {
		e := g.Employee(i)
		who := "employee " + e.FullName
		if !personURL.MatchString(e.LinkedInURL) {
			t.Fatalf("%s: bad LinkedIn URL %q", who, e.LinkedInURL)
		}
		seenURL(e.LinkedInURL, who)
		if !slices.Contains(seniorities, e.Seniority) || e.JobTitle == "" {
			t.Fatalf("%s: seniority %q title %q", who, e.Seniority, e.JobTitle)
		}
		if e.Score < 0 || e.Score > 1000 {
			t.Fatalf("%s: score %d out of 0-10", who, e.Score)
		}
		checkCommon(who, e.Email, e.Location, e.DataUpdatedAt, e.CategoriesStrong, e.CategoriesGeneral, e.StagesStrong, e.StagesGeneral)
	}

	validCategory := map[string]bool{}
	for _, s := range serviceCategories {
		validCategory[s.Slug] = true
	}
	for i := range c.Companies {
		co := g.Company(i)
		who := "company " + co.Name
		if !validCategory[co.ServiceCategory] || !slugRe.MatchString(co.ServiceCategory) {
			t.Fatalf("%s: service category %q", who, co.ServiceCategory)
		}
		if co.LinkedInURL != "" {
			if !orgURL.MatchString(co.LinkedInURL) || orgURLs[co.LinkedInURL] {
				t.Fatalf("%s: bad or duplicate LinkedIn URL %q", who, co.LinkedInURL)
			}
			orgURLs[co.LinkedInURL] = true
		}
		if len(co.Keywords) == 0 || co.RelevanceScore < 0 || co.RelevanceScore > 10000 {
			t.Fatalf("%s: keywords %v score %d", who, co.Keywords, co.RelevanceScore)
		}
		checkCommon(who, co.Email, co.Location, co.DataUpdatedAt, nil, co.Sectors, nil, nil)
	}
}

// TestDistributions checks the data looks like the market it imitates.
func TestDistributions(t *testing.T) {
	g, err := New(11, Counts{Angels: 20_000, Funds: 2_000, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 6}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	country := map[string]int{}
	sector := map[string]int{}
	midScores, early, emails := 0, 0, 0
	spanish := 0
	for i := range 20_000 {
		a := g.Angel(i)
		country[a.Location.Country]++
		for _, s := range a.CategoriesGeneral {
			sector[s]++
		}
		if a.Score >= 4000 && a.Score <= 8500 {
			midScores++
		}
		if a.StagesGeneral[0] == "idea" || a.StagesGeneral[0] == "pre_seed" || a.StagesGeneral[0] == "seed" {
			early++
		}
		if a.Email != "" {
			emails++
		}
		if strings.Contains(a.About, " startups desde ") {
			spanish++
		}
	}
	for code, n := range country {
		if code != "ES" && n >= country["ES"] {
			t.Errorf("%s has %d angels, Spain %d: Spain should lead", code, n, country["ES"])
		}
	}
	if country["US"] < country["FR"] || country["MX"] < country["PL"] {
		t.Errorf("country mix off: %v", country)
	}
	for _, common := range []string{"saas", "fintech", "ai"} {
		for _, rare := range []string{"govtech", "legaltech"} {
			if sector[common] < 5*sector[rare] {
				t.Errorf("%s (%d) should be far more common than %s (%d)", common, sector[common], rare, sector[rare])
			}
		}
	}
	if share := float64(midScores) / 20_000; share < 0.75 {
		t.Errorf("only %.0f%% of angel scores are within 40-85", share*100)
	}
	if share := float64(early) / 20_000; share < 0.9 {
		t.Errorf("only %.0f%% of angels start at idea/pre-seed/seed", share*100)
	}
	if share := float64(emails) / 20_000; share < 0.3 || share > 0.5 {
		t.Errorf("%.0f%% of angels have an email, want some but not all", share*100)
	}
	if share := float64(spanish) / 20_000; share < 0.2 || share > 0.6 {
		t.Errorf("%.0f%% of abouts are in Spanish", share*100)
	}

	late := 0
	for i := range 2_000 {
		f := g.Fund(i)
		if slices.Contains(f.StagesStrong, "growth") {
			late++
			if f.CheckMinUSD > 0 && f.CheckMinUSD < 5_000_000 {
				t.Errorf("growth fund %s writes %d checks", f.Name, f.CheckMinUSD)
			}
		}
	}
	if late == 0 || late > 400 {
		t.Errorf("%d of 2000 funds focus on growth", late)
	}
	var sum float64
	for i := range g.Counts().Employees {
		sum += float64(g.Employee(i).Score) / 100
	}
	if mean := sum / float64(g.Counts().Employees); mean < 5.5 || mean > 7.5 {
		t.Errorf("mean employee score %.2f, want 5.5-7.5", mean)
	}
}

func TestUniqueFundNamesAtScale(t *testing.T) {
	g, err := New(5, Counts{Funds: 40_000, MinEmployeesPerFund: 0, MaxEmployeesPerFund: 0}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool, 40_000)
	numbered := 0
	for i := range 40_000 {
		n := strings.ToLower(g.Fund(i).Name)
		if seen[n] {
			t.Fatalf("fund name %q repeats", n)
		}
		seen[n] = true
		if strings.HasSuffix(n, " ii") || strings.HasSuffix(n, " iii") {
			numbered++
		}
	}
	if numbered == 0 {
		t.Error("40k funds needed no numbering: the collision path is untested")
	}
}

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"Íñigo Núñez-García": "inigo-nunez-garcia",
		"Sean O'Brien":       "sean-obrien",
		"Søren Müller  Jr.":  "soren-muller-jr",
		"Łukasz Dąbrowski":   "lukasz-dabrowski",
	}
	for in, want := range cases {
		if got := slugify(in, "-"); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTablesAreConsistent checks the static tables the generator draws from.
func TestTablesAreConsistent(t *testing.T) {
	for _, c := range countries {
		if locales[c.Locale] == nil || len(c.Cities) == 0 || c.Weight <= 0 {
			t.Errorf("country %s: locale %q, %d cities, weight %d", c.Code, c.Locale, len(c.Cities), c.Weight)
		}
	}
	for _, l := range foreignLocales.items {
		if locales[l.S] == nil {
			t.Errorf("foreign locale %q has no names", l.S)
		}
	}
	for _, sc := range serviceCategories {
		if _, ok := serviceTexts[sc.Slug]; !ok {
			t.Errorf("service category %s has no texts", sc.Slug)
		}
	}
	for key, loc := range locales {
		for _, list := range [][]string{loc.First, loc.Last} {
			seen := map[string]bool{}
			for _, n := range list {
				if seen[n] {
					t.Errorf("locale %s lists %q twice", key, n)
				}
				seen[n] = true
			}
		}
	}
}
