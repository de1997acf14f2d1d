-- What users searched for and what they were offered. Written by the service (search functions, the
-- sidecar's agents); users read their own.

create table public.search_results (
  id              uuid primary key default gen_random_uuid(),
  user_id         uuid not null references public.profiles (id) on delete cascade,
  project_id      uuid references public.projects (id) on delete set null,
  kind            text not null check (kind in ('investors', 'employees', 'companies')),
  criteria        jsonb not null default '{}' check (jsonb_typeof(criteria) = 'object'),
  results         jsonb not null default '[]' check (jsonb_typeof(results) = 'array'),
  result_count    integer not null default 0 check (result_count >= 0),
  total_matches   integer check (total_matches >= 0),
  credits_charged integer not null default 0 check (credits_charged >= 0),
  duration_ms     integer check (duration_ms >= 0),
  created_at      timestamptz not null default now()
);
comment on table public.search_results is 'Every search a user ran: criteria, the ranked results with their reasons, and what it cost.';
create index search_results_user_time_idx on public.search_results (user_id, created_at desc);
create index search_results_project_idx on public.search_results (project_id) where project_id is not null;

create table public.upsell_attempts (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references public.profiles (id) on delete cascade,
  from_plan    text not null references public.plans (id),
  to_plan      text references public.plans (id),        -- null: a credit pack offer
  trigger      text not null check (trigger ~ '^[a-z][a-z0-9_]{1,59}$'),
  confidence   numeric(3, 2) not null check (confidence between 0 and 1),
  message_id   uuid references public.messages (id) on delete set null,
  converted_at timestamptz,
  created_at   timestamptz not null default now(),
  check (to_plan is null or to_plan <> from_plan)
);
comment on table public.upsell_attempts is 'Every upgrade offer shown to a user (at most 3 a day, 4 h apart) and whether it converted.';
create index upsell_attempts_user_time_idx on public.upsell_attempts (user_id, created_at desc);

alter table public.search_results enable row level security;
alter table public.upsell_attempts enable row level security;

create policy "users read their searches" on public.search_results
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their offers" on public.upsell_attempts
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.search_results, public.upsell_attempts to authenticated;
grant select, insert, update, delete on public.search_results, public.upsell_attempts to service_role;
