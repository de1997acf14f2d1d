-- Reference data (sectors, countries, plans, credit_costs): public and read-only for clients; plans and
-- costs are business data the service may change; the vocabularies themselves are sane.
begin;
set local search_path = public, extensions;
select plan(56);

select tests.create_user('alice');

create temp table ref_ops (tbl text, op text, sql text) on commit drop;
insert into ref_ops values
  ('sectors', 'insert', $$ insert into public.sectors (id, label_en, label_es) values ('spacetech', 'Space', 'Espacio') $$),
  ('sectors', 'update', $$ update public.sectors set label_en = 'Pwned' where id = 'fintech' $$),
  ('sectors', 'delete', $$ delete from public.sectors where id = 'fintech' $$),
  ('countries', 'insert', $$ insert into public.countries (code, name_en, name_es, region) values ('ZZ', 'Z', 'Z', 'europe') $$),
  ('countries', 'update', $$ update public.countries set name_en = 'Pwned' where code = 'ES' $$),
  ('countries', 'delete', $$ delete from public.countries where code = 'ES' $$),
  ('plans', 'insert', $$ insert into public.plans (id, name, price_cents, daily_credits) values ('hacker', 'Hacker', 0, 100000) $$),
  ('plans', 'update', $$ update public.plans set daily_credits = 100000 where id = 'free' $$),
  ('plans', 'delete', $$ delete from public.plans where id = 'outreach' $$),
  ('credit_costs', 'insert', $$ insert into public.credit_costs (action, credits, description) values ('free_lunch', 0, 'x') $$),
  ('credit_costs', 'update', $$ update public.credit_costs set credits = 0 where action = 'investor_search' $$),
  ('credit_costs', 'delete', $$ delete from public.credit_costs where action = 'chat_turn' $$);
grant select on ref_ops to public;

-- What exists, as seen by postgres (BYPASSRLS); clients must see the same.
create temp table ref_counts on commit drop as
select (select count(*)::int from public.sectors) as sectors, (select count(*)::int from public.countries) as countries,
       (select count(*)::int from public.plans) as plans, (select count(*)::int from public.credit_costs) as credit_costs;
grant select on ref_counts to public;
select ok((select sectors >= 30 and countries >= 70 and plans = 3 and credit_costs = 5 from ref_counts),
  'the reference tables are seeded (>= 30 sectors, >= 70 countries, 3 plans, 5 costs)');

-- Everyone reads --------------------------------------------------------------------------------
select tests.as_anon();
select results_eq(
  $$ select (select count(*)::int from public.sectors), (select count(*)::int from public.countries),
            (select count(*)::int from public.plans), (select count(*)::int from public.credit_costs) $$,
  $$ select * from ref_counts $$,
  'anon reads all sectors, countries, plans and credit costs');
select tests.as_user('alice');
select results_eq(
  $$ select (select count(*)::int from public.sectors), (select count(*)::int from public.countries),
            (select count(*)::int from public.plans), (select count(*)::int from public.credit_costs) $$,
  $$ select * from ref_counts $$,
  'authenticated reads all sectors, countries, plans and credit costs');

-- Nobody but the service writes (and nobody writes the vocabularies through the API) ------------
select tests.as_anon();
select throws_ok(sql, '42501', null, format('anon cannot %s %s', op, tbl))
from ref_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);
select tests.as_user('alice');
select throws_ok(sql, '42501', null, format('authenticated cannot %s %s', op, tbl))
from ref_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);
select tests.as_service();
select throws_ok(sql, '42501', null, format('service_role cannot %s %s (vocabularies change by migration)', op, tbl))
from ref_ops where tbl in ('sectors', 'countries') order by tbl, array_position(array['insert', 'update', 'delete'], op);
select is(tests.affected(sql), 1::bigint, format('service_role can %s %s', op, tbl))
from ref_ops where tbl in ('plans', 'credit_costs') and op <> 'delete' order by tbl, array_position(array['insert', 'update', 'delete'], op);
select is(tests.affected($$ delete from public.plans where id = 'hacker' $$), 1::bigint, 'service_role can delete plans');
select is(tests.affected($$ delete from public.credit_costs where action = 'free_lunch' $$), 1::bigint, 'service_role can delete credit_costs');
select throws_ok($$ delete from public.plans where id = 'free' $$, '23503', null, 'a plan in use cannot be deleted');

-- Inactive plans are hidden from clients ---------------------------------------------------------
select tests.as_postgres();
update public.plans set daily_credits = 50 where id = 'free';
update public.credit_costs set credits = 50 where action = 'investor_search';
update public.plans set active = false where id = 'outreach';
select tests.as_anon();
select is((select array_agg(id order by sort_order) from public.plans), array['free', 'pro'], 'anon sees only active plans');
select tests.as_user('alice');
select is((select array_agg(id order by sort_order) from public.plans), array['free', 'pro'], 'authenticated sees only active plans');
select tests.as_service();
select is((select count(*)::int from public.plans), 3, 'service_role sees inactive plans too');
select tests.as_postgres();
update public.plans set active = true where id = 'outreach';

-- The seeded business data matches the spec ------------------------------------------------------
select results_eq(
  $$ select id, price_cents, billing_interval, initial_credits, daily_credits, max_projects, outreach_enabled
     from public.plans order by sort_order $$,
  $$ values ('free', 0, null::text, 200, 50, 1, false),
            ('pro', 1900, 'month', 0, 150, 5, false),
            ('outreach', 4900, 'month', 0, 200, null::int, true) $$,
  'plans: Free $0 200+50/day 1 project; Pro $19 150/day 5 projects; Outreach $49 200/day unlimited');
select results_eq(
  $$ select action, credits from public.credit_costs order by action $$,
  $$ values ('chat_turn', 1), ('company_search', 25), ('employee_search', 25), ('investor_search', 50), ('outreach_message', 5) $$,
  'credit costs: chat 1, investor search 50, employee/company search 25, outreach message 5');
select throws_ok($$ insert into public.plans (id, name, price_cents, billing_interval, daily_credits) values ('odd', 'Odd', 0, 'month', 1) $$,
  '23514', null, 'a free plan has no billing interval (and a paid one must have one)');

-- Vocabularies ----------------------------------------------------------------------------------
select enum_has_labels('public', 'funding_stage', array['idea', 'pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'growth'],
  'funding stages, in order');
select enum_has_labels('public', 'product_status', array['idea', 'prototype', 'mvp', 'launched', 'revenue'],
  'product statuses, in order');
select is((select count(*)::int from public.sectors
           where id in ('fintech', 'healthtech', 'edtech', 'proptech', 'climate', 'saas', 'marketplace', 'ai', 'consumer')), 9,
  'the spec''s sectors exist');
select is_empty($$ select s.id || ' -> ' || r from public.sectors s, unnest(s.related) r
                   where not exists (select 1 from public.sectors t where t.id = r) $$,
  'every related sector exists');
select is_empty($$ select s.id || ': ' || x from public.sectors s, unnest(s.synonyms) x where x <> lower(btrim(x)) or x = '' $$,
  'synonyms are lower-case and trimmed');
select is_empty(
  $$ select n from (select s.id, unnest(array[s.id, lower(s.label_en), lower(s.label_es)] || s.synonyms) n from public.sectors s) t
     group by n having count(distinct id) > 1 $$,
  'no name (id, label or synonym) points to two sectors');
select is((select count(*)::int from public.countries where code in ('ES', 'US', 'GB', 'MX', 'DE')), 5, 'key countries exist');

-- Name lookups (callable by anyone) ------------------------------------------------------------
select tests.as_anon();
select results_eq(
  $$ select public.sector_id('FinTech'), public.sector_id(' pagos '), public.sector_id('IA'),
            public.sector_id('Inteligencia Artificial'), public.sector_id('salud digital'), public.sector_id('teleportation') $$,
  $$ values ('fintech', 'fintech', 'ai', 'ai', 'healthtech', null::text) $$,
  'sector_id maps ids, labels and synonyms in English and Spanish; unknown is null');
select is(public.normalize_sectors(array['SaaS', 'software', 'IA', null, '', 'machine learning']), '{ai,saas}'::text[],
  'normalize_sectors dedupes, sorts and skips blanks');
select throws_ok($$ select public.normalize_sectors(array['fintech', 'teleportation']) $$,
  'P0001', 'unknown sector "teleportation"', 'normalize_sectors names the unknown sector');

select * from finish();
rollback;
