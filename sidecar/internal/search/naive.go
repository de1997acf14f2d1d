package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Querier is what NaiveInvestors needs (*pgxpool.Pool, *pgx.Conn, pgx.Tx).
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// NaiveHit is one result of the naive baseline.
type NaiveHit struct {
	Kind  string // angel or fund
	ID    string
	Score float64
	// StageOK: the investor does the stage asked for or an adjacent one (the SQL ranking lists these first).
	StageOK bool
}

// NaiveInvestors is the baseline the benchmarks compare against, not a product path: it does what the
// prototype tried to do, loading every angel and fund that shares a sector (or a related one) with the
// criteria into Go and scoring each row there, with the same weights and formula as
// private.score_investors. With no candidate cut-off it is also the exact reference the evaluation
// measures the indexed search's recall against. Text terms are ignored and no user feedback applies.
func NaiveInvestors(ctx context.Context, db Querier, crit Criteria, limit int) ([]NaiveHit, error) {
	raw, err := json.Marshal(crit)
	if err != nil {
		return nil, fmt.Errorf("search: naive: encoding criteria: %w", err)
	}
	var qraw []byte
	if err := db.QueryRow(ctx, "select private.normalize_criteria($1::jsonb)", string(raw)).Scan(&qraw); err != nil {
		return nil, fmt.Errorf("search: naive: criteria: %w", wrapPgError(err))
	}
	var q NormalizedCriteria
	if err := json.Unmarshal(qraw, &q); err != nil {
		return nil, fmt.Errorf("search: naive: decoding criteria: %w", err)
	}
	m, err := loadModel(ctx, db, q.Stage)
	if err != nil {
		return nil, err
	}

	// every sector that can score: the project's and their related ones
	want := append([]string(nil), q.Categories...)
	related := map[string][]string{}
	for _, s := range q.Categories {
		related[s] = m.related[s]
		want = append(want, m.related[s]...)
	}
	kinds := map[string]bool{}
	for _, k := range q.Kinds {
		kinds[k] = true
	}
	rows, err := db.Query(ctx, `
select 'angel', a.id::text, a.categories_strong, a.categories_general, a.stages_strong::text[], a.stages_general::text[],
       a.country::text, coalesce(c.region, 'global'), a.city, a.check_min_usd, a.check_max_usd, a.score::float8, a.data_updated_at
from public.angel_investors a left join public.countries c on c.code = a.country
where $2 and (a.categories_general && $1 or a.categories_strong && $1)
union all
select 'fund', f.id::text, f.categories_strong, f.categories_general, f.stages_strong::text[], f.stages_general::text[],
       f.country::text, coalesce(c.region, 'global'), f.city, f.check_min_usd, f.check_max_usd, f.score::float8, f.data_updated_at
from public.investment_funds f left join public.countries c on c.code = f.country
where $3 and (f.categories_general && $1 or f.categories_strong && $1)`, want, kinds[KindAngel], kinds[KindFund])
	if err != nil {
		return nil, fmt.Errorf("search: naive: loading candidates: %w", wrapPgError(err))
	}
	defer rows.Close()

	p := m.prepare(q, related)
	now := time.Now()
	var hits []NaiveHit
	var r naiveRow
	for rows.Next() {
		if err := rows.Scan(&r.kind, &r.id, &r.strong, &r.general, &r.stStrong, &r.stGeneral, &r.country, &r.region,
			&r.city, &r.checkMin, &r.checkMax, &r.quality, &r.updated); err != nil {
			return nil, fmt.Errorf("search: naive: reading a candidate: %w", err)
		}
		if h, ok := p.score(&r, now); ok {
			hits = append(hits, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: naive: loading candidates: %w", wrapPgError(err))
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].StageOK != hits[j].StageOK {
			return hits[i].StageOK
		}
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

type naiveRow struct {
	kind, id           string
	strong, general    []string
	stStrong           []string
	stGeneral          []string
	country, city      *string
	region             string
	checkMin, checkMax *int64
	quality            float64
	updated            time.Time
}

// model is the weights, the stage mix and the related sectors.
type model struct {
	w          map[string]float64
	angelMix   float64
	fundMix    float64
	related    map[string][]string
	stageOrder map[string]int
}

func loadModel(ctx context.Context, db Querier, stage string) (*model, error) {
	m := &model{w: map[string]float64{}, related: map[string][]string{}, stageOrder: map[string]int{}}
	var wraw []byte
	if err := db.QueryRow(ctx, "select private.search_weight_map()").Scan(&wraw); err != nil {
		return nil, fmt.Errorf("search: naive: weights: %w", wrapPgError(err))
	}
	if err := json.Unmarshal(wraw, &m.w); err != nil {
		return nil, fmt.Errorf("search: naive: decoding weights: %w", err)
	}
	if stage == "" {
		stage = "default"
	}
	if err := db.QueryRow(ctx, "select angel_weight::float8, fund_weight::float8 from public.search_stage_mix where stage = $1", stage).
		Scan(&m.angelMix, &m.fundMix); err != nil {
		return nil, fmt.Errorf("search: naive: stage mix: %w", wrapPgError(err))
	}
	rows, err := db.Query(ctx, "select id, related from public.sectors")
	if err != nil {
		return nil, fmt.Errorf("search: naive: sectors: %w", wrapPgError(err))
	}
	var id string
	var rel []string
	if _, err := pgx.ForEachRow(rows, []any{&id, &rel}, func() error {
		m.related[id] = append([]string(nil), rel...)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("search: naive: sectors: %w", wrapPgError(err))
	}
	for i, s := range []string{"idea", "pre_seed", "seed", "series_a", "series_b", "series_c", "growth"} {
		m.stageOrder[s] = i
	}
	return m, nil
}

// prepared is the model bound to one query.
type prepared struct {
	*model
	q        NormalizedCriteria
	related  map[string][]string
	stageBit int
	adj      int
	city     string
	bandLo   float64
	bandHi   float64
	mixTop   float64
}

func (m *model) prepare(q NormalizedCriteria, related map[string][]string) *prepared {
	p := &prepared{model: m, q: q, related: related, city: fold(q.City), mixTop: math.Max(m.angelMix, m.fundMix)}
	if q.Stage != "" {
		p.stageBit = 1 << m.stageOrder[q.Stage]
		p.adj = ((p.stageBit << 1) | (p.stageBit >> 1)) & 127
	}
	if q.FundingAskUSD > 0 {
		p.bandLo = float64(q.FundingAskUSD) * m.w["check.min_share"]
		p.bandHi = float64(q.FundingAskUSD) * m.w["check.max_share"]
	}
	return p
}

func (p *prepared) stageMask(stages []string) int {
	mask := 0
	for _, s := range stages {
		mask |= 1 << p.stageOrder[s]
	}
	return mask
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// score mirrors private.score_investors for one row.
func (p *prepared) score(r *naiveRow, now time.Time) (NaiveHit, bool) {
	w := p.w
	floor := w["floor.fund_quality"]
	if r.kind == KindAngel {
		floor = w["floor.angel_quality"]
	}
	if r.quality < floor {
		return NaiveHit{}, false
	}
	general := append(append([]string(nil), r.general...), r.strong...)
	earned := w["investor.quality"]*r.quality/100 + w["investor.kind_mix"]*p.mix(r.kind)
	possible := w["investor.quality"] + w["investor.freshness"] + w["investor.kind_mix"]
	age := now.Sub(r.updated).Hours() / 24
	earned += w["investor.freshness"] * math.Max(0, 1-age/math.Max(w["freshness.horizon_days"], 1))

	if len(p.q.Categories) > 0 {
		best, sum := 0.0, 0.0
		for _, s := range p.q.Categories {
			f := 0.0
			switch {
			case contains(r.strong, s):
				f = 1
			case contains(general, s):
				f = w["sector.general"]
			case overlaps(general, p.related[s]):
				f = w["sector.related"]
			}
			best = math.Max(best, f)
			sum += f
		}
		fit := w["sector.best_share"]*best + (1-w["sector.best_share"])*sum/float64(len(p.q.Categories))
		earned += w["investor.sector"] * fit
		possible += w["investor.sector"]
	}
	sg := p.stageMask(r.stGeneral) | p.stageMask(r.stStrong)
	stageOK := p.stageBit == 0 || sg&(p.stageBit|p.adj) != 0
	if p.stageBit != 0 {
		f := 0.0
		switch {
		case sg == 0:
			f = w["stage.unknown"]
		case p.stageMask(r.stStrong)&p.stageBit != 0:
			f = w["stage.strong"]
		case sg&p.stageBit != 0:
			f = w["stage.general"]
		case sg&p.adj != 0:
			f = w["stage.adjacent"]
		}
		earned += w["investor.stage"] * f
		possible += w["investor.stage"]
	}
	if p.q.Country != "" || p.q.Region != "" {
		f := 0.0
		switch {
		case p.city != "" && r.country != nil && *r.country == p.q.Country && r.city != nil && fold(*r.city) == p.city:
			f = w["geo.city"]
		case r.country != nil && *r.country == p.q.Country:
			f = w["geo.country"]
		case r.region == p.q.Region:
			f = w["geo.region"]
		case r.country == nil:
			f = w["geo.global"]
		}
		earned += w["investor.geography"] * f
		possible += w["investor.geography"]
	}
	if p.q.FundingAskUSD > 0 {
		f := w["check.unknown"]
		if r.checkMin != nil || r.checkMax != nil {
			lo, hi := coalesce(r.checkMin, r.checkMax), coalesce(r.checkMax, r.checkMin)
			switch {
			case hi >= p.bandLo && lo <= p.bandHi:
				f = 1
			case hi >= p.bandLo/2 && lo <= p.bandHi*2:
				f = w["check.near"]
			default:
				f = 0
			}
		}
		earned += w["investor.check_size"] * f
		possible += w["investor.check_size"]
	}
	s := math.Min(100, 100*earned/possible)
	if s < math.Max(w["floor.score"], deref(p.q.MinScore)) {
		return NaiveHit{}, false
	}
	return NaiveHit{Kind: r.kind, ID: r.id, Score: s, StageOK: stageOK}, true
}

func (p *prepared) mix(kind string) float64 {
	if kind == KindAngel {
		return p.angelMix / p.mixTop
	}
	return p.fundMix / p.mixTop
}

func coalesce(a, b *int64) float64 {
	if a != nil {
		return float64(*a)
	}
	return float64(*b)
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// fold mirrors private.fold: lower case without the accents of the languages we serve.
func fold(s string) string {
	return foldReplacer.Replace(strings.ToLower(s))
}

var foldReplacer = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ñ", "n", "ç", "c", "ø", "o")
