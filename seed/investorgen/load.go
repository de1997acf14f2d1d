package investorgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// DB is what Load needs to open a transaction: *pgxpool.Pool and *pgx.Conn both satisfy it.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// IndexMode says whether Load drops the secondary indexes of a table around its COPY.
type IndexMode int

const (
	// IndexesAuto rebuilds when a table receives at least AutoRebuildRows rows and the role may drop
	// the indexes; otherwise it keeps them.
	IndexesAuto IndexMode = iota
	// IndexesKeep never touches indexes.
	IndexesKeep
	// IndexesRebuild always drops and recreates them (an error if the role cannot).
	IndexesRebuild
)

// AutoRebuildRows is the table size from which IndexesAuto drops and recreates indexes. Measured on
// two cores: the 1m preset loads in 143 s with the rebuild and 166 s with the indexes kept, a 35k-row
// table is still ~10% faster, and below ~10k rows it makes no difference.
const AutoRebuildRows = 20_000

// Options tune Load. The zero value loads with seed 0, DefaultAsOf, automatic index handling and
// periodic log lines on slog.Default().
type Options struct {
	Seed int64
	// AsOf anchors data_updated_at (spread over the two years before it); zero means DefaultAsOf.
	AsOf time.Time
	// Truncate empties the four investor tables first (in the same transaction).
	Truncate bool
	// SkipIfNotEmpty makes Load a no-op (Stats.Skipped) when any of the four tables holds rows; without
	// it or Truncate, non-empty tables are an error (ErrNotEmpty).
	SkipIfNotEmpty bool
	Indexes        IndexMode
	// Source is stored in the source column of every row; default "seed".
	Source string
	// Progress, when set, receives a single-line progress bar redrawn with \r (give it os.Stderr when
	// that is a terminal). When nil, progress goes to Logger every LogEvery instead.
	Progress io.Writer
	Logger   *slog.Logger
	// LogEvery is the period of progress log lines (default 5s; negative disables them).
	LogEvery time.Duration
}

// TableStats is what happened to one table.
type TableStats struct {
	Table          string
	Rows           int64
	Duration       time.Duration // COPY plus index work
	IndexesRebuilt int           // number of indexes dropped and recreated
	IndexDuration  time.Duration
}

// Stats summarises a Load.
type Stats struct {
	Tables   []TableStats
	Duration time.Duration // generator set-up, all tables, ANALYZE and commit
	Skipped  bool          // SkipIfNotEmpty found data and loaded nothing
}

// ErrNotEmpty is returned when the investor tables already hold rows and neither Truncate nor
// SkipIfNotEmpty was set.
var ErrNotEmpty = errors.New("investorgen: the investor tables already hold rows (truncate them or skip)")

// Rows is the total number of rows loaded.
func (s Stats) Rows() int64 {
	var n int64
	for _, t := range s.Tables {
		n += t.Rows
	}
	return n
}

// RowsPerSecond is Rows over the whole Duration.
func (s Stats) RowsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Rows()) / s.Duration.Seconds()
}

// Tables in load order: employees need their funds.
var loadOrder = []string{"investment_funds", "fund_employees", "angel_investors", "companies"}

// Load generates the data set for counts and opts.Seed and writes it with one streaming COPY per
// table: funds, then their employees, angels and companies. Everything happens in one transaction,
// so either all of it is loaded or nothing is (indexes dropped for speed are restored by the same
// rollback).
//
// The tables are loaded one after the other on purpose: two connections loading angels and funds at
// once deadlock, because the search-index triggers of both tables (private.index_investors) write the
// same private tables and drop and rebuild their indexes on bulk inserts.
func Load(ctx context.Context, db DB, counts Counts, opts Options) (Stats, error) {
	start := time.Now()
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.LogEvery == 0 {
		opts.LogEvery = 5 * time.Second
	}
	if opts.Source == "" {
		opts.Source = "seed"
	}
	g, err := New(opts.Seed, counts, opts.AsOf)
	if err != nil {
		return Stats{}, err
	}
	counts = g.Counts()

	tx, err := db.Begin(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("investorgen: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := checkReferenceData(ctx, tx); err != nil {
		return Stats{}, err
	}
	if !opts.Truncate {
		var rows bool
		err := tx.QueryRow(ctx, `select exists (select 1 from public.investment_funds) or exists (select 1 from public.fund_employees)
			or exists (select 1 from public.angel_investors) or exists (select 1 from public.companies)`).Scan(&rows)
		if err != nil {
			return Stats{}, fmt.Errorf("investorgen: look at the investor tables: %w", err)
		}
		if rows && opts.SkipIfNotEmpty {
			opts.Logger.Info("investorgen: investor tables already hold data; nothing loaded")
			return Stats{Skipped: true, Duration: time.Since(start)}, nil
		}
		if rows {
			return Stats{}, ErrNotEmpty
		}
	}

	prog := startProgress(opts, int64(g.Rows()))
	defer prog.finish()
	sizes := map[string]int{
		"investment_funds": counts.Funds, "fund_employees": counts.Employees,
		"angel_investors": counts.Angels, "companies": counts.Companies,
	}

	byTable, err := loadTables(ctx, tx, g, loadOrder, sizes, opts, prog)
	if err != nil {
		return Stats{}, err
	}
	prog.setPhase("commit")
	if err := tx.Commit(ctx); err != nil {
		return Stats{}, fmt.Errorf("investorgen: commit: %w", err)
	}
	var stats Stats
	for _, table := range loadOrder {
		stats.Tables = append(stats.Tables, byTable[table])
	}
	stats.Duration = time.Since(start)
	prog.setPhase("done")
	prog.finish()
	opts.Logger.Info("investorgen: loaded", "rows", stats.Rows(), "seconds", stats.Duration.Seconds(),
		"rows_per_s", int64(stats.RowsPerSecond()), "funds", counts.Funds, "employees", counts.Employees,
		"angels", counts.Angels, "companies", counts.Companies)
	return stats, nil
}

// loadTables truncates (when asked), loads and analyzes the tables inside tx, in order.
func loadTables(ctx context.Context, tx pgx.Tx, g *Generator, tables []string, sizes map[string]int, opts Options, prog *progress) (map[string]TableStats, error) {
	if err := registerEnums(ctx, tx.Conn()); err != nil {
		return nil, err
	}
	qualified := make([]string, len(tables))
	for i, t := range tables {
		qualified[i] = "public." + t
	}
	if opts.Truncate {
		if _, err := tx.Exec(ctx, "truncate table "+strings.Join(qualified, ", ")); err != nil {
			return nil, fmt.Errorf("investorgen: truncate: %w", err)
		}
	}
	out := map[string]TableStats{}
	for _, table := range tables {
		ts, err := loadTable(ctx, tx, g, table, sizes[table], opts, prog)
		if err != nil {
			return nil, err
		}
		out[table] = ts
	}
	prog.setPhase("analyze")
	if _, err := tx.Exec(ctx, "analyze "+strings.Join(qualified, ", ")); err != nil {
		return nil, fmt.Errorf("investorgen: analyze: %w", err)
	}
	return out, nil
}

func loadTable(ctx context.Context, tx pgx.Tx, g *Generator, table string, n int, opts Options, prog *progress) (TableStats, error) {
	ts := TableStats{Table: table}
	if n == 0 {
		return ts, nil
	}
	start := time.Now()
	var dropped []indexDef
	var err error
	if shouldRebuild(n, opts) {
		prog.setPhase("drop indexes " + table)
		dropped, err = dropIndexes(ctx, tx, table, opts.Indexes == IndexesRebuild)
		if err != nil {
			return ts, err
		}
	}

	prog.setPhase(table)
	src := newSource(ctx, g, table, n, opts.Source, &prog.done)
	copied, err := tx.CopyFrom(ctx, pgx.Identifier{"public", table}, src.columns, src)
	if err != nil {
		return ts, fmt.Errorf("investorgen: copy into %s: %w", table, err)
	}
	if copied != int64(n) {
		return ts, fmt.Errorf("investorgen: copy into %s wrote %d rows, want %d", table, copied, n)
	}
	ts.Rows = copied

	if len(dropped) > 0 {
		prog.setPhase("index " + table)
		t0 := time.Now()
		if err := recreateIndexes(ctx, tx, dropped); err != nil {
			return ts, err
		}
		ts.IndexesRebuilt = len(dropped)
		ts.IndexDuration = time.Since(t0)
	}
	ts.Duration = time.Since(start)
	opts.Logger.Debug("investorgen: table loaded", "table", table, "rows", ts.Rows, "seconds", ts.Duration.Seconds(),
		"indexes_rebuilt", ts.IndexesRebuilt, "index_seconds", ts.IndexDuration.Seconds())
	return ts, nil
}

// shouldRebuild decides whether to drop a table's secondary indexes around its COPY. Load only writes
// into empty (or truncated) tables, so in auto mode the size of the load alone decides.
func shouldRebuild(n int, opts Options) bool {
	switch opts.Indexes {
	case IndexesKeep:
		return false
	case IndexesRebuild:
		return true
	}
	return n >= AutoRebuildRows
}

// registerEnums teaches the connection the binary format of funding_stage[] (COPY needs it).
func registerEnums(ctx context.Context, conn *pgx.Conn) error {
	types, err := conn.LoadTypes(ctx, []string{"public.funding_stage", "public._funding_stage"})
	if err != nil {
		return fmt.Errorf("investorgen: load type funding_stage: %w", err)
	}
	conn.TypeMap().RegisterTypes(types)
	return nil
}

// checkReferenceData makes sure every country, region and sector the generator can emit exists in
// the database, so a changed migration fails loudly here instead of half-way through a COPY.
func checkReferenceData(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) error {
	rows, err := q.Query(ctx, "select code::text, name_en, region from public.countries")
	if err != nil {
		return fmt.Errorf("investorgen: read countries: %w", err)
	}
	type countryRow struct{ name, region string }
	dbCountries := map[string]countryRow{}
	var code, name, region string
	_, err = pgx.ForEachRow(rows, []any{&code, &name, &region}, func() error {
		dbCountries[code] = countryRow{name, region}
		return nil
	})
	if err != nil {
		return fmt.Errorf("investorgen: read countries: %w", err)
	}
	rows, err = q.Query(ctx, "select id, label_en, label_es from public.sectors")
	if err != nil {
		return fmt.Errorf("investorgen: read sectors: %w", err)
	}
	dbSectors := map[string][2]string{}
	var id, en, es string
	_, err = pgx.ForEachRow(rows, []any{&id, &en, &es}, func() error {
		dbSectors[id] = [2]string{en, es}
		return nil
	})
	if err != nil {
		return fmt.Errorf("investorgen: read sectors: %w", err)
	}

	var problems []string
	for _, c := range countries {
		got, ok := dbCountries[c.Code]
		switch {
		case !ok:
			problems = append(problems, "country "+c.Code+" is not in public.countries")
		case got.name != c.NameEN || got.region != c.Region:
			problems = append(problems, fmt.Sprintf("country %s is %q/%s in the database, %q/%s here", c.Code, got.name, got.region, c.NameEN, c.Region))
		}
	}
	for _, s := range sectors {
		got, ok := dbSectors[s.ID]
		switch {
		case !ok:
			problems = append(problems, "sector "+s.ID+" is not in public.sectors")
		case got != [2]string{s.LabelEN, s.LabelES}:
			problems = append(problems, fmt.Sprintf("sector %s is labelled %q/%q in the database, %q/%q here", s.ID, got[0], got[1], s.LabelEN, s.LabelES))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("investorgen: reference data differs from the database: %s", strings.Join(problems, "; "))
	}
	return nil
}

// source streams generated rows into CopyFrom.
type source struct {
	ctx     context.Context
	columns []string
	fill    func(i int, vals []any)
	vals    []any
	i, n    int
	done    *atomic.Int64
	err     error
}

func (s *source) Next() bool {
	if s.i >= s.n || s.err != nil {
		return false
	}
	if s.i&4095 == 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = err
			return false
		}
	}
	s.fill(s.i, s.vals)
	s.i++
	s.done.Add(1)
	return true
}

func (s *source) Values() ([]any, error) { return s.vals, nil }
func (s *source) Err() error             { return s.err }

var columnsByTable = map[string][]string{
	"angel_investors": {"id", "linkedin_url", "full_name", "headline", "about", "email", "profile_pic_url",
		"location", "city", "region", "country", "categories_strong", "categories_general", "stages_strong",
		"stages_general", "check_min_usd", "check_max_usd", "score", "reasons_en", "reasons_es", "source", "data_updated_at"},
	"investment_funds": {"id", "name", "linkedin_url", "website", "description", "email", "phone",
		"location", "city", "region", "country", "categories_strong", "categories_general", "stages_strong",
		"stages_general", "check_min_usd", "check_max_usd", "score", "source", "data_updated_at"},
	"fund_employees": {"id", "fund_id", "linkedin_url", "full_name", "headline", "job_title", "seniority", "email",
		"profile_pic_url", "location", "city", "region", "country", "categories_strong", "categories_general",
		"stages_strong", "stages_general", "score", "source", "data_updated_at"},
	"companies": {"id", "name", "linkedin_url", "website", "description", "email", "phone", "service_category",
		"sectors", "keywords", "location", "city", "region", "country", "relevance_score", "source", "data_updated_at"},
}

func newSource(ctx context.Context, g *Generator, table string, n int, src string, done *atomic.Int64) *source {
	s := &source{ctx: ctx, columns: columnsByTable[table], n: n, done: done}
	s.vals = make([]any, len(s.columns))
	switch table {
	case "angel_investors":
		s.fill = func(i int, v []any) {
			a := g.Angel(i)
			fillRow(v, a.ID, a.LinkedInURL, a.FullName, null(a.Headline), null(a.About), null(a.Email), null(a.ProfilePicURL))
			fillLocation(v[7:], a.Location)
			fillFocus(v[11:], a.CategoriesStrong, a.CategoriesGeneral, a.StagesStrong, a.StagesGeneral)
			v[15], v[16], v[17] = amount(a.CheckMinUSD), amount(a.CheckMaxUSD), centi(a.Score)
			v[18], v[19], v[20], v[21] = null(a.ReasonsEN), null(a.ReasonsES), src, a.DataUpdatedAt
		}
	case "investment_funds":
		s.fill = func(i int, v []any) {
			f := g.Fund(i)
			fillRow(v, f.ID, f.Name, null(f.LinkedInURL), null(f.Website), null(f.Description), null(f.Email), null(f.Phone))
			fillLocation(v[7:], f.Location)
			fillFocus(v[11:], f.CategoriesStrong, f.CategoriesGeneral, f.StagesStrong, f.StagesGeneral)
			v[15], v[16], v[17], v[18], v[19] = amount(f.CheckMinUSD), amount(f.CheckMaxUSD), centi(f.Score), src, f.DataUpdatedAt
		}
	case "fund_employees":
		s.fill = func(i int, v []any) {
			e := g.Employee(i)
			fillRow(v, e.ID, e.FundID, e.LinkedInURL, e.FullName, null(e.Headline), null(e.JobTitle), e.Seniority,
				null(e.Email), null(e.ProfilePicURL))
			fillLocation(v[9:], e.Location)
			fillFocus(v[13:], e.CategoriesStrong, e.CategoriesGeneral, e.StagesStrong, e.StagesGeneral)
			v[17], v[18], v[19] = centi(e.Score), src, e.DataUpdatedAt
		}
	case "companies":
		s.fill = func(i int, v []any) {
			c := g.Company(i)
			fillRow(v, c.ID, c.Name, null(c.LinkedInURL), null(c.Website), null(c.Description), null(c.Email), null(c.Phone),
				c.ServiceCategory, nonNil(c.Sectors), nonNil(c.Keywords))
			fillLocation(v[10:], c.Location)
			v[14], v[15], v[16] = centi(c.RelevanceScore), src, c.DataUpdatedAt
		}
	default:
		panic("investorgen: no source for table " + table)
	}
	return s
}

func fillRow(v []any, vals ...any) { copy(v, vals) }

func fillLocation(v []any, l Location) {
	v[0], v[1], v[2], v[3] = null(l.Text), null(l.City), null(l.Region), null(l.Country)
}

func fillFocus(v []any, catStrong, catGeneral, stStrong, stGeneral []string) {
	v[0], v[1], v[2], v[3] = nonNil(catStrong), nonNil(catGeneral), nonNil(stStrong), nonNil(stGeneral)
}

// null maps "" to SQL NULL.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nonNil keeps NOT NULL array columns from receiving NULL for an empty list.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func amount(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func centi(v int32) pgtype.Numeric {
	return pgtype.Numeric{Int: big.NewInt(int64(v)), Exp: -2, Valid: true}
}
