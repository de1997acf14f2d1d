-- Accounts: a profile per auth user, onboarding progress, and the credits ledger.
-- Supabase Auth owns identity; everything here hangs off auth.users and is created by a trigger at signup.

-- Live events -----------------------------------------------------------------------------------

-- Sends a private Broadcast on the user's own topic (user:<uid>). Never aborts the caller: realtime.send
-- turns failures into warnings. Security definer so triggers fired by the user can still broadcast.
create function private.broadcast(p_user uuid, p_event text, p_payload jsonb) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_user is null or p_event is null then
    return;
  end if;
  perform realtime.send(coalesce(p_payload, '{}'::jsonb), p_event, 'user:' || p_user::text, true);
end $$;
comment on function private.broadcast(uuid, text, jsonb) is 'Private Realtime Broadcast to topic user:<uid>. Events: chat_delta, chat_message, search_progress, campaign_update, notification, upsell_offer, credits_update.';

-- A user may join only their own private channel.
create policy "users receive their own topic" on realtime.messages
  for select to authenticated
  using (realtime.topic() = 'user:' || (select auth.uid())::text
         and topic = 'user:' || (select auth.uid())::text
         and extension in ('broadcast', 'presence'));

-- Profiles --------------------------------------------------------------------------------------

create table public.profiles (
  id                      uuid primary key references auth.users (id) on delete cascade,
  email                   text,  -- null for anonymous users
  display_name            text check (display_name is null or char_length(display_name) between 1 and 100),
  language                text not null default 'en' check (language in ('en', 'es')),
  plan_id                 text not null default 'free' references public.plans (id),
  plan_changed_at         timestamptz,
  stripe_customer_id      text unique,
  onboarding_completed_at timestamptz,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);
comment on table public.profiles is 'One row per auth user, created at signup. Users may change only display_name and language; plan and billing fields are written by the service.';
create index profiles_plan_idx on public.profiles (plan_id);

create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

create table public.user_onboarding (
  user_id         uuid primary key references public.profiles (id) on delete cascade,
  current_step    text not null default 'welcome'
                  check (current_step in ('welcome', 'project_creation', 'project_details', 'first_search', 'completed')),
  completed_steps text[] not null default '{}'
                  check (completed_steps <@ array['welcome', 'project_creation', 'project_details', 'first_search']),
  started_at      timestamptz not null default now(),
  completed_at    timestamptz,
  updated_at      timestamptz not null default now(),
  check ((current_step = 'completed') = (completed_at is not null))
);
comment on table public.user_onboarding is 'Onboarding progress, one row per user, advanced by the sidecar''s welcome agent.';

create trigger user_onboarding_touch before update on public.user_onboarding
  for each row execute function private.touch_updated_at();

-- Credits -----------------------------------------------------------------------------------------
-- Each user has a daily allowance (the plan's daily_credits, refilled at 00:00 UTC) spent first, and a
-- balance (signup grant + purchased packs, never expires) spent after it. Every change is a ledger row.

create table public.credit_accounts (
  user_id      uuid primary key references public.profiles (id) on delete cascade,
  balance      integer not null default 0 check (balance >= 0),
  daily_used   integer not null default 0 check (daily_used >= 0),
  daily_period date not null default ((now() at time zone 'utc')::date),
  updated_at   timestamptz not null default now()
);
comment on table public.credit_accounts is 'Current credit state per user. daily_used counts only for daily_period (a UTC date); an older period means the allowance is full again.';

create table public.credit_ledger (
  id              bigint generated always as identity primary key,
  user_id         uuid not null references public.profiles (id) on delete cascade,
  kind            text not null check (kind in ('signup_grant', 'debit', 'purchase', 'refund', 'adjustment')),
  action          text references public.credit_costs (action),
  daily_delta     integer not null default 0 check (daily_delta <= 0),
  balance_delta   integer not null default 0,
  balance_after   integer not null check (balance_after >= 0),
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 200),
  metadata        jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at      timestamptz not null default now(),
  constraint credit_ledger_idempotent unique (user_id, idempotency_key),
  constraint credit_ledger_debit_shape check (kind <> 'debit' or (action is not null and balance_delta <= 0))
);
comment on table public.credit_ledger is 'Append-only history of every credit change. (user_id, idempotency_key) makes each charge or grant happen once.';
create index credit_ledger_user_time_idx on public.credit_ledger (user_id, created_at desc);

create function private.forbid_ledger_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'credit_ledger is append-only' using errcode = '42501';
end $$;
create trigger credit_ledger_append_only before update on public.credit_ledger
  for each row execute function private.forbid_ledger_update();

-- Credit state of a user as JSON; the daily allowance is computed for today (UTC), whatever the stored period.
create function private.credit_status(p_user uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'plan', p.plan_id,
    'daily_allowance', pl.daily_credits,
    'daily_used', case when a.daily_period = (now() at time zone 'utc')::date then a.daily_used else 0 end,
    'daily_left', greatest(pl.daily_credits
                  - case when a.daily_period = (now() at time zone 'utc')::date then a.daily_used else 0 end, 0),
    'balance', a.balance,
    'available', a.balance + greatest(pl.daily_credits
                  - case when a.daily_period = (now() at time zone 'utc')::date then a.daily_used else 0 end, 0),
    'next_reset_at', ((now() at time zone 'utc')::date + 1)::timestamp at time zone 'utc')
  from public.credit_accounts a
  join public.profiles p on p.id = a.user_id
  join public.plans pl on pl.id = p.plan_id
  where a.user_id = p_user
$$;

-- For the frontend: the signed-in user's credit status.
create function public.credit_status() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_status jsonb;
begin
  if v_uid is null then
    raise exception 'sign in to see your credits' using errcode = '42501';
  end if;
  v_status := private.credit_status(v_uid);
  if v_status is null then
    raise exception 'no credit account for this user' using errcode = 'PT404';
  end if;
  return v_status;
end $$;
comment on function public.credit_status() is 'Credit status of the signed-in user: plan, daily_allowance, daily_used, daily_left, balance, available, next_reset_at.';

-- Debits credits for one action, at most once per idempotency key: daily allowance first, then balance.
-- Returns {status: debited|duplicate, charged, from_daily, from_balance, daily_left, balance}.
-- Insufficient credits raise SQLSTATE PT402 (HTTP 402 through PostgREST) and change nothing.
create function private.debit_credits(
  p_user uuid,
  p_action text,
  p_idempotency_key text,
  p_metadata jsonb default '{}',
  p_credits integer default null
) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_cost integer;
  v_account public.credit_accounts;
  v_daily integer;
  v_today date := (now() at time zone 'utc')::date;
  v_daily_used integer;
  v_daily_left integer;
  v_from_daily integer;
  v_from_balance integer;
  v_prior public.credit_ledger;
  v_result jsonb;
begin
  if p_user is null or p_idempotency_key is null or btrim(p_idempotency_key) = '' then
    raise exception 'user and idempotency key are required' using errcode = 'P0001';
  end if;
  select c.credits into v_cost from public.credit_costs c where c.action = p_action;
  if v_cost is null then
    raise exception 'unknown credit action "%"', p_action
      using errcode = 'P0001', hint = 'See public.credit_costs for the actions.';
  end if;
  if p_credits is not null then
    if p_credits < 0 then
      raise exception 'a debit cannot be negative (got %)', p_credits using errcode = 'P0001';
    end if;
    v_cost := p_credits;
  end if;

  select * into v_account from public.credit_accounts a where a.user_id = p_user for update;
  if not found then
    raise exception 'no credit account for user %', p_user using errcode = 'PT404';
  end if;

  -- Same key again (a retried job, a double click): report the first charge, charge nothing.
  select * into v_prior from public.credit_ledger l
  where l.user_id = p_user and l.idempotency_key = p_idempotency_key;
  if found then
    if v_prior.kind <> 'debit' or v_prior.action is distinct from p_action then
      raise exception 'idempotency key "%" was already used for a different credit operation', p_idempotency_key
        using errcode = 'P0001';
    end if;
    return private.credit_status(p_user) || jsonb_build_object(
      'status', 'duplicate', 'charged', -(v_prior.daily_delta + v_prior.balance_delta),
      'from_daily', -v_prior.daily_delta, 'from_balance', -v_prior.balance_delta);
  end if;

  select pl.daily_credits into v_daily
  from public.profiles p join public.plans pl on pl.id = p.plan_id where p.id = p_user;
  v_daily_used := case when v_account.daily_period = v_today then v_account.daily_used else 0 end;
  v_daily_left := greatest(v_daily - v_daily_used, 0);
  v_from_daily := least(v_cost, v_daily_left);
  v_from_balance := v_cost - v_from_daily;

  if v_from_balance > v_account.balance then
    raise exception 'not enough credits: % needs %, you have % (% today + % balance)',
      p_action, v_cost, v_daily_left + v_account.balance, v_daily_left, v_account.balance
      using errcode = 'PT402',
            detail = jsonb_build_object('required', v_cost, 'daily_left', v_daily_left, 'balance', v_account.balance)::text,
            hint = 'Wait for the daily refill at 00:00 UTC, buy a credit pack or upgrade your plan.';
  end if;

  update public.credit_accounts a
  set balance = a.balance - v_from_balance,
      daily_used = v_daily_used + v_from_daily,
      daily_period = v_today,
      updated_at = now()
  where a.user_id = p_user;

  insert into public.credit_ledger (user_id, kind, action, daily_delta, balance_delta, balance_after, idempotency_key, metadata)
  values (p_user, 'debit', p_action, -v_from_daily, -v_from_balance, v_account.balance - v_from_balance,
          p_idempotency_key, coalesce(p_metadata, '{}'));

  v_result := private.credit_status(p_user);
  perform private.broadcast(p_user, 'credits_update', v_result);
  return v_result || jsonb_build_object('status', 'debited', 'charged', v_cost,
                                        'from_daily', v_from_daily, 'from_balance', v_from_balance);
end $$;
comment on function private.debit_credits(uuid, text, text, jsonb, integer) is 'Atomic, idempotent debit (daily allowance first, then balance). Raises PT402 when credits are insufficient.';

-- Signup ------------------------------------------------------------------------------------------

create function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_name text := nullif(btrim(coalesce(new.raw_user_meta_data ->> 'display_name',
                                        new.raw_user_meta_data ->> 'full_name',
                                        new.raw_user_meta_data ->> 'name')), '');
  v_lang text := lower(new.raw_user_meta_data ->> 'language');
begin
  insert into public.profiles (id, email, display_name, language)
  values (new.id, new.email, left(v_name, 100), case when v_lang in ('en', 'es') then v_lang else 'en' end);

  insert into public.credit_accounts (user_id, balance) values (new.id, 0);
  -- Anonymous users get the daily allowance but not the signup grant (or a script could mint credits by
  -- creating anonymous users); they get it when they become a real account.
  if not coalesce(new.is_anonymous, false) then
    perform private.grant_signup_credits(new.id);
  end if;

  insert into public.user_onboarding (user_id) values (new.id);
  return new;
end $$;

create function private.grant_signup_credits(p_user uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_grant integer;
  v_balance integer;
begin
  select initial_credits into v_grant from public.plans where id = 'free';
  v_grant := coalesce(v_grant, 0);
  if exists (select 1 from public.credit_ledger where user_id = p_user and idempotency_key = 'signup') then
    return;
  end if;
  update public.credit_accounts set balance = balance + v_grant, updated_at = now()
  where user_id = p_user returning balance into v_balance;
  insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key)
  values (p_user, 'signup_grant', v_grant, v_balance, 'signup');
end $$;

create function private.handle_user_upgraded() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.grant_signup_credits(new.id);
  return new;
end $$;

create trigger on_auth_user_no_longer_anonymous after update of is_anonymous on auth.users
  for each row when (old.is_anonymous and not new.is_anonymous)
  execute function private.handle_user_upgraded();

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

create function private.sync_user_email() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles set email = new.email where id = new.id;
  return new;
end $$;

create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function private.sync_user_email();

-- Access ----------------------------------------------------------------------------------------

alter table public.profiles enable row level security;
alter table public.user_onboarding enable row level security;
alter table public.credit_accounts enable row level security;
alter table public.credit_ledger enable row level security;

create policy "users read their profile" on public.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy "users update their profile" on public.profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));
grant select on public.profiles to authenticated;
grant update (display_name, language) on public.profiles to authenticated;

create policy "users read their onboarding" on public.user_onboarding
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.user_onboarding to authenticated;

create policy "users read their credit account" on public.credit_accounts
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their credit history" on public.credit_ledger
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.credit_accounts, public.credit_ledger to authenticated;

-- The service role (sidecar, operators) reads everything; it writes credits only through the functions.
grant select, insert, update, delete on public.profiles, public.user_onboarding to service_role;
grant select on public.credit_accounts, public.credit_ledger to service_role;

grant execute on function public.credit_status() to authenticated, service_role;
grant execute on function private.credit_status(uuid), private.debit_credits(uuid, text, text, jsonb, integer),
  private.broadcast(uuid, text, jsonb) to service_role;
