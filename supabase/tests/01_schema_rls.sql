-- Global invariants of the exposed schema: RLS everywhere, nothing granted to anon by accident, no client
-- access to service-only functions, and SECURITY DEFINER functions pinned to a search_path.
begin;
set local search_path = public, extensions;
select plan(14);

-- Every table in public has row level security on (the result lists any table that does not).
select isnt_empty(
  $$ select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') $$,
  'public has tables (sanity check for the RLS check below)');
select is_empty(
  $$ select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
     order by 1 $$,
  'RLS is enabled on every table in public (lists those without)');

-- Data API privileges (select/insert/update/delete, table- or column-level) held by anon. Only the
-- reference tables may be read, and nothing may be written.
create temp table anon_allowed (relname text, privilege text) on commit drop;
insert into anon_allowed values
  ('sectors', 'SELECT'), ('countries', 'SELECT'), ('plans', 'SELECT'), ('credit_costs', 'SELECT'),
  ('credit_packs', 'SELECT');

select is_empty(
  $$ select c.relname::text || ': ' || p.priv
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) as p(priv)
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and (has_table_privilege('anon', c.oid, p.priv)
            or (p.priv <> 'DELETE' and has_any_column_privilege('anon', c.oid, p.priv)))
       and (c.relname::text, p.priv) not in (select relname, privilege from anon_allowed)
     order by 1 $$,
  'anon holds no Data API privilege on public tables/views outside the read-only allow-list');
select is(
  (select count(*)::int from anon_allowed a
   where has_table_privilege('anon', ('public.' || a.relname)::regclass, a.privilege)),
  5, 'anon can read exactly the five reference tables (credit packs are public prices, like plans)');

-- Privileges outside the Data API's four still matter: TRUNCATE ignores RLS and row triggers (so it would
-- also empty the append-only ledger), TRIGGER/REFERENCES let a role attach code or constraints, UPDATE on
-- a sequence allows setval(). The platform's default privileges leave these to the API roles; migrations
-- must take them back.
select is_empty(
  $$ select p.priv || ' to ' || r.role || ' on ' || string_agg(c.relname::text, ', ' order by c.relname)
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     cross join unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER']) as p(priv)
     cross join unnest(array['anon', 'authenticated']) as r(role)
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
       and has_table_privilege(r.role, c.oid, p.priv)
     group by p.priv, r.role order by 1 $$,
  'anon and authenticated hold no TRUNCATE, REFERENCES or TRIGGER on public tables');
select is_empty(
  $$ select p.priv || ' to ' || r.role || ' on ' || string_agg(c.relname::text, ', ' order by c.relname)
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     cross join unnest(array['USAGE', 'SELECT', 'UPDATE']) as p(priv)
     cross join unnest(array['anon', 'authenticated']) as r(role)
     where n.nspname = 'public' and c.relkind = 'S'
       and has_sequence_privilege(r.role, c.oid, p.priv)
     group by p.priv, r.role order by 1 $$,
  'anon and authenticated hold no privilege on public sequences');

-- Functions in private are for the service only.
select ok(not has_schema_privilege('anon', 'private', 'usage')
          and not has_schema_privilege('authenticated', 'private', 'usage'),
          'anon and authenticated have no usage on schema private');
select is_empty(
  $$ select p.oid::regprocedure::text || ' executable by ' || r.role
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     cross join unnest(array['anon', 'authenticated']) as r(role)
     where n.nspname = 'private' and has_function_privilege(r.role, p.oid, 'execute')
     order by 1 $$,
  'no function in private is executable by anon or authenticated');
select isnt_empty(
  $$ select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'private' $$,
  'private has functions (sanity check for the check above)');

-- Functions in public that the API roles may call: an explicit allow-list per role.
create temp table callable (role text, fn regprocedure) on commit drop;
insert into callable
select f.role, to_regprocedure(f.sig)
from (values ('anon', 'public.sector_id(text)'),
             ('anon', 'public.normalize_sectors(text[])'),
             ('authenticated', 'public.sector_id(text)'),
             ('authenticated', 'public.normalize_sectors(text[])'),
             ('authenticated', 'public.credit_status()'),
             ('authenticated', 'public.project_missing_facts(public.projects)'),
             ('authenticated', 'public.project_completeness(public.projects)'),
             -- investor search (20261125110000_investor_search.sql)
             ('authenticated', 'public.search_investors(uuid, jsonb, integer, integer, text)'),
             ('authenticated', 'public.search_fund_employees(uuid, uuid, jsonb, integer, integer, text)'),
             ('authenticated', 'public.search_companies(uuid, jsonb, integer, integer, text)'),
             ('authenticated', 'public.save_investor(text, uuid, text, uuid)'),
             ('authenticated', 'public.dismiss_investor(text, uuid, text, uuid)'),
             ('authenticated', 'public.mark_investor_contacted(text, uuid, text, uuid)'),
             ('authenticated', 'public.clear_investor_feedback(text, uuid)'),
             ('authenticated', 'public.list_investor_feedback(text)'),
             -- LinkedIn outreach (20261125140000_outreach.sql)
             ('authenticated', 'public.create_outreach_campaign(text, uuid, uuid, text, text)'),
             ('authenticated', 'public.add_outreach_targets(uuid, uuid, uuid[])'),
             ('authenticated', 'public.remove_outreach_target(uuid)'),
             ('authenticated', 'public.update_outreach_message(uuid, text)'),
             ('authenticated', 'public.approve_outreach_messages(uuid, uuid[])'),
             ('authenticated', 'public.launch_outreach_campaign(uuid)'),
             ('authenticated', 'public.pause_outreach_campaign(uuid)'),
             ('authenticated', 'public.resume_outreach_campaign(uuid)'),
             ('authenticated', 'public.cancel_outreach_campaign(uuid)'),
             ('authenticated', 'public.outreach_campaign_metrics(uuid)'),
             ('authenticated', 'public.linkedin_account_usage(uuid)')) as f(role, sig);

select is_empty(
  $$ select c.role || ': ' || c.fn::text from callable c where c.fn is null $$,
  'every allow-listed function exists');
select is_empty(
  $$ select p.oid::regprocedure::text || ' executable by ' || r.role
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     cross join unnest(array['anon', 'authenticated']) as r(role)
     where n.nspname = 'public' and has_function_privilege(r.role, p.oid, 'execute')
       and not exists (select 1 from callable c where c.role = r.role and c.fn = p.oid)
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
     order by 1 $$,
  'every public function executable by anon/authenticated is in the allow-list');
select is_empty(
  $$ select c.role || ': ' || c.fn::text from callable c
     where c.fn is not null and not has_function_privilege(c.role, c.fn, 'execute') $$,
  'every allow-listed function is executable by its role');

-- SECURITY DEFINER functions must not resolve names through the caller's search_path.
select is_empty(
  $$ select p.oid::regprocedure::text
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where p.prosecdef
       and n.nspname not in ('pg_catalog', 'information_schema', 'extensions', 'tests', 'auth', 'realtime',
                             'storage', 'graphql', 'graphql_public', 'vault', 'pgbouncer', 'supabase_functions',
                             '_realtime', 'supabase_migrations', 'net', 'cron', 'pgsodium')
       and n.nspname not like 'pg\_%'
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search\_path=%')
     order by 1 $$,
  'every SECURITY DEFINER function in the project schemas has a fixed search_path');

-- Sanity: the API roles are what the suite assumes (supabase-local.md §1.1).
select ok((select rolbypassrls and not rolsuper from pg_roles where rolname = current_user)
          and (select not rolbypassrls from pg_roles where rolname = 'authenticated')
          and (select not rolbypassrls from pg_roles where rolname = 'anon')
          and (select rolbypassrls from pg_roles where rolname = 'service_role'),
          'tests run as a BYPASSRLS non-superuser; anon/authenticated are subject to RLS, service_role bypasses it');

select * from finish();
rollback;
