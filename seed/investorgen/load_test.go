package investorgen

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestReferenceDataMatchesDatabase(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	if err := checkReferenceData(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The check must notice a sector or country the database does not have.
	if _, err := db.Exec(ctx, "update public.sectors set label_es = 'Gobierno' where id = 'govtech'"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "delete from public.countries where code = 'UY'"); err != nil {
		t.Fatal(err)
	}
	err := checkReferenceData(ctx, db)
	if err == nil || !strings.Contains(err.Error(), "country UY is not in public.countries") ||
		!strings.Contains(err.Error(), `sector govtech is labelled "Govtech & public sector"/"Gobierno"`) {
		t.Fatalf("checkReferenceData = %v", err)
	}
}

func tableCount(t *testing.T, db *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "select count(*) from public."+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadDemo(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	counts, _ := LookupPreset(PresetDemo)
	stats, err := Load(ctx, db, counts, Options{Seed: 42, Logger: quiet, LogEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"angel_investors": 1500, "investment_funds": 300, "fund_employees": 1200, "companies": 400}
	for table, n := range want {
		if got := tableCount(t, db, table); got != n {
			t.Errorf("%s has %d rows, want %d", table, got, n)
		}
	}
	if stats.Rows() != 3400 {
		t.Errorf("stats report %d rows, want 3400", stats.Rows())
	}
	for _, ts := range stats.Tables {
		if ts.IndexesRebuilt != 0 {
			t.Errorf("demo rebuilt %d indexes on %s: below AutoRebuildRows it should keep them", ts.IndexesRebuilt, ts.Table)
		}
	}

	// Every sector and country used exists in the vocabularies.
	var unknown int
	err = db.QueryRow(ctx, `
		select count(*) from (
		  select unnest(categories_strong || categories_general) s from public.angel_investors
		  union all select unnest(categories_strong || categories_general) from public.investment_funds
		  union all select unnest(categories_strong || categories_general) from public.fund_employees
		  union all select unnest(sectors) from public.companies) u
		where s not in (select id from public.sectors)`).Scan(&unknown)
	if err != nil || unknown != 0 {
		t.Fatalf("%d sector ids not in public.sectors (err %v)", unknown, err)
	}
	var countries int
	if err := db.QueryRow(ctx, `select count(distinct country) from public.angel_investors where country in (select code from public.countries)`).Scan(&countries); err != nil || countries < 15 {
		t.Fatalf("angels come from %d known countries (err %v)", countries, err)
	}

	// Rows in the database are the generator's rows, ids included.
	g := demo(t, 42)
	f, e, a := g.Fund(0), g.Employee(0), g.Angel(1499)
	var fundName, stages string
	var score float64
	if err := db.QueryRow(ctx, "select name from public.investment_funds where id = $1", f.ID).Scan(&fundName); err != nil || fundName != f.Name {
		t.Fatalf("fund 0 in the database: %q (err %v), want %q", fundName, err, f.Name)
	}
	if err := db.QueryRow(ctx, "select f.name from public.fund_employees e join public.investment_funds f on f.id = e.fund_id where e.linkedin_url = $1", e.LinkedInURL).Scan(&fundName); err != nil || fundName != e.FundName {
		t.Fatalf("employee 0 works at %q (err %v), want %q", fundName, err, e.FundName)
	}
	if err := db.QueryRow(ctx, "select score::float8, stages_general::text from public.angel_investors where linkedin_url = $1", a.LinkedInURL).Scan(&score, &stages); err != nil {
		t.Fatal(err)
	}
	if score != float64(a.Score)/100 || stages != "{"+strings.Join(a.StagesGeneral, ",")+"}" {
		t.Fatalf("angel 1499 stored with score %v stages %s, generated %d %v", score, stages, a.Score, a.StagesGeneral)
	}

	// Loading again is refused, skipped on request, or replaces the data with Truncate.
	if _, err := Load(ctx, db, counts, Options{Seed: 42, Logger: quiet, LogEvery: -1}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second load without truncate: %v, want ErrNotEmpty", err)
	}
	if st, err := Load(ctx, db, counts, Options{Seed: 7, SkipIfNotEmpty: true, Logger: quiet, LogEvery: -1}); err != nil || !st.Skipped || st.Rows() != 0 {
		t.Fatalf("SkipIfNotEmpty: %+v, %v", st, err)
	}
	if got := tableCount(t, db, "angel_investors"); got != 1500 {
		t.Fatalf("after a skipped load angel_investors has %d rows", got)
	}
	if _, err := Load(ctx, db, counts, Options{Seed: 42, Truncate: true, Logger: quiet, LogEvery: -1}); err != nil {
		t.Fatal(err)
	}
	if got := tableCount(t, db, "fund_employees"); got != 1200 {
		t.Errorf("after a truncating reload fund_employees has %d rows", got)
	}
}

func indexDefs(t *testing.T, db *pgxpool.Pool) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), `
		select pg_get_indexdef(i.indexrelid) || case when i.indisvalid then '' else ' INVALID' end
		from pg_index i
		where i.indrelid in ('public.angel_investors'::regclass, 'public.investment_funds'::regclass,
		                     'public.fund_employees'::regclass, 'public.companies'::regclass)
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

func TestRebuildRestoresIndexesExactly(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	before := indexDefs(t, db)
	if len(before) < 25 {
		t.Fatalf("only %d indexes on the investor tables: %v", len(before), before)
	}
	counts := Counts{Angels: 300, Funds: 50, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 4, Companies: 40}
	stats, err := Load(ctx, db, counts, Options{Seed: 1, Indexes: IndexesRebuild, Logger: quiet, LogEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := 0
	for _, ts := range stats.Tables {
		rebuilt += ts.IndexesRebuilt
	}
	secondary := 0
	for _, table := range loadOrder {
		defs, err := secondaryIndexes(ctx, db, table)
		if err != nil {
			t.Fatal(err)
		}
		secondary += len(defs)
	}
	if rebuilt == 0 || rebuilt != secondary {
		t.Errorf("rebuilt %d indexes, want all %d non-unique ones", rebuilt, secondary)
	}
	if after := indexDefs(t, db); !slices.Equal(before, after) {
		t.Fatalf("indexes changed:\nbefore %v\nafter  %v", before, after)
	}
	// The rebuilt trigram index is usable.
	var n int
	if err := db.QueryRow(ctx, "select count(*) from public.angel_investors where full_name % $1", demo(t, 1).Angel(3).FullName).Scan(&n); err != nil || n == 0 {
		t.Fatalf("trigram search found %d rows (err %v)", n, err)
	}
}

func TestFailedLoadRollsBackEverything(t *testing.T) {
	db := pgtest.New(t).Pool
	ctx := context.Background()
	counts := Counts{Angels: 500, Funds: 20, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 2, Companies: 10}
	g, err := New(9, counts, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A constraint that angel 250 violates makes the angels COPY fail after funds and employees went
	// in and the angel indexes were dropped.
	clash := g.Angel(250).LinkedInURL
	if _, err := db.Exec(ctx, "alter table public.angel_investors add constraint test_refuse_250 check (linkedin_url <> '"+clash+"')"); err != nil {
		t.Fatal(err)
	}
	before := indexDefs(t, db)
	_, err = Load(ctx, db, counts, Options{Seed: 9, Indexes: IndexesRebuild, Logger: quiet, LogEvery: -1})
	if err == nil || !strings.Contains(err.Error(), "copy into angel_investors") {
		t.Fatalf("Load = %v, want a COPY failure on angel_investors", err)
	}
	if n := tableCount(t, db, "investment_funds") + tableCount(t, db, "fund_employees"); n != 0 {
		t.Errorf("%d fund/employee rows survived a failed load", n)
	}
	if n := tableCount(t, db, "angel_investors"); n != 0 {
		t.Errorf("angel_investors has %d rows after a failed load", n)
	}
	if after := indexDefs(t, db); !slices.Equal(before, after) {
		t.Fatalf("indexes changed by a failed load:\nbefore %v\nafter  %v", before, after)
	}
}

func TestProgressBar(t *testing.T) {
	db := pgtest.New(t).Pool
	var out strings.Builder
	counts := Counts{Angels: 100, Funds: 10, MinEmployeesPerFund: 1, MaxEmployeesPerFund: 1, Companies: 5}
	if _, err := Load(context.Background(), db, counts, Options{Progress: &out, Logger: quiet}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "\r") || !strings.HasSuffix(got, "\n") || !strings.Contains(got, "125/125 rows") || !strings.Contains(got, "done") {
		t.Fatalf("progress output %q", got)
	}
}
