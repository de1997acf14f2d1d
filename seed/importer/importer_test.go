package importer

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

type rej struct {
	line           int
	column, reason string
}

func rejections(r *Report) []rej {
	out := make([]rej, len(r.Rejections))
	for i, x := range r.Rejections {
		out[i] = rej{x.Line, x.Column, x.Reason}
	}
	return out
}

func importFixture(t *testing.T, db *pgxpool.Pool, kind Kind, file string, opts Options) *Report {
	t.Helper()
	opts.Logger = quiet
	rep, err := ImportFile(context.Background(), db, kind, filepath.Join("testdata", file), opts)
	if err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	return rep
}

func counts(r *Report) [5]int { return [5]int{r.Read, r.Inserted, r.Updated, r.Unchanged, r.Rejected} }

// angelRow is what we check of a stored angel.
type angelRow struct {
	Name, Location              string
	City, Region, Country       *string
	Email                       *string
	Score                       string
	CatStrong, CatGeneral       []string
	StagesStrong, StagesGeneral []string
}

func angel(t *testing.T, db *pgxpool.Pool, url string) angelRow {
	t.Helper()
	var a angelRow
	err := db.QueryRow(context.Background(), `
		select full_name, coalesce(location, ''), city, region, country::text, email, score::text,
		       categories_strong, categories_general, stages_strong::text[], stages_general::text[]
		from public.angel_investors where linkedin_url = $1`, url).
		Scan(&a.Name, &a.Location, &a.City, &a.Region, &a.Country, &a.Email, &a.Score, &a.CatStrong, &a.CatGeneral, &a.StagesStrong, &a.StagesGeneral)
	if err != nil {
		t.Fatalf("angel %s: %v", url, err)
	}
	return a
}

func str(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func TestImportAngels(t *testing.T) {
	db := pgtest.New(t).Pool
	rejectedPath := filepath.Join(t.TempDir(), "angels.rejected.csv")
	rep := importFixture(t, db, Angels, "angels.csv", Options{RejectedPath: rejectedPath})

	if got, want := counts(rep), [5]int{14, 5, 0, 0, 9}; got != want {
		t.Errorf("read/inserted/updated/unchanged/rejected = %v, want %v", got, want)
	}
	wantRej := []rej{
		{5, "linkedinUrl", "invalid LinkedIn URL 'htp://linkedin/in/broken' (not an http(s) URL)"},
		{6, "categories_general_en", "unknown sector 'Space Mining'"},
		{7, "angel_score", "angel_score 140 out of range 0–100"},
		{8, "addressWithCountry", "unknown country 'Narnia'"},
		{9, "linkedinUrl", "duplicate linkedinUrl (first seen on line 2)"},
		{10, "linkedinUrl", "invalid LinkedIn URL 'https://www.linkedin.com/company/acme-ventures' (not a personal profile (/in/...))"},
		{12, "email", "invalid email 'maria.lopez@'"},
		{13, "fullName", "fullName is required"},
		{14, "stage_general_en", "unknown stage 'Series Z'"},
	}
	if got := rejections(rep); !slices.Equal(got, wantRej) {
		t.Errorf("rejections:\n got %v\nwant %v", got, wantRej)
	}

	// Line 2: BOM, multi-line about, Spanish synonyms, es.linkedin.com, "72,5", a location without country.
	a := angel(t, db, "https://www.linkedin.com/in/lucia-martin-soler-4b2a1c9")
	if a.Name != "Lucía Martín Soler" || a.Score != "72.50" || a.Location != "Madrid Area" || a.Country != nil || a.City != nil ||
		!slices.Equal(a.CatGeneral, []string{"fintech", "saas"}) || !slices.Equal(a.CatStrong, []string{"fintech"}) ||
		!slices.Equal(a.StagesGeneral, []string{"pre_seed", "seed"}) || !slices.Equal(a.StagesStrong, []string{"seed"}) {
		t.Errorf("Lucía stored as %+v (country %s)", a, str(a.Country))
	}
	// Line 4: http -> https, trailing slash, "nan" email, English labels, "Early Stage" -> pre_seed + seed.
	a = angel(t, db, "https://www.linkedin.com/in/jmiller")
	if a.Email != nil || a.Score != "81.25" || str(a.Country) != "US" || str(a.Region) != "California" ||
		!slices.Equal(a.CatGeneral, []string{"ai", "devtools"}) || !slices.Equal(a.StagesGeneral, []string{"pre_seed", "seed"}) ||
		!slices.Equal(a.StagesStrong, []string{"series_a"}) {
		t.Errorf("James stored as %+v", a)
	}
	// Line 11: Spanish labels and a Spanish country name.
	a = angel(t, db, "https://www.linkedin.com/in/jordi-vila-3c")
	if str(a.Country) != "ES" || str(a.City) != "Barcelona" || str(a.Region) != "Cataluña" ||
		!slices.Equal(a.CatGeneral, []string{"ai", "edtech", "healthtech"}) || !slices.Equal(a.StagesGeneral, []string{"series_a", "series_b"}) {
		t.Errorf("Jordi stored as %+v", a)
	}
	// Line 15: Python list in a comma-string column, blank score.
	a = angel(t, db, "https://www.linkedin.com/in/rui-costa")
	if str(a.Country) != "PT" || str(a.City) != "Lisboa" || a.Score != "0.00" || !slices.Equal(a.CatGeneral, []string{"fintech", "insurtech"}) {
		t.Errorf("Rui stored as %+v", a)
	}
	// Line 16: Python list with both quote styles; score rounded like numeric(5,2).
	a = angel(t, db, "https://www.linkedin.com/in/claire-dubois")
	if a.Score != "77.46" || !slices.Equal(a.CatGeneral, []string{"climate", "ecommerce", "foodtech"}) ||
		!slices.Equal(a.StagesGeneral, []string{"pre_seed", "seed"}) {
		t.Errorf("Claire stored as %+v", a)
	}

	// The rejected-rows file has the original rows plus a reason.
	f, err := os.Open(rejectedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 10 || recs[0][0] != "linkedinUrl" || recs[0][len(recs[0])-1] != "reason" ||
		recs[1][0] != "htp://linkedin/in/broken" || !strings.HasPrefix(recs[1][len(recs[1])-1], "line 5: linkedinUrl: invalid LinkedIn URL") {
		t.Errorf("rejected file: %q", recs[:min(2, len(recs))])
	}
	if !strings.Contains(rep.Text(), "line 7: angel_score: angel_score 140 out of range 0–100") {
		t.Errorf("text report:\n%s", rep.Text())
	}

	// A second import of the same file changes nothing, not even timestamps.
	var before string
	stamp := "select string_agg(linkedin_url || updated_at::text || data_updated_at::text, ',' order by linkedin_url) from public.angel_investors"
	if err := db.QueryRow(context.Background(), stamp).Scan(&before); err != nil {
		t.Fatal(err)
	}
	rep = importFixture(t, db, Angels, "angels.csv", Options{})
	if got, want := counts(rep), [5]int{14, 0, 0, 5, 9}; got != want {
		t.Errorf("second import: %v, want %v", got, want)
	}
	var after string
	if err := db.QueryRow(context.Background(), stamp).Scan(&after); err != nil || after != before {
		t.Errorf("second import touched rows (err %v)", err)
	}
}

func TestImportUpdatesChangedRows(t *testing.T) {
	db := pgtest.New(t).Pool
	importFixture(t, db, Angels, "angels.csv", Options{})
	raw, err := os.ReadFile("testdata/angels.csv")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(raw), "Angel investor | Partner at Foundry Lane", "Angel investor | GP at Foundry Lane", 1)
	changed = strings.Replace(changed, ",81.25,", ",83,", 1)
	rep, err := Import(context.Background(), db, Angels, strings.NewReader(changed), "changed.csv", Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(rep), [5]int{14, 0, 1, 4, 9}; got != want {
		t.Errorf("re-import with one changed row: %v, want %v", got, want)
	}
	var headline, score string
	if err := db.QueryRow(context.Background(), "select headline, score::text from public.angel_investors where linkedin_url = 'https://www.linkedin.com/in/jmiller'").Scan(&headline, &score); err != nil {
		t.Fatal(err)
	}
	if headline != "Angel investor | GP at Foundry Lane" || score != "83.00" {
		t.Errorf("James now %q %s", headline, score)
	}
}

func TestImportLenient(t *testing.T) {
	db := pgtest.New(t).Pool
	rep := importFixture(t, db, Angels, "angels.csv", Options{Lenient: true})
	if got, want := counts(rep), [5]int{14, 9, 0, 0, 5}; got != want {
		t.Errorf("lenient: %v, want %v", got, want)
	}
	var rejectedLines []int
	for _, r := range rep.Rejections {
		rejectedLines = append(rejectedLines, r.Line)
	}
	if !slices.Equal(rejectedLines, []int{5, 7, 9, 10, 13}) {
		t.Errorf("lenient mode rejected lines %v", rejectedLines)
	}
	var warnings []string
	for _, w := range rep.Warnings {
		warnings = append(warnings, w.String())
	}
	want := []string{
		"line 6: categories_general_en: unknown sector 'Space Mining' (dropped)",
		"line 8: addressWithCountry: unknown country 'Narnia' (kept as text only)",
		"line 12: email: invalid email 'maria.lopez@' (dropped)",
		"line 14: stage_general_en: unknown stage 'Series Z' (dropped)",
	}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings:\n got %q\nwant %q", warnings, want)
	}
	a := angel(t, db, "https://www.linkedin.com/in/aslan-lion")
	if a.Location != "Cair Paravel, Narnia" || a.Country != nil {
		t.Errorf("Aslan stored as %+v", a)
	}
}

func TestImportFundsEmployeesCompanies(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()

	// Employees need their funds: an employees file on an empty database rejects every row.
	rep := importFixture(t, db, Employees, "employees.csv", Options{})
	if rep.Inserted != 0 || rep.Rejected != 6 || rep.Rejections[0].Reason != "unknown fund 'Cierzo Ventures'" {
		t.Fatalf("employees before funds: %v %v", counts(rep), rejections(rep))
	}

	rep = importFixture(t, db, Funds, "funds.csv", Options{})
	if got, want := counts(rep), [5]int{7, 3, 0, 0, 4}; got != want {
		t.Errorf("funds: %v, want %v", got, want)
	}
	wantRej := []rej{
		{4, "name", "duplicate name (first seen on line 2)"},
		{5, "location_identifiers/2/value", "unknown country 'Narnia'"},
		{6, "category_keywords", "invalid list literal: missing ']' in '['fintech', 'saas''"},
		{8, "category_keywords", "unknown sector 'quantum finance'"},
	}
	if got := rejections(rep); !slices.Equal(got, wantRej) {
		t.Errorf("fund rejections:\n got %v\nwant %v", got, wantRej)
	}
	var url, website, city, region, country string
	var cats, stages []string
	err := db.QueryRow(ctx, `select linkedin_url, website, city, region, country, categories_general, stages_general::text[]
		from public.investment_funds where lower(name) = 'cierzo ventures'`).Scan(&url, &website, &city, &region, &country, &cats, &stages)
	if err != nil {
		t.Fatal(err)
	}
	if url != "https://www.linkedin.com/company/cierzo-ventures" || website != "https://cierzo.vc" || city != "Zaragoza" ||
		region != "Aragón" || country != "ES" || !slices.Equal(cats, []string{"fintech", "saas"}) || !slices.Equal(stages, []string{"seed", "series_a"}) {
		t.Errorf("Cierzo stored as %s %s %s/%s/%s %v %v", url, website, city, region, country, cats, stages)
	}
	if err := db.QueryRow(ctx, `select categories_general, stages_general::text[] from public.investment_funds where name = 'Mistral Capital Partners'`).Scan(&cats, &stages); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cats, []string{"ai", "deeptech"}) || !slices.Equal(stages, []string{"pre_seed", "seed"}) {
		t.Errorf("Mistral stored with %v %v", cats, stages)
	}

	rep = importFixture(t, db, Employees, "employees.csv", Options{})
	if got, want := counts(rep), [5]int{6, 3, 0, 0, 3}; got != want {
		t.Errorf("employees: %v, want %v", got, want)
	}
	wantRej = []rej{
		{4, "fund_name", "unknown fund 'Nazca Unicorn Fund'"},
		{5, "score_combinado", "score_combinado 11.5 out of range 0–10"},
		{7, "linkedinUrl", "duplicate linkedinUrl (first seen on line 2)"},
	}
	if got := rejections(rep); !slices.Equal(got, wantRej) {
		t.Errorf("employee rejections:\n got %v\nwant %v", got, wantRej)
	}
	rows, err := db.Query(ctx, `select e.full_name, f.name, e.seniority, e.score::text, coalesce(e.country, '')
		from public.fund_employees e join public.investment_funds f on f.id = e.fund_id order by e.full_name`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var a, b, c, d, e string
		err := r.Scan(&a, &b, &c, &d, &e)
		return strings.Join([]string{a, b, c, d, e}, "|"), err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Camille Bernard|Mistral Capital Partners|venture_partner|7.90|FR",
		"Elena Sanz|Cierzo Ventures|analyst|6.15|ES",
		"Álvaro Gil|Cierzo Ventures|managing_partner|8.40|ES",
	}
	if !slices.Equal(got, want) {
		t.Errorf("employees:\n got %q\nwant %q", got, want)
	}

	rep = importFixture(t, db, Companies, "companies.csv", Options{})
	if got, want := counts(rep), [5]int{6, 2, 0, 0, 4}; got != want {
		t.Errorf("companies: %v, want %v", got, want)
	}
	wantRej = []rej{
		{4, "service_category", "service_category is required"},
		{5, "nombre", "duplicate nombre (first seen on line 3)"},
		{6, "web_empresa", "invalid website 'not a url'"},
		{7, "startup_relevance_score", "startup_relevance_score 101 out of range 0–100"},
	}
	if got := rejections(rep); !slices.Equal(got, wantRej) {
		t.Errorf("company rejections:\n got %v\nwant %v", got, wantRej)
	}
	var category, score string
	var sectors, keywords []string
	if err := db.QueryRow(ctx, `select service_category, relevance_score::text, sectors, keywords, website, country
		from public.companies where name = 'Lexia Abogados'`).Scan(&category, &score, &sectors, &keywords, &website, &country); err != nil {
		t.Fatal(err)
	}
	if category != "legal" || score != "88.50" || website != "https://www.lexia-abogados.es" || country != "ES" ||
		!slices.Equal(sectors, []string{"fintech", "legaltech"}) ||
		!slices.Equal(keywords, []string{"derecho mercantil", "pactos de socios", "term sheets", "stock options", "rondas, pactos y más", "founder's agreements"}) {
		t.Errorf("Lexia stored as %s %s %v %v %s %s", category, score, sectors, keywords, website, country)
	}
	if err := db.QueryRow(ctx, `select service_category, sectors from public.companies where name = 'Kubo Labs'`).Scan(&category, &sectors); err != nil {
		t.Fatal(err)
	}
	if category != "software_development" || !slices.Equal(sectors, []string{"ai", "saas"}) {
		t.Errorf("Kubo Labs stored as %s %v", category, sectors)
	}

	// Every kind re-imports as a no-op.
	for _, k := range []struct {
		kind Kind
		file string
	}{{Funds, "funds.csv"}, {Employees, "employees.csv"}, {Companies, "companies.csv"}} {
		rep := importFixture(t, db, k.kind, k.file, Options{})
		if rep.Inserted+rep.Updated != 0 || rep.Unchanged == 0 {
			t.Errorf("re-import of %s: %v", k.file, counts(rep))
		}
	}

	// A company without a LinkedIn page is matched by name and updated in place.
	upd := "nombre,descripcion_corta,service_category\nKubo Labs,Ahora también hacemos IA.,Desarrollo de software\n"
	rep, err = Import(ctx, db, Companies, strings.NewReader(upd), "upd.csv", Options{Logger: quiet})
	if err != nil || counts(rep) != [5]int{1, 0, 1, 0, 0} {
		t.Fatalf("update by name: %v %v", counts(rep), err)
	}
	var n int
	if err := db.QueryRow(ctx, "select count(*) from public.companies where name = 'Kubo Labs' and description = 'Ahora también hacemos IA.'").Scan(&n); err != nil || n != 1 {
		t.Errorf("Kubo Labs rows with the new description: %d (%v)", n, err)
	}
}

// TestDatabaseRejectionsDoNotStopTheFile: a row the database refuses (here a LinkedIn page already
// taken by another fund) is rejected on its own; the rest of its batch is written.
func TestDatabaseRejectionsDoNotStopTheFile(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	if _, err := db.Exec(ctx, "insert into public.investment_funds (name, linkedin_url) values ('Old Name Capital', 'https://www.linkedin.com/company/andes-capital')"); err != nil {
		t.Fatal(err)
	}
	rep := importFixture(t, db, Funds, "funds.csv", Options{BatchSize: 100})
	if got, want := counts(rep), [5]int{7, 2, 0, 0, 5}; got != want {
		t.Errorf("counts %v, want %v", got, want)
	}
	found := false
	for _, r := range rep.Rejections {
		if r.Line == 7 && r.Reason == "LinkedIn URL already belongs to another row" {
			found = true
		}
	}
	if !found {
		t.Errorf("line 7 not rejected for its LinkedIn URL: %v", rejections(rep))
	}
}

func TestReportJSON(t *testing.T) {
	db := pgtest.New(t).Pool
	rep := importFixture(t, db, Companies, "companies.csv", Options{})
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Kind       string `json:"kind"`
		Read       int    `json:"read"`
		Rejected   int    `json:"rejected"`
		Rejections []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		} `json:"rejections"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Kind != "companies" || back.Read != 6 || back.Rejected != 4 || back.Rejections[0].Line != 4 ||
		back.Rejections[0].Column != "service_category" {
		t.Errorf("JSON report: %s", b)
	}
}

// TestSectorMappingMatchesSQL proves the Go mapping is public.sector_id: same answer for every id,
// label and synonym in several spellings, and for words that are not sectors.
func TestSectorMappingMatchesSQL(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	v, err := loadVocab(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(ctx, "select id, label_en, label_es, synonyms from public.sectors")
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) {
		var id, en, es string
		var syn []string
		if err := r.Scan(&id, &en, &es, &syn); err != nil {
			return struct{}{}, err
		}
		for _, s := range append([]string{id, en, es}, syn...) {
			inputs = append(inputs, s, strings.ToUpper(s), "  "+s+" ", titleCase(s), "\t"+s)
		}
		return struct{}{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, "Space Mining", "", " ", "fin tech", "saas ", "IA", "ml", "b2b", "Cloud", "legal", "SEGUROS")
	for _, in := range inputs {
		var want *string
		if err := db.QueryRow(ctx, "select public.sector_id($1)", in).Scan(&want); err != nil {
			t.Fatal(err)
		}
		got, ok := v.sectorID(in)
		if ok != (want != nil) || (ok && got != *want) {
			t.Errorf("sector %q: Go %q (%v), SQL %s", in, got, ok, str(want))
		}
	}
}

// titleCase upper-cases the first letter of every word.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		words[i] = strings.ToUpper(string(r[0])) + string(r[1:])
	}
	return strings.Join(words, " ")
}
