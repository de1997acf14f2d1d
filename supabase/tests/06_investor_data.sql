-- Investor data (angels, funds, fund employees, service companies) carries contact details: no client role
-- may read or write it through the Data API; only the service role (and the search functions) can.
begin;
set local search_path = public, extensions;
select plan(53);

select tests.create_user('alice');

insert into public.investment_funds (id, name, linkedin_url, email, country, categories_strong, stages_strong)
values ('f0000000-0000-4000-8000-000000000001', 'Seaside Ventures', 'https://www.linkedin.com/company/seaside-ventures',
        'deals@seaside.vc', 'ES', '{fintech}', '{seed}');
insert into public.angel_investors (id, linkedin_url, full_name, email, country, categories_strong)
values ('a0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/jane-angel', 'Jane Angel', 'jane@angel.com', 'ES', '{fintech}');
insert into public.fund_employees (id, fund_id, linkedin_url, full_name, email, seniority)
values ('e0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001',
        'https://www.linkedin.com/in/pat-partner', 'Pat Partner', 'pat@seaside.vc', 'partner');
insert into public.companies (id, name, service_category, email, sectors)
values ('c0000000-0000-4000-8000-000000000001', 'Lex & Co', 'legal', 'hello@lex.co', '{fintech,saas}');

-- anon and authenticated: 42501 on every operation of every table -------------------------------
create temp table investor_ops (tbl text, op text, sql text) on commit drop;
insert into investor_ops
select t.tbl, o.op, format(o.sql, t.tbl, t.id)
from (values ('angel_investors', 'a0000000-0000-4000-8000-000000000001'),
             ('investment_funds', 'f0000000-0000-4000-8000-000000000001'),
             ('fund_employees', 'e0000000-0000-4000-8000-000000000001'),
             ('companies', 'c0000000-0000-4000-8000-000000000001')) as t(tbl, id)
cross join (values ('select', 'select email from public.%I where id = %L'),
                   ('insert', 'insert into public.%I (id) values (%L)'),
                   ('update', 'update public.%I set email = ''pwned@evil.com'' where id = %L'),
                   ('delete', 'delete from public.%I where id = %L')) as o(op, sql);
grant select on investor_ops to public;

select tests.as_anon();
select throws_ok(sql, '42501', null, format('anon cannot %s %s', op, tbl))
from investor_ops order by tbl, op;

select tests.as_user('alice');
select throws_ok(sql, '42501', null, format('authenticated cannot %s %s', op, tbl))
from investor_ops order by tbl, op;

-- Not even a count leaks.
select throws_ok($$ select count(*) from public.angel_investors $$, '42501', null,
  'authenticated cannot even count angel_investors');

-- service_role: full access ---------------------------------------------------------------------
select tests.as_service();
select results_eq(
  $$ select (select email from public.angel_investors where id = 'a0000000-0000-4000-8000-000000000001'),
            (select email from public.investment_funds where id = 'f0000000-0000-4000-8000-000000000001'),
            (select email from public.fund_employees where id = 'e0000000-0000-4000-8000-000000000001'),
            (select email from public.companies where id = 'c0000000-0000-4000-8000-000000000001') $$,
  $$ values ('jane@angel.com', 'deals@seaside.vc', 'pat@seaside.vc', 'hello@lex.co') $$,
  'service_role reads all four tables, contact data included');
select lives_ok(
  $$ insert into public.angel_investors (linkedin_url, full_name, stages_strong, check_min_usd, check_max_usd, score)
     values ('https://www.linkedin.com/in/sam-seed', 'Sam Seed', '{pre_seed,seed}', 25000, 100000, 87.5) $$,
  'service_role inserts an angel');
select lives_ok(
  $$ insert into public.investment_funds (name, website) values ('Mountain Capital', 'https://mountain.vc') $$,
  'service_role inserts a fund');
select lives_ok(
  $$ insert into public.fund_employees (fund_id, linkedin_url, full_name, score)
     values ('f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/alex-associate', 'Alex Associate', 7.5) $$,
  'service_role inserts a fund employee');
select lives_ok(
  $$ insert into public.companies (name, service_category, sectors) values ('Build Ltd', 'development', '{saas}') $$,
  'service_role inserts a company');
select is(tests.affected($$ update public.angel_investors set score = 90 where id = 'a0000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'service_role updates an angel');
select is(tests.affected($$ update public.investment_funds set description = 'Seed fund' where id = 'f0000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'service_role updates a fund');
select is(tests.affected($$ update public.fund_employees set job_title = 'General Partner' where id = 'e0000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'service_role updates a fund employee');
select is(tests.affected($$ update public.companies set relevance_score = 70 where id = 'c0000000-0000-4000-8000-000000000001' $$),
  1::bigint, 'service_role updates a company');
select is(tests.affected($$ delete from public.angel_investors where full_name = 'Sam Seed' $$), 1::bigint,
  'service_role deletes an angel');
select is(tests.affected($$ delete from public.companies where name = 'Build Ltd' $$), 1::bigint,
  'service_role deletes a company');
select is(tests.affected($$ delete from public.investment_funds where id = 'f0000000-0000-4000-8000-000000000001' $$), 1::bigint,
  'service_role deletes a fund');
select is((select count(*)::int from public.fund_employees where fund_id = 'f0000000-0000-4000-8000-000000000001'), 0,
  'deleting a fund deletes its employees');

-- Data shape -------------------------------------------------------------------------------------
select throws_ok($$ insert into public.angel_investors (linkedin_url, full_name) values ('https://evil.com/in/x', 'X') $$,
  '23514', null, 'angels need a linkedin.com/in/ profile URL');
select throws_ok($$ insert into public.investment_funds (name) values ('MOUNTAIN capital') $$,
  '23505', null, 'fund names are unique, case-insensitively');
select throws_ok($$ insert into public.angel_investors (linkedin_url, full_name, check_min_usd, check_max_usd)
                   values ('https://www.linkedin.com/in/upside-down', 'Upside Down', 500000, 1000) $$,
  '23514', null, 'check_min_usd cannot exceed check_max_usd');
select throws_ok($$ insert into public.angel_investors (linkedin_url, full_name, categories_strong)
                   values ('https://www.linkedin.com/in/bad-shape', 'Bad Shape', '{Fin Tech}') $$,
  '23514', null, 'sector ids must be snake_case ids');
select throws_ok($$ insert into public.angel_investors (linkedin_url, full_name, categories_strong)
                   values ('https://www.linkedin.com/in/ghost-sector', 'Ghost Sector', '{blockchainz}') $$,
  null::char(5), null, 'an unknown sector id is rejected (investor sectors are ids from public.sectors)');
select throws_ok($$ insert into public.companies (name, service_category, sectors) values ('Ghost Ltd', 'legal', '{quantum_finance}') $$,
  null::char(5), null, 'a company''s unknown sector id is rejected');
select is((select search_doc @@ to_tsquery('simple', 'jane') from public.angel_investors where id = 'a0000000-0000-4000-8000-000000000001'),
  true, 'search_doc indexes the name');

select * from finish();
rollback;
