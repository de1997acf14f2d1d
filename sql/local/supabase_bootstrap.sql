-- =====================================================================================================
-- LOCAL TEST/DEV INFRASTRUCTURE ONLY. NEVER APPLY THIS TO A REAL SUPABASE PROJECT.
--
-- Part 2 of 2 of the Supabase-compatibility bootstrap: the per-database part (schemas, extensions,
-- default privileges, the auth/realtime surface our migrations use, the realtime publication). It makes a
-- database of a plain PostgreSQL 15 cluster look like a hosted Supabase database (2026 state) before the
-- project's migrations (supabase/migrations) run in it as "postgres". See
-- /work/shared/spec/supabase-local.md §1 and §3.1.
--
-- Runs as the bootstrap superuser "supabase_admin", in the target database, after supabase_roles.sql.
-- Idempotent: running it twice in the same database changes nothing.
-- Not reproduced: supautils, pg_graphql, pg_net, vault/pgsodium, safeupdate, Storage tables, GoTrue's
-- tables other than auth.users.
-- =====================================================================================================

-- GoTrue creates its tables itself and needs CREATE on the database.
do $$
begin
  execute format('grant create on database %I to supabase_auth_admin', current_database());
end $$;

-- ---------------------------------------------------------------------------------------------------
-- extensions
-- ---------------------------------------------------------------------------------------------------
create schema if not exists extensions authorization postgres;
create extension if not exists "uuid-ossp"         with schema extensions;
create extension if not exists pgcrypto            with schema extensions;
create extension if not exists pg_stat_statements  with schema extensions;
-- Only what every Supabase project has preinstalled; the migrations create the rest (pg_trgm...) themselves.

grant usage on schema extensions to anon, authenticated, service_role;
grant usage, create on schema extensions to dashboard_user;
grant all on all tables    in schema extensions to postgres with grant option;
grant all on all sequences in schema extensions to postgres with grant option;
grant all on all functions in schema extensions to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on tables to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on sequences to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on functions to postgres with grant option;

-- ---------------------------------------------------------------------------------------------------
-- public (owned by pg_database_owner, i.e. postgres, on PG15)
-- ---------------------------------------------------------------------------------------------------
grant usage on schema public to anon, authenticated, service_role;

-- Objects supabase_admin creates in public are open to everyone (postgres cannot change this).
alter default privileges for role supabase_admin in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on functions to postgres, anon, authenticated, service_role;

-- Objects postgres creates in public (= our migrations): the 2026 platform state. The platform grants ALL,
-- then revokes the Data API privileges (as the Supabase CLI does with auto_expose_new_tables = false), so
-- new tables, sequences and functions are NOT reachable by anon/authenticated/service_role until a
-- migration GRANTs them. (Leftovers of the same kind as on the platform: TRUNCATE/REFERENCES/TRIGGER on
-- tables and UPDATE on sequences.) Delete the three "revoke" statements to emulate a legacy project.
-- Plain PostgreSQL still grants EXECUTE on new functions to PUBLIC; migrations revoke it explicitly.
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke select, insert, update, delete on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke usage, select on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke execute on functions from anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------
-- graphql_public (pg_graphql itself is not available here and is off for new projects since 2026-05)
-- ---------------------------------------------------------------------------------------------------
create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------
-- auth: the part of GoTrue's schema that migrations and RLS policies touch
-- ---------------------------------------------------------------------------------------------------
create schema if not exists auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres, dashboard_user;
grant all on schema auth to supabase_auth_admin;

alter default privileges for role supabase_auth_admin in schema auth
  grant all on tables to postgres, dashboard_user;
alter default privileges for role supabase_auth_admin in schema auth
  grant all on sequences to postgres, dashboard_user;
alter default privileges for role supabase_auth_admin in schema auth
  grant all on functions to postgres, dashboard_user;

-- Everything below up to "reset role" is owned by supabase_auth_admin, as when GoTrue creates it.
set role supabase_auth_admin;

-- The helpers, as GoTrue's migrations define them: the legacy per-claim GUC first, then the claims JSON
-- that PostgREST (request.jwt.claims) and Realtime set.
create or replace function auth.uid() returns uuid
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create or replace function auth.role() returns text
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create or replace function auth.email() returns text
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

create or replace function auth.jwt() returns jsonb
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

-- A stub of GoTrue's users table with its current columns (after GoTrue's ~70 migrations). Tests sign
-- users up by inserting here; the project's "on auth.users" triggers fire as they do for GoTrue.
create table if not exists auth.users (
  instance_id                 uuid,
  id                          uuid not null default gen_random_uuid() primary key,
  aud                         varchar(255) default 'authenticated',
  role                        varchar(255) default 'authenticated',
  email                       varchar(255),
  encrypted_password          varchar(255),
  email_confirmed_at          timestamptz,
  invited_at                  timestamptz,
  confirmation_token          varchar(255),
  confirmation_sent_at        timestamptz,
  recovery_token              varchar(255),
  recovery_sent_at            timestamptz,
  email_change_token_new      varchar(255),
  email_change                varchar(255),
  email_change_sent_at        timestamptz,
  last_sign_in_at             timestamptz,
  raw_app_meta_data           jsonb,
  raw_user_meta_data          jsonb,
  is_super_admin              boolean,
  created_at                  timestamptz default now(),
  updated_at                  timestamptz default now(),
  phone                       text unique default null,
  phone_confirmed_at          timestamptz,
  phone_change                text default '',
  phone_change_token          varchar(255) default '',
  phone_change_sent_at        timestamptz,
  confirmed_at                timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current  varchar(255) default '',
  email_change_confirm_status smallint default 0
                              check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
  banned_until                timestamptz,
  reauthentication_token      varchar(255) default '',
  reauthentication_sent_at    timestamptz,
  is_sso_user                 boolean not null default false,
  deleted_at                  timestamptz,
  is_anonymous                boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
alter table auth.users enable row level security;

reset role;

-- ---------------------------------------------------------------------------------------------------
-- storage, _realtime, vault: schemas only (no Storage tables, no pgsodium)
-- ---------------------------------------------------------------------------------------------------
create schema if not exists storage authorization supabase_admin;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on functions to postgres, anon, authenticated, service_role;

create schema if not exists _realtime authorization postgres;

create schema if not exists vault authorization supabase_admin;
grant usage on schema vault to postgres, service_role;

-- ---------------------------------------------------------------------------------------------------
-- realtime: the SQL surface of Broadcast from the database (Realtime itself cannot run here)
-- ---------------------------------------------------------------------------------------------------
create schema if not exists realtime authorization supabase_admin;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
grant all on schema realtime to supabase_realtime_admin;
alter default privileges for role supabase_admin in schema realtime
  grant all on tables to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime
  grant all on sequences to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime
  grant all on functions to postgres, dashboard_user;

-- On Supabase this table is partitioned by range (inserted_at) into daily partitions that Realtime
-- creates and drops. Nothing consumes the rows here, so it is a plain table with the same columns,
-- primary key, grants and RLS.
set role supabase_realtime_admin;
create table if not exists realtime.messages (
  topic          text not null,
  extension      text not null,
  payload        jsonb,
  event          text,
  private        boolean default false,
  updated_at     timestamp not null default now(),
  inserted_at    timestamp not null default now(),
  id             uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusivity check (payload is null or binary_payload is null)
);
alter table realtime.messages enable row level security;
reset role;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;

-- The topic of the channel being authorized (Realtime sets it before evaluating the RLS policies).
create or replace function realtime.topic() returns text
language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

-- Broadcast a message from the database. SECURITY INVOKER, as upstream: called by a user, the insert is
-- checked by that user's RLS policies. Any error becomes a WARNING; the caller's transaction never aborts.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql as $$
declare
  v_id      uuid := gen_random_uuid();
  v_payload jsonb := send.payload;
begin
  begin
    if jsonb_typeof(v_payload) = 'object' and not (v_payload ? 'id') then
      v_payload := v_payload || jsonb_build_object('id', v_id);
    end if;
    perform set_config('realtime.topic', send.topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (v_id, v_payload, send.event, send.topic, send.private, 'broadcast');
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end $$;

-- Broadcast a row change from a row-level trigger:
--   perform realtime.broadcast_changes('user:' || new.id, TG_OP, TG_OP, TG_TABLE_NAME, TG_TABLE_SCHEMA, NEW, OLD);
create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
language plpgsql as $$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                       'table', table_name, 'schema', table_schema),
    event_name, topic_name);
end $$;

-- ---------------------------------------------------------------------------------------------------
-- The publication for Realtime "Postgres Changes"; owned by postgres so migrations can add tables.
-- ---------------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime owner to postgres;
