-- Test helpers, shared by every file in supabase/tests (pg_prove runs them alphabetically, so this one is first).
-- They live in schema "tests", which exists only in test databases (never in a migration). The helpers are
-- created for good (no rollback) and are idempotent; every other file runs in a transaction it rolls back.
--
-- Acting as someone is done exactly the way PostgREST does it for a request: transaction-local
-- set_config('role', ...) plus set_config('request.jwt.claims', <claims json>, ...). Tests connect as
-- "postgres" (BYPASSRLS), so every RLS assertion must switch role first.

set search_path = public, extensions;
set client_min_messages = warning;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- A test user's id is derived from its name, so tests.uid() works from any role without reading auth.users.
create or replace function tests.uid(p_name text) returns uuid
language sql immutable set search_path = '' as $$
  select md5('0bullshit-test-user:' || p_name)::uuid
$$;

-- Signs a user up by inserting into auth.users, as GoTrue does; the project's trigger creates the profile,
-- credit account and onboarding rows. p_anonymous: an anonymous sign-in (no email).
create or replace function tests.create_user(p_name text, p_meta jsonb default '{}', p_anonymous boolean default false)
returns uuid
language plpgsql security definer set search_path = '' as $$
begin
  insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, is_anonymous)
  values (tests.uid(p_name),
          case when p_anonymous then null else p_name || '@test.local' end,
          coalesce(p_meta, '{}'),
          jsonb_build_object('provider', case when p_anonymous then 'anonymous' else 'email' end),
          p_anonymous);
  return tests.uid(p_name);
end $$;

-- The claims GoTrue would put in the user's access token (the parts policies may look at).
create or replace function tests.claims(p_name text) returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  v_user auth.users;
begin
  select * into v_user from auth.users u where u.id = tests.uid(p_name);
  if not found then
    raise exception 'tests.claims: no test user "%" (call tests.create_user first)', p_name;
  end if;
  return jsonb_build_object('sub', v_user.id, 'role', 'authenticated', 'aud', 'authenticated',
                            'email', coalesce(v_user.email, ''), 'is_anonymous', v_user.is_anonymous)::text;
end $$;

-- Switches the current transaction to a role and claims. Clears the per-claim GUCs Realtime sets
-- (auth.uid() prefers request.jwt.claim.sub when present) and the Realtime topic.
create or replace function tests.act_as(p_role text, p_claims text, p_topic text default '') returns void
language plpgsql as $$
begin
  perform set_config('role', p_role, true);
  perform set_config('request.jwt.claims', p_claims, true);
  perform set_config('request.jwt.claim.sub', '', true);
  perform set_config('request.jwt.claim.role', '', true);
  perform set_config('realtime.topic', coalesce(p_topic, ''), true);
end $$;

create or replace function tests.as_user(p_name text) returns void
language sql as $$ select tests.act_as('authenticated', tests.claims(p_name)) $$;

create or replace function tests.as_anon() returns void
language sql as $$ select tests.act_as('anon', '{"role":"anon"}') $$;

create or replace function tests.as_service() returns void
language sql as $$ select tests.act_as('service_role', '{"role":"service_role"}') $$;

-- Back to the session user (postgres in `supabase test db`), no claims.
create or replace function tests.as_postgres() returns void
language sql as $$ select tests.act_as('none', '{}') $$;

-- What Realtime sets before its join check on a private channel (supabase-local.md §3.2).
create or replace function tests.as_realtime_user(p_name text, p_topic text) returns void
language plpgsql as $$
begin
  perform tests.act_as('authenticated', tests.claims(p_name), p_topic);
  perform set_config('request.jwt.claim.sub', tests.uid(p_name)::text, true);
  perform set_config('request.jwt.claim.role', 'authenticated', true);
end $$;

-- Runs a statement as the current role and returns how many rows it touched (0 = filtered out by RLS).
create or replace function tests.affected(p_sql text) returns bigint
language plpgsql as $$
declare
  v_count bigint;
begin
  execute p_sql;
  get diagnostics v_count = row_count;
  return v_count;
end $$;

-- Runs a statement as the current role, always undoes it, and returns its SQLSTATE ('00000' when it
-- succeeded). For destructive attempts (TRUNCATE, mass DELETE) that must not leak into later assertions
-- when a hole lets them through: is(tests.sqlstate_of('truncate t'), '42501', ...).
create or replace function tests.sqlstate_of(p_sql text) returns text
language plpgsql as $$
begin
  execute p_sql;
  raise exception 'undo' using errcode = 'TSTOK';
exception when others then
  return case when sqlstate = 'TSTOK' then '00000' else sqlstate end;
end $$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(11);
select has_schema('tests', 'schema tests exists');
select has_function('tests', 'uid', array['text'], 'tests.uid(name)');
select has_function('tests', 'create_user', array['text', 'jsonb', 'boolean'], 'tests.create_user(name, meta, anonymous)');
select has_function('tests', 'claims', array['text'], 'tests.claims(name)');
select has_function('tests', 'as_user', array['text'], 'tests.as_user(name)');
select has_function('tests', 'as_anon', array[]::text[], 'tests.as_anon()');
select has_function('tests', 'as_service', array[]::text[], 'tests.as_service()');
select has_function('tests', 'as_postgres', array[]::text[], 'tests.as_postgres()');
select has_function('tests', 'as_realtime_user', array['text', 'text'], 'tests.as_realtime_user(name, topic)');
select has_function('tests', 'affected', array['text'], 'tests.affected(sql)');
select has_function('tests', 'sqlstate_of', array['text'], 'tests.sqlstate_of(sql)');
select * from finish();
