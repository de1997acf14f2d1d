-- Investor search ranking on a hand-built set where the right order is known: strong sector beats general,
-- same place beats elsewhere, exact stage beats adjacent beats unrelated, fresh beats stale; floors,
-- dismissals, the angel/fund mix, people under a fund, free text, and the index kept in step by triggers.
begin;
set local search_path = public, extensions;
select plan(44);

select tests.create_user('alice');
select tests.create_user('bob');

-- Angels: all quality 70, verified 10 days ago, tickets 25k-100k, unless the name says otherwise.
insert into public.angel_investors (id, linkedin_url, full_name, city, country, categories_strong, categories_general,
                                    stages_strong, stages_general, check_min_usd, check_max_usd, score, data_updated_at)
select id::uuid, 'https://www.linkedin.com/in/' || slug, name, city, country, cs::text[], cg::text[], ss::public.funding_stage[],
       sg::public.funding_stage[], 25000, 100000, score, now() - (age_days || ' days')::interval
from (values
  ('a0000000-0000-4000-8000-000000000001', 'ana', 'Ana Strong Madrid', 'Madrid', 'ES', '{fintech}', '{fintech,saas}', '{seed}', '{pre_seed,seed}', 70, 10),
  ('a0000000-0000-4000-8000-000000000002', 'bob', 'Bob General NYC', 'New York', 'US', '{saas}', '{fintech,saas}', '{seed}', '{seed}', 70, 10),
  ('a0000000-0000-4000-8000-000000000003', 'carla', 'Carla Adjacent Stage', 'Barcelona', 'ES', '{fintech}', '{fintech}', '{series_a}', '{series_a}', 70, 10),
  ('a0000000-0000-4000-8000-000000000004', 'dario', 'Dario Unrelated Stage', 'Valencia', 'ES', '{fintech}', '{fintech}', '{series_c}', '{series_c}', 70, 10),
  ('a0000000-0000-4000-8000-000000000005', 'elena', 'Elena Dismissed', 'Madrid', 'ES', '{fintech}', '{fintech}', '{seed}', '{seed}', 95, 1),
  ('a0000000-0000-4000-8000-000000000006', 'fede', 'Fede Low Quality', 'Madrid', 'ES', '{fintech}', '{fintech}', '{seed}', '{seed}', 30, 1),
  ('a0000000-0000-4000-8000-000000000007', 'gema', 'Gema Related Sector', 'Madrid', 'ES', '{insurtech}', '{insurtech}', '{seed}', '{seed}', 70, 10),
  ('a0000000-0000-4000-8000-000000000008', 'hugo', 'Hugo Stale Madrid', 'Madrid', 'ES', '{fintech}', '{fintech,saas}', '{seed}', '{pre_seed,seed}', 70, 1100),
  ('a0000000-0000-4000-8000-000000000009', 'ines', 'Ines Global', null, null, '{fintech}', '{fintech}', '{seed}', '{seed}', 70, 10),
  ('a0000000-0000-4000-8000-000000000010', 'juan', 'Juan Lisbon', 'Lisbon', 'PT', '{fintech}', '{fintech}', '{seed}', '{seed}', 70, 10),
  ('a0000000-0000-4000-8000-000000000011', 'kai', 'Kai Climate Bogota', 'Bogotá', 'CO', '{climate}', '{climate,fintech}', '{seed}', '{seed}', 70, 10)
) v(id, slug, name, city, country, cs, cg, ss, sg, score, age_days);
-- Elena would top every list: alice dismissed her.
insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
values (tests.uid('alice'), 'angel', 'a0000000-0000-4000-8000-000000000005', 'dismissed');

-- Funds, one with four people (contact details set: they must never come out).
insert into public.investment_funds (id, name, linkedin_url, description, email, phone, city, country, categories_strong,
                                     categories_general, stages_strong, stages_general, check_min_usd, check_max_usd, score)
values ('f0000000-0000-4000-8000-000000000001', 'Alpha Fintech Ventures', 'https://www.linkedin.com/company/alpha-fintech',
        'Seed fintech fund in Madrid.', 'deals@alpha.vc', '+34 600 000 000', 'Madrid', 'ES', '{fintech}', '{fintech,saas}',
        '{seed}', '{pre_seed,seed,series_a}', 250000, 1000000, 80),
       ('f0000000-0000-4000-8000-000000000002', 'Omega Growth Partners', null, 'Late-stage software.', null, null,
        'San Francisco', 'US', '{saas}', '{saas}', '{series_c,growth}', '{series_b,series_c,growth}', 10000000, 30000000, 85);
insert into public.fund_employees (id, fund_id, linkedin_url, full_name, job_title, seniority, email, city, country, score)
values ('e0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/maria-mp',
        'Maria Managing', 'Managing Partner', 'managing_partner', 'maria@alpha.vc', 'Madrid', 'ES', 8.0),
       ('e0000000-0000-4000-8000-000000000002', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/alex-assoc',
        'Alex Associate', 'Associate', 'associate', null, 'Madrid', 'ES', 6.5),
       ('e0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/ana-analyst',
        'Ana Analyst', 'Analyst', 'analyst', null, 'Madrid', 'ES', 6.0),
       ('e0000000-0000-4000-8000-000000000004', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/pablo-partner',
        'Pablo Partner', 'Partner', 'partner', null, 'Madrid', 'ES', 5.0);

create temp table angels_seed on commit drop as
select (r ->> 'rank')::int as rank, r ->> 'name' as name, (r ->> 'score')::numeric as score, r -> 'reasons' as reasons
from jsonb_array_elements(private.rank_investors(
  '{"categories": ["fintech"], "stage": "seed", "country": "ES", "city": "Madrid", "funding_ask_usd": 500000, "kinds": ["angel"]}',
  tests.uid('alice'), 20) -> 'results') r;

create function pg_temp.pos(p_name text) returns int language sql as $$ select rank from angels_seed where name = p_name $$;

-- Ordering --------------------------------------------------------------------------------------
select ok(pg_temp.pos('Ana Strong Madrid') < pg_temp.pos('Bob General NYC'),
  'a strong-sector seed investor in the same city outranks a general-sector one elsewhere');
select is(pg_temp.pos('Ana Strong Madrid'), 1, 'the strong, exact-stage, same-city, fresh angel ranks first');
select ok(pg_temp.pos('Carla Adjacent Stage') < pg_temp.pos('Dario Unrelated Stage'), 'an adjacent stage beats an unrelated one');
select ok(pg_temp.pos('Ana Strong Madrid') < pg_temp.pos('Hugo Stale Madrid'), 'a fresh profile beats an identical stale one');
select ok(pg_temp.pos('Juan Lisbon') < pg_temp.pos('Bob General NYC') and pg_temp.pos('Ines Global') < pg_temp.pos('Bob General NYC'),
  'same region and global investors rank above an investor with only a general sector match elsewhere');
select ok(pg_temp.pos('Juan Lisbon') < pg_temp.pos('Ines Global'), 'same region beats a global investor');
select ok(pg_temp.pos('Bob General NYC') is not null and pg_temp.pos('Gema Related Sector') is not null,
  'general and related sector matches are still candidates');
select is(pg_temp.pos('Elena Dismissed'), null, 'a dismissed investor never returns');
select is(pg_temp.pos('Fede Low Quality'), null, 'angels under the quality floor are never shown');
select is(pg_temp.pos('Omega Growth Partners'), null, 'kinds ["angel"] leaves funds out');
select is((select count(*)::int from angels_seed), 9, 'every other angel is listed (pass two fills in the unrelated stage)');
select is((select rank from angels_seed order by rank desc limit 1), pg_temp.pos('Dario Unrelated Stage'),
  'the unrelated stage comes last, after every stage-fitting investor');
select ok((select bool_and(a.score >= b.score) from angels_seed a join angels_seed b on b.rank = a.rank + 1
           where b.name <> 'Dario Unrelated Stage'), 'the stage-fitting results are in score order');

-- Reasons ---------------------------------------------------------------------------------------
select is((select reasons from angels_seed where name = 'Ana Strong Madrid') - 'freshness_days',
  '{"sectors_strong": ["fintech"], "sectors_general": [], "sectors_related": ["saas"], "stage": "exact", "stage_strength": "strong",
    "geography": "city", "check_size": "fits", "quality": 70, "saved": false}'::jsonb,
  'reasons say why: strong sector, exact stage, same city, ticket fits, quality');
select is((select reasons ->> 'freshness_days' from angels_seed where name = 'Ana Strong Madrid'), '10', '... and how fresh the profile is');
select is((select reasons -> 'sectors_general' from angels_seed where name = 'Bob General NYC'), '["fintech"]', 'a general sector match is named');
select is((select reasons ->> 'geography' from angels_seed where name = 'Bob General NYC'), 'none', 'another region is geography none');
select is((select reasons -> 'sectors_related' from angels_seed where name = 'Gema Related Sector'), '["insurtech"]', 'a related sector is named');
select is((select reasons ->> 'stage' from angels_seed where name = 'Carla Adjacent Stage'), 'adjacent', 'an adjacent stage is named');
select is((select reasons ->> 'stage' from angels_seed where name = 'Dario Unrelated Stage'), 'none', 'an unrelated stage says none');
select is((select reasons ->> 'geography' from angels_seed where name = 'Juan Lisbon'), 'region', 'same region');
select is((select reasons ->> 'geography' from angels_seed where name = 'Ines Global'), 'global', 'no home country is a global investor');
select ok((select bool_and(score between 0 and 100) from angels_seed), 'scores are 0-100');
select is((select sum(v::numeric) from jsonb_each_text(private.rank_investors(
             '{"categories": ["fintech"], "stage": "seed", "country": "ES", "city": "Madrid", "kinds": ["angel"]}', null, 1)
             -> 'results' -> 0 -> 'components') c(k, v))::int,
          (private.rank_investors('{"categories": ["fintech"], "stage": "seed", "country": "ES", "city": "Madrid", "kinds": ["angel"]}', null, 1)
             -> 'results' -> 0 ->> 'score')::int,
  'the components add up to the score');

-- Mix, funds and their people --------------------------------------------------------------------
create temp table mixed on commit drop as
select (r ->> 'rank')::int as rank, r ->> 'kind' as kind, r ->> 'name' as name, r as item
from jsonb_array_elements(private.rank_investors(
  '{"categories": ["fintech"], "stage": "seed", "country": "ES", "city": "Madrid", "funding_ask_usd": 500000}',
  tests.uid('alice'), 5) -> 'results') r;
select is((select name from mixed where rank = 1), 'Alpha Fintech Ventures', 'the best fund ranks with the angels');
select results_eq($$ select p ->> 'name' from mixed, jsonb_array_elements(item -> 'people') p where name = 'Alpha Fintech Ventures' $$,
  $$ values ('Maria Managing'), ('Alex Associate') $$,
  'a fund lists its best people, at most people.per_fund, without those under the people floor');
select ok(not exists (select 1 from mixed where jsonb_path_exists(item, 'strict $.**.email') or jsonb_path_exists(item, 'strict $.**.phone')),
  'results carry no e-mail address or phone number');
update public.search_stage_mix set fund_max_share = 0.2, angel_max_share = 0.8 where stage = 'growth';
select is((select string_agg(r ->> 'kind', ',' order by (r ->> 'rank')::int)
           from jsonb_array_elements(private.rank_investors('{"categories": ["saas"], "stage": "growth"}', null, 3) -> 'results') r),
  'fund,angel,angel', 'the stage mix caps a kind''s share of the page while the other kind has results');
select is((select string_agg(r ->> 'kind', ',' order by (r ->> 'rank')::int)
           from jsonb_array_elements(private.rank_investors('{"categories": ["saas"], "stage": "growth", "kinds": ["fund"]}', null, 3) -> 'results') r),
  'fund,fund', '... and does not hold results back when only one kind is asked for');

-- Free text ---------------------------------------------------------------------------------------
select is(private.rank_investors('{"query": "inversores fintech semilla en España", "kinds": ["angel"]}', tests.uid('alice'), 1) -> 'results' -> 0 ->> 'name',
  'Ana Strong Madrid', 'a Spanish free-text query finds the same best match');
select is(private.rank_investors('{"query": "climate fintech in LatAm"}', null, 1) -> 'results' -> 0 ->> 'name',
  'Kai Climate Bogota', '"climate fintech in LatAm" reads sectors and region from the text');
select is(private.rank_investors('{"query": "Alpha Fintech Ventures"}', null, 1) -> 'results' -> 0 ->> 'name',
  'Alpha Fintech Ventures', 'a name finds the investor');
select cmp_ok((private.rank_investors('{"query": "fintech Managing Madrid", "kinds": ["angel"]}', null, 1) -> 'results' -> 0 -> 'reasons' ->> 'text_match')::numeric,
  '>', 0::numeric, 'leftover words are matched as text and reported as text_match');

-- Saved investors ---------------------------------------------------------------------------------
select lives_ok(format($$ select private.set_investor_feedback(%L, 'angel', 'a0000000-0000-4000-8000-000000000002', 'saved') $$, tests.uid('alice')),
  'alice saves Bob');
select is((select r -> 'reasons' ->> 'saved' from jsonb_array_elements(private.rank_investors(
             '{"categories": ["fintech"], "stage": "seed", "country": "ES", "kinds": ["angel"]}', tests.uid('alice'), 20) -> 'results') r
           where r ->> 'name' = 'Bob General NYC'), 'true', 'a saved investor is flagged in later searches');
select cmp_ok((select (r ->> 'score')::int from jsonb_array_elements(private.rank_investors(
             '{"categories": ["fintech"], "stage": "seed", "country": "ES", "kinds": ["angel"]}', tests.uid('alice'), 20) -> 'results') r
           where r ->> 'name' = 'Bob General NYC'),
  '>', (select (r ->> 'score')::int from jsonb_array_elements(private.rank_investors(
             '{"categories": ["fintech"], "stage": "seed", "country": "ES", "kinds": ["angel"]}', tests.uid('bob'), 20) -> 'results') r
           where r ->> 'name' = 'Bob General NYC'),
  '... and gets the saved boost (for alice, not for bob)');
select is((select count(*)::int from jsonb_array_elements(private.rank_investors(
             '{"categories": ["fintech"], "stage": "seed", "country": "ES", "kinds": ["angel"]}', tests.uid('bob'), 20) -> 'results') r
           where r ->> 'name' = 'Elena Dismissed'), 1, 'alice''s dismissal does not hide Elena from bob');

-- Criteria validation -------------------------------------------------------------------------------
select throws_ok($$ select private.rank_investors('{"catgories": ["fintech"]}') $$, 'P0001', null, 'an unknown criteria key is refused');
select throws_ok($$ select private.rank_investors('{"categories": ["underwater basket weaving"]}') $$, 'P0001', null, 'an unknown sector is refused');
select throws_ok($$ select private.rank_investors('{"categories": ["fintech"], "stage": "series z"}') $$, 'P0001', null, 'an unknown stage is refused');
select is((private.rank_investors('{"categories": ["Servicios financieros"], "stage": "Serie A", "country": "España", "kinds": ["angel"]}', null, 1)
            -> 'criteria') - 'kinds' - 'exclude_contacted',
  '{"categories": ["fintech"], "stage": "series_a", "country": "ES", "region": "europe"}'::jsonb,
  'Spanish labels and names normalise to ids');

-- The index follows the source tables -------------------------------------------------------------
update public.angel_investors set categories_strong = '{edtech}', categories_general = '{edtech}'
where id = 'a0000000-0000-4000-8000-000000000001';
select isnt(private.rank_investors('{"categories": ["fintech"], "stage": "seed", "country": "ES", "city": "Madrid", "kinds": ["angel"]}', null, 1)
              -> 'results' -> 0 ->> 'name', 'Ana Strong Madrid', 'an update of the sectors moves the investor out of fintech');
delete from public.angel_investors where id = 'a0000000-0000-4000-8000-000000000008';
select is((select count(*)::int from private.investor_docs where investor_id = 'a0000000-0000-4000-8000-000000000008'), 0,
  'a deleted investor leaves the index');
truncate public.angel_investors;
select is((select count(*)::int from private.investor_docs where kind = 'a') + (select count(*)::int from private.investor_doc_sectors where kind = 'a'),
  0, 'truncating angels empties their part of the index');

select * from finish();
rollback;
