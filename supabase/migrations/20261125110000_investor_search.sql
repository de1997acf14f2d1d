-- Investor matching (issue 4): weights as data, a compact search index over angels and funds kept by
-- triggers, the ranking functions, user feedback (save / dismiss / contacted) and the search entry points
-- that gate by plan, charge credits once and record every search.
--
-- Layout of the API
--   public.search_investors / search_fund_employees / search_companies   frontend RPCs (authenticated)
--   private.search_investors / search_fund_employees / search_companies  the same for the sidecar (service)
--   private.rank_investors / rank_fund_employees / rank_companies         pure ranking, no side effects
--                                                                         (CLI, evaluation, benchmarks)
--   public.save_investor / dismiss_investor / mark_investor_contacted / clear_investor_feedback /
--   list_investor_feedback                                                feedback RPCs
--
-- Why a denormalized index (private.investor_docs + private.investor_doc_sectors): at 1M investors a
-- popular sector (saas, fintech) covers a third of the rows, so "filter by sector, score everything" reads
-- hundreds of thousands of wide rows per search (the naive baseline in sidecar/internal/search does exactly
-- that). The array columns of the source tables can be filtered by GIN but not read in order of quality.
-- One narrow row per (investor, sector), with two covering B-tree indexes, hands out "the best fintech
-- funds in Spain" in quality order together with everything a first-pass score needs, from a few index
-- pages. Each search walks a bounded number of entries per bucket, pre-scores them from the index alone,
-- and gives the exact score to the best few dozen: the cost does not grow with the data. Statement-level
-- triggers keep the index in step with the source tables (a bulk load rebuilds it in one pass).

-- Small helpers ---------------------------------------------------------------------------------------

-- Lower case without the accents of the languages we serve, so "Málaga", "malaga" and "MÁLAGA" compare
-- equal without the unaccent extension. No "set search_path" on purpose, here and on the other one-line
-- helpers marked "inlinable": a SET clause stops PostgreSQL from inlining a SQL function, which costs
-- ~10 µs per call on every indexed row; their bodies only use pg_catalog, schema-qualified.
create function private.fold(p text) returns text
language sql immutable parallel safe as $$
  select pg_catalog.translate(pg_catalog.lower(p), 'áàâäãåéèêëíìîïóòôöõúùûüñçø', 'aaaaaaeeeeiiiiooooouuuunco')
$$;

-- Every sector gets a stable bit, so an investor's sectors fit in one bigint. New sectors get the next
-- free bit automatically (trigger below); 63 sectors is the ceiling of this encoding.
create table private.sector_bits (
  sector_id text primary key references public.sectors (id) on update cascade on delete cascade,
  bit       smallint not null unique check (bit between 0 and 62)
);
comment on table private.sector_bits is 'Bit position of each sector in the sector masks of private.investor_docs.';
insert into private.sector_bits (sector_id, bit)
select id, (row_number() over (order by id) - 1)::smallint from public.sectors;

create function private.assign_sector_bit() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.sector_bits (sector_id, bit)
  select new.id, min(b)::smallint
  from generate_series(0, 62) b
  where not exists (select 1 from private.sector_bits x where x.bit = b)
  having min(b) is not null;
  if not found then
    raise exception 'no free sector bit left for "%": private.sector_bits holds at most 63 sectors', new.id;
  end if;
  return new;
end $$;
create trigger sectors_assign_bit after insert on public.sectors
  for each row execute function private.assign_sector_bit();

-- The mask of a list of sector ids (unknown ids are ignored: the tables' checks validate them).
create function private.sector_mask(p text[]) returns bigint
language sql stable parallel safe set search_path = '' as $$
  select coalesce(bit_or(1::bigint << b.bit), 0) from private.sector_bits b where b.sector_id = any (p)
$$;

-- Stage bits follow the enum order (idea = 1, pre_seed = 2, ... growth = 64), so "adjacent" is a shift.
-- Written out so the function is immutable (and inlinable); a pgTAP test fails if a stage is added
-- without a bit.
create function private.stage_bit(p public.funding_stage) returns smallint
language sql immutable parallel safe as $$
  select case p when 'idea' then 1 when 'pre_seed' then 2 when 'seed' then 4 when 'series_a' then 8
                when 'series_b' then 16 when 'series_c' then 32 when 'growth' then 64 end::smallint
$$;

-- Weights -------------------------------------------------------------------------------------------

create table public.search_weights (
  key         text primary key check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  value       numeric not null,
  description text not null,
  updated_at  timestamptz not null default now()
);
comment on table public.search_weights is
  'Every number the search uses: component weights (points out of 100), factors (0-1), floors, candidate sizes. '
  'Read on each search; after changing investor.* / sector.* / freshness.* run private.refresh_investor_priors() '
  'so the index order follows.';

create trigger search_weights_touch before update on public.search_weights
  for each row execute function private.touch_updated_at();

insert into public.search_weights (key, value, description) values
  -- Investor score: the components add up to 100 points (text adds its weight when a free-text query is given;
  -- components that cannot be judged, e.g. geography with no location, are left out and the rest rescaled).
  ('investor.sector',      35, 'Points for sector fit (strong > general > related)'),
  ('investor.stage',       25, 'Points for stage fit (exact > adjacent)'),
  ('investor.geography',   15, 'Points for geography (city > country > region > global investor)'),
  ('investor.check_size',   8, 'Points for ticket size against the funding ask'),
  ('investor.quality',     10, 'Points for the investor quality score (0-100)'),
  ('investor.freshness',    4, 'Points for how recently the profile was verified'),
  ('investor.kind_mix',     3, 'Points for the kind the stage favours (angels early, funds later; see search_stage_mix)'),
  ('investor.text',        15, 'Points for free-text match, only when the query has words beyond sectors/stage/place'),
  ('investor.saved_boost',  3, 'Points added to investors the user saved before (score still capped at 100)'),
  ('sector.general',      0.6, 'Sector fit of a sector the investor invests in, but is not known for'),
  ('sector.related',      0.3, 'Sector fit of a related sector (public.sectors.related)'),
  ('sector.best_share',   0.7, 'Sector fit = share x best matching sector + (1 - share) x mean over the project''s sectors'),
  ('stage.strong',        1.0, 'Stage fit when the stage is one the investor is known for'),
  ('stage.general',      0.85, 'Stage fit when the investor does the stage, but is not known for it'),
  ('stage.adjacent',     0.45, 'Stage fit one stage before or after what the investor does'),
  ('stage.unknown',       0.3, 'Stage fit when the investor lists no stages'),
  ('geo.city',            1.0, 'Geography fit, same city'),
  ('geo.country',        0.85, 'Geography fit, same country'),
  ('geo.region',          0.5, 'Geography fit, same region (europe, latam...)'),
  ('geo.global',         0.45, 'Geography fit of an investor without a home country (invests anywhere)'),
  ('check.near',          0.5, 'Check-size fit when the ticket is within a factor 2 of the useful band'),
  ('check.unknown',       0.5, 'Check-size fit when the investor publishes no ticket'),
  ('check.min_share',    0.01, 'Useful ticket band, lower end, as a share of the funding ask'),
  ('check.max_share',     1.0, 'Useful ticket band, upper end, as a share of the funding ask'),
  ('freshness.horizon_days', 730, 'Profiles older than this get no freshness points (linear decay)'),
  ('floor.angel_quality',  40, 'Angels with a lower quality score are never shown (prototype: 40)'),
  ('floor.fund_quality',    0, 'Funds with a lower quality score are never shown'),
  ('floor.score',          30, 'Results scoring lower are never shown'),
  ('floor.people_score',  5.9, 'Fund people below this score (0-10) are listed only if nobody passes (prototype: 5.9)'),
  ('people.per_fund',       2, 'People listed under each fund result (diversity: no fund fills a page)'),
  ('candidates.walk',      500, 'Index entries read per (sector, kind) bucket of the project''s country and of its region'),
  ('candidates.walk_other',  40, 'Index entries read per (sector, kind) bucket of every other region'),
  ('candidates.walk_related', 30, 'Index entries read per (related sector, kind) bucket near the project'),
  ('candidates.rescore',    60, 'Best pre-scored candidates of each kind that get the exact score (at least 3 x the page)'),
  ('candidates.text',      200, 'Candidates read per kind from full-text matches'),
  ('search.min_completeness', 50, 'Project completeness an investor search needs'),
  ('search.max_offset',   200, 'Deepest offset a search may page to'),
  ('employee.seniority',   35, 'Fund-employee points for seniority (seniority.*)'),
  ('employee.score',       25, 'Fund-employee points for the person''s score (0-10)'),
  ('employee.sector',      20, 'Fund-employee points for sector fit (own focus, else the fund''s)'),
  ('employee.stage',       10, 'Fund-employee points for stage fit (own focus, else the fund''s)'),
  ('employee.geography',   10, 'Fund-employee points for geography'),
  ('seniority.managing_partner', 1.0, 'Seniority factor'),
  ('seniority.partner',          1.0, 'Seniority factor'),
  ('seniority.principal',       0.75, 'Seniority factor'),
  ('seniority.venture_partner',  0.6, 'Seniority factor'),
  ('seniority.associate',        0.5, 'Seniority factor'),
  ('seniority.analyst',          0.3, 'Seniority factor'),
  ('seniority.other',            0.2, 'Seniority factor'),
  ('company.service',      35, 'Company points for offering the service asked for'),
  ('company.sector',       20, 'Company points for serving the project''s sectors'),
  ('company.text',         20, 'Company points for matching the free-text need (keywords, description)'),
  ('company.geography',    15, 'Company points for geography'),
  ('company.quality',      10, 'Company points for its startup relevance score (0-100)');

-- How a stage mixes angels and funds: a weight per kind (the favoured kind gets the full investor.kind_mix
-- points) and the largest share of a page each kind may take while the other kind still has results.
-- Defaults follow the prototype's intent (angels 0.8 early ... funds 0.9 late).
create table public.search_stage_mix (
  stage           text primary key check (stage in ('default', 'idea', 'pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'growth')),
  angel_weight    numeric not null check (angel_weight between 0 and 1),
  fund_weight     numeric not null check (fund_weight between 0 and 1),
  angel_max_share numeric not null check (angel_max_share > 0 and angel_max_share <= 1),
  fund_max_share  numeric not null check (fund_max_share > 0 and fund_max_share <= 1),
  updated_at      timestamptz not null default now(),
  check (greatest(angel_weight, fund_weight) > 0)
);
comment on table public.search_stage_mix is 'Angel/fund mix per funding stage (default: no stage given).';

create trigger search_stage_mix_touch before update on public.search_stage_mix
  for each row execute function private.touch_updated_at();

insert into public.search_stage_mix (stage, angel_weight, fund_weight, angel_max_share, fund_max_share) values
  ('default',  0.5, 0.5, 0.7, 0.7),
  ('idea',     0.8, 0.2, 0.8, 0.4),
  ('pre_seed', 0.8, 0.2, 0.8, 0.5),
  ('seed',     0.6, 0.4, 0.7, 0.7),
  ('series_a', 0.3, 0.7, 0.4, 1.0),
  ('series_b', 0.3, 0.7, 0.3, 1.0),
  ('series_c', 0.1, 0.9, 0.2, 1.0),
  ('growth',   0.1, 0.9, 0.2, 1.0);

-- Free-text vocabulary that is not in public.sectors/countries: stage words, region names, kinds, and
-- filler words to ignore. Terms are folded (private.fold) and hyphens are spaces.
create table public.search_aliases (
  term  text primary key check (term = private.fold(term) and term !~ '-'),
  kind  text not null check (kind in ('stage', 'region', 'country', 'investor_kind', 'service', 'stop')),
  value text not null
);
comment on table public.search_aliases is 'Words of free-text searches mapped to a stage, region, country, investor kind or service category; stop words are ignored.';

insert into public.search_aliases (term, kind, value) values
  ('idea', 'stage', 'idea'), ('ideation', 'stage', 'idea'), ('concept', 'stage', 'idea'),
  ('pre seed', 'stage', 'pre_seed'), ('preseed', 'stage', 'pre_seed'), ('pre semilla', 'stage', 'pre_seed'),
  ('presemilla', 'stage', 'pre_seed'), ('pre_seed', 'stage', 'pre_seed'),
  ('seed', 'stage', 'seed'), ('semilla', 'stage', 'seed'), ('early stage', 'stage', 'seed'),
  ('series a', 'stage', 'series_a'), ('serie a', 'stage', 'series_a'), ('series_a', 'stage', 'series_a'),
  ('series b', 'stage', 'series_b'), ('serie b', 'stage', 'series_b'), ('series_b', 'stage', 'series_b'),
  ('series c', 'stage', 'series_c'), ('serie c', 'stage', 'series_c'), ('series_c', 'stage', 'series_c'),
  ('growth stage', 'stage', 'growth'), ('late stage', 'stage', 'growth'), ('crecimiento', 'stage', 'growth'),
  ('latam', 'region', 'latam'), ('latin america', 'region', 'latam'), ('latinoamerica', 'region', 'latam'),
  ('america latina', 'region', 'latam'), ('south america', 'region', 'latam'), ('sudamerica', 'region', 'latam'),
  ('iberoamerica', 'region', 'latam'),
  ('europe', 'region', 'europe'), ('europa', 'region', 'europe'), ('european', 'region', 'europe'), ('europeo', 'region', 'europe'),
  ('north america', 'region', 'north_america'), ('norteamerica', 'region', 'north_america'),
  ('asia', 'region', 'asia'), ('africa', 'region', 'africa'), ('oceania', 'region', 'oceania'),
  ('middle east', 'region', 'middle_east'), ('mena', 'region', 'middle_east'), ('oriente medio', 'region', 'middle_east'),
  ('usa', 'country', 'US'), ('eeuu', 'country', 'US'), ('ee uu', 'country', 'US'), ('uk', 'country', 'GB'),
  ('silicon valley', 'country', 'US'),
  ('angel', 'investor_kind', 'angel'), ('angels', 'investor_kind', 'angel'), ('business angel', 'investor_kind', 'angel'),
  ('business angels', 'investor_kind', 'angel'), ('angel investors', 'investor_kind', 'angel'),
  ('angeles', 'investor_kind', 'angel'), ('inversores angeles', 'investor_kind', 'angel'),
  ('fund', 'investor_kind', 'fund'), ('funds', 'investor_kind', 'fund'), ('vc', 'investor_kind', 'fund'),
  ('vcs', 'investor_kind', 'fund'), ('venture capital', 'investor_kind', 'fund'), ('fondo', 'investor_kind', 'fund'),
  ('fondos', 'investor_kind', 'fund'), ('capital riesgo', 'investor_kind', 'fund'),
  ('lawyer', 'service', 'legal'), ('lawyers', 'service', 'legal'), ('legal', 'service', 'legal'), ('abogado', 'service', 'legal'),
  ('abogados', 'service', 'legal'), ('law firm', 'service', 'legal'),
  ('accountant', 'service', 'accounting'), ('accounting', 'service', 'accounting'), ('contabilidad', 'service', 'accounting'),
  ('gestoria', 'service', 'accounting'), ('asesoria fiscal', 'service', 'accounting'), ('tax', 'service', 'accounting'),
  ('developers', 'service', 'software_development'), ('software development', 'service', 'software_development'),
  ('desarrollo', 'service', 'software_development'), ('desarrollo de software', 'service', 'software_development'),
  ('mvp', 'service', 'software_development'), ('app development', 'service', 'software_development'),
  ('marketing agency', 'service', 'marketing'), ('agencia de marketing', 'service', 'marketing'),
  ('publicidad', 'service', 'marketing'), ('seo', 'service', 'marketing'),
  ('design', 'service', 'design'), ('diseno', 'service', 'design'), ('ux', 'service', 'design'), ('branding', 'service', 'design'),
  ('growth hacking', 'service', 'growth'), ('recruiting', 'service', 'recruiting'), ('recruiter', 'service', 'recruiting'),
  ('headhunter', 'service', 'recruiting'), ('reclutamiento', 'service', 'recruiting'), ('seleccion de personal', 'service', 'recruiting'),
  ('pr', 'service', 'pr'), ('public relations', 'service', 'pr'), ('comunicacion', 'service', 'pr'), ('relaciones publicas', 'service', 'pr'),
  ('fundraising', 'service', 'fundraising_advisory'), ('levantar capital', 'service', 'fundraising_advisory'),
  ('cloud', 'service', 'cloud'), ('consulting', 'service', 'consulting'), ('consultoria', 'service', 'consulting'),
  ('consultora', 'service', 'consulting'), ('pentesting', 'service', 'cybersecurity');
insert into public.search_aliases (term, kind, value)
select w, 'stop', '' from unnest(array[
  'a', 'an', 'the', 'in', 'on', 'at', 'for', 'of', 'and', 'or', 'with', 'to', 'from', 'by', 'based', 'startup',
  'startups', 'company', 'companies', 'investor', 'investors', 'investing', 'invest', 'who', 'that', 'me', 'my',
  'our', 'we', 'i', 'need', 'looking', 'find', 'busco', 'buscamos', 'necesito', 'quiero', 'en', 'de', 'del', 'la',
  'el', 'los', 'las', 'un', 'una', 'y', 'o', 'para', 'con', 'por', 'que', 'inversor', 'inversores', 'inversion',
  'empresa', 'empresas', 'round', 'ronda', 'stage', 'fase', 'etapa', 'mi', 'nuestra', 'nuestro', 'sector']) w
on conflict (term) do nothing;

-- All weights as one JSON object (read once per search).
create function private.search_weight_map() returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_object_agg(w.key, w.value), '{}') from public.search_weights w
$$;

-- The search index -----------------------------------------------------------------------------------

-- One row per angel ('a') and per fund ('f'): what scoring needs, nothing else (no text, no contacts).
create table private.investor_docs (
  doc_id        integer generated always as identity primary key,
  kind          "char" not null check (kind in ('a', 'f')),
  investor_id   uuid not null,
  strong_mask   bigint not null,   -- sectors the investor is known for
  general_mask  bigint not null,   -- every sector the investor invests in (includes strong)
  stage_strong  smallint not null,
  stage_general smallint not null, -- includes strong
  country       char(2),
  region        text not null,     -- countries.region, or 'global' without a country
  city          text,              -- folded
  check_min     bigint,
  check_max     bigint,
  quality       real not null,     -- 0-100
  updated_at    timestamptz not null,
  prior         real not null,     -- quality + freshness points: the order of the buckets
  unique (investor_id, kind)
);
comment on table private.investor_docs is 'Search index: one compact row per angel and fund, maintained by triggers on the source tables.';

-- One row per (investor, sector it invests in). Two covering indexes hand out the best investors of a
-- sector, kind and place in prior order together with everything a first-pass score needs (stages,
-- sector masks, ticket, city), so candidate generation never touches a heap page: a bucket's best
-- entries sit on a few consecutive index pages.
create table private.investor_doc_sectors (
  doc_id       integer not null,      -- private.investor_docs; no FK: rows are written and deleted in sets by index_investors
  sector       smallint not null,     -- private.sector_bits.bit
  kind         "char" not null,
  country      char(2),
  region       text not null,
  prior        real not null,         -- doc prior + sector points (strong or general)
  stage_mask   smallint not null,     -- stages the investor does (general, includes strong)
  stage_strong smallint not null,
  strong_mask  bigint not null,
  general_mask bigint not null,
  check_lo     integer,               -- ticket in thousands of USD (rounded out)
  check_hi     integer,
  city_key     integer                -- hashtext(private.fold(city))
);
comment on table private.investor_doc_sectors is 'Search index: one row per (investor, sector) for bounded candidate generation.';
create index investor_doc_sectors_country_idx on private.investor_doc_sectors (sector, kind, country, prior desc)
  include (stage_mask, stage_strong, strong_mask, general_mask, check_lo, check_hi, city_key, doc_id);
create index investor_doc_sectors_region_idx on private.investor_doc_sectors (sector, kind, region, prior desc)
  include (country, stage_mask, stage_strong, strong_mask, general_mask, check_lo, check_hi, city_key, doc_id);
create index investor_doc_sectors_doc_idx on private.investor_doc_sectors (doc_id);
-- Searches without sectors (place and stage only) walk the docs themselves.
create index investor_docs_country_idx on private.investor_docs (kind, country, prior desc) include (stage_general);
create index investor_docs_region_idx on private.investor_docs (kind, region, prior desc) include (stage_general);

alter table private.investor_docs enable row level security;
alter table private.investor_doc_sectors enable row level security;
alter table private.sector_bits enable row level security;

-- prior = quality points + freshness points, written so the order never changes as time passes: the
-- freshness term is linear in data_updated_at (seconds since 2020 scaled to the horizon), and "now" only
-- shifts every row by the same amount. The coefficients come from search_weights.
create function private.prior_coefficients(p_w jsonb, out quality_per_point real, out fresh_per_second real,
                                           out sector_strong real, out sector_general real)
language sql immutable set search_path = '' as $$
  select ((p_w ->> 'investor.quality')::numeric / 100)::real,
         ((p_w ->> 'investor.freshness')::numeric / greatest((p_w ->> 'freshness.horizon_days')::numeric, 1) / 86400)::real,
         (p_w ->> 'investor.sector')::real,
         ((p_w ->> 'investor.sector')::numeric * (p_w ->> 'sector.general')::numeric)::real
$$;

-- The doc row of every angel and fund, computed from the source tables (used by the triggers and the
-- rebuild). Masks are computed inline (lateral subqueries) rather than by helper calls: this runs once per
-- row of a bulk load.
create view private.investor_doc_source with (security_barrier) as
select 'a'::"char" as kind, a.id as investor_id, m.strong_mask, m.general_mask, st.stage_strong, st.stage_general,
       a.country, coalesce(c.region, 'global') as region, private.fold(nullif(btrim(a.city), '')) as city,
       a.check_min_usd as check_min, a.check_max_usd as check_max, a.score::real as quality, a.data_updated_at as updated_at
from public.angel_investors a
left join public.countries c on c.code = a.country
cross join lateral (
  select coalesce(bit_or(case when b.sector_id = any (a.categories_strong) then 1::bigint << b.bit else 0 end), 0) as strong_mask,
         coalesce(bit_or(1::bigint << b.bit), 0) as general_mask
  from private.sector_bits b where b.sector_id = any (a.categories_general || a.categories_strong)) m
cross join lateral (
  select coalesce(bit_or(case when s = any (a.stages_strong) then private.stage_bit(s) else 0 end), 0)::smallint as stage_strong,
         coalesce(bit_or(private.stage_bit(s)), 0)::smallint as stage_general
  from unnest(a.stages_general || a.stages_strong) s) st
union all
select 'f'::"char", f.id, m.strong_mask, m.general_mask, st.stage_strong, st.stage_general,
       f.country, coalesce(c.region, 'global'), private.fold(nullif(btrim(f.city), '')),
       f.check_min_usd, f.check_max_usd, f.score::real, f.data_updated_at
from public.investment_funds f
left join public.countries c on c.code = f.country
cross join lateral (
  select coalesce(bit_or(case when b.sector_id = any (f.categories_strong) then 1::bigint << b.bit else 0 end), 0) as strong_mask,
         coalesce(bit_or(1::bigint << b.bit), 0) as general_mask
  from private.sector_bits b where b.sector_id = any (f.categories_general || f.categories_strong)) m
cross join lateral (
  select coalesce(bit_or(case when s = any (f.stages_strong) then private.stage_bit(s) else 0 end), 0)::smallint as stage_strong,
         coalesce(bit_or(private.stage_bit(s)), 0)::smallint as stage_general
  from unnest(f.stages_general || f.stages_strong) s) st;

-- Writes the index rows of the given investors, replacing any old ones. Every trigger calls it once per
-- statement with the ids of the whole statement, so a COPY of 500k rows costs a few set-based statements,
-- not 500k function calls. p_replace = false skips the delete (rows that were just inserted).
-- A bulk insert bigger than what is indexed already (first load, reload after TRUNCATE) drops the bucket
-- indexes and builds them again afterwards: ~10x faster than maintaining them row by row. Searches wait
-- for the load's transaction meanwhile, as they would for the source tables' own index rebuild.
create function private.index_investors(p_kind "char", p_ids uuid[], p_replace boolean default true) returns void
language plpgsql security definer set search_path = '' set jit = off set maintenance_work_mem = '256MB' as $$
declare
  c record := private.prior_coefficients(private.search_weight_map());
  v_bulk boolean := not p_replace and cardinality(p_ids) >= 20000
                    and cardinality(p_ids) > (select count(*) from private.investor_docs);
  v_defs text[];
  v_def text;
begin
  if p_replace then
    perform private.unindex_investors(p_kind, p_ids);
  end if;
  if v_bulk then
    select array_agg(pg_get_indexdef(i.indexrelid)), string_agg(i.indexrelid::regclass::text, ', ')
      into v_defs, v_def
    from pg_index i
    where i.indrelid in ('private.investor_docs'::regclass, 'private.investor_doc_sectors'::regclass)
      and not i.indisunique and not i.indisprimary;
    if v_def is not null then
      execute 'drop index ' || v_def;
    end if;
  end if;

  with ids as (select distinct unnest(p_ids) as id),
  docs as (
    insert into private.investor_docs (kind, investor_id, strong_mask, general_mask, stage_strong, stage_general,
                                       country, region, city, check_min, check_max, quality, updated_at, prior)
    select x.kind, x.investor_id, x.strong_mask, x.general_mask, x.stage_strong, x.stage_general, x.country,
           x.region, x.city, x.check_min, x.check_max, x.quality, x.updated_at, x.prior
    from (select s.*, s.quality * c.quality_per_point
                        + c.fresh_per_second * extract(epoch from s.updated_at - timestamptz '2020-01-01 00:00:00+00')::real as prior
          from private.investor_doc_source s join ids on ids.id = s.investor_id
          where s.kind = p_kind) x
    -- physical order = bucket order: the best investors of a place sit together, so a search reads a few
    -- pages per bucket instead of one page per candidate (matters when the index is not in memory)
    order by x.region, x.country, x.prior desc
    returning doc_id, kind, strong_mask, general_mask, stage_strong, stage_general, country, region, city,
              check_min, check_max, prior
  )
  insert into private.investor_doc_sectors (doc_id, sector, kind, country, region, prior, stage_mask, stage_strong,
                                            strong_mask, general_mask, check_lo, check_hi, city_key)
  select d.doc_id, b.bit, d.kind, d.country, d.region,
         d.prior + case when d.strong_mask & (1::bigint << b.bit) <> 0 then c.sector_strong else c.sector_general end,
         d.stage_general, d.stage_strong, d.strong_mask, d.general_mask,
         (d.check_min / 1000)::integer, ((d.check_max + 999) / 1000)::integer, hashtext(d.city)
  from docs d join private.sector_bits b on d.general_mask & (1::bigint << b.bit) <> 0;

  if v_bulk then
    foreach v_def in array coalesce(v_defs, '{}') loop
      execute v_def;
    end loop;
    analyze private.investor_docs, private.investor_doc_sectors;
  end if;
end $$;

create function private.unindex_investors(p_kind "char", p_ids uuid[]) returns void
language sql security definer set search_path = '' as $$
  with gone as (
    delete from private.investor_docs d where d.kind = p_kind and d.investor_id = any (p_ids) returning d.doc_id
  )
  delete from private.investor_doc_sectors t where t.doc_id in (select doc_id from gone)
$$;

create function private.index_angels_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    perform private.index_investors('a', array(select id from new_rows), false);
  elsif tg_op = 'UPDATE' then
    perform private.index_investors('a', array(select id from new_rows union select id from old_rows));
  else
    perform private.unindex_investors('a', array(select id from old_rows));
  end if;
  return null;
end $$;

create function private.index_funds_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    perform private.index_investors('f', array(select id from new_rows), false);
  elsif tg_op = 'UPDATE' then
    perform private.index_investors('f', array(select id from new_rows union select id from old_rows));
  else
    perform private.unindex_investors('f', array(select id from old_rows));
  end if;
  return null;
end $$;

-- TRUNCATE of a source table (bulk reloads): empty the index instantly when the other kind is empty too.
create function private.index_investors_truncated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_kind "char" := case tg_table_name when 'angel_investors' then 'a' else 'f' end;
begin
  if not exists (select 1 from private.investor_docs d where d.kind <> v_kind) then
    truncate private.investor_doc_sectors, private.investor_docs;
  else
    delete from private.investor_doc_sectors t where t.kind = v_kind;
    delete from private.investor_docs d where d.kind = v_kind;
  end if;
  return null;
end $$;

create trigger angel_investors_index_ins after insert on public.angel_investors
  referencing new table as new_rows for each statement execute function private.index_angels_changed();
create trigger angel_investors_index_upd after update on public.angel_investors
  referencing old table as old_rows new table as new_rows for each statement execute function private.index_angels_changed();
create trigger angel_investors_index_del after delete on public.angel_investors
  referencing old table as old_rows for each statement execute function private.index_angels_changed();
create trigger angel_investors_index_trunc after truncate on public.angel_investors
  for each statement execute function private.index_investors_truncated();
create trigger investment_funds_index_ins after insert on public.investment_funds
  referencing new table as new_rows for each statement execute function private.index_funds_changed();
create trigger investment_funds_index_upd after update on public.investment_funds
  referencing old table as old_rows new table as new_rows for each statement execute function private.index_funds_changed();
create trigger investment_funds_index_del after delete on public.investment_funds
  referencing old table as old_rows for each statement execute function private.index_funds_changed();
create trigger investment_funds_index_trunc after truncate on public.investment_funds
  for each statement execute function private.index_investors_truncated();

-- Rebuilds the whole index from the source tables (after changing weights that shape the prior, or to
-- repair). Returns the number of investors indexed.
create function private.refresh_investor_priors() returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_n bigint;
begin
  truncate private.investor_doc_sectors, private.investor_docs;
  -- Smaller set first: each call then counts as a bulk load and rebuilds the indexes once.
  perform private.index_investors('f', array(select id from public.investment_funds), false);
  perform private.index_investors('a', array(select id from public.angel_investors), false);
  select count(*) into v_n from private.investor_docs;
  return v_n;
end $$;
comment on function private.refresh_investor_priors() is 'Rebuilds private.investor_docs / investor_doc_sectors from the source tables (run after changing investor.*, sector.* or freshness.* weights).';

-- Criteria ------------------------------------------------------------------------------------------

-- A stage from its enum value or an alias in either language ("Serie A", "pre-seed", "semilla").
create function private.parse_stage(p text) returns public.funding_stage
language plpgsql stable set search_path = '' as $$
declare
  v_key text := btrim(regexp_replace(private.fold(p), '[-\s]+', ' ', 'g'));
  v_stage text;
begin
  if v_key is null or v_key = '' then
    return null;
  end if;
  select e.s::text into v_stage from unnest(enum_range(null::public.funding_stage)) e(s)
  where e.s::text = replace(v_key, ' ', '_');
  if v_stage is null then
    select a.value into v_stage from public.search_aliases a where a.kind = 'stage' and a.term = v_key;
  end if;
  if v_stage is null then
    raise exception 'unknown funding stage "%"', p
      using errcode = 'P0001', hint = 'Use one of: idea, pre_seed, seed, series_a, series_b, series_c, growth.';
  end if;
  return v_stage::public.funding_stage;
end $$;

-- A country code from an ISO code or a name in either language.
create function private.parse_country(p text) returns char(2)
language plpgsql stable set search_path = '' as $$
declare
  v_key text := btrim(private.fold(p));
  v_code char(2);
begin
  if v_key is null or v_key = '' then
    return null;
  end if;
  select c.code into v_code from public.countries c
  where lower(c.code) = v_key or private.fold(c.name_en) = v_key or private.fold(c.name_es) = v_key;
  if v_code is null then
    select a.value into v_code from public.search_aliases a where a.kind = 'country' and a.term = v_key;
  end if;
  if v_code is null then
    raise exception 'unknown country "%"', p
      using errcode = 'P0001', hint = 'Use an ISO 3166-1 alpha-2 code listed in public.countries, e.g. ES or MX.';
  end if;
  return v_code;
end $$;

-- A region (public.countries.region) from its id or an alias ("LatAm", "Europa").
create function private.parse_region(p text) returns text
language plpgsql stable set search_path = '' as $$
declare
  v_key text := btrim(regexp_replace(private.fold(p), '[-_\s]+', ' ', 'g'));
  v_region text;
begin
  if v_key is null or v_key = '' then
    return null;
  end if;
  select distinct c.region into v_region from public.countries c where replace(c.region, '_', ' ') = v_key;
  if v_region is null then
    select a.value into v_region from public.search_aliases a where a.kind = 'region' and a.term = v_key;
  end if;
  if v_region is null then
    raise exception 'unknown region "%"', p
      using errcode = 'P0001', hint = 'Use one of: europe, north_america, latam, asia, middle_east, africa, oceania.';
  end if;
  return v_region;
end $$;

-- Reads a free-text query ("climate fintech in LatAm", "abogados para startups en Madrid"): sectors (ids,
-- labels and synonyms of public.sectors), stages, countries, regions, investor kinds and service categories
-- (public.search_aliases), longest phrase first (up to three words). What is left, minus stop words, are
-- the terms for full-text matching. Returns {sectors, stage, country, region, kinds, services, terms}.
create function private.parse_search_text(p text) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_words text[] := array(select w from unnest(regexp_split_to_array(private.fold(coalesce(p, '')), '[^a-z0-9_]+')) w where w <> '');
  v_used boolean[] := array_fill(false, array[greatest(cardinality(v_words), 1)]);
  v_n int := cardinality(v_words);
  v_out jsonb := jsonb_build_object('sectors', '[]'::jsonb, 'kinds', '[]'::jsonb, 'services', '[]'::jsonb, 'terms', '[]'::jsonb);
  v_len int;
  v_i int;
  v_phrase text;
  v_kind text;
  v_value text;
begin
  for v_len in reverse 3..1 loop
    for v_i in 1..(v_n - v_len + 1) loop
      continue when true = any (v_used[v_i:v_i + v_len - 1]);
      v_phrase := array_to_string(v_words[v_i:v_i + v_len - 1], ' ');
      v_kind := null;
      -- sectors first: their synonyms are the richest vocabulary
      select 'sector', s.id into v_kind, v_value from public.sectors s
      where s.id = v_phrase or private.fold(s.label_en) = v_phrase or private.fold(s.label_es) = v_phrase
         or exists (select 1 from unnest(s.synonyms) y where replace(private.fold(y), '-', ' ') = v_phrase)
      order by s.id limit 1;
      if v_kind is null then
        select a.kind, a.value into v_kind, v_value from public.search_aliases a where a.term = v_phrase;
      end if;
      if v_kind is null and v_len <= 3 then
        select 'country', c.code into v_kind, v_value from public.countries c
        where private.fold(c.name_en) = v_phrase or private.fold(c.name_es) = v_phrase;
      end if;
      continue when v_kind is null;
      for k in v_i..(v_i + v_len - 1) loop
        v_used[k] := true;
      end loop;
      case v_kind
        when 'sector' then v_out := jsonb_set(v_out, '{sectors}', (v_out -> 'sectors') || to_jsonb(v_value));
        when 'investor_kind' then v_out := jsonb_set(v_out, '{kinds}', (v_out -> 'kinds') || to_jsonb(v_value));
        when 'service' then v_out := jsonb_set(v_out, '{services}', (v_out -> 'services') || to_jsonb(v_value));
        when 'stop' then null;
        else v_out := v_out || jsonb_build_object(v_kind, v_value);   -- stage, country, region: first wins
      end case;
    end loop;
  end loop;
  for v_i in 1..v_n loop
    if not v_used[v_i] and char_length(v_words[v_i]) >= 2 then
      v_out := jsonb_set(v_out, '{terms}', (v_out -> 'terms') || to_jsonb(v_words[v_i]));
    end if;
  end loop;
  return v_out;
end $$;

-- The search criteria a project implies.
create function private.project_criteria(p public.projects) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_strip_nulls(jsonb_build_object(
    'project_id', p.id, 'categories', to_jsonb(p.categories), 'stage', p.stage, 'country', p.country,
    'city', p.city, 'funding_ask_usd', p.funding_ask_usd))
$$;

-- Validates and normalises criteria (explicit keys, free text merged in). Unknown keys are refused so a
-- typo ("catgories") is an error, not a silently broader search.
create function private.normalize_criteria(p jsonb, p_kind text default 'investors') returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_allowed text[] := array['project_id', 'categories', 'stage', 'country', 'region', 'city', 'funding_ask_usd',
                            'query', 'kinds', 'exclude_contacted', 'min_score', 'services', 'fund_id', 'fund'];
  v_bad text;
  v_text jsonb := '{}';
  v_cats text[];
  v_kinds text[];
  v_services text[];
  v_country char(2);
  v_region text;
  v_stage public.funding_stage;
  v_ask numeric;
  v_min numeric;
  v_query text;
begin
  p := coalesce(p, '{}');
  if jsonb_typeof(p) <> 'object' then
    raise exception 'criteria must be a JSON object' using errcode = 'P0001';
  end if;
  select string_agg(k, ', ') into v_bad from jsonb_object_keys(p) k where k <> all (v_allowed);
  if v_bad is not null then
    raise exception 'unknown search criteria: %', v_bad
      using errcode = 'P0001', hint = 'Accepted: ' || array_to_string(v_allowed, ', ') || '.';
  end if;

  v_query := nullif(btrim(p ->> 'query'), '');
  if char_length(v_query) > 500 then
    raise exception 'the search text is too long (% characters, at most 500)', char_length(v_query) using errcode = 'P0001';
  end if;
  if v_query is not null then
    v_text := private.parse_search_text(v_query);
  end if;

  -- sectors: explicit ones (any label or synonym, either language) plus those named in the text
  begin
    v_cats := case jsonb_typeof(p -> 'categories')
                when 'array' then array(select jsonb_array_elements_text(p -> 'categories'))
                when 'string' then array[p ->> 'categories'] else '{}' end;
  exception when others then
    raise exception 'categories must be a list of sector names' using errcode = 'P0001';
  end;
  v_cats := public.normalize_sectors(v_cats || array(select jsonb_array_elements_text(coalesce(v_text -> 'sectors', '[]'))));

  v_stage := private.parse_stage(coalesce(p ->> 'stage', v_text ->> 'stage'));
  v_country := private.parse_country(coalesce(p ->> 'country', v_text ->> 'country'));
  v_region := private.parse_region(coalesce(p ->> 'region', v_text ->> 'region'));
  if v_region is null and v_country is not null then
    select c.region into v_region from public.countries c where c.code = v_country;
  end if;

  if p ? 'funding_ask_usd' and jsonb_typeof(p -> 'funding_ask_usd') <> 'null' then
    if jsonb_typeof(p -> 'funding_ask_usd') <> 'number' or (p ->> 'funding_ask_usd')::numeric <= 0 then
      raise exception 'funding_ask_usd must be a positive number of US dollars' using errcode = 'P0001';
    end if;
    v_ask := (p ->> 'funding_ask_usd')::numeric;
  end if;
  if p ? 'min_score' and jsonb_typeof(p -> 'min_score') <> 'null' then
    if jsonb_typeof(p -> 'min_score') <> 'number' or (p ->> 'min_score')::numeric not between 0 and 100 then
      raise exception 'min_score must be a number between 0 and 100' using errcode = 'P0001';
    end if;
    v_min := (p ->> 'min_score')::numeric;
  end if;

  v_kinds := case jsonb_typeof(p -> 'kinds')
               when 'array' then array(select jsonb_array_elements_text(p -> 'kinds'))
               when 'string' then array[p ->> 'kinds'] else '{}' end;
  if cardinality(v_kinds) = 0 then
    v_kinds := array(select jsonb_array_elements_text(coalesce(v_text -> 'kinds', '[]')));
  end if;
  v_kinds := array(select distinct case k when 'angels' then 'angel' when 'funds' then 'fund' else k end from unnest(v_kinds) k order by 1);
  if p_kind = 'investors' and cardinality(v_kinds) > 0 and not v_kinds <@ array['angel', 'fund'] then
    raise exception 'kinds must be "angel" and/or "fund"' using errcode = 'P0001';
  end if;
  if cardinality(v_kinds) = 0 then
    v_kinds := array['angel', 'fund'];
  end if;

  v_services := case jsonb_typeof(p -> 'services')
                  when 'array' then array(select jsonb_array_elements_text(p -> 'services'))
                  when 'string' then array[p ->> 'services'] else '{}' end;
  v_services := array(select distinct lower(btrim(s)) from unnest(v_services || array(
                  select jsonb_array_elements_text(coalesce(v_text -> 'services', '[]')))) s where btrim(s) <> '' order by 1);

  if p ? 'exclude_contacted' and jsonb_typeof(p -> 'exclude_contacted') not in ('boolean', 'null') then
    raise exception 'exclude_contacted must be true or false' using errcode = 'P0001';
  end if;

  return jsonb_strip_nulls(jsonb_build_object(
    'project_id', p ->> 'project_id',
    'categories', to_jsonb(v_cats),
    'stage', v_stage,
    'country', v_country,
    'region', v_region,
    'city', nullif(btrim(p ->> 'city'), ''),
    'funding_ask_usd', v_ask,
    'query', v_query,
    'terms', case when jsonb_array_length(coalesce(v_text -> 'terms', '[]')) > 0 then v_text -> 'terms' end,
    'kinds', to_jsonb(v_kinds),
    'services', case when cardinality(v_services) > 0 then to_jsonb(v_services) end,
    'exclude_contacted', coalesce((p ->> 'exclude_contacted')::boolean, true),
    'min_score', v_min,
    'fund_id', p ->> 'fund_id',
    'fund', nullif(btrim(p ->> 'fund'), '')));
end $$;

-- Feedback ------------------------------------------------------------------------------------------

create table public.investor_feedback (
  user_id       uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  investor_kind text not null check (investor_kind in ('angel', 'fund', 'fund_employee', 'company')),
  investor_id   uuid not null,
  verdict       text not null check (verdict in ('saved', 'dismissed', 'contacted')),
  note          text check (char_length(note) <= 1000),
  search_id     uuid references public.search_results (id) on delete set null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (user_id, investor_kind, investor_id)
);
comment on table public.investor_feedback is
  'What a user thinks of an investor (or fund person, or service company): saved ones get a small boost and a '
  '"saved" flag in later searches; dismissed and contacted ones never come back (contacted can be included on request).';
create index investor_feedback_search_idx on public.investor_feedback (search_id) where search_id is not null;

create trigger investor_feedback_touch before update on public.investor_feedback
  for each row execute function private.touch_updated_at();

-- Feedback must name a real row of the right table (there is no polymorphic foreign key). Security
-- definer: users cannot read the investor tables themselves.
create function private.check_investor_feedback() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not (case new.investor_kind
            when 'angel' then exists (select 1 from public.angel_investors a where a.id = new.investor_id)
            when 'fund' then exists (select 1 from public.investment_funds f where f.id = new.investor_id)
            when 'fund_employee' then exists (select 1 from public.fund_employees e where e.id = new.investor_id)
            when 'company' then exists (select 1 from public.companies c where c.id = new.investor_id)
            else false end) then
    raise exception 'no % with id %', replace(new.investor_kind, '_', ' '), new.investor_id
      using errcode = 'PT404', hint = 'Use the kind and id of a search result.';
  end if;
  return new;
end $$;
create trigger investor_feedback_check before insert or update of investor_kind, investor_id on public.investor_feedback
  for each row execute function private.check_investor_feedback();

alter table public.investor_feedback enable row level security;
create policy "users read their feedback" on public.investor_feedback
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users give feedback" on public.investor_feedback
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "users change their feedback" on public.investor_feedback
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "users delete their feedback" on public.investor_feedback
  for delete to authenticated using (user_id = (select auth.uid()));
grant select, delete on public.investor_feedback to authenticated;
grant insert (investor_kind, investor_id, verdict, note, search_id) on public.investor_feedback to authenticated;
grant update (verdict, note) on public.investor_feedback to authenticated;
grant select, insert, update, delete on public.investor_feedback to service_role;

-- Ranking: investors -------------------------------------------------------------------------------

create type private.investor_score as (
  doc_id integer, kind "char", investor_id uuid, score real, sector_fit real, stage_fit real, geo_fit real,
  check_fit real, quality_fit real, fresh_fit real, mix_fit real, text_fit real, saved boolean,
  strong_hits bigint, general_hits bigint, related_hits bigint, stage_label text, geo_label text,
  check_label text, age_days integer);
comment on type private.investor_score is 'One scored candidate: fits per component (0-1, null when not judged), labels for the reasons.';

-- Scores the candidates of one search. p_q is the normalised criteria; p_stage_filter limits candidates to
-- investors doing these stages (0: any); p_needed is how many results the page needs.
--
-- 1. Walk: from the covering bucket indexes, the first candidates.walk entries (in prior order: sector
--    strength + quality + freshness) of each query sector and kind in the same country and the same
--    region, candidates.walk_other of every other region (and of "global" investors without a country),
--    candidates.walk_related of each related sector near the project; without sectors, the best of the
--    place from the docs; with free text, full-text matches (and trigram name matches when the text is
--    nothing but a name; these rare sources are separate statements, run only when needed). The bucket
--    walks read index pages only.
-- 2. Pre-score every walked entry from the index payload: the same formula as the final score, minus
--    related sectors in the mean and the freshness floor, which only matter far from the top.
-- 3. The best candidates.rescore (at least 3 x p_needed) get the exact score from the docs; floors and
--    the user's dismissals apply there.
create function private.score_investors(p_q jsonb, p_w jsonb, p_user uuid, p_stage_filter smallint, p_needed integer default 15)
returns setof private.investor_score
language plpgsql stable set search_path = '' set jit = off
-- one plan per session: the query has a branch per kind of candidate and re-planning it costs more than
-- running it; the branches that do not apply are skipped by one-time filters on the parameters
set plan_cache_mode = force_generic_plan as $$
declare
  -- weights, read once (a jsonb lookup per row and component costs more than the rest of the scoring)
  w_walk integer := (p_w ->> 'candidates.walk')::integer;
  w_walk_other integer := (p_w ->> 'candidates.walk_other')::integer;
  w_walk_related integer := (p_w ->> 'candidates.walk_related')::integer;
  w_rescore integer := greatest((p_w ->> 'candidates.rescore')::integer, 3 * p_needed);
  w_text_k integer := (p_w ->> 'candidates.text')::integer;
  w_check_max_share real := (p_w ->> 'check.max_share')::real;
  w_check_min_share real := (p_w ->> 'check.min_share')::real;
  w_check_near real := (p_w ->> 'check.near')::real;
  w_check_unknown real := (p_w ->> 'check.unknown')::real;
  w_floor_angel real := (p_w ->> 'floor.angel_quality')::real;
  w_floor_fund real := (p_w ->> 'floor.fund_quality')::real;
  w_horizon numeric := greatest((p_w ->> 'freshness.horizon_days')::numeric, 1);
  w_geo_city real := (p_w ->> 'geo.city')::real;
  w_geo_country real := (p_w ->> 'geo.country')::real;
  w_geo_global real := (p_w ->> 'geo.global')::real;
  w_geo_region real := (p_w ->> 'geo.region')::real;
  w_check_size real := (p_w ->> 'investor.check_size')::real;
  w_freshness real := (p_w ->> 'investor.freshness')::real;
  w_geography real := (p_w ->> 'investor.geography')::real;
  w_kind_mix real := (p_w ->> 'investor.kind_mix')::real;
  w_quality real := (p_w ->> 'investor.quality')::real;
  w_saved_boost real := (p_w ->> 'investor.saved_boost')::real;
  w_sector real := (p_w ->> 'investor.sector')::real;
  w_stage real := (p_w ->> 'investor.stage')::real;
  w_text real := (p_w ->> 'investor.text')::real;
  w_best_share real := (p_w ->> 'sector.best_share')::real;
  w_sector_general real := (p_w ->> 'sector.general')::real;
  w_sector_related real := (p_w ->> 'sector.related')::real;
  w_stage_adjacent real := (p_w ->> 'stage.adjacent')::real;
  w_stage_general real := (p_w ->> 'stage.general')::real;
  w_stage_strong real := (p_w ->> 'stage.strong')::real;
  w_stage_unknown real := (p_w ->> 'stage.unknown')::real;
  v_cats text[] := array(select jsonb_array_elements_text(coalesce(p_q -> 'categories', '[]')));
  v_n integer;
  v_bits smallint[];
  v_relmasks bigint[];
  v_smask bigint;
  v_relmask bigint;
  v_relbits smallint[];
  v_stage_bit smallint := coalesce(private.stage_bit((p_q ->> 'stage')::public.funding_stage), 0);
  v_adj smallint;
  v_country char(2) := p_q ->> 'country';
  v_region text := p_q ->> 'region';
  v_city text := private.fold(p_q ->> 'city');
  v_city_key integer;
  v_country_region text;
  v_ask numeric := (p_q ->> 'funding_ask_usd')::numeric;
  v_kinds "char"[] := array(select case k when 'angel' then 'a' else 'f' end::"char"
                            from jsonb_array_elements_text(coalesce(p_q -> 'kinds', '["angel","fund"]')) k);
  v_terms tsquery[] := array(select to_tsquery('simple', t || ':*') from jsonb_array_elements_text(coalesce(p_q -> 'terms', '[]')) t);
  v_any_term tsquery;
  v_name_query text;
  v_regions text[];
  v_near text[];
  v_mix_angel real;
  v_mix_fund real;
  v_band_lo numeric;
  v_band_hi numeric;
  v_exclude_contacted boolean := coalesce((p_q ->> 'exclude_contacted')::boolean, true);
  v_extra integer[] := '{}';
  v_names integer[] := '{}';
begin
  select array_agg(b.bit order by b.bit), coalesce(bit_or(1::bigint << b.bit), 0),
         array_agg(private.sector_mask(s.related) order by b.bit)
    into v_bits, v_smask, v_relmasks
  from private.sector_bits b join public.sectors s on s.id = b.sector_id
  where b.sector_id = any (v_cats);
  v_bits := coalesce(v_bits, '{}');
  v_n := greatest(cardinality(v_bits), 1);
  v_relmask := coalesce((select bit_or(m) from unnest(v_relmasks) m), 0) & ~v_smask;
  v_relbits := array(select b.bit from private.sector_bits b where v_relmask & (1::bigint << b.bit) <> 0);
  v_adj := ((v_stage_bit << 1) | (v_stage_bit >> 1)) & 127;
  v_city_key := hashtext(v_city);
  select coalesce(c.region, 'global') into v_country_region from public.countries c where c.code = v_country;

  -- every region and "global" (no home country): the project's region is walked deeper than the others
  v_regions := array(select distinct c.region from public.countries c union select 'global');
  v_near := case when v_region is null then v_regions else array[v_region] end;
  if v_region is not null then
    v_regions := array_remove(v_regions, v_region);
  else
    w_walk_other := w_walk / 2;
  end if;

  if cardinality(v_terms) > 0 then
    select string_agg(q::text, ' | ')::tsquery into v_any_term from unnest(v_terms) q;
  end if;
  -- nothing but a name ("Kibo Ventures", "Ana García"): look names up by trigram as well
  if cardinality(v_bits) = 0 and v_stage_bit = 0 and v_country is null and v_region is null then
    v_name_query := nullif(btrim(p_q ->> 'query'), '');
  end if;

  select (m.angel_weight / greatest(m.angel_weight, m.fund_weight))::real, (m.fund_weight / greatest(m.angel_weight, m.fund_weight))::real
    into v_mix_angel, v_mix_fund
  from public.search_stage_mix m where m.stage = coalesce(p_q ->> 'stage', 'default');

  if v_ask is not null then
    v_band_lo := v_ask * w_check_min_share;
    v_band_hi := v_ask * w_check_max_share;
  end if;

  -- Rare candidate sources, each its own statement so the common query stays small (and cheap to plan):
  -- without sectors, the best of the place from the docs; free-text matches; name matches (which get a
  -- head start in the pre-score so they survive it).
  if cardinality(v_bits) = 0 then
    v_extra := v_extra || array(
      select x.doc_id from unnest(v_kinds) k(kind), unnest(v_near) r(region), lateral (
        select d.doc_id from private.investor_docs d where d.kind = k.kind and d.region = r.region
        order by d.prior desc limit w_walk / 2) x)
      || array(
      select x.doc_id from unnest(v_kinds) k(kind), lateral (
        select d.doc_id from private.investor_docs d where d.kind = k.kind and d.country = v_country
        order by d.prior desc limit w_walk / 2) x
      where v_country is not null);
  end if;
  if v_any_term is not null then
    v_extra := v_extra || array(
      select d.doc_id from (select a.id from public.angel_investors a where a.search_doc @@ v_any_term limit w_text_k) x
      join private.investor_docs d on d.investor_id = x.id and d.kind = 'a')
      || array(
      select d.doc_id from (select f.id from public.investment_funds f where f.search_doc @@ v_any_term limit w_text_k) x
      join private.investor_docs d on d.investor_id = x.id and d.kind = 'f');
  end if;
  if v_name_query is not null then
    v_names := array(
      select d.doc_id from (select a.id from public.angel_investors a where a.full_name operator(extensions.%) v_name_query
                            order by extensions.similarity(a.full_name, v_name_query) desc limit 50) x
      join private.investor_docs d on d.investor_id = x.id and d.kind = 'a')
      || array(
      select d.doc_id from (select f.id from public.investment_funds f where f.name operator(extensions.%) v_name_query
                            order by extensions.similarity(f.name, v_name_query) desc limit 50) x
      join private.investor_docs d on d.investor_id = x.id and d.kind = 'f');
  end if;

  return query
  with qs as (
    select u.b, u.rel from unnest(v_bits, v_relmasks) as u(b, rel)
  ),
  k as (select unnest(v_kinds) as kind),
  -- 1. walk (payload straight from the covering indexes; base = prior without the bucket's sector points)
  walk as (
    select t.* from qs, k, lateral (
      select t.doc_id, t.kind, t.country, v_country_region as region,
             t.prior - case when t.strong_mask & (1::bigint << qs.b) <> 0 then w_sector else w_sector * w_sector_general end as base,
             t.stage_mask, t.stage_strong, t.strong_mask, t.general_mask, t.check_lo, t.check_hi, t.city_key
      from private.investor_doc_sectors t
      where t.sector = qs.b and t.kind = k.kind and t.country = v_country
      order by t.prior desc limit w_walk) t
    where v_country is not null
    union all
    select t.* from qs, k, unnest(case when v_region is null then v_regions else v_regions || v_region end) r(region), lateral (
      select t.doc_id, t.kind, t.country, t.region, t.prior - case when t.strong_mask & (1::bigint << qs.b) <> 0 then w_sector else w_sector * w_sector_general end,
             t.stage_mask, t.stage_strong, t.strong_mask, t.general_mask, t.check_lo, t.check_hi, t.city_key
      from private.investor_doc_sectors t
      where t.sector = qs.b and t.kind = k.kind and t.region = r.region
      order by t.prior desc limit case when r.region = v_region then w_walk else w_walk_other end) t
    union all
    select t.* from unnest(v_relbits) rb(b), k, unnest(v_near) r(region), lateral (
      select t.doc_id, t.kind, t.country, t.region, t.prior - case when t.strong_mask & (1::bigint << rb.b) <> 0 then w_sector else w_sector * w_sector_general end,
             t.stage_mask, t.stage_strong, t.strong_mask, t.general_mask, t.check_lo, t.check_hi, t.city_key
      from private.investor_doc_sectors t
      where t.sector = rb.b and t.kind = k.kind and t.region = r.region
      order by t.prior desc limit w_walk_related) t
    union all
    -- candidates from the rare sources found above (no sectors, free text, names)
    select d.doc_id, d.kind, d.country, d.region, d.prior + case when d.doc_id = any (v_names) then 1000 else 0 end,
           d.stage_general, d.stage_strong, d.strong_mask, d.general_mask,
           (d.check_min / 1000)::integer, ((d.check_max + 999) / 1000)::integer, hashtext(d.city)
    from private.investor_docs d
    where d.doc_id = any (v_extra || v_names) and d.kind = any (v_kinds)
  ),
  -- 2. pre-score from the payload, keep the best
  pre as (
    select w.doc_id, w.kind,
        w_sector * case when cardinality(v_bits) = 0 then 0 else
          w_best_share * case when w.strong_mask & v_smask <> 0 then 1
                              when w.general_mask & v_smask <> 0 then w_sector_general
                              when w.general_mask & v_relmask <> 0 then w_sector_related else 0 end
          + (1 - w_best_share) * (bit_count((w.strong_mask & v_smask)::bit(64))
                                  + w_sector_general * bit_count((w.general_mask & v_smask & ~w.strong_mask)::bit(64))) / v_n end
      + w_stage * case when v_stage_bit = 0 then 0
                       when w.stage_mask = 0 then w_stage_unknown
                       when w.stage_strong & v_stage_bit <> 0 then w_stage_strong
                       when w.stage_mask & v_stage_bit <> 0 then w_stage_general
                       when w.stage_mask & v_adj <> 0 then w_stage_adjacent else 0 end
      + w_geography * case when v_country is null and v_region is null then 0
                           when v_city is not null and w.country = v_country and w.city_key = v_city_key then w_geo_city
                           when w.country = v_country then w_geo_country
                           when w.region = v_region then w_geo_region
                           when w.country is null then w_geo_global else 0 end
      + w_check_size * case when v_ask is null then 0
                            when w.check_lo is null and w.check_hi is null then w_check_unknown
                            when coalesce(w.check_hi, w.check_lo) * 1000 >= v_band_lo and coalesce(w.check_lo, w.check_hi) * 1000 <= v_band_hi then 1
                            when coalesce(w.check_hi, w.check_lo) * 1000 >= v_band_lo / 2 and coalesce(w.check_lo, w.check_hi) * 1000 <= v_band_hi * 2 then w_check_near
                            else 0 end
      + w.base
      + w_kind_mix * case w.kind when 'a' then v_mix_angel else v_mix_fund end as pre_score
    from walk w
    where p_stage_filter = 0 or w.stage_mask & p_stage_filter <> 0
  ),
  -- the best of each kind, so the page can mix angels and funds (twice the number, as an investor walked
  -- from two buckets appears twice)
  cand as (
    (select p.doc_id from pre p where p.kind = 'a' order by p.pre_score desc limit 2 * w_rescore)
    union
    (select p.doc_id from pre p where p.kind = 'f' order by p.pre_score desc limit 2 * w_rescore)
  ),
  -- 3. exact score
  fits as (
    select d.*,
      -- sector: a weighted mix of the best matching sector and the mean over the project's sectors
      (select w_best_share * max(f) + (1 - w_best_share) * avg(f)
       from (select case when d.strong_mask & (1::bigint << qs.b) <> 0 then 1
                         when d.general_mask & (1::bigint << qs.b) <> 0 then w_sector_general
                         when d.general_mask & qs.rel <> 0 then w_sector_related
                         else 0 end::real as f
             from qs) x)::real as f_sector,
      case when v_stage_bit = 0 then null
           when d.stage_general = 0 then w_stage_unknown
           when d.stage_strong & v_stage_bit <> 0 then w_stage_strong
           when d.stage_general & v_stage_bit <> 0 then w_stage_general
           when d.stage_general & v_adj <> 0 then w_stage_adjacent
           else 0 end as f_stage,
      case when v_stage_bit = 0 then null
           when d.stage_general = 0 then 'unknown'
           when d.stage_general & v_stage_bit <> 0 then 'exact'
           when d.stage_general & v_adj <> 0 then 'adjacent'
           else 'none' end as l_stage,
      case when v_country is null and v_region is null then null
           when v_city is not null and d.country = v_country and d.city = v_city then 'city'
           when d.country = v_country then 'country'
           when d.region = v_region then 'region'
           when d.country is null then 'global'
           else 'none' end as l_geo,
      case when v_ask is null then null
           when d.check_min is null and d.check_max is null then 'unknown'
           when coalesce(d.check_max, d.check_min) < v_band_lo then 'below'
           when coalesce(d.check_min, d.check_max) > v_band_hi then 'above'
           else 'fits' end as l_check,
      case when v_ask is null or (d.check_min is null and d.check_max is null) then null
           when coalesce(d.check_max, d.check_min) >= v_band_lo / 2 and coalesce(d.check_min, d.check_max) <= v_band_hi * 2 then true
           else false end as check_near,
      case when cardinality(v_terms) = 0 then null
           else greatest(
             (select count(*) from unnest(v_terms) q where doc.search_doc @@ q)::real / cardinality(v_terms),
             case when v_name_query is not null then extensions.similarity(doc.name, v_name_query) else 0 end)
      end::real as f_text,
      exists (select 1 from public.investor_feedback fb
              where fb.user_id = p_user and fb.investor_kind = case d.kind when 'a' then 'angel' else 'fund' end
                and fb.investor_id = d.investor_id and fb.verdict = 'saved') as is_saved
    from cand c
    -- one index lookup per candidate ("offset 0" keeps the planner from hashing the whole docs table)
    cross join lateral (select x.* from private.investor_docs x where x.doc_id = c.doc_id offset 0) d
    -- the text of the candidate, only when there are words to match (a one-time filter otherwise)
    left join lateral (
      select a.search_doc, a.full_name as name from public.angel_investors a
      where cardinality(v_terms) > 0 and d.kind = 'a' and a.id = d.investor_id
      union all
      select f.search_doc, f.name from public.investment_funds f
      where cardinality(v_terms) > 0 and d.kind = 'f' and f.id = d.investor_id
    ) doc on true
    where d.quality >= case d.kind when 'a' then w_floor_angel else w_floor_fund end
      and not exists (select 1 from public.investor_feedback fb
                      where fb.user_id = p_user and fb.investor_kind = case d.kind when 'a' then 'angel' else 'fund' end
                        and fb.investor_id = d.investor_id
                        and (fb.verdict = 'dismissed' or (fb.verdict = 'contacted' and v_exclude_contacted)))
  ),
  scored as (
    select f.*,
      case f.l_geo when 'city' then w_geo_city when 'country' then w_geo_country
                   when 'region' then w_geo_region when 'global' then w_geo_global
                   when 'none' then 0::real end as f_geo,
      case when f.l_check is null then null
           when f.l_check = 'unknown' then w_check_unknown
           when f.l_check = 'fits' then 1::real
           when f.check_near then w_check_near
           else 0::real end as f_check,
      (f.quality / 100)::real as f_quality,
      greatest(0, 1 - extract(epoch from now() - f.updated_at) / 86400 / w_horizon)::real as f_fresh,
      case f.kind when 'a' then v_mix_angel else v_mix_fund end as f_mix
    from fits f
  ),
  totals as (
    select s.*,
      -- points earned over points possible: components that cannot be judged are left out of both
        coalesce(w_sector * s.f_sector, 0)
      + coalesce(w_stage * s.f_stage, 0)
      + coalesce(w_geography * s.f_geo, 0)
      + coalesce(w_check_size * s.f_check, 0)
      + w_quality * s.f_quality
      + w_freshness * s.f_fresh
      + w_kind_mix * s.f_mix
      + coalesce(w_text * s.f_text, 0) as earned,
        case when s.f_sector is null then 0 else w_sector end
      + case when s.f_stage is null then 0 else w_stage end
      + case when s.l_geo is null then 0 else w_geography end
      + case when s.f_check is null then 0 else w_check_size end
      + w_quality + w_freshness + w_kind_mix
      + case when s.f_text is null then 0 else w_text end as possible
    from scored s
  )
  select t.doc_id, t.kind, t.investor_id,
         least(100, 100 * t.earned / t.possible + case when t.is_saved then w_saved_boost else 0 end)::real,
         t.f_sector, t.f_stage, t.f_geo, t.f_check, t.f_quality, t.f_fresh, t.f_mix, t.f_text, t.is_saved,
         t.strong_mask & v_smask, t.general_mask & v_smask & ~t.strong_mask, t.general_mask & v_relmask,
         t.l_stage, t.l_geo, t.l_check, (extract(epoch from now() - t.updated_at) / 86400)::integer
  from totals t;
end $$;

-- Fund people: the employees of some funds ranked for a search (seniority, their score, their own focus
-- or else the fund's, place). One query for all the funds of a page. Used for the people listed under
-- fund results (p_apply_floor: people under floor.people_score are left out unless nobody of the fund
-- passes, then the best one is listed) and by the employee search. Returns
-- {"<fund id>": {"results": [...], "total_matches": n}, ...}.
create function private.rank_fund_people(p_fund_ids uuid[], p_q jsonb, p_w jsonb, p_user uuid, p_limit integer,
                                         p_offset integer default 0, p_apply_floor boolean default false)
returns jsonb
language plpgsql stable security definer set search_path = '' set jit = off set plan_cache_mode = force_generic_plan as $$
declare
  v_cats text[] := array(select jsonb_array_elements_text(coalesce(p_q -> 'categories', '[]')));
  v_related text[];
  v_stage_bit smallint := coalesce(private.stage_bit((p_q ->> 'stage')::public.funding_stage), 0);
  v_adj smallint;
  v_country char(2) := p_q ->> 'country';
  v_region text := p_q ->> 'region';
  v_city text := private.fold(p_q ->> 'city');
  v_exclude_contacted boolean := coalesce((p_q ->> 'exclude_contacted')::boolean, true);
  w_seniority real := (p_w ->> 'employee.seniority')::real;
  w_score real := (p_w ->> 'employee.score')::real;
  w_sector real := (p_w ->> 'employee.sector')::real;
  w_stage real := (p_w ->> 'employee.stage')::real;
  w_geo real := (p_w ->> 'employee.geography')::real;
  w_general real := (p_w ->> 'sector.general')::real;
  w_rel real := (p_w ->> 'sector.related')::real;
  w_best real := (p_w ->> 'sector.best_share')::real;
  w_floor numeric := (p_w ->> 'floor.people_score')::numeric;
  w_boost real := (p_w ->> 'investor.saved_boost')::real;
  v_out jsonb;
begin
  if cardinality(p_fund_ids) = 0 then
    return '{}';
  end if;
  v_adj := ((v_stage_bit << 1) | (v_stage_bit >> 1)) & 127;
  v_related := array(select distinct r from public.sectors s, unnest(s.related) r where s.id = any (v_cats));
  -- materialized: every column below is computed once per person, not once per reference
  with people as materialized (
    select e.*, c.region as e_region, private.fold(e.city) as city_folded,
           -- an empty focus means "as the fund"
           cardinality(e.categories_general) + cardinality(e.categories_strong) > 0 as own_focus,
           case when cardinality(e.categories_general) + cardinality(e.categories_strong) > 0 then e.categories_strong else f.categories_strong end as cs,
           case when cardinality(e.categories_general) + cardinality(e.categories_strong) > 0 then e.categories_general || e.categories_strong
                else f.categories_general || f.categories_strong end as cg,
           (select coalesce(bit_or(private.stage_bit(x)), 0)::smallint
            from unnest(case when cardinality(e.stages_general) + cardinality(e.stages_strong) > 0 then e.stages_strong else f.stages_strong end) x) as ss,
           (select coalesce(bit_or(private.stage_bit(x)), 0)::smallint
            from unnest(case when cardinality(e.stages_general) + cardinality(e.stages_strong) > 0 then e.stages_general || e.stages_strong
                             else f.stages_general || f.stages_strong end) x) as sg,
           exists (select 1 from public.investor_feedback fb
                   where fb.user_id = p_user and fb.investor_kind = 'fund_employee' and fb.investor_id = e.id
                     and fb.verdict = 'saved') as is_saved
    from public.fund_employees e
    join public.investment_funds f on f.id = e.fund_id
    left join public.countries c on c.code = e.country
    where e.fund_id = any (p_fund_ids)
      and not exists (select 1 from public.investor_feedback fb
                      where fb.user_id = p_user and fb.investor_kind = 'fund_employee' and fb.investor_id = e.id
                        and (fb.verdict = 'dismissed' or (fb.verdict = 'contacted' and v_exclude_contacted)))
  ),
  fits as (
    select p.*,
      coalesce((p_w ->> ('seniority.' || p.seniority))::real, 0) as f_seniority,
      (p.score / 10)::real as f_score,
      case when cardinality(v_cats) = 0 then null else
        (select w_best * max(x) + (1 - w_best) * avg(x)
         from (select case when q = any (p.cs) then 1 when q = any (p.cg) then w_general
                           when exists (select 1 from public.sectors s where s.id = q and s.related && p.cg) then w_rel
                           else 0 end::real as x
               from unnest(v_cats) q) y)::real end as f_sector,
      case when v_stage_bit = 0 then null
           when p.sg = 0 then (p_w ->> 'stage.unknown')::real
           when p.ss & v_stage_bit <> 0 then (p_w ->> 'stage.strong')::real
           when p.sg & v_stage_bit <> 0 then (p_w ->> 'stage.general')::real
           when p.sg & v_adj <> 0 then (p_w ->> 'stage.adjacent')::real
           else 0 end::real as f_stage,
      case when v_country is null and v_region is null then null
           when v_city is not null and p.country = v_country and p.city_folded = v_city then 'city'
           when p.country = v_country then 'country'
           when p.e_region = v_region then 'region'
           when p.country is null then 'global'
           else 'none' end as l_geo
    from people p
  ),
  scored as (
    select f.*,
      case f.l_geo when 'city' then (p_w ->> 'geo.city')::real when 'country' then (p_w ->> 'geo.country')::real
                   when 'region' then (p_w ->> 'geo.region')::real when 'global' then (p_w ->> 'geo.global')::real
                   when 'none' then 0::real end as f_geo,
      w_seniority + w_score + case when f.f_sector is null then 0 else w_sector end
        + case when f.f_stage is null then 0 else w_stage end + case when f.l_geo is null then 0 else w_geo end as possible
    from fits f
  ),
  ranked as (
    select s.*,
      least(100, 100 * (w_seniority * s.f_seniority + w_score * s.f_score + coalesce(w_sector * s.f_sector, 0)
                        + coalesce(w_stage * s.f_stage, 0) + coalesce(w_geo * s.f_geo, 0)) / s.possible
                 + case when s.is_saved then w_boost else 0 end) as total,
      s.score >= w_floor as passes
    from scored s
  ),
  ordered as (
    select r.*,
           row_number() over (partition by r.fund_id
                              order by case when p_apply_floor then r.passes end desc, r.total desc, r.score desc, r.id) as pos,
           count(*) over (partition by r.fund_id) as n,
           bool_or(r.passes) over (partition by r.fund_id) as any_pass
    from ranked r
  ),
  per_fund as (
    select o.fund_id, max(o.n) as n,
      coalesce(jsonb_agg(jsonb_build_object(
        'kind', 'fund_employee', 'id', o.id, 'name', o.full_name, 'headline', o.headline, 'title', o.job_title,
        'seniority', o.seniority, 'location', o.location, 'city', o.city, 'country', o.country,
        'linkedin_url', o.linkedin_url, 'profile_pic_url', o.profile_pic_url, 'fund_id', o.fund_id,
        'rank', o.pos, 'score', round(o.total::numeric),
        'components', jsonb_strip_nulls(jsonb_build_object(
          'seniority', round((100 * w_seniority * o.f_seniority / o.possible)::numeric, 1),
          'person_score', round((100 * w_score * o.f_score / o.possible)::numeric, 1),
          'sector', round((100 * w_sector * o.f_sector / o.possible)::numeric, 1),
          'stage', round((100 * w_stage * o.f_stage / o.possible)::numeric, 1),
          'geography', round((100 * w_geo * o.f_geo / o.possible)::numeric, 1),
          'saved_boost', case when o.is_saved then w_boost end)),
        'reasons', jsonb_strip_nulls(jsonb_build_object(
          'seniority', o.seniority,
          'person_score', o.score,
          'focus', case when o.own_focus then 'own' else 'fund' end,
          'sectors_strong', to_jsonb(array(select q from unnest(v_cats) q where q = any (o.cs))),
          'sectors_general', to_jsonb(array(select q from unnest(v_cats) q where q = any (o.cg) and q <> all (o.cs))),
          'sectors_related', to_jsonb(array(select x from unnest(o.cg) x where x = any (v_related) and x <> all (v_cats))),
          'stage', case when v_stage_bit = 0 then null when o.sg = 0 then 'unknown' when o.sg & v_stage_bit <> 0 then 'exact'
                        when o.sg & v_adj <> 0 then 'adjacent' else 'none' end,
          'geography', o.l_geo,
          'below_floor', case when not o.passes then true end,
          'saved', o.is_saved,
          'freshness_days', (extract(epoch from now() - o.data_updated_at) / 86400)::integer))
      ) order by o.pos) filter (where o.pos > p_offset and o.pos <= p_offset + p_limit
                                      and (not p_apply_floor or o.passes or (not o.any_pass and o.pos = 1))), '[]') as people
    from ordered o
    group by o.fund_id
  )
  select coalesce(jsonb_object_agg(pf.fund_id::text, jsonb_build_object('results', pf.people, 'total_matches', pf.n)), '{}')
    into v_out
  from per_fund pf;
  return v_out;
end $$;

-- Refuses a page outside 1..100 results or beyond the search.max_offset weight (P0001), for every ranking.
create function private.check_page(p_limit integer, p_offset integer, p_w jsonb) returns void
language plpgsql immutable set search_path = '' as $$
begin
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    raise exception 'limit must be between 1 and 100 (got %)', p_limit using errcode = 'P0001';
  end if;
  if p_offset is null or p_offset < 0 or p_offset > (p_w ->> 'search.max_offset')::int then
    raise exception 'offset must be between 0 and % (got %)', p_w ->> 'search.max_offset', p_offset using errcode = 'P0001';
  end if;
end $$;

-- Ranks angels and funds for the criteria (raw, as a client sends them; normalised here). No side
-- effects: nothing is charged or recorded (private.search_investors does that). p_user (optional) applies
-- that user's feedback. Returns {criteria, results, result_count, total_matches, limit, offset}.
--
-- Page assembly: candidates in score order, except that neither kind may exceed its share of the page
-- (public.search_stage_mix) while the other kind still has results; a deferred result takes the next
-- place its kind is allowed. If the stage-filtered candidates cannot fill the page, a second pass without
-- the stage filter fills it (those results say stage "none").
create function private.rank_investors(p_criteria jsonb, p_user uuid default null, p_limit integer default 15,
                                       p_offset integer default 0)
returns jsonb
language plpgsql stable security definer set search_path = '' set jit = off as $$
declare
  v_q jsonb := private.normalize_criteria(p_criteria, 'investors');
  v_w jsonb := private.search_weight_map();
  v_needed integer;
  v_floor real;
  v_angel_share numeric;
  v_fund_share numeric;
  v_filter smallint;
  v_total integer := 0;
  v_seen integer[] := '{}';
  v_items jsonb[] := '{}';        -- placed rows of private.score_investors, in page order
  v_deferred jsonb[] := '{}';     -- rows waiting for their kind to be allowed again
  v_deferred_kind "char"[] := '{}';
  v_count_a integer := 0;
  v_count_f integer := 0;
  v_pos integer;
  r record;
  v_stage_bit smallint;
  v_page jsonb;
  v_people jsonb;
  v_counted boolean;
begin
  perform private.check_page(p_limit, p_offset, v_w);
  v_needed := p_offset + p_limit;
  v_floor := greatest((v_w ->> 'floor.score')::real, coalesce((v_q ->> 'min_score')::real, 0));
  select m.angel_max_share, m.fund_max_share into v_angel_share, v_fund_share
  from public.search_stage_mix m where m.stage = coalesce(v_q ->> 'stage', 'default');
  v_stage_bit := coalesce(private.stage_bit((v_q ->> 'stage')::public.funding_stage), 0);
  -- first pass: investors of the stage or an adjacent one
  v_filter := case when v_stage_bit = 0 then 0 else v_stage_bit | (((v_stage_bit << 1) | (v_stage_bit >> 1)) & 127) end;

  <<passes>>
  loop
    v_counted := false;
    for r in
      select s.*, count(*) over () as n
      from private.score_investors(v_q, v_w, p_user, v_filter, v_needed) s
      where s.score >= v_floor and s.doc_id <> all (v_seen)
      order by s.score desc, s.quality_fit desc, s.doc_id
    loop
      if not v_counted then
        v_total := v_total + r.n;  -- matches of this pass (the window count), once per pass
        v_counted := true;
      end if;
      exit when cardinality(v_items) >= v_needed;
      v_seen := v_seen || r.doc_id;
      -- deferred results first, while their kind is allowed again; then this one. A kind may take place
      -- p of the page while it has fewer than ceil(max_share * p) results on it.
      while cardinality(v_deferred) > 0 and cardinality(v_items) < v_needed loop
        v_pos := cardinality(v_items) + 1;
        exit when case v_deferred_kind[1] when 'a' then v_count_a + 1 > ceil(v_angel_share * v_pos)
                                          else v_count_f + 1 > ceil(v_fund_share * v_pos) end;
        v_items := v_items || v_deferred[1];
        if v_deferred_kind[1] = 'a' then v_count_a := v_count_a + 1; else v_count_f := v_count_f + 1; end if;
        v_deferred := v_deferred[2:];
        v_deferred_kind := v_deferred_kind[2:];
      end loop;
      exit when cardinality(v_items) >= v_needed;
      v_pos := cardinality(v_items) + 1;
      if (case r.kind when 'a' then v_count_a + 1 <= ceil(v_angel_share * v_pos)
                     else v_count_f + 1 <= ceil(v_fund_share * v_pos) end) then
        v_items := v_items || to_jsonb(r);
        if r.kind = 'a' then v_count_a := v_count_a + 1; else v_count_f := v_count_f + 1; end if;
      else
        v_deferred := v_deferred || to_jsonb(r);
        v_deferred_kind := v_deferred_kind || r.kind;
      end if;
    end loop;
    exit passes when cardinality(v_items) + cardinality(v_deferred) >= v_needed or v_filter = 0;
    v_filter := 0;  -- second pass: any stage
  end loop;
  -- the other kind ran out: the deferred ones fill the rest, in score order
  v_items := v_items || v_deferred[1:greatest(v_needed - cardinality(v_items), 0)];

  -- The page, in one query: each result's public profile (never e-mail or phone), its points by
  -- component and its reasons; funds with their best people.
  v_people := private.rank_fund_people(
    array(select (i ->> 'investor_id')::uuid from unnest(v_items[p_offset + 1:]) i where i ->> 'kind' = 'f'),
    v_q, v_w, p_user, (v_w ->> 'people.per_fund')::int, 0, true);
  with w as (
    select (v_w ->> 'investor.sector')::numeric as sector, (v_w ->> 'investor.stage')::numeric as stage,
           (v_w ->> 'investor.geography')::numeric as geography, (v_w ->> 'investor.check_size')::numeric as check_size,
           (v_w ->> 'investor.quality')::numeric as quality, (v_w ->> 'investor.freshness')::numeric as freshness,
           (v_w ->> 'investor.kind_mix')::numeric as kind_mix, (v_w ->> 'investor.text')::numeric as text,
           (v_w ->> 'investor.saved_boost')::numeric as saved_boost, (v_w ->> 'stage.strong')::numeric as stage_strong
  ),
  page as (
    select i.pos, s.*,
           -- points possible: the components that could be judged (see private.score_investors)
           w.quality + w.freshness + w.kind_mix
             + case when s.sector_fit is null then 0 else w.sector end + case when s.stage_fit is null then 0 else w.stage end
             + case when s.geo_fit is null then 0 else w.geography end + case when s.check_fit is null then 0 else w.check_size end
             + case when s.text_fit is null then 0 else w.text end as possible
    from unnest(v_items) with ordinality i(item, pos)
    cross join lateral jsonb_populate_record(null::private.investor_score, i.item) s
    cross join w
    where i.pos > p_offset
  )
  select coalesce(jsonb_agg(c.card || jsonb_build_object(
           'rank', p.pos,
           'score', round(p.score::numeric),
           'components', jsonb_strip_nulls(jsonb_build_object(
             'sector', round(100 * w.sector * p.sector_fit::numeric / p.possible, 1),
             'stage', round(100 * w.stage * p.stage_fit::numeric / p.possible, 1),
             'geography', round(100 * w.geography * p.geo_fit::numeric / p.possible, 1),
             'check_size', round(100 * w.check_size * p.check_fit::numeric / p.possible, 1),
             'quality', round(100 * w.quality * p.quality_fit::numeric / p.possible, 1),
             'freshness', round(100 * w.freshness * p.fresh_fit::numeric / p.possible, 1),
             'kind_mix', round(100 * w.kind_mix * p.mix_fit::numeric / p.possible, 1),
             'text', round(100 * w.text * p.text_fit::numeric / p.possible, 1),
             'saved_boost', case when p.saved then w.saved_boost end)),
           'reasons', jsonb_strip_nulls(jsonb_build_object(
             'sectors_strong', to_jsonb(array(select b.sector_id from private.sector_bits b where p.strong_hits & (1::bigint << b.bit) <> 0 order by 1)),
             'sectors_general', to_jsonb(array(select b.sector_id from private.sector_bits b where p.general_hits & (1::bigint << b.bit) <> 0 order by 1)),
             'sectors_related', to_jsonb(array(select b.sector_id from private.sector_bits b where p.related_hits & (1::bigint << b.bit) <> 0 order by 1)),
             'stage', p.stage_label,
             'stage_strength', case when p.stage_label = 'exact' and p.stage_fit = w.stage_strong then 'strong'
                                    when p.stage_label = 'exact' then 'general' end,
             'geography', p.geo_label,
             'check_size', p.check_label,
             'quality', round(p.quality_fit::numeric * 100),
             'freshness_days', p.age_days,
             'text_match', round(p.text_fit::numeric, 2),
             'saved', p.saved))) order by p.pos), '[]')
    into v_page
  from page p
  cross join w
  cross join lateral (
    select jsonb_build_object('kind', 'angel', 'id', a.id, 'name', a.full_name, 'headline', a.headline,
             'fund', null, 'location', a.location, 'city', a.city, 'country', a.country,
             'linkedin_url', a.linkedin_url, 'profile_pic_url', a.profile_pic_url,
             'check_min_usd', a.check_min_usd, 'check_max_usd', a.check_max_usd,
             'categories', to_jsonb(a.categories_general), 'stages', to_jsonb(a.stages_general),
             'summary_en', a.reasons_en, 'summary_es', a.reasons_es) as card
    from public.angel_investors a where p.kind = 'a' and a.id = p.investor_id
    union all
    select jsonb_build_object('kind', 'fund', 'id', f.id, 'name', f.name,
             'headline', case when char_length(f.description) > 280 then left(f.description, 277) || '...' else f.description end,
             'fund', jsonb_build_object('id', f.id, 'name', f.name, 'website', f.website),
             'location', f.location, 'city', f.city, 'country', f.country,
             'linkedin_url', f.linkedin_url, 'website', f.website,
             'check_min_usd', f.check_min_usd, 'check_max_usd', f.check_max_usd,
             'categories', to_jsonb(f.categories_general), 'stages', to_jsonb(f.stages_general),
             'people', coalesce(v_people -> f.id::text -> 'results', '[]'))
    from public.investment_funds f where p.kind = 'f' and f.id = p.investor_id
  ) c;

  return jsonb_build_object('criteria', v_q, 'results', v_page, 'result_count', jsonb_array_length(v_page),
                            'total_matches', greatest(v_total, cardinality(v_items)), 'limit', p_limit, 'offset', p_offset);
end $$;


-- Ranking: fund employees and companies ----------------------------------------------------------------

-- The people of one fund (p_fund_id, or criteria fund_id / fund name) ranked for the criteria. No side
-- effects. Returns {criteria, fund, results, result_count, total_matches, limit, offset}.
create function private.rank_fund_employees(p_fund_id uuid, p_criteria jsonb, p_user uuid default null,
                                            p_limit integer default 15, p_offset integer default 0)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_q jsonb := private.normalize_criteria(p_criteria, 'employees');
  v_w jsonb := private.search_weight_map();
  v_fund public.investment_funds;
  v_name text := v_q ->> 'fund';
  v_people jsonb;
begin
  perform private.check_page(p_limit, p_offset, v_w);
  p_fund_id := coalesce(p_fund_id, (v_q ->> 'fund_id')::uuid);
  if p_fund_id is not null then
    select * into v_fund from public.investment_funds f where f.id = p_fund_id;
  elsif v_name is not null then
    -- exact name first, else the closest name (trigram)
    select * into v_fund from public.investment_funds f where lower(f.name) = lower(v_name);
    if not found then
      select * into v_fund from public.investment_funds f
      where f.name operator(extensions.%) v_name
      order by extensions.similarity(f.name, v_name) desc, f.score desc limit 1;
    end if;
  else
    raise exception 'say which fund: fund_id or a fund name' using errcode = 'P0001',
      hint = 'Pass the id of a fund from an investor search, or criteria {"fund": "<name>"}.';
  end if;
  if v_fund.id is null then
    raise exception 'fund not found' using errcode = 'PT404', hint = 'Use the id of a fund from an investor search.';
  end if;
  v_q := v_q || jsonb_build_object('fund_id', v_fund.id);
  v_people := coalesce(private.rank_fund_people(array[v_fund.id], v_q, v_w, p_user, p_limit, p_offset, false) -> v_fund.id::text,
                       '{"results": [], "total_matches": 0}');
  return jsonb_build_object(
    'criteria', v_q,
    'fund', jsonb_build_object('id', v_fund.id, 'name', v_fund.name, 'website', v_fund.website,
                               'linkedin_url', v_fund.linkedin_url, 'location', v_fund.location, 'country', v_fund.country),
    'results', v_people -> 'results', 'result_count', jsonb_array_length(v_people -> 'results'),
    'total_matches', (v_people ->> 'total_matches')::int, 'limit', p_limit, 'offset', p_offset);
end $$;

-- Service companies for a need: service categories asked for (explicit or read from the text: "abogados",
-- "marketing agency"), the project's sectors, free-text words (keywords, description), place and the
-- company's relevance score. No side effects. Returns {criteria, results, result_count, total_matches,
-- limit, offset}.
create function private.rank_companies(p_criteria jsonb, p_user uuid default null, p_limit integer default 10,
                                       p_offset integer default 0)
returns jsonb
language plpgsql stable security definer set search_path = '' set jit = off as $$
declare
  v_q jsonb := private.normalize_criteria(p_criteria, 'companies');
  v_w jsonb := private.search_weight_map();
  v_cats text[] := array(select jsonb_array_elements_text(coalesce(v_q -> 'categories', '[]')));
  v_related text[];
  v_services text[] := array(select jsonb_array_elements_text(coalesce(v_q -> 'services', '[]')));
  v_terms text[] := array(select jsonb_array_elements_text(coalesce(v_q -> 'terms', '[]')));
  v_tsq tsquery[];
  v_any tsquery;
  v_country char(2) := v_q ->> 'country';
  v_region text := v_q ->> 'region';
  v_city text := private.fold(v_q ->> 'city');
  v_floor real := greatest((v_w ->> 'floor.score')::real, coalesce((v_q ->> 'min_score')::real, 0));
  v_exclude_contacted boolean := coalesce((v_q ->> 'exclude_contacted')::boolean, true);
  v_out jsonb;
begin
  perform private.check_page(p_limit, p_offset, v_w);
  if cardinality(v_services) = 0 and cardinality(v_terms) = 0 and cardinality(v_cats) = 0 then
    raise exception 'say what service you need' using errcode = 'P0001',
      hint = 'Give services (e.g. ["legal"]) or a query such as "abogados para startups" or "growth marketing agency".';
  end if;
  v_related := array(select distinct r from public.sectors s, unnest(s.related) r where s.id = any (v_cats) and r <> all (v_cats));
  v_tsq := array(select to_tsquery('simple', t || ':*') from unnest(v_terms) t);
  if cardinality(v_tsq) > 0 then
    select string_agg(q::text, ' | ')::tsquery into v_any from unnest(v_tsq) q;
  end if;

  with cand as (
    select c.id from public.companies c where c.service_category = any (v_services)
    union
    select c.id from public.companies c where c.sectors && v_cats and cardinality(v_services) = 0
    union
    select c.id from public.companies c where v_any is not null and c.search_doc @@ v_any
    union
    select c.id from public.companies c where cardinality(v_terms) > 0 and c.keywords && v_terms
  ),
  fits as (
    select c.*, co.region as c_region,
      case when cardinality(v_services) = 0 then null
           when c.service_category = any (v_services) then 1 else 0 end::real as f_service,
      case when cardinality(v_cats) = 0 then null
           when c.sectors && v_cats then 1
           when cardinality(c.sectors) = 0 then 0.6      -- generalists serve every sector
           when c.sectors && v_related then 0.4
           else 0.1 end::real as f_sector,
      case when cardinality(v_terms) = 0 then null else
        ((select count(*) from unnest(v_terms) t
          where c.search_doc @@ to_tsquery('simple', t || ':*')
             or exists (select 1 from unnest(c.keywords) k where private.fold(k) like '%' || t || '%'))::real
         / cardinality(v_terms)) end::real as f_text,
      case when v_country is null and v_region is null then null
           when v_city is not null and c.country = v_country and private.fold(c.city) = v_city then 'city'
           when c.country = v_country then 'country'
           when co.region = v_region then 'region'
           when c.country is null then 'global'
           else 'none' end as l_geo,
      exists (select 1 from public.investor_feedback fb where fb.user_id = p_user and fb.investor_kind = 'company'
              and fb.investor_id = c.id and fb.verdict = 'saved') as is_saved
    from cand
    join public.companies c on c.id = cand.id
    left join public.countries co on co.code = c.country
    where not exists (select 1 from public.investor_feedback fb
                      where fb.user_id = p_user and fb.investor_kind = 'company' and fb.investor_id = c.id
                        and (fb.verdict = 'dismissed' or (fb.verdict = 'contacted' and v_exclude_contacted)))
  ),
  scored as (
    select f.*,
      case f.l_geo when 'city' then (v_w ->> 'geo.city')::real when 'country' then (v_w ->> 'geo.country')::real
                   when 'region' then (v_w ->> 'geo.region')::real when 'global' then (v_w ->> 'geo.global')::real
                   when 'none' then 0::real end as f_geo,
      (f.relevance_score / 100)::real as f_quality,
      (v_w ->> 'company.quality')::real
        + case when f.f_service is null then 0 else (v_w ->> 'company.service')::real end
        + case when f.f_sector is null then 0 else (v_w ->> 'company.sector')::real end
        + case when f.f_text is null then 0 else (v_w ->> 'company.text')::real end
        + case when f.l_geo is null then 0 else (v_w ->> 'company.geography')::real end as possible
    from fits f
  ),
  ranked as (
    select s.*,
      least(100, 100 * (coalesce((v_w ->> 'company.service')::real * s.f_service, 0)
                        + coalesce((v_w ->> 'company.sector')::real * s.f_sector, 0)
                        + coalesce((v_w ->> 'company.text')::real * s.f_text, 0)
                        + coalesce((v_w ->> 'company.geography')::real * s.f_geo, 0)
                        + (v_w ->> 'company.quality')::real * s.f_quality) / s.possible
                 + case when s.is_saved then (v_w ->> 'investor.saved_boost')::real else 0 end) as total
    from scored s
  ),
  ordered as (
    select r.*, row_number() over (order by r.total desc, r.relevance_score desc, r.id) as pos, count(*) over () as n
    from ranked r where r.total >= v_floor
  )
  select jsonb_build_object(
    'criteria', v_q,
    'total_matches', coalesce(max(o.n), 0),
    'results', coalesce(jsonb_agg(jsonb_build_object(
      'kind', 'company', 'id', o.id, 'rank', o.pos, 'name', o.name,
      'headline', case when char_length(o.description) > 280 then left(o.description, 277) || '...' else o.description end,
      'service_category', o.service_category, 'sectors', to_jsonb(o.sectors), 'keywords', to_jsonb(o.keywords),
      'website', o.website, 'linkedin_url', o.linkedin_url, 'location', o.location, 'city', o.city, 'country', o.country,
      'score', round(o.total::numeric),
      'components', jsonb_strip_nulls(jsonb_build_object(
        'service', round((100 * (v_w ->> 'company.service')::real * o.f_service / o.possible)::numeric, 1),
        'sector', round((100 * (v_w ->> 'company.sector')::real * o.f_sector / o.possible)::numeric, 1),
        'text', round((100 * (v_w ->> 'company.text')::real * o.f_text / o.possible)::numeric, 1),
        'geography', round((100 * (v_w ->> 'company.geography')::real * o.f_geo / o.possible)::numeric, 1),
        'quality', round((100 * (v_w ->> 'company.quality')::real * o.f_quality / o.possible)::numeric, 1))),
      'reasons', jsonb_strip_nulls(jsonb_build_object(
        'service', case when o.f_service is null then null when o.f_service = 1 then 'match' else 'other' end,
        'sectors_served', to_jsonb(array(select s from unnest(o.sectors) s where s = any (v_cats))),
        'generalist', cardinality(o.sectors) = 0,
        'geography', o.l_geo,
        'text_match', round(o.f_text::numeric, 2),
        'quality', round(o.relevance_score),
        'freshness_days', (extract(epoch from now() - o.data_updated_at) / 86400)::integer,
        'saved', o.is_saved))
    ) order by o.pos) filter (where o.pos > p_offset and o.pos <= p_offset + p_limit), '[]'),
    'limit', p_limit, 'offset', p_offset)
  into v_out
  from ordered o;
  return v_out || jsonb_build_object('result_count', jsonb_array_length(v_out -> 'results'));
end $$;

-- Searches as a product: plan gate, credits, history ----------------------------------------------------

alter table public.search_results
  add column request_id text check (char_length(request_id) between 1 and 100);
comment on column public.search_results.request_id is 'Client-chosen id of the request: a retried RPC with the same id returns this search again and is not charged twice.';
create unique index search_results_request_idx on public.search_results (user_id, request_id) where request_id is not null;

-- The response of a recorded search (fresh or replayed).
create function private.search_response(p public.search_results, p_replayed boolean, p_credits jsonb default null)
returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'search_id', p.id, 'kind', p.kind, 'project_id', p.project_id,
    'criteria', p.criteria - array['limit', 'offset', 'requested_limit', 'plan', 'plan_limit', 'fund_card'],
    'results', p.results, 'result_count', p.result_count, 'total_matches', p.total_matches,
    'limit', (p.criteria ->> 'limit')::int, 'offset', (p.criteria ->> 'offset')::int,
    'plan', jsonb_build_object(
      'id', p.criteria ->> 'plan', 'result_limit', (p.criteria ->> 'plan_limit')::int,
      -- more results exist than the plan shows in one search
      'limited', coalesce(p.total_matches, 0) > (p.criteria ->> 'offset')::int + (p.criteria ->> 'limit')::int
                 and (p.criteria ->> 'limit')::int >= (p.criteria ->> 'plan_limit')::int),
    'credits', coalesce(p_credits, '{}') || jsonb_build_object('charged', p.credits_charged),
    'duration_ms', p.duration_ms, 'created_at', p.created_at, 'replayed', p_replayed)
    -- employee searches: the fund the people belong to
    || case when p.criteria ? 'fund_card' then jsonb_build_object('fund', p.criteria -> 'fund_card') else '{}' end
$$;

-- One search for a user, end to end: validates the project (owned; investor searches need completeness),
-- caps the page at the plan's search_result_limit, ranks, charges the search's credits once (idempotency
-- key "search:<request_id or search id>"), records it in search_results and broadcasts search_progress
-- "completed". All in the caller's transaction: when the debit fails (PT402) nothing is recorded.
-- A search that finds nothing is recorded but not charged. A request_id seen before returns the recorded
-- search (replayed: true) without ranking or charging again.
create function private.run_search(p_user uuid, p_kind text, p_project_id uuid, p_criteria jsonb, p_limit integer,
                                   p_offset integer, p_request_id text, p_fund_id uuid default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_started timestamptz := clock_timestamp();
  v_w jsonb := private.search_weight_map();
  v_plan public.plans;
  v_project public.projects;
  v_criteria jsonb := coalesce(p_criteria, '{}');
  v_limit integer;
  v_offset integer := coalesce(p_offset, 0);
  v_ranked jsonb;
  v_row public.search_results;
  v_action text := case p_kind when 'investors' then 'investor_search' when 'employees' then 'employee_search'
                               when 'companies' then 'company_search' end;
  v_debit jsonb;
  v_missing text[];
begin
  if p_user is null then
    raise exception 'sign in to search' using errcode = '42501';
  end if;
  if v_action is null then
    raise exception 'unknown search kind "%"', p_kind using errcode = 'P0001';
  end if;
  if jsonb_typeof(v_criteria) <> 'object' then
    raise exception 'criteria must be a JSON object' using errcode = 'P0001';
  end if;
  p_request_id := nullif(btrim(p_request_id), '');
  if char_length(p_request_id) > 100 then
    raise exception 'request_id is too long (at most 100 characters)' using errcode = 'P0001';
  end if;
  select pl.* into v_plan from public.profiles pr join public.plans pl on pl.id = pr.plan_id where pr.id = p_user;
  if not found then
    raise exception 'no profile for this user' using errcode = '42501';
  end if;

  -- A retried request (same request_id): the recorded search, charged once. The lock makes a concurrent
  -- duplicate wait for the first and then replay it.
  if p_request_id is not null then
    perform pg_advisory_xact_lock(hashtextextended('search:' || p_user::text || ':' || p_request_id, 0));
    select * into v_row from public.search_results s where s.user_id = p_user and s.request_id = p_request_id;
    if found then
      if v_row.kind <> p_kind then
        raise exception 'request_id "%" was already used for a % search', p_request_id, v_row.kind using errcode = 'P0001';
      end if;
      return private.search_response(v_row, true);
    end if;
  end if;

  if p_project_id is not null then
    select * into v_project from public.projects p where p.id = p_project_id and p.user_id = p_user;
    if not found then
      raise exception 'project not found' using errcode = 'PT404';
    end if;
    if p_kind = 'investors' and v_project.completeness < (v_w ->> 'search.min_completeness')::int then
      v_missing := public.project_missing_facts(v_project);
      raise exception 'the project is % %% complete; an investor search needs at least % %%',
        v_project.completeness, v_w ->> 'search.min_completeness'
        using errcode = 'P0001',
              hint = 'Tell us about: ' || array_to_string(v_missing, ', ') || '.',
              detail = jsonb_build_object('completeness', v_project.completeness,
                                          'required', (v_w ->> 'search.min_completeness')::int,
                                          'missing', to_jsonb(v_missing))::text;
    end if;
    v_criteria := private.project_criteria(v_project) || v_criteria;
  elsif p_kind = 'investors'
        and coalesce(jsonb_array_length(case when jsonb_typeof(v_criteria -> 'categories') = 'array' then v_criteria -> 'categories' end), 0) = 0
        and jsonb_typeof(v_criteria -> 'categories') is distinct from 'string'
        and coalesce(btrim(v_criteria ->> 'query'), '') = '' then
    raise exception 'say what to search for: a project, sectors or a query' using errcode = 'P0001',
      hint = 'Pass project_id, or criteria such as {"categories": ["fintech"], "stage": "seed", "country": "ES"} or {"query": "climate fintech in LatAm"}.';
  end if;

  -- The plan decides how many results one search shows.
  if p_limit is not null and p_limit < 1 then
    raise exception 'result_limit must be at least 1' using errcode = 'P0001';
  end if;
  v_limit := least(coalesce(p_limit, v_plan.search_result_limit), v_plan.search_result_limit);

  v_ranked := case p_kind
    when 'investors' then private.rank_investors(v_criteria, p_user, v_limit, v_offset)
    when 'employees' then private.rank_fund_employees(p_fund_id, v_criteria, p_user, v_limit, v_offset)
    else private.rank_companies(v_criteria, p_user, v_limit, v_offset) end;

  v_row.id := gen_random_uuid();
  if (v_ranked ->> 'result_count')::int > 0 then
    v_debit := private.debit_credits(p_user, v_action, 'search:' || coalesce(p_request_id, v_row.id::text),
                                     jsonb_build_object('search_id', v_row.id, 'kind', p_kind));
  end if;

  insert into public.search_results (id, user_id, project_id, kind, criteria, results, result_count, total_matches,
                                     credits_charged, duration_ms, request_id)
  values (v_row.id, p_user, p_project_id, p_kind,
          (v_ranked -> 'criteria') || jsonb_strip_nulls(jsonb_build_object(
            'limit', v_limit, 'offset', v_offset, 'requested_limit', p_limit, 'plan', v_plan.id,
            'plan_limit', v_plan.search_result_limit, 'fund_card', v_ranked -> 'fund')),
          v_ranked -> 'results', (v_ranked ->> 'result_count')::int, (v_ranked ->> 'total_matches')::int,
          case when v_debit ->> 'status' = 'debited' then (v_debit ->> 'charged')::int else 0 end,
          (extract(epoch from clock_timestamp() - v_started) * 1000)::int, p_request_id)
  returning * into v_row;

  perform private.broadcast(p_user, 'search_progress', jsonb_build_object(
    'search_id', v_row.id, 'kind', p_kind, 'status', 'completed', 'progress', 100,
    'result_count', v_row.result_count, 'total_matches', v_row.total_matches, 'duration_ms', v_row.duration_ms));

  return private.search_response(v_row, false, case when v_debit is null then jsonb_build_object('status', 'not_charged', 'reason', 'no_results')
                                                     else v_debit - array['charged'] end);
end $$;

create function private.search_investors(p_user uuid, p_project_id uuid default null, p_criteria jsonb default '{}',
                                         p_limit integer default null, p_offset integer default 0, p_request_id text default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.run_search(p_user, 'investors', p_project_id, p_criteria, p_limit, p_offset, p_request_id)
$$;

create function private.search_fund_employees(p_user uuid, p_fund_id uuid, p_project_id uuid default null,
                                              p_criteria jsonb default '{}', p_limit integer default null,
                                              p_offset integer default 0, p_request_id text default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.run_search(p_user, 'employees', p_project_id, p_criteria, p_limit, p_offset, p_request_id, p_fund_id)
$$;

create function private.search_companies(p_user uuid, p_project_id uuid default null, p_criteria jsonb default '{}',
                                         p_limit integer default null, p_offset integer default 0, p_request_id text default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.run_search(p_user, 'companies', p_project_id, p_criteria, p_limit, p_offset, p_request_id)
$$;

-- Frontend RPCs (PostgREST: POST /rest/v1/rpc/search_investors with a JSON body of named arguments).
create function public.search_investors(project_id uuid default null, criteria jsonb default '{}',
                                        result_limit integer default null, result_offset integer default 0,
                                        request_id text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  return private.run_search(auth.uid(), 'investors', search_investors.project_id, search_investors.criteria,
                            search_investors.result_limit, search_investors.result_offset, search_investors.request_id);
end $$;
comment on function public.search_investors(uuid, jsonb, integer, integer, text) is
  'Angels and funds (with their best people) ranked for a project and/or criteria {categories, stage, country, region, city, funding_ask_usd, query, kinds, exclude_contacted, min_score}. Charges investor_search once per request_id; results capped by plan.';

create function public.search_fund_employees(fund_id uuid default null, project_id uuid default null, criteria jsonb default '{}',
                                             result_limit integer default null, result_offset integer default 0,
                                             request_id text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  return private.run_search(auth.uid(), 'employees', search_fund_employees.project_id, search_fund_employees.criteria,
                            search_fund_employees.result_limit, search_fund_employees.result_offset,
                            search_fund_employees.request_id, search_fund_employees.fund_id);
end $$;
comment on function public.search_fund_employees(uuid, uuid, jsonb, integer, integer, text) is
  'The people of one fund (fund_id, or criteria {"fund": "<name>"}) ranked for a project/criteria. Charges employee_search.';

create function public.search_companies(project_id uuid default null, criteria jsonb default '{}',
                                        result_limit integer default null, result_offset integer default 0,
                                        request_id text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  return private.run_search(auth.uid(), 'companies', search_companies.project_id, search_companies.criteria,
                            search_companies.result_limit, search_companies.result_offset, search_companies.request_id);
end $$;
comment on function public.search_companies(uuid, jsonb, integer, integer, text) is
  'Service companies for a need: criteria {services, query, categories, country, city}. Charges company_search.';

-- Feedback RPCs ---------------------------------------------------------------------------------------

-- Public profile of anything feedback can point at (no contact details).
create function private.entity_card(p_kind text, p_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case p_kind
    when 'angel' then (select jsonb_build_object('name', a.full_name, 'headline', a.headline, 'location', a.location,
                                                 'linkedin_url', a.linkedin_url, 'profile_pic_url', a.profile_pic_url)
                       from public.angel_investors a where a.id = p_id)
    when 'fund' then (select jsonb_build_object('name', f.name, 'headline', left(f.description, 280), 'location', f.location,
                                                'linkedin_url', f.linkedin_url, 'website', f.website)
                      from public.investment_funds f where f.id = p_id)
    when 'fund_employee' then (select jsonb_build_object('name', e.full_name, 'headline', e.headline, 'title', e.job_title,
                                                         'fund', jsonb_build_object('id', f.id, 'name', f.name),
                                                         'location', e.location, 'linkedin_url', e.linkedin_url,
                                                         'profile_pic_url', e.profile_pic_url)
                               from public.fund_employees e join public.investment_funds f on f.id = e.fund_id where e.id = p_id)
    when 'company' then (select jsonb_build_object('name', c.name, 'headline', left(c.description, 280), 'location', c.location,
                                                   'service_category', c.service_category, 'linkedin_url', c.linkedin_url,
                                                   'website', c.website)
                         from public.companies c where c.id = p_id)
  end
$$;

-- Records (or changes) a user's verdict on an investor. Service callers (outreach marking "contacted")
-- use this directly; users go through the public wrappers below.
create function private.set_investor_feedback(p_user uuid, p_kind text, p_id uuid, p_verdict text,
                                              p_note text default null, p_search_id uuid default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_row public.investor_feedback;
begin
  if p_user is null then
    raise exception 'sign in to give feedback' using errcode = '42501';
  end if;
  if p_kind is null or p_kind not in ('angel', 'fund', 'fund_employee', 'company') then
    raise exception 'unknown investor kind "%"', p_kind
      using errcode = 'P0001', hint = 'Use angel, fund, fund_employee or company (the kind of a search result).';
  end if;
  if p_id is null then
    raise exception 'investor id is required' using errcode = 'P0001';
  end if;
  if p_search_id is not null and not exists (select 1 from public.search_results s where s.id = p_search_id and s.user_id = p_user) then
    raise exception 'search not found' using errcode = 'PT404';
  end if;
  insert into public.investor_feedback as f (user_id, investor_kind, investor_id, verdict, note, search_id)
  values (p_user, p_kind, p_id, p_verdict, nullif(btrim(p_note), ''), p_search_id)
  on conflict (user_id, investor_kind, investor_id) do update
    set verdict = excluded.verdict,
        note = coalesce(excluded.note, f.note),
        search_id = coalesce(excluded.search_id, f.search_id)
  returning * into v_row;
  return jsonb_build_object('investor_kind', v_row.investor_kind, 'investor_id', v_row.investor_id,
                            'verdict', v_row.verdict, 'note', v_row.note, 'search_id', v_row.search_id,
                            'created_at', v_row.created_at, 'updated_at', v_row.updated_at);
end $$;

create function public.save_investor(investor_kind text, investor_id uuid, note text default null, search_id uuid default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_investor_feedback(auth.uid(), save_investor.investor_kind, save_investor.investor_id, 'saved',
                                       save_investor.note, save_investor.search_id)
$$;
comment on function public.save_investor(text, uuid, text, uuid) is 'Saves an investor (angel, fund, fund_employee or company): flagged and slightly boosted in later searches.';

create function public.dismiss_investor(investor_kind text, investor_id uuid, note text default null, search_id uuid default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_investor_feedback(auth.uid(), dismiss_investor.investor_kind, dismiss_investor.investor_id, 'dismissed',
                                       dismiss_investor.note, dismiss_investor.search_id)
$$;
comment on function public.dismiss_investor(text, uuid, text, uuid) is 'Dismisses an investor: never shown to this user again (until clear_investor_feedback).';

create function public.mark_investor_contacted(investor_kind text, investor_id uuid, note text default null, search_id uuid default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_investor_feedback(auth.uid(), mark_investor_contacted.investor_kind, mark_investor_contacted.investor_id,
                                       'contacted', mark_investor_contacted.note, mark_investor_contacted.search_id)
$$;
comment on function public.mark_investor_contacted(text, uuid, text, uuid) is 'Marks an investor as already contacted: left out of later searches unless criteria.exclude_contacted is false.';

create function public.clear_investor_feedback(investor_kind text, investor_id uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'sign in to change feedback' using errcode = '42501';
  end if;
  delete from public.investor_feedback f
  where f.user_id = v_uid and f.investor_kind = clear_investor_feedback.investor_kind
    and f.investor_id = clear_investor_feedback.investor_id;
  return found;
end $$;
comment on function public.clear_investor_feedback(text, uuid) is 'Undoes save/dismiss/contacted for one investor; true when there was something to undo.';

create function public.list_investor_feedback(verdict text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'sign in to see your saved investors' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('investor_kind', f.investor_kind, 'investor_id', f.investor_id,
                                        'verdict', f.verdict, 'note', f.note, 'search_id', f.search_id,
                                        'updated_at', f.updated_at, 'investor', private.entity_card(f.investor_kind, f.investor_id))
                     order by f.updated_at desc)
    from public.investor_feedback f
    where f.user_id = v_uid and (list_investor_feedback.verdict is null or f.verdict = list_investor_feedback.verdict)), '[]');
end $$;
comment on function public.list_investor_feedback(text) is 'The signed-in user''s saved / dismissed / contacted investors with their public profile (newest first).';

-- Access ----------------------------------------------------------------------------------------------

alter table public.search_weights enable row level security;
alter table public.search_stage_mix enable row level security;
alter table public.search_aliases enable row level security;
-- Tuning data: the service (sidecar, operators) reads and edits it; clients see only its effect.
grant select, insert, update, delete on public.search_weights, public.search_stage_mix, public.search_aliases to service_role;
grant select on private.investor_docs, private.investor_doc_sectors, private.sector_bits to service_role;

grant execute on function
  public.search_investors(uuid, jsonb, integer, integer, text),
  public.search_fund_employees(uuid, uuid, jsonb, integer, integer, text),
  public.search_companies(uuid, jsonb, integer, integer, text),
  public.save_investor(text, uuid, text, uuid),
  public.dismiss_investor(text, uuid, text, uuid),
  public.mark_investor_contacted(text, uuid, text, uuid),
  public.clear_investor_feedback(text, uuid),
  public.list_investor_feedback(text)
  to authenticated, service_role;

grant execute on function
  private.search_investors(uuid, uuid, jsonb, integer, integer, text),
  private.search_fund_employees(uuid, uuid, uuid, jsonb, integer, integer, text),
  private.search_companies(uuid, uuid, jsonb, integer, integer, text),
  private.rank_investors(jsonb, uuid, integer, integer),
  private.rank_fund_employees(uuid, jsonb, uuid, integer, integer),
  private.rank_companies(jsonb, uuid, integer, integer),
  private.set_investor_feedback(uuid, text, uuid, text, text, uuid),
  private.refresh_investor_priors(),
  private.normalize_criteria(jsonb, text),
  private.parse_search_text(text),
  private.parse_stage(text),
  private.parse_country(text),
  private.parse_region(text),
  private.search_weight_map(),
  private.fold(text)          -- used by the check constraint of search_aliases
  to service_role;
