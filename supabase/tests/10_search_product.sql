-- Searches as a product: the public RPCs check the caller and the project, cap results by plan, charge
-- credits once per search (idempotent with request_id, nothing for an empty search, nothing recorded when
-- credits are short), record search_results and broadcast search_progress. Plus fund-employee and
-- service-company searches.
begin;
set local search_path = public, extensions;
select plan(49);

select tests.create_user('alice');
select tests.create_user('bob');

insert into public.angel_investors (id, linkedin_url, full_name, email, city, country, categories_strong, categories_general,
                                    stages_strong, stages_general, score)
select ('a0000000-0000-4000-8000-0000000000' || lpad(i::text, 2, '0'))::uuid, 'https://www.linkedin.com/in/angel-' || i,
       'Angel ' || i, 'angel' || i || '@example.com', 'Madrid', 'ES', '{fintech}', '{fintech}', '{seed}', '{seed}', 50 + i
from generate_series(1, 20) i;
insert into public.investment_funds (id, name, email, phone, country, categories_strong, categories_general, stages_strong, stages_general, score)
values ('f0000000-0000-4000-8000-000000000001', 'Alpha Fintech Ventures', 'deals@alpha.vc', '+34 600 000 000', 'ES',
        '{fintech}', '{fintech}', '{seed}', '{seed}', 80);
insert into public.fund_employees (id, fund_id, linkedin_url, full_name, seniority, email, country, score)
values ('e0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/p1', 'Paula Partner', 'partner', 'p@alpha.vc', 'ES', 8),
       ('e0000000-0000-4000-8000-000000000002', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/p2', 'Andres Analyst', 'analyst', null, 'ES', 9),
       ('e0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/p3', 'Mario Managing', 'managing_partner', null, 'ES', 7);
insert into public.companies (id, name, service_category, sectors, keywords, description, email, country, city, relevance_score)
values ('c0000000-0000-4000-8000-000000000001', 'Ruiz Abogados', 'legal', '{}', '{term sheets,pactos de socios}',
        'Firma de abogados para startups.', 'hola@ruiz.es', 'ES', 'Madrid', 60),
       ('c0000000-0000-4000-8000-000000000002', 'Pixel Growth', 'marketing', '{fintech}', '{seo,performance marketing}',
        'Growth marketing agency for fintech startups.', null, 'ES', 'Barcelona', 70);

-- alice: a project complete enough (categories + stage = 50); bob: one that is not (categories = 25)
insert into public.projects (id, user_id, name, categories, stage, country, city, funding_ask_usd)
values ('b0000000-0000-4000-8000-0000000000a1', tests.uid('alice'), 'Verdana Pay', '{fintech}', 'seed', 'ES', 'Madrid', 500000),
       ('b0000000-0000-4000-8000-0000000000b1', tests.uid('bob'), 'Half-baked', '{fintech}', null, null, null, null);

-- Caller and project checks ------------------------------------------------------------------------
select tests.as_user('bob');
select throws_like($$ select public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000b1') $$,
  '%25 % complete%', 'an investor search on a project under 50% completeness is refused');
select throws_ok($$ select public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000b1') $$,
  'P0001', null, '... as a validation error (P0001, HTTP 400)');
create temp table err on commit drop as select ''::text as hint, ''::text as detail;
grant all on err to public;
do $$
declare
  v_hint text;
  v_detail text;
begin
  perform public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000b1');
exception when others then
  get stacked diagnostics v_hint = pg_exception_hint, v_detail = pg_exception_detail;
  update err set hint = v_hint, detail = v_detail;
end $$;
select is((select hint from err), 'Tell us about: stage, metrics, team, problem, product_status, previous_funding.',
  '... whose hint lists public.project_missing_facts(project)');
select is((select detail::jsonb from err), '{"completeness": 25, "required": 50, "missing": ["stage", "metrics", "team", "problem", "product_status", "previous_funding"]}'::jsonb,
  '... and whose detail carries them as JSON');
select throws_ok($$ select public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000a1') $$,
  'PT404', null, 'another user''s project is not found (HTTP 404)');
select throws_ok($$ select public.search_investors() $$, 'P0001', null, 'a search needs a project, sectors or a query');
select is((select count(*)::int from public.search_results where user_id = tests.uid('bob')), 0, 'refused searches are not recorded');
select is((public.credit_status() ->> 'available')::int, 250, 'refused searches are not charged');

-- A search -----------------------------------------------------------------------------------------
select tests.as_user('alice');
create temp table s1 on commit drop as
select public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000a1', result_limit => 50, request_id => 'req-1') as r;
select is((select jsonb_array_length(r -> 'results') from s1), 5, 'the free plan sees 5 results, whatever it asks for');
select is((select r -> 'plan' from s1), '{"id": "free", "limited": true, "result_limit": 5}', '... and is told more exist');
select is((select r -> 'credits' ->> 'charged' from s1), '50', 'an investor search costs 50 credits');
select is((public.credit_status() ->> 'available')::int, 200, '... taken from the daily allowance first');
select is((select r ->> 'replayed' from s1), 'false', 'a new search is not a replay');
select is((select r -> 'criteria' ->> 'project_id' from s1), 'b0000000-0000-4000-8000-0000000000a1', 'the criteria name the project');
select is((select r -> 'criteria' -> 'categories' from s1), '["fintech"]', '... and carry its facts');
select ok((select not jsonb_path_exists(r, 'strict $.**.email') and not jsonb_path_exists(r, 'strict $.**.phone') from s1),
  'no e-mail or phone anywhere in the response');
select results_eq(
  $$ select kind, project_id, result_count, credits_charged, request_id from public.search_results $$,
  $$ values ('investors', 'b0000000-0000-4000-8000-0000000000a1'::uuid, 5, 50, 'req-1') $$,
  'the search is recorded in search_results (readable by its owner)');
select is((select results from public.search_results), (select r -> 'results' from s1), '... with the results it returned');
select is((select count(*)::int from public.credit_ledger where idempotency_key = 'search:req-1'), 1, 'one ledger debit, keyed by the request id');

-- the same request again: replayed, not charged
create temp table s2 on commit drop as
select public.search_investors(project_id => 'b0000000-0000-4000-8000-0000000000a1', request_id => 'req-1') as r;
select is((select r ->> 'replayed' from s2), 'true', 'a retried request_id replays the search');
select is((select r ->> 'search_id' from s2), (select r ->> 'search_id' from s1), '... the same search');
select is((public.credit_status() ->> 'available')::int, 200, '... without charging again');
select is((select count(*)::int from public.search_results), 1, '... or recording it twice');
select throws_ok($$ select public.search_companies(criteria => '{"services": ["legal"]}', request_id => 'req-1') $$,
  'P0001', null, 'a request_id cannot be reused for another kind of search');

-- paging and filters
select is(jsonb_array_length(public.search_investors(criteria => '{"categories": ["fintech"], "country": "ES"}', result_offset => 5) -> 'results'), 5,
  'the next page is another search');
select is((public.credit_status() ->> 'available')::int, 150, '... and is charged as one');
select throws_ok($$ select public.search_investors(criteria => '{"categories": ["fintech"]}', result_offset => 100000) $$,
  'P0001', null, 'paging deeper than search.max_offset is refused');
select throws_ok($$ select public.search_investors(criteria => '{"categories": ["fintech"]}', result_limit => 0) $$,
  'P0001', null, 'result_limit must be positive');

-- an empty search: recorded, not charged
create temp table s3 on commit drop as
select public.search_investors(criteria => '{"categories": ["govtech"], "stage": "growth"}') as r;
select is((select (r ->> 'result_count')::int from s3), 0, 'a search can find nothing');
select is((select r -> 'credits' ->> 'status' from s3), 'not_charged', '... and then it is not charged');
select is((public.credit_status() ->> 'available')::int, 150, '... the balance is unchanged');
select is((select credits_charged from public.search_results where id = (select (r ->> 'search_id')::uuid from s3)), 0,
  '... but it is recorded');

-- broadcasts
select tests.as_postgres();
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'search_progress'
             and payload ->> 'status' = 'completed'), 3, 'every recorded search broadcasts search_progress completed');

-- not enough credits: refused with PT402, nothing recorded
update public.credit_accounts set balance = 10, daily_used = 50, daily_period = (now() at time zone 'utc')::date
where user_id = tests.uid('alice');
select tests.as_user('alice');
select throws_ok($$ select public.search_investors(criteria => '{"categories": ["fintech"]}', request_id => 'req-poor') $$,
  'PT402', null, 'a search without enough credits is refused (HTTP 402)');
select is((select count(*)::int from public.search_results where request_id = 'req-poor'), 0, '... and not recorded');
select is((public.credit_status() ->> 'balance')::int, 10, '... and not charged');

-- pro plan sees more
select tests.as_postgres();
update public.profiles set plan_id = 'pro' where id = tests.uid('alice');
update public.credit_accounts set balance = 1000 where user_id = tests.uid('alice');
select tests.as_user('alice');
select is(jsonb_array_length(public.search_investors(criteria => '{"categories": ["fintech"], "country": "ES"}', result_limit => 50) -> 'results'), 15,
  'the pro plan sees 15 results (plans.search_result_limit)');

-- Fund employees -------------------------------------------------------------------------------------
create temp table emp on commit drop as
select public.search_fund_employees(fund_id => 'f0000000-0000-4000-8000-000000000001',
                                    criteria => '{"categories": ["fintech"], "stage": "seed", "country": "ES"}') as r;
select is((select string_agg(p ->> 'name', ', ' order by (p ->> 'score')::int desc) from emp, jsonb_array_elements(r -> 'results') p),
  'Paula Partner, Mario Managing, Andres Analyst', 'fund people are ranked by seniority and score');
select is((select r -> 'fund' ->> 'name' from emp), 'Alpha Fintech Ventures', '... under their fund');
select is((select r -> 'credits' ->> 'charged' from emp), '25', 'an employee search costs 25 credits');
select ok((select not jsonb_path_exists(r, 'strict $.**.email') from emp), '... and shows no e-mail');
select is(public.search_fund_employees(criteria => '{"fund": "alpha fintech ventures"}') -> 'fund' ->> 'id',
  'f0000000-0000-4000-8000-000000000001', 'the fund can be named instead of given by id');
select throws_ok($$ select public.search_fund_employees(fund_id => gen_random_uuid()) $$, 'PT404', null, 'an unknown fund is not found');
select lives_ok($$ select public.dismiss_investor('fund_employee', 'e0000000-0000-4000-8000-000000000001') $$, 'alice dismisses Paula');
select is((select string_agg(p ->> 'name', ', ') from jsonb_array_elements(
             public.search_fund_employees(fund_id => 'f0000000-0000-4000-8000-000000000001') -> 'results') p
           where p ->> 'name' = 'Paula Partner'), null, 'a dismissed person is left out of later employee searches');

-- Companies ----------------------------------------------------------------------------------------------
create temp table co on commit drop as
select public.search_companies(criteria => '{"query": "abogados para mi startup en España"}') as r;
select is((select r -> 'results' -> 0 ->> 'name' from co), 'Ruiz Abogados', 'a Spanish need finds the legal firm');
select is((select r -> 'results' -> 0 -> 'reasons' ->> 'service' from co), 'match', '... and says the service matches');
select is((select r -> 'credits' ->> 'charged' from co), '25', 'a company search costs 25 credits');
select is(public.search_companies(criteria => '{"query": "growth marketing agency", "categories": ["fintech"]}') -> 'results' -> 0 ->> 'name',
  'Pixel Growth', 'an English need finds the marketing agency serving fintech');

select * from finish();
rollback;
