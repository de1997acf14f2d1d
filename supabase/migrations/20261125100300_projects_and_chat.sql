-- Startup projects (with a completeness score the database keeps), conversations and messages.

-- Projects ----------------------------------------------------------------------------------------

create table public.projects (
  id               uuid primary key default gen_random_uuid(),
  user_id          uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  name             text not null check (char_length(name) <= 120 and name ~ '\S'),
  description      text check (char_length(description) <= 5000),
  categories       text[] not null default '{}' check (cardinality(categories) <= 10),
  stage            public.funding_stage,
  country          char(2) references public.countries (code),
  region           text check (char_length(region) <= 100),
  city             text check (char_length(city) <= 100),
  business_model   text check (char_length(business_model) <= 2000),
  target_market    text check (char_length(target_market) <= 2000),
  metrics          jsonb not null default '{}' check (jsonb_typeof(metrics) = 'object' and pg_column_size(metrics) <= 16384),
  team             jsonb not null default '{}' check (jsonb_typeof(team) = 'object' and pg_column_size(team) <= 16384),
  problem          text check (char_length(problem) <= 5000),
  product_status   public.product_status,
  previous_funding text check (char_length(previous_funding) <= 2000),
  funding_ask_usd  bigint check (funding_ask_usd > 0 and funding_ask_usd <= 10000000000),
  completeness     smallint not null default 0 check (completeness between 0 and 100),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
comment on table public.projects is 'A founder''s startup. categories are sector ids (labels and synonyms are normalised on write); completeness is computed by the database.';
comment on column public.projects.metrics is 'Traction facts, e.g. {"mrr": 12000, "users": 3400, "arr": null, "revenue": ..., "growth_rate": ...}.';
comment on column public.projects.team is 'Team facts, e.g. {"size": 3, "roles": ["CEO","CTO"], "experience": "..."}.';
create index projects_user_idx on public.projects (user_id, created_at);

-- The canonical completeness formula: categories 25, stage 25, metrics 15, team 10, problem 10,
-- product status 10, previous funding 5. Investor search needs at least 50. A JSON fact counts when it
-- carries information (not null, "", [] or {}).
create function public.project_missing_facts(p public.projects) returns text[]
language sql immutable set search_path = '' as $$
  select array_remove(array[
    case when cardinality(p.categories) = 0 then 'categories' end,
    case when p.stage is null then 'stage' end,
    case when not exists (select 1 from jsonb_each(p.metrics) m
                          where m.key in ('arr', 'mrr', 'users', 'revenue')
                            and m.value not in ('null', '""', '[]', '{}')) then 'metrics' end,
    case when not exists (select 1 from jsonb_each(p.team) t
                          where t.key in ('size', 'roles', 'experience')
                            and t.value not in ('null', '""', '[]', '{}')) then 'team' end,
    case when coalesce(p.problem, '') !~ '\S' then 'problem' end,
    case when p.product_status is null then 'product_status' end,
    case when coalesce(p.previous_funding, '') !~ '\S' then 'previous_funding' end
  ], null)
$$;
comment on function public.project_missing_facts(public.projects) is 'Facts the completeness formula still misses, most valuable first.';

create function public.project_completeness(p public.projects) returns smallint
language sql immutable set search_path = '' as $$
  select (100 - coalesce((
    select sum(case f when 'categories' then 25 when 'stage' then 25 when 'metrics' then 15 when 'team' then 10
                       when 'problem' then 10 when 'product_status' then 10 when 'previous_funding' then 5 end)
    from unnest(public.project_missing_facts(p)) f), 0))::smallint
$$;
comment on function public.project_completeness(public.projects) is 'Completeness 0-100: categories 25, stage 25, metrics 15, team 10, problem 10, product status 10, previous funding 5.';

create function private.prepare_project() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.categories := public.normalize_sectors(new.categories);
  if new.country is not null then
    new.country := upper(btrim(new.country));
    if not exists (select 1 from public.countries c where c.code = new.country) then
      raise exception 'unknown country code "%"', new.country
        using errcode = 'P0001', hint = 'Use an ISO 3166-1 alpha-2 code listed in public.countries, e.g. ES or US.';
    end if;
  end if;
  new.name := regexp_replace(new.name, '^\s+|\s+$', '', 'g');
  new.completeness := public.project_completeness(new);
  return new;
end $$;

create trigger projects_prepare before insert or update on public.projects
  for each row execute function private.prepare_project();
create trigger projects_touch before update on public.projects
  for each row execute function private.touch_updated_at();

-- The plan's project limit, enforced here so no client can get around it.
create function private.enforce_project_limit() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_max integer;
  v_plan text;
  v_count integer;
begin
  perform pg_advisory_xact_lock(hashtextextended('projects:' || new.user_id::text, 0));
  select pl.max_projects, pl.id into v_max, v_plan
  from public.profiles p join public.plans pl on pl.id = p.plan_id where p.id = new.user_id;
  if v_max is null then
    return new;
  end if;
  select count(*) into v_count from public.projects where user_id = new.user_id;
  if v_count >= v_max then
    raise exception 'the % plan allows % project(s)', v_plan, v_max
      using errcode = 'PT402', hint = 'Upgrade your plan to create more projects.';
  end if;
  return new;
end $$;

create trigger projects_limit before insert on public.projects
  for each row execute function private.enforce_project_limit();

-- Conversations -----------------------------------------------------------------------------------

create table public.conversations (
  id              uuid primary key default gen_random_uuid(),
  user_id         uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  project_id      uuid references public.projects (id) on delete set null,
  title           text check (char_length(title) <= 200),
  last_message_at timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index conversations_user_idx on public.conversations (user_id, last_message_at desc nulls last);
create index conversations_project_idx on public.conversations (project_id) where project_id is not null;

create trigger conversations_touch before update on public.conversations
  for each row execute function private.touch_updated_at();

-- Messages ----------------------------------------------------------------------------------------

create table public.messages (
  id              uuid primary key default gen_random_uuid(),
  seq             bigint generated always as identity,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  user_id         uuid not null references public.profiles (id) on delete cascade,
  role            text not null default 'user' check (role in ('user', 'assistant', 'system')),
  content         text not null,
  status          text check (status in ('pending', 'processing', 'answered', 'failed', 'rejected')),
  reply_to        uuid references public.messages (id) on delete cascade,
  metadata        jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object' and pg_column_size(metadata) <= 65536),
  created_at      timestamptz not null default now(),
  constraint messages_content_length check (char_length(content) <= 20000),
  constraint messages_user_content check (role <> 'user' or (char_length(content) <= 4000 and content ~ '\S')),
  constraint messages_status_for_user check ((role = 'user') = (status is not null)),
  constraint messages_reply_not_from_user check (reply_to is null or role <> 'user')
);
comment on table public.messages is 'Chat messages, ordered by seq. User messages carry a processing status; each gets at most one assistant reply (reply_to).';
comment on column public.messages.status is 'For user messages: pending -> processing -> answered | failed | rejected (spam).';
create unique index messages_one_reply_idx on public.messages (reply_to) where reply_to is not null;
create index messages_conversation_idx on public.messages (conversation_id, seq);
create index messages_user_time_idx on public.messages (user_id, created_at);
create index messages_open_idx on public.messages (created_at) where status in ('pending', 'processing');

-- Fills in the owner from the conversation and validates user input with clear errors.
create function private.prepare_message() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_owner uuid;
begin
  -- Runs with the caller's rights: a user sees only their own conversations.
  select c.user_id into v_owner from public.conversations c where c.id = new.conversation_id;
  if v_owner is null then
    -- Same answer whether it does not exist or is someone else's: nothing to learn by guessing ids.
    raise exception 'conversation % not found', new.conversation_id using errcode = '42501';
  end if;
  if new.user_id is null then
    new.user_id := v_owner;
  elsif new.user_id <> v_owner then
    raise exception 'message user does not own the conversation' using errcode = '42501';
  end if;
  if new.role = 'user' then
    if new.content is null or new.content !~ '\S' then
      raise exception 'message is empty' using errcode = 'P0001';
    end if;
    if char_length(new.content) > 4000 then
      raise exception 'message is too long: % characters, the limit is 4000', char_length(new.content)
        using errcode = 'P0001', hint = 'Split it into shorter messages.';
    end if;
    new.status := coalesce(new.status, 'pending');
  end if;
  return new;
end $$;

create trigger messages_prepare before insert on public.messages
  for each row execute function private.prepare_message();

create function private.bump_conversation() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.conversations set last_message_at = new.created_at
  where id = new.conversation_id and (last_message_at is null or last_message_at < new.created_at);
  return null;
end $$;

create trigger messages_bump_conversation after insert on public.messages
  for each row execute function private.bump_conversation();

-- Access ----------------------------------------------------------------------------------------

alter table public.projects enable row level security;
alter table public.conversations enable row level security;
alter table public.messages enable row level security;

create policy "users read their projects" on public.projects
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users create their projects" on public.projects
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "users update their projects" on public.projects
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "users delete their projects" on public.projects
  for delete to authenticated using (user_id = (select auth.uid()));
grant select, delete on public.projects to authenticated;
grant insert (id, name, description, categories, stage, country, region, city, business_model, target_market,
              metrics, team, problem, product_status, previous_funding, funding_ask_usd) on public.projects to authenticated;
grant update (name, description, categories, stage, country, region, city, business_model, target_market,
              metrics, team, problem, product_status, previous_funding, funding_ask_usd) on public.projects to authenticated;

create policy "users read their conversations" on public.conversations
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users start conversations" on public.conversations
  for insert to authenticated with check (
    user_id = (select auth.uid())
    and (project_id is null or exists (select 1 from public.projects p
                                       where p.id = project_id and p.user_id = (select auth.uid()))));
create policy "users rename their conversations" on public.conversations
  for update to authenticated using (user_id = (select auth.uid())) with check (
    user_id = (select auth.uid())
    and (project_id is null or exists (select 1 from public.projects p
                                       where p.id = project_id and p.user_id = (select auth.uid()))));
create policy "users delete their conversations" on public.conversations
  for delete to authenticated using (user_id = (select auth.uid()));
grant select, delete on public.conversations to authenticated;
grant insert (id, project_id, title) on public.conversations to authenticated;
grant update (project_id, title) on public.conversations to authenticated;

-- Users read their messages and write only their own user-role messages; replies come from the service.
create policy "users read their messages" on public.messages
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users send messages" on public.messages
  for insert to authenticated with check (user_id = (select auth.uid()) and role = 'user' and reply_to is null);
grant select on public.messages to authenticated;
grant insert (id, conversation_id, content, metadata) on public.messages to authenticated;

grant select, insert, update, delete on public.projects, public.conversations, public.messages to service_role;
grant execute on function public.project_missing_facts(public.projects), public.project_completeness(public.projects)
  to authenticated, service_role;
