-- Billing: credit packs, Stripe customers, subscriptions, credit purchases, invoices, the Stripe event log
-- (the durable queue of webhook events) and the functions that apply each event exactly once, in any order.
-- Also the daily credit reset, the scheduler's once-per-slot claims and the outreach plan gate.
--
-- How events are applied (ARCHITECTURE.md §6): the webhook handler verifies the signature and stores the
-- event once (private.record_stripe_event); a worker calls private.apply_stripe_event(id) in one
-- transaction. Every write is idempotent and order-independent:
--   * subscriptions and invoices keep the (event time, status rank, event id) of the event that last wrote
--     them and refuse older ones, so a late "active" never overwrites a newer "canceled";
--   * the profile's plan is recomputed from all of the user's subscriptions, never taken from one event;
--   * pack credits are a ledger row keyed on the checkout session id (granted once), and refunds claw back
--     the refunded share up to the available balance, recording any shortfall explicitly.

-- Credit packs ------------------------------------------------------------------------------------

create table public.credit_packs (
  id              text primary key check (id ~ '^[a-z][a-z0-9_]{1,29}$'),
  name            text not null check (char_length(name) between 1 and 60),
  credits         integer not null check (credits > 0),
  price_cents     integer not null check (price_cents > 0),
  currency        char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  stripe_price_id text unique,
  sort_order      integer not null default 0,
  active          boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
comment on table public.credit_packs is 'One-off credit packs sold through Stripe Checkout (payment mode). Credits go to the balance and never expire. stripe_price_id is set per environment; a pack without one cannot be bought.';

create trigger credit_packs_touch before update on public.credit_packs
  for each row execute function private.touch_updated_at();

insert into public.credit_packs (id, name, credits, price_cents, sort_order) values
  ('small', 'Small pack', 4900, 1900, 0),
  ('medium', 'Medium pack', 19900, 5900, 1),
  ('large', 'Large pack', 49900, 14900, 2);

-- Subscriptions -------------------------------------------------------------------------------------

create table public.subscriptions (
  id                   text primary key check (id ~ '^sub_[A-Za-z0-9_]+$'),
  user_id              uuid not null references public.profiles (id) on delete cascade,
  stripe_customer_id   text not null,
  stripe_price_id      text,
  plan_id              text references public.plans (id),   -- null: a price no plan knows (grants nothing)
  status               text not null check (status in ('incomplete', 'incomplete_expired', 'trialing', 'active',
                                                     'past_due', 'canceled', 'unpaid', 'paused')),
  cancel_at_period_end boolean not null default false,
  current_period_start timestamptz,
  current_period_end   timestamptz,
  canceled_at          timestamptz,
  ended_at             timestamptz,
  -- Version of the row: the event that last wrote it. Older events are refused.
  stripe_event_at      timestamptz not null,
  stripe_event_rank    integer not null,
  stripe_event_id      text not null,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
comment on table public.subscriptions is 'Mirror of the user''s Stripe subscriptions, written only by private.apply_stripe_event. The profile''s plan is the best plan among subscriptions that are trialing, active or past_due (grace).';
create index subscriptions_user_idx on public.subscriptions (user_id);

create trigger subscriptions_touch before update on public.subscriptions
  for each row execute function private.touch_updated_at();

-- Credit purchases ----------------------------------------------------------------------------------

create table public.credit_purchases (
  id                    bigint generated always as identity primary key,
  user_id               uuid not null references public.profiles (id) on delete cascade,
  checkout_session_id   text not null unique check (checkout_session_id ~ '^cs_[A-Za-z0-9_]+$'),
  payment_intent_id     text unique,
  pack_id               text references public.credit_packs (id),
  credits               integer not null check (credits > 0),
  amount_cents          integer not null check (amount_cents >= 0),
  currency              char(3) not null default 'USD',
  status                text not null default 'pending'
                        check (status in ('pending', 'paid', 'failed', 'refunded', 'partially_refunded')),
  paid_at               timestamptz,
  amount_refunded_cents integer not null default 0 check (amount_refunded_cents >= 0),
  -- Credits taken back for refunds, and the part that could not be taken because the user had already
  -- spent it (never silently: shown here, in the ledger metadata and in a notification).
  credits_clawed_back   integer not null default 0 check (credits_clawed_back >= 0),
  clawback_shortfall    integer not null default 0 check (clawback_shortfall >= 0),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  check (credits_clawed_back + clawback_shortfall <= credits)
);
comment on table public.credit_purchases is 'One row per credit-pack checkout. Credits are granted once (ledger key stripe:checkout:<session>) when Stripe reports the payment paid; refunds claw back the refunded share.';
create index credit_purchases_user_idx on public.credit_purchases (user_id, created_at desc);

create trigger credit_purchases_touch before update on public.credit_purchases
  for each row execute function private.touch_updated_at();

-- Invoices ------------------------------------------------------------------------------------------

create table public.billing_invoices (
  id                 text primary key check (id ~ '^in_[A-Za-z0-9_]+$'),
  user_id            uuid not null references public.profiles (id) on delete cascade,
  subscription_id    text,
  status             text not null check (status in ('draft', 'open', 'paid', 'uncollectible', 'void')),
  payment_failed     boolean not null default false,
  amount_due_cents   integer not null default 0,
  amount_paid_cents  integer not null default 0,
  currency           char(3) not null default 'USD',
  billing_reason     text,
  hosted_invoice_url text,
  invoice_pdf        text,
  period_start       timestamptz,
  period_end         timestamptz,
  invoice_created_at timestamptz,
  stripe_event_at    timestamptz not null,
  stripe_event_rank  integer not null,
  stripe_event_id    text not null,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
comment on table public.billing_invoices is 'Subscription invoices (from invoice.paid / invoice.payment_failed), for the billing history.';
create index billing_invoices_user_idx on public.billing_invoices (user_id, invoice_created_at desc);

create trigger billing_invoices_touch before update on public.billing_invoices
  for each row execute function private.touch_updated_at();

-- Refunds seen on charges, by payment intent. A refund may arrive before the checkout it belongs to is
-- known; it waits here and is applied when the purchase is.
create table private.stripe_charge_refunds (
  payment_intent_id     text primary key,
  charge_id             text not null,
  amount_cents          integer not null check (amount_cents >= 0),
  amount_refunded_cents integer not null check (amount_refunded_cents >= 0),
  updated_at            timestamptz not null default now()
);
comment on table private.stripe_charge_refunds is 'Cumulative refunded amount per payment intent (the largest seen: refunds only grow).';

-- The Stripe event log ------------------------------------------------------------------------------

create table private.stripe_events (
  id              text primary key check (id ~ '^evt_[A-Za-z0-9_]+$'),
  type            text not null,
  api_version     text,
  livemode        boolean not null default false,
  event_created   timestamptz not null,
  object_id       text,
  payload         jsonb not null check (jsonb_typeof(payload) = 'object'),
  received_at     timestamptz not null default now(),
  status          text not null default 'pending' check (status in ('pending', 'processed', 'ignored', 'dead')),
  attempts        integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_error      text,
  result          jsonb,
  processed_at    timestamptz
);
comment on table private.stripe_events is 'Every verified Stripe webhook event, stored once (id is Stripe''s event id), with its raw payload. The queue of the billing worker: pending events are claimed with FOR UPDATE SKIP LOCKED; after too many failures an event is dead (visible, retried only by private.retry_stripe_event).';
-- The worker's claim walks pending events oldest first (order by event_created, id ... skip locked).
create index stripe_events_queue_idx on private.stripe_events (event_created, id) where status = 'pending';

-- Scheduler slots -----------------------------------------------------------------------------------

create table private.scheduler_slots (
  job         text not null check (char_length(job) between 1 and 100),
  slot        timestamptz not null,
  owner       text not null,
  attempts    integer not null default 1,
  claimed_at  timestamptz not null default now(),
  finished_at timestamptz,
  result      jsonb,
  primary key (job, slot)
);
comment on table private.scheduler_slots is 'One row per scheduled run (job, slot): whoever inserts it runs the job, so N sidecar replicas run each slot once. A claim unfinished past its lease may be taken over.';

-- Claims (job, slot) for p_owner. True when the caller must run it: nobody claimed it yet, or the claim
-- was released after a failure, or its owner died (unfinished after p_lease).
create function private.claim_scheduler_slot(p_job text, p_slot timestamptz, p_owner text,
                                             p_lease interval default interval '10 minutes')
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_claimed boolean;
begin
  insert into private.scheduler_slots as s (job, slot, owner) values (p_job, p_slot, p_owner)
  on conflict (job, slot) do update
    set owner = excluded.owner, attempts = s.attempts + 1, claimed_at = now(), result = null
    where s.finished_at is null and s.claimed_at < now() - p_lease
  returning true into v_claimed;
  return coalesce(v_claimed, false);
end $$;

-- Marks a claimed slot finished (p_error null) or releases it after a failure so a later run retries.
create function private.finish_scheduler_slot(p_job text, p_slot timestamptz, p_owner text,
                                              p_result jsonb default null, p_error text default null)
returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_error is null then
    update private.scheduler_slots set finished_at = now(), result = p_result
    where job = p_job and slot = p_slot and owner = p_owner;
  else
    delete from private.scheduler_slots where job = p_job and slot = p_slot and owner = p_owner;
  end if;
end $$;

-- Daily reset -----------------------------------------------------------------------------------------

-- Every active account row is rewritten once a day by the reset: leave room on each page so those updates
-- stay HOT (same page, no index churn). Measured on 1M accounts: 3.7-5.0 s instead of 7.4-7.7 s. Applies to
-- pages written from now on (existing pages follow after a rewrite such as VACUUM FULL).
alter table public.credit_accounts set (fillfactor = 80);

-- Refills every daily allowance for p_day (a UTC date) in one statement. Only rows that used credits on
-- an earlier day change: a row with daily_used = 0 is already full whatever its period (debit_credits and
-- credit_status treat an older period as a full allowance, so a missed reset is never visible).
-- Idempotent: a second run for the same day changes nothing. Returns the number of accounts refilled.
create function private.reset_daily_credits(p_day date default (now() at time zone 'utc')::date)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_count bigint;
begin
  update public.credit_accounts a
  set daily_used = 0, daily_period = p_day, updated_at = now()
  where a.daily_period < p_day and a.daily_used > 0;
  get diagnostics v_count = row_count;
  return v_count;
end $$;
comment on function private.reset_daily_credits(date) is 'Set-based daily refill for a UTC day; idempotent. Run by the scheduler at 00:00 UTC once across replicas.';

-- Plan gates ------------------------------------------------------------------------------------------

-- Raises PT402 unless the user's plan includes LinkedIn outreach. Outreach functions call it first.
create function private.require_outreach_plan(p_user uuid) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  v_plan public.plans;
begin
  select pl.* into v_plan from public.profiles p join public.plans pl on pl.id = p.plan_id where p.id = p_user;
  if not found then
    raise exception 'no profile for user %', p_user using errcode = 'PT404';
  end if;
  if not v_plan.outreach_enabled then
    raise exception 'LinkedIn outreach is not included in the % plan', v_plan.name
      using errcode = 'PT402',
            hint = 'Upgrade to the ' || coalesce((select name from public.plans where outreach_enabled and active
                                                  order by sort_order limit 1), 'Outreach') || ' plan to contact investors on LinkedIn.';
  end if;
end $$;
comment on function private.require_outreach_plan(uuid) is 'Plan gate for outreach: raises PT402 (with an upgrade hint) unless the user''s plan has outreach_enabled.';

-- Stripe customers ------------------------------------------------------------------------------------

-- Stores the user's Stripe customer id once. Returns the id stored (the first one wins: a concurrent
-- checkout that created another customer learns the winner and uses it).
create function private.set_stripe_customer(p_user uuid, p_customer text) returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_customer text;
begin
  if p_customer is null or p_customer !~ '^cus_[A-Za-z0-9_]+$' then
    raise exception 'not a Stripe customer id: %', p_customer using errcode = 'P0001';
  end if;
  update public.profiles set stripe_customer_id = p_customer
  where id = p_user and stripe_customer_id is null;
  select stripe_customer_id into v_customer from public.profiles where id = p_user;
  if not found then
    raise exception 'no profile for user %', p_user using errcode = 'PT404';
  end if;
  return v_customer;
end $$;

-- What a checkout sells: the plan's or pack's Stripe price, from the tables (never from the client).
-- Raises P0001 for an unknown or inactive item, PT409 when a plan checkout would create a second
-- subscription, PT503 when the item has no Stripe price configured.
create function private.billing_checkout_item(p_user uuid, p_kind text, p_item text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_plan public.plans;
  v_pack public.credit_packs;
  v_sub public.subscriptions;
begin
  if p_kind = 'plan' then
    select * into v_plan from public.plans where id = p_item and active;
    if not found or v_plan.price_cents = 0 then
      raise exception 'unknown plan "%"', p_item using errcode = 'P0001',
        hint = 'Paid plans: ' || (select string_agg(id, ', ' order by sort_order) from public.plans where active and price_cents > 0);
    end if;
    select * into v_sub from public.subscriptions s
    where s.user_id = p_user and s.status in ('trialing', 'active', 'past_due', 'incomplete', 'unpaid')
    order by s.stripe_event_at desc limit 1;
    if found then
      raise exception 'you already have a subscription (%)', v_sub.status using errcode = 'PT409',
        hint = 'Change or cancel your plan in the billing portal.';
    end if;
    if v_plan.stripe_price_id is null then
      raise exception 'the % plan cannot be bought yet', v_plan.name using errcode = 'PT503';
    end if;
    return jsonb_build_object('kind', 'plan', 'id', v_plan.id, 'price_id', v_plan.stripe_price_id,
                              'amount_cents', v_plan.price_cents, 'currency', v_plan.currency);
  elsif p_kind = 'pack' then
    select * into v_pack from public.credit_packs where id = p_item and active;
    if not found then
      raise exception 'unknown credit pack "%"', p_item using errcode = 'P0001',
        hint = 'Packs: ' || (select string_agg(id, ', ' order by sort_order) from public.credit_packs where active);
    end if;
    if v_pack.stripe_price_id is null then
      raise exception 'the % cannot be bought yet', v_pack.name using errcode = 'PT503';
    end if;
    return jsonb_build_object('kind', 'pack', 'id', v_pack.id, 'price_id', v_pack.stripe_price_id,
                              'credits', v_pack.credits, 'amount_cents', v_pack.price_cents, 'currency', v_pack.currency);
  end if;
  raise exception 'checkout is for a plan or a pack, not "%"', p_kind using errcode = 'P0001';
end $$;

-- Records a pack checkout the sidecar just created (status pending). Idempotent on the session id.
create function private.record_pack_checkout(p_user uuid, p_session text, p_pack text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.credit_purchases (user_id, checkout_session_id, pack_id, credits, amount_cents, currency)
  select p_user, p_session, k.id, k.credits, k.price_cents, k.currency
  from public.credit_packs k where k.id = p_pack
  on conflict (checkout_session_id) do nothing;
  if not found and not exists (select 1 from public.credit_purchases where checkout_session_id = p_session) then
    raise exception 'unknown credit pack "%"', p_pack using errcode = 'P0001';
  end if;
end $$;

-- Billing history of a user: invoices and credit purchases, newest first.
create function private.billing_history(p_user uuid, p_limit integer default 50) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(h.item order by h.at desc), '[]'::jsonb)
  from (
    (select i.invoice_created_at as at, jsonb_build_object(
        'type', 'invoice', 'id', i.id, 'status', i.status, 'payment_failed', i.payment_failed,
        'amount_cents', case when i.status = 'paid' then i.amount_paid_cents else i.amount_due_cents end,
        'currency', i.currency, 'plan', s.plan_id, 'period_start', i.period_start, 'period_end', i.period_end,
        'hosted_invoice_url', i.hosted_invoice_url, 'invoice_pdf', i.invoice_pdf, 'created_at', i.invoice_created_at) as item
     from public.billing_invoices i left join public.subscriptions s on s.id = i.subscription_id
     where i.user_id = p_user order by i.invoice_created_at desc limit p_limit)
    union all
    (select p.created_at, jsonb_build_object(
        'type', 'credit_purchase', 'id', p.checkout_session_id, 'status', p.status, 'pack', p.pack_id,
        'credits', p.credits, 'amount_cents', p.amount_cents, 'currency', p.currency,
        'amount_refunded_cents', p.amount_refunded_cents, 'credits_clawed_back', p.credits_clawed_back,
        'clawback_shortfall', p.clawback_shortfall, 'paid_at', p.paid_at, 'created_at', p.created_at)
     from public.credit_purchases p
     where p.user_id = p_user and (p.status <> 'pending' or p.created_at > now() - interval '1 day')
     order by p.created_at desc limit p_limit)
  ) h
$$;

-- Recording events ----------------------------------------------------------------------------------------

-- Stores a verified event once and wakes the workers (NOTIFY stripe_events). Returns false for a
-- duplicate delivery. p_status 'dead' stores an event that must not be applied (e.g. a foreign API
-- version) with p_error saying why.
create function private.record_stripe_event(p_payload jsonb, p_status text default 'pending', p_error text default null)
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_id text := p_payload ->> 'id';
begin
  if v_id is null or p_payload ->> 'type' is null or p_payload ->> 'created' is null then
    raise exception 'not a Stripe event' using errcode = 'P0001';
  end if;
  insert into private.stripe_events (id, type, api_version, livemode, event_created, object_id, payload, status, last_error)
  values (v_id, p_payload ->> 'type', p_payload ->> 'api_version', coalesce((p_payload ->> 'livemode')::boolean, false),
          to_timestamp((p_payload ->> 'created')::double precision), p_payload #>> '{data,object,id}', p_payload,
          p_status, p_error)
  on conflict (id) do nothing;
  if not found then
    return false;
  end if;
  if p_status = 'pending' then
    perform pg_notify('stripe_events', v_id);
  end if;
  return true;
end $$;

-- Puts a dead (or any) event back in the queue: operators, after fixing the cause.
create function private.retry_stripe_event(p_id text) returns boolean
language sql security definer set search_path = '' as $$
  update private.stripe_events set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null
  where id = p_id returning true
$$;

-- Records a failed attempt: retried after an exponential backoff (capped at 1 hour), dead after
-- p_max_attempts.
create function private.fail_stripe_event(p_id text, p_error text, p_max_attempts integer default 10) returns text
language sql security definer set search_path = '' as $$
  update private.stripe_events
  set attempts = attempts + 1,
      last_error = left(p_error, 2000),
      status = case when attempts + 1 >= p_max_attempts then 'dead' else 'pending' end,
      next_attempt_at = now() + least(interval '1 hour', interval '2 seconds' * power(2, attempts))
  where id = p_id
  returning status
$$;

-- Applying events -----------------------------------------------------------------------------------------

-- Order of subscription statuses for events of the same second: the later lifecycle state wins.
create function private.stripe_status_rank(p_status text) returns integer
language sql immutable set search_path = '' as $$
  select case p_status
    when 'incomplete' then 1 when 'trialing' then 2 when 'active' then 3 when 'past_due' then 4
    when 'paused' then 5 when 'unpaid' then 6 when 'incomplete_expired' then 7 when 'canceled' then 8
    when 'draft' then 1 when 'open' then 2 when 'uncollectible' then 3 when 'paid' then 4 when 'void' then 5
    else 0 end
$$;

create function private.stripe_ts(p_epoch text) returns timestamptz
language sql immutable set search_path = '' as $$
  select case when p_epoch is null or p_epoch = 'null' then null else to_timestamp(p_epoch::double precision) end
$$;

-- The user a Stripe object belongs to: our user id in metadata (set at checkout), else the customer.
create function private.stripe_user(p_object jsonb) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_user uuid;
  v_ref text := coalesce(p_object -> 'metadata' ->> 'user_id', p_object ->> 'client_reference_id',
                         p_object #>> '{subscription_details,metadata,user_id}');
begin
  if v_ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select id into v_user from public.profiles where id = v_ref::uuid;
    if found then
      return v_user;
    end if;
  end if;
  if jsonb_typeof(p_object -> 'customer') = 'string' then
    select id into v_user from public.profiles where stripe_customer_id = p_object ->> 'customer';
  end if;
  return v_user;
end $$;

-- Recomputes the user's plan from their subscriptions and, when it changed, updates the profile and tells
-- the user (notification + credits_update, whose daily allowance follows the new plan). Returns the plan.
create function private.sync_plan_from_subscriptions(p_user uuid) returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_old text;
  v_new text;
  v_new_name text;
begin
  select plan_id into v_old from public.profiles where id = p_user for update;
  if not found then
    return null;
  end if;
  select pl.id, pl.name into v_new, v_new_name
  from public.subscriptions s join public.plans pl on pl.id = s.plan_id
  where s.user_id = p_user and s.status in ('trialing', 'active', 'past_due')
  order by pl.sort_order desc, pl.daily_credits desc limit 1;
  if v_new is null then
    select id, name into v_new, v_new_name from public.plans where id = 'free';
  end if;
  if v_new is distinct from v_old then
    update public.profiles set plan_id = v_new, plan_changed_at = now() where id = p_user;
    perform private.broadcast(p_user, 'notification', jsonb_build_object(
      'kind', 'plan_changed', 'from_plan', v_old, 'plan', v_new,
      'message', 'Your plan is now ' || v_new_name || '.'));
    perform private.broadcast(p_user, 'credits_update', private.credit_status(p_user));
  end if;
  return v_new;
end $$;

-- customer.subscription.created / updated / deleted.
create function private.apply_stripe_subscription(p_event private.stripe_events) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_obj jsonb := p_event.payload -> 'data' -> 'object';
  v_user uuid := private.stripe_user(v_obj);
  v_status text := case when p_event.type = 'customer.subscription.deleted' then 'canceled' else v_obj ->> 'status' end;
  v_rank integer := private.stripe_status_rank(case when p_event.type = 'customer.subscription.deleted' then 'canceled' else v_obj ->> 'status' end);
  v_price text := v_obj #>> '{items,data,0,price,id}';
  v_old public.subscriptions;
  v_new public.subscriptions;
  v_plan text;
begin
  if v_user is null then
    -- Our checkouts put the user id in the subscription's metadata and link the customer first, so this
    -- is a customer we do not know yet: fail, so the event is retried (and dead, visibly, if it stays so).
    raise exception 'no user for Stripe customer % (subscription %)', v_obj ->> 'customer', v_obj ->> 'id'
      using errcode = 'P0001';
  end if;
  select * into v_old from public.subscriptions where id = v_obj ->> 'id' for update;

  insert into public.subscriptions as s (id, user_id, stripe_customer_id, stripe_price_id, plan_id, status,
      cancel_at_period_end, current_period_start, current_period_end, canceled_at, ended_at,
      stripe_event_at, stripe_event_rank, stripe_event_id)
  values (v_obj ->> 'id', v_user, v_obj ->> 'customer', v_price,
          (select id from public.plans where stripe_price_id = v_price), v_status,
          coalesce((v_obj ->> 'cancel_at_period_end')::boolean, false),
          private.stripe_ts(v_obj ->> 'current_period_start'), private.stripe_ts(v_obj ->> 'current_period_end'),
          private.stripe_ts(v_obj ->> 'canceled_at'), private.stripe_ts(v_obj ->> 'ended_at'),
          p_event.event_created, v_rank, p_event.id)
  on conflict (id) do update set
      user_id = excluded.user_id, stripe_customer_id = excluded.stripe_customer_id,
      stripe_price_id = excluded.stripe_price_id, plan_id = excluded.plan_id, status = excluded.status,
      cancel_at_period_end = excluded.cancel_at_period_end, current_period_start = excluded.current_period_start,
      current_period_end = excluded.current_period_end, canceled_at = excluded.canceled_at, ended_at = excluded.ended_at,
      stripe_event_at = excluded.stripe_event_at, stripe_event_rank = excluded.stripe_event_rank,
      stripe_event_id = excluded.stripe_event_id
    where (s.stripe_event_at, s.stripe_event_rank, s.stripe_event_id)
        < (excluded.stripe_event_at, excluded.stripe_event_rank, excluded.stripe_event_id)
      -- A canceled subscription never comes back (Stripe creates a new one instead).
      and (s.status <> 'canceled' or excluded.status = 'canceled')
  returning * into v_new;

  if v_new.id is null then
    return jsonb_build_object('outcome', 'stale', 'subscription', v_obj ->> 'id');
  end if;
  v_plan := private.sync_plan_from_subscriptions(v_user);

  -- Tell the user about changes that need their attention (only on a real change of that field).
  if v_new.status = 'past_due' and v_old.status is distinct from 'past_due' then
    perform private.broadcast(v_user, 'notification', jsonb_build_object('kind', 'payment_past_due',
      'plan', v_new.plan_id, 'message', 'Your last payment failed. Update your card in the billing portal to keep your plan.'));
  end if;
  if v_new.cancel_at_period_end and v_new.status in ('active', 'trialing')
     and not coalesce(v_old.cancel_at_period_end, false) then
    perform private.broadcast(v_user, 'notification', jsonb_build_object('kind', 'plan_cancel_scheduled',
      'plan', v_new.plan_id, 'ends_at', v_new.current_period_end,
      'message', 'Your plan stays active until the end of the billing period, then you move to Free.'));
  end if;
  return jsonb_build_object('outcome', 'applied', 'subscription', v_new.id, 'status', v_new.status, 'plan', v_plan);
end $$;

-- invoice.paid / invoice.payment_failed (and any invoice.* carrying an invoice object).
create function private.apply_stripe_invoice(p_event private.stripe_events) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_obj jsonb := p_event.payload -> 'data' -> 'object';
  v_user uuid := private.stripe_user(v_obj);
  v_failed boolean := p_event.type = 'invoice.payment_failed';
  v_new public.billing_invoices;
  v_was_failed boolean;
begin
  if v_user is null and jsonb_typeof(v_obj -> 'subscription') = 'string' then
    select user_id into v_user from public.subscriptions where id = v_obj ->> 'subscription';
  end if;
  if v_user is null then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'no user for this customer');
  end if;
  select payment_failed into v_was_failed from public.billing_invoices where id = v_obj ->> 'id' for update;

  insert into public.billing_invoices as i (id, user_id, subscription_id, status, payment_failed, amount_due_cents,
      amount_paid_cents, currency, billing_reason, hosted_invoice_url, invoice_pdf, period_start, period_end,
      invoice_created_at, stripe_event_at, stripe_event_rank, stripe_event_id)
  values (v_obj ->> 'id', v_user, v_obj ->> 'subscription', coalesce(v_obj ->> 'status', 'open'), v_failed,
          coalesce((v_obj ->> 'amount_due')::integer, 0), coalesce((v_obj ->> 'amount_paid')::integer, 0),
          upper(coalesce(v_obj ->> 'currency', 'usd')), v_obj ->> 'billing_reason',
          v_obj ->> 'hosted_invoice_url', v_obj ->> 'invoice_pdf',
          private.stripe_ts(v_obj ->> 'period_start'), private.stripe_ts(v_obj ->> 'period_end'),
          coalesce(private.stripe_ts(v_obj ->> 'created'), p_event.event_created),
          p_event.event_created, private.stripe_status_rank(coalesce(v_obj ->> 'status', 'open')), p_event.id)
  on conflict (id) do update set
      status = excluded.status, amount_due_cents = excluded.amount_due_cents,
      amount_paid_cents = excluded.amount_paid_cents, hosted_invoice_url = excluded.hosted_invoice_url,
      invoice_pdf = excluded.invoice_pdf, stripe_event_at = excluded.stripe_event_at,
      stripe_event_rank = excluded.stripe_event_rank, stripe_event_id = excluded.stripe_event_id
    where (i.stripe_event_at, i.stripe_event_rank, i.stripe_event_id)
        < (excluded.stripe_event_at, excluded.stripe_event_rank, excluded.stripe_event_id)
  returning * into v_new;

  -- A failure is a fact about the invoice whatever the order of events: remember it.
  if v_failed then
    update public.billing_invoices set payment_failed = true where id = v_obj ->> 'id' and not payment_failed;
    if not coalesce(v_was_failed, false) then
      perform private.broadcast(v_user, 'notification', jsonb_build_object('kind', 'payment_failed',
        'invoice', v_obj ->> 'id', 'hosted_invoice_url', v_obj ->> 'hosted_invoice_url',
        'message', 'A payment for your plan failed. Stripe will retry; update your card in the billing portal.'));
    end if;
  end if;
  return jsonb_build_object('outcome', case when v_new.id is null and not v_failed then 'stale' else 'applied' end,
                            'invoice', v_obj ->> 'id');
end $$;

-- Grants and claws back a purchase's credits to match what Stripe says: paid → credits granted once
-- (ledger key stripe:checkout:<session>); refunded share → that share of the credits taken back from the
-- balance, as far as the balance goes, the rest recorded as shortfall. Safe to call any number of times.
create function private.settle_credit_purchase(p_session text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_p public.credit_purchases;
  v_refund private.stripe_charge_refunds;
  v_balance integer;
  v_target integer;
  v_delta integer;
  v_take integer;
  v_granted boolean := false;
begin
  select * into v_p from public.credit_purchases where checkout_session_id = p_session for update;
  if not found or v_p.status in ('pending', 'failed') then
    return jsonb_build_object('granted', false);
  end if;

  select balance into v_balance from public.credit_accounts where user_id = v_p.user_id for update;
  if not exists (select 1 from public.credit_ledger
                 where user_id = v_p.user_id and idempotency_key = 'stripe:checkout:' || p_session) then
    update public.credit_accounts set balance = balance + v_p.credits, updated_at = now()
    where user_id = v_p.user_id returning balance into v_balance;
    insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key, metadata)
    values (v_p.user_id, 'purchase', v_p.credits, v_balance, 'stripe:checkout:' || p_session,
            jsonb_build_object('checkout_session', p_session, 'pack', v_p.pack_id, 'payment_intent', v_p.payment_intent_id));
    v_granted := true;
    perform private.broadcast(v_p.user_id, 'notification', jsonb_build_object('kind', 'credits_purchased',
      'pack', v_p.pack_id, 'credits', v_p.credits, 'message', v_p.credits || ' credits were added to your balance.'));
  end if;

  -- Refunds (cumulative amount, so a partial then a full refund claws back the difference).
  if v_p.payment_intent_id is not null then
    select * into v_refund from private.stripe_charge_refunds where payment_intent_id = v_p.payment_intent_id;
  end if;
  if v_refund.payment_intent_id is not null and v_refund.amount_refunded_cents > v_p.amount_refunded_cents then
    v_target := case when v_refund.amount_refunded_cents >= greatest(v_refund.amount_cents, 1) then v_p.credits
                     else (v_p.credits::bigint * v_refund.amount_refunded_cents / greatest(v_refund.amount_cents, 1))::integer end;
    v_delta := greatest(v_target - v_p.credits_clawed_back - v_p.clawback_shortfall, 0);
    v_take := least(v_delta, v_balance);
    if v_delta > 0 then
      update public.credit_accounts set balance = balance - v_take, updated_at = now()
      where user_id = v_p.user_id returning balance into v_balance;
      insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key, metadata)
      values (v_p.user_id, 'refund', -v_take, v_balance,
              'stripe:refund:' || p_session || ':' || v_refund.amount_refunded_cents,
              jsonb_build_object('checkout_session', p_session, 'charge', v_refund.charge_id,
                                 'amount_refunded_cents', v_refund.amount_refunded_cents,
                                 'credits_due', v_delta, 'credits_taken', v_take, 'shortfall', v_delta - v_take));
    end if;
    update public.credit_purchases
    set amount_refunded_cents = v_refund.amount_refunded_cents,
        credits_clawed_back = credits_clawed_back + coalesce(v_take, 0),
        clawback_shortfall = clawback_shortfall + coalesce(v_delta - v_take, 0),
        status = case when v_refund.amount_refunded_cents >= v_refund.amount_cents then 'refunded' else 'partially_refunded' end
    where id = v_p.id;
    perform private.broadcast(v_p.user_id, 'notification', jsonb_build_object('kind', 'credits_refunded',
      'pack', v_p.pack_id, 'credits_removed', coalesce(v_take, 0), 'shortfall', coalesce(v_delta - v_take, 0),
      'message', 'Your credit pack was refunded; ' || coalesce(v_take, 0) || ' credits were removed from your balance.'
                 || case when coalesce(v_delta - v_take, 0) > 0
                         then ' ' || (v_delta - v_take) || ' credits had already been spent.' else '' end));
  end if;

  if v_granted or v_delta > 0 then
    perform private.broadcast(v_p.user_id, 'credits_update', private.credit_status(v_p.user_id));
  end if;
  return jsonb_build_object('granted', v_granted, 'clawed_back', coalesce(v_take, 0),
                            'shortfall', coalesce(v_delta - v_take, 0));
end $$;

-- checkout.session.completed / async_payment_succeeded / async_payment_failed / expired.
create function private.apply_stripe_checkout(p_event private.stripe_events) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_obj jsonb := p_event.payload -> 'data' -> 'object';
  v_user uuid := private.stripe_user(v_obj);
  v_session text := v_obj ->> 'id';
  v_paid boolean;
  v_failed boolean;
  v_pack public.credit_packs;
  v_settle jsonb;
  v_old_status text;
begin
  if v_user is null then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'no user for this checkout session');
  end if;
  -- Link the customer to the user (first one wins), whatever the mode.
  if jsonb_typeof(v_obj -> 'customer') = 'string' then
    update public.profiles set stripe_customer_id = v_obj ->> 'customer'
    where id = v_user and stripe_customer_id is null
      and not exists (select 1 from public.profiles o where o.stripe_customer_id = v_obj ->> 'customer');
  end if;
  if v_obj ->> 'mode' is distinct from 'payment' then
    return jsonb_build_object('outcome', 'applied', 'mode', v_obj ->> 'mode');
  end if;

  -- The purchase row normally exists (recorded when the session was created); rebuild it from our own
  -- metadata otherwise.
  if not exists (select 1 from public.credit_purchases where checkout_session_id = v_session) then
    select * into v_pack from public.credit_packs where id = v_obj -> 'metadata' ->> 'pack_id';
    if v_pack.id is null then
      return jsonb_build_object('outcome', 'ignored', 'reason', 'not a credit pack checkout');
    end if;
    insert into public.credit_purchases (user_id, checkout_session_id, pack_id, credits, amount_cents, currency)
    values (v_user, v_session, v_pack.id,
            coalesce(nullif(v_obj -> 'metadata' ->> 'credits', '')::integer, v_pack.credits),
            coalesce((v_obj ->> 'amount_total')::integer, v_pack.price_cents), v_pack.currency)
    on conflict (checkout_session_id) do nothing;
  end if;

  v_paid := v_obj ->> 'payment_status' in ('paid', 'no_payment_required')
            and p_event.type in ('checkout.session.completed', 'checkout.session.async_payment_succeeded');
  v_failed := p_event.type in ('checkout.session.async_payment_failed', 'checkout.session.expired');
  select status into v_old_status from public.credit_purchases where checkout_session_id = v_session for update;

  update public.credit_purchases
  set payment_intent_id = coalesce(payment_intent_id, v_obj ->> 'payment_intent'),
      status = case when status = 'pending' and v_paid then 'paid'
                    when status = 'pending' and v_failed then 'failed'
                    -- Stripe reported both: money arrived after all (paid wins, it is final).
                    when status = 'failed' and v_paid then 'paid'
                    else status end,
      paid_at = case when v_paid then coalesce(paid_at, p_event.event_created) else paid_at end
  where checkout_session_id = v_session;

  if v_failed and v_old_status = 'pending' then
    perform private.broadcast(v_user, 'notification', jsonb_build_object('kind', 'credit_payment_failed',
      'checkout_session', v_session, 'message', 'Your payment for a credit pack did not go through; no credits were added.'));
  end if;
  v_settle := private.settle_credit_purchase(v_session);
  return jsonb_build_object('outcome', 'applied', 'mode', 'payment', 'paid', v_paid) || v_settle;
end $$;

-- charge.refunded: remember the cumulative refund of the payment intent, then settle its purchase.
create function private.apply_stripe_refund(p_event private.stripe_events) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_obj jsonb := p_event.payload -> 'data' -> 'object';
  v_pi text := v_obj ->> 'payment_intent';
  v_session text;
begin
  if v_pi is null then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'charge without payment intent');
  end if;
  insert into private.stripe_charge_refunds as r (payment_intent_id, charge_id, amount_cents, amount_refunded_cents)
  values (v_pi, v_obj ->> 'id', coalesce((v_obj ->> 'amount_captured')::integer, (v_obj ->> 'amount')::integer, 0),
          coalesce((v_obj ->> 'amount_refunded')::integer, 0))
  on conflict (payment_intent_id) do update
    set amount_refunded_cents = greatest(r.amount_refunded_cents, excluded.amount_refunded_cents),
        amount_cents = greatest(r.amount_cents, excluded.amount_cents), updated_at = now();
  select checkout_session_id into v_session from public.credit_purchases where payment_intent_id = v_pi;
  if v_session is null then
    return jsonb_build_object('outcome', 'recorded', 'reason', 'no purchase for this payment (yet)');
  end if;
  return jsonb_build_object('outcome', 'applied') || private.settle_credit_purchase(v_session);
end $$;

-- Applies one stored event, in the caller's transaction, and marks it processed (or ignored). Raises on
-- failure (the caller records the attempt with private.fail_stripe_event). Applying an event twice
-- changes nothing the second time.
create function private.apply_stripe_event(p_id text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_event private.stripe_events;
  v_result jsonb;
begin
  select * into v_event from private.stripe_events where id = p_id for update;
  if not found then
    raise exception 'no stored Stripe event %', p_id using errcode = 'PT404';
  end if;
  if v_event.status in ('processed', 'ignored') then
    return jsonb_build_object('outcome', 'duplicate', 'status', v_event.status);
  end if;

  v_result := case
    when v_event.type in ('checkout.session.completed', 'checkout.session.async_payment_succeeded',
                          'checkout.session.async_payment_failed', 'checkout.session.expired')
      then private.apply_stripe_checkout(v_event)
    when v_event.type in ('customer.subscription.created', 'customer.subscription.updated',
                          'customer.subscription.deleted', 'customer.subscription.paused',
                          'customer.subscription.resumed')
      then private.apply_stripe_subscription(v_event)
    when v_event.type in ('invoice.paid', 'invoice.payment_failed', 'invoice.payment_succeeded')
      then private.apply_stripe_invoice(v_event)
    when v_event.type = 'charge.refunded'
      then private.apply_stripe_refund(v_event)
    else jsonb_build_object('outcome', 'ignored', 'reason', 'event type not handled')
  end;

  update private.stripe_events
  set status = case when v_result ->> 'outcome' = 'ignored' then 'ignored' else 'processed' end,
      attempts = attempts + 1, processed_at = now(), result = v_result, last_error = null
  where id = p_id;
  return v_result;
end $$;
comment on function private.apply_stripe_event(text) is 'Applies a stored Stripe event once (idempotent, order-independent) and marks it processed or ignored.';

-- Access ----------------------------------------------------------------------------------------------

alter table public.credit_packs enable row level security;
alter table public.subscriptions enable row level security;
alter table public.credit_purchases enable row level security;
alter table public.billing_invoices enable row level security;
alter table private.stripe_events enable row level security;
alter table private.stripe_charge_refunds enable row level security;
alter table private.scheduler_slots enable row level security;

create policy "active packs are public" on public.credit_packs for select to anon, authenticated using (active);
create policy "users read their subscriptions" on public.subscriptions
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their credit purchases" on public.credit_purchases
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their invoices" on public.billing_invoices
  for select to authenticated using (user_id = (select auth.uid()));

grant select on public.credit_packs to anon, authenticated;
grant select on public.subscriptions, public.credit_purchases, public.billing_invoices to authenticated;
grant select, insert, update, delete on public.credit_packs to service_role;
-- Billing state is written only through the functions below (by the sidecar); the service role reads it.
grant select on public.subscriptions, public.credit_purchases, public.billing_invoices to service_role;
grant select on private.stripe_events, private.stripe_charge_refunds, private.scheduler_slots to service_role;

grant execute on function
  private.claim_scheduler_slot(text, timestamptz, text, interval),
  private.finish_scheduler_slot(text, timestamptz, text, jsonb, text),
  private.reset_daily_credits(date),
  private.require_outreach_plan(uuid),
  private.set_stripe_customer(uuid, text),
  private.billing_checkout_item(uuid, text, text),
  private.record_pack_checkout(uuid, text, text),
  private.billing_history(uuid, integer),
  private.record_stripe_event(jsonb, text, text),
  private.retry_stripe_event(text),
  private.fail_stripe_event(text, text, integer),
  private.apply_stripe_event(text),
  private.sync_plan_from_subscriptions(uuid),
  private.settle_credit_purchase(text)
to service_role;
