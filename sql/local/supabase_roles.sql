-- =====================================================================================================
-- LOCAL TEST/DEV INFRASTRUCTURE ONLY. NEVER APPLY THIS TO A REAL SUPABASE PROJECT.
--
-- Part 1 of 2 of the Supabase-compatibility bootstrap: the cluster-wide part (roles, role settings, the
-- owner of database "postgres"). Roles are shared by every database of a cluster, so this runs once per
-- cluster, before supabase_bootstrap.sql. It is idempotent: running it again changes nothing.
--
-- Runs as the bootstrap superuser "supabase_admin" (initdb -U supabase_admin), on a plain PostgreSQL
-- cluster, and reproduces the 2026 role layout of a hosted Supabase project
-- (see /work/shared/spec/supabase-local.md §1.1). Driven by sidecar/internal/localstack.
-- =====================================================================================================

-- Every role first exists (bare), then gets its attributes below, so reruns converge on the same state.
do $$
declare
  r text;
begin
  foreach r in array array[
    'postgres', 'anon', 'authenticated', 'service_role', 'authenticator',
    'supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin',
    'supabase_replication_admin', 'supabase_read_only_user', 'dashboard_user', 'pgbouncer',
    'supabase_superuser'
  ] loop
    if not exists (select from pg_catalog.pg_roles where rolname = r) then
      execute format('create role %I', r);
    end if;
  end loop;
end $$;

-- The project owner. NOT a superuser (demoted on the platform), but it bypasses RLS.
alter role postgres nosuperuser createdb createrole replication bypassrls login;

-- The Data API roles. PostgREST logs in as authenticator and switches to one of the three per request.
alter role anon          nologin inherit;
alter role authenticated nologin inherit;
alter role service_role  nologin inherit bypassrls;
alter role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;

-- Service roles of the Supabase components.
alter role supabase_auth_admin        login noinherit nocreaterole noreplication;
alter role supabase_storage_admin     login noinherit createrole;
alter role supabase_realtime_admin    login noinherit createrole replication;
alter role supabase_replication_admin login replication;
alter role supabase_read_only_user    login bypassrls;
alter role dashboard_user             nologin createdb createrole replication;
alter role pgbouncer                  login;
alter role supabase_superuser         nologin;

grant authenticator to supabase_storage_admin;
grant anon, authenticated, service_role to supabase_realtime_admin;
grant pg_read_all_data to supabase_read_only_user;

grant anon, authenticated, service_role, pg_monitor, pg_read_all_data, pg_signal_backend, supabase_superuser
  to postgres;
-- Not the 2026 platform state (where supautils' policy_grants lets postgres create policies on
-- realtime.messages): without supautils, postgres needs this membership to create those policies.
grant supabase_realtime_admin to postgres;

-- Per-role settings. PostgreSQL applies them at login; PostgREST applies the impersonated role's too.
alter role anon          set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

alter role supabase_admin          set search_path = "$user", public, auth, extensions;
alter role postgres                set search_path = "$user", public, extensions;
alter role supabase_auth_admin     set search_path = auth;
alter role supabase_auth_admin     set idle_in_transaction_session_timeout = 60000;
alter role supabase_storage_admin  set search_path = storage;
alter role supabase_realtime_admin set search_path = public, extensions, realtime;

-- The default database belongs to the project owner, as on the platform.
alter database postgres owner to postgres;
