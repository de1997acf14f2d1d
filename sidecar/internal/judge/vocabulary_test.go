package judge

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// readVocabularyMigration returns the migration that creates the shared vocabularies.
func readVocabularyMigration(t *testing.T) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "..", "supabase", "migrations", "*_vocabularies.sql"))
	if err != nil || len(paths) != 1 {
		t.Fatalf("want exactly one *_vocabularies.sql migration, got %v (%v)", paths, err)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatalf("read migration: %v", err)
	}
	return string(b)
}

// insertValues returns the VALUES part of "insert into public.<table> (...) values ...;".
func insertValues(t *testing.T, sql, table string) string {
	t.Helper()
	re := regexp.MustCompile(`(?is)insert into public\.` + table + ` \([^)]*\) values(.*?);\s*\n`)
	m := re.FindStringSubmatch(sql)
	if m == nil {
		t.Fatalf("no insert into public.%s in the migration", table)
	}
	return m[1]
}

const sqlString = `'((?:[^']|'')*)'`

func unquote(s string) string { return strings.ReplaceAll(s, "''", "'") }

// pgArray parses a Postgres text-array literal such as {a,b c,"d,e"}.
func pgArray(t *testing.T, lit string) []string {
	t.Helper()
	lit = strings.TrimSpace(lit)
	if !strings.HasPrefix(lit, "{") || !strings.HasSuffix(lit, "}") {
		t.Fatalf("not an array literal: %q", lit)
	}
	body := lit[1 : len(lit)-1]
	var out []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+1 < len(body):
			i++
			cur.WriteByte(body[i])
		case c == ',' && !quoted:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" || len(out) > 0 {
		out = append(out, s)
	}
	return out
}

func TestSectorsMatchMigration(t *testing.T) {
	values := insertValues(t, readVocabularyMigration(t), "sectors")
	row := regexp.MustCompile(`\(\s*` + sqlString + `\s*,\s*` + sqlString + `\s*,\s*` + sqlString + `\s*,\s*` + sqlString + `\s*,\s*` + sqlString + `\s*\)`)
	var fromSQL []Sector
	for _, m := range row.FindAllStringSubmatch(values, -1) {
		fromSQL = append(fromSQL, Sector{
			ID: unquote(m[1]), LabelEN: unquote(m[2]), LabelES: unquote(m[3]),
			Synonyms: pgArray(t, unquote(m[4])), Related: pgArray(t, unquote(m[5])),
		})
	}
	if len(fromSQL) == 0 {
		t.Fatal("parsed no sector rows")
	}
	if !reflect.DeepEqual(fromSQL, Sectors()) {
		for i := 0; i < max(len(fromSQL), len(sectors)); i++ {
			var a, b Sector
			if i < len(fromSQL) {
				a = fromSQL[i]
			}
			if i < len(sectors) {
				b = sectors[i]
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("sector %d differs:\n migration %+v\n Go        %+v", i, a, b)
			}
		}
		t.Fatal("the Go sector taxonomy must equal the migration's insert (update vocabulary.go)")
	}
	for _, s := range sectors {
		for _, r := range s.Related {
			if !IsSector(r) {
				t.Errorf("sector %s: related %q is not a sector", s.ID, r)
			}
		}
	}
}

func TestCountriesMatchMigration(t *testing.T) {
	values := insertValues(t, readVocabularyMigration(t), "countries")
	row := regexp.MustCompile(`\(\s*` + sqlString + `\s*,\s*` + sqlString + `\s*,\s*` + sqlString + `\s*,\s*` + sqlString + `\s*\)`)
	var fromSQL []Country
	for _, m := range row.FindAllStringSubmatch(values, -1) {
		fromSQL = append(fromSQL, Country{Code: unquote(m[1]), NameEN: unquote(m[2]), NameES: unquote(m[3]), Region: unquote(m[4])})
	}
	if len(fromSQL) == 0 || !reflect.DeepEqual(fromSQL, Countries()) {
		t.Fatalf("the Go country list must equal the migration's insert:\n migration %v\n Go        %v", fromSQL, countries)
	}
	for _, c := range cityNames {
		if !IsCountry(c.country) {
			t.Errorf("city %s has unknown country %s", c.name, c.country)
		}
	}
	for alias, code := range countryAliases {
		if !IsCountry(code) {
			t.Errorf("alias %s has unknown country %s", alias, code)
		}
	}
}

func TestEnumsMatchMigration(t *testing.T) {
	sql := readVocabularyMigration(t)
	for _, c := range []struct {
		typ  string
		want []string
	}{{"funding_stage", fundingStages}, {"product_status", productStatuses}} {
		m := regexp.MustCompile(`create type public\.` + c.typ + ` as enum \(([^)]*)\)`).FindStringSubmatch(sql)
		if m == nil {
			t.Fatalf("no enum %s in the migration", c.typ)
		}
		var got []string
		for _, v := range regexp.MustCompile(sqlString).FindAllStringSubmatch(m[1], -1) {
			got = append(got, v[1])
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("enum %s: migration %v, Go %v", c.typ, got, c.want)
		}
	}
}

func TestVocabularyLookups(t *testing.T) {
	for in, want := range map[string]string{
		"fintech": "fintech", "Salud digital": "healthtech", "inteligencia artificial": "ai", "IA": "ai",
		"Biotecnología": "biotech", "biotecnologia": "biotech", "comercio electrónico": "ecommerce",
		"  SaaS ": "saas", "RR. HH. y empleo": "hrtech", "two-sided marketplace": "marketplace",
	} {
		if got, ok := SectorID(in); !ok || got != want {
			t.Errorf("SectorID(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := SectorID("underwater basket weaving"); ok {
		t.Error("SectorID accepted an unknown sector")
	}
	for in, want := range map[string]string{"es": "ES", "España": "ES", "espana": "ES", "United Kingdom": "GB", "Países Bajos": "NL", "mx": "MX"} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := CountryCode("XX"); ok {
		t.Error("CountryCode accepted XX")
	}
	for in, want := range map[string]string{
		"Pre-Seed": "pre_seed", "presemilla": "pre_seed", "semilla": "seed", "Serie A": "series_a",
		"Series B": "series_b", "series_c": "series_c", "growth": "growth", "idea": "idea",
	} {
		if got, ok := ParseStage(in); !ok || got != want {
			t.Errorf("ParseStage(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseStage("series z"); ok {
		t.Error("ParseStage accepted series z")
	}
	for in, want := range map[string]string{"MVP": "mvp", "prototipo": "prototype", "Launched": "launched", "beta": "mvp"} {
		if got, ok := ParseProductStatus(in); !ok || got != want {
			t.Errorf("ParseProductStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	// Copies must not alias the package's tables.
	s := Sectors()
	s[0].Synonyms[0] = "changed"
	if sectors[0].Synonyms[0] == "changed" {
		t.Error("Sectors() returned shared slices")
	}
}
