-- LinkedIn outreach through Unipile: connected accounts with their safety limits, campaigns, targets,
-- generated messages awaiting approval, the action log the sender claims from, and Unipile's webhook events.
--
-- Every rule that keeps the founder's LinkedIn account safe lives here, so it holds whichever sidecar
-- replica (or several at once) does the sending:
--   * per-account caps (daily and weekly invitations, daily messages, daily profile views), counted from the
--     action log over rolling windows, scaled down for new accounts (ramp-up);
--   * working hours and working days in the account's time zone, and a jittered gap between two actions;
--   * an invitation attempt is recorded ('sending') before Unipile is called, and a unique index makes a
--     second invitation to the same person from the same account impossible; a crash leaves an attempt
--     whose lease expires into 'unknown', which reconciliation resolves (never a blind re-send);
--   * nothing is sent before the founder approved the generated messages.
-- Functions that take p_now default to now(); tests pass their own clock.

-- Reference data ----------------------------------------------------------------------------------

create table public.outreach_limit_defaults (
  tier                text primary key check (tier in ('free', 'premium', 'sales_navigator', 'recruiter')),
  daily_invites       integer not null check (daily_invites between 0 and 200),
  weekly_invites      integer not null check (weekly_invites between 0 and 500),
  daily_messages      integer not null check (daily_messages between 0 and 300),
  daily_profile_views integer not null check (daily_profile_views between 0 and 300),
  note_max_chars      integer not null check (note_max_chars between 0 and 300),
  min_gap_seconds     integer not null check (min_gap_seconds >= 0),
  max_gap_seconds     integer not null check (max_gap_seconds >= 0),
  ramp_days           integer not null check (ramp_days between 0 and 120),
  ramp_start_ratio    numeric(3, 2) not null check (ramp_start_ratio > 0 and ramp_start_ratio <= 1),
  updated_at          timestamptz not null default now(),
  check (min_gap_seconds <= max_gap_seconds)
);
comment on table public.outreach_limit_defaults is
  'LinkedIn safety limits per account tier, copied onto an account when it connects (Unipile guidance: paid '
  '80-100 invitations/day and ~200/week, free ~15/week with a note of at most 200 characters; 80-100 profile '
  'views and ~100 messages a day). Daily caps of a new account start at ramp_start_ratio and grow linearly over ramp_days.';

insert into public.outreach_limit_defaults
  (tier, daily_invites, weekly_invites, daily_messages, daily_profile_views, note_max_chars, min_gap_seconds,
   max_gap_seconds, ramp_days, ramp_start_ratio)
values
  ('free',            10,  15,  50,  60, 200, 60, 240, 14, 0.30),
  ('premium',         90, 200, 100, 100, 300, 45, 180, 14, 0.20),
  ('sales_navigator', 90, 200, 100, 100, 300, 45, 180, 14, 0.20),
  ('recruiter',       90, 200, 100, 100, 300, 45, 180, 14, 0.20);

create trigger outreach_limit_defaults_touch before update on public.outreach_limit_defaults
  for each row execute function private.touch_updated_at();

-- Sequences: what is sent, in which order and how long after the previous step. The prototype's offsets
-- from day 0 (standard 0/2/7/14, aggressive 0/1/4/8, conservative 0/3/10/21) become gaps between steps;
-- the first message waits for the acceptance and for at least delay_days after the invitation.
create table public.outreach_sequence_steps (
  sequence_type text not null check (sequence_type in ('standard', 'aggressive', 'conservative')),
  step          smallint not null check (step between 1 and 10),
  message_type  text not null check (message_type in ('connection_request', 'first_message', 'follow_up', 'pitch_message')),
  delay_days    integer not null check (delay_days between 0 and 90),
  primary key (sequence_type, step),
  check ((step = 1) = (message_type = 'connection_request'))
);
comment on table public.outreach_sequence_steps is
  'Outreach sequences. Step 1 is the connection request (its message is the note); later steps are messages '
  'sent delay_days after the previous step (step 2: after the acceptance, and at least delay_days after the invitation).';

insert into public.outreach_sequence_steps (sequence_type, step, message_type, delay_days) values
  ('standard', 1, 'connection_request', 0), ('standard', 2, 'first_message', 2),
  ('standard', 3, 'follow_up', 5), ('standard', 4, 'pitch_message', 7),
  ('aggressive', 1, 'connection_request', 0), ('aggressive', 2, 'first_message', 1),
  ('aggressive', 3, 'follow_up', 3), ('aggressive', 4, 'pitch_message', 4),
  ('conservative', 1, 'connection_request', 0), ('conservative', 2, 'first_message', 3),
  ('conservative', 3, 'follow_up', 7), ('conservative', 4, 'pitch_message', 11);

-- Longest text per message type, in characters (Unicode code points, as LinkedIn counts them). The
-- connection note is further limited by the account's note_max_chars (200 on free LinkedIn accounts).
create function private.outreach_max_chars(p_type text) returns integer
language sql immutable set search_path = '' as $$
  select case p_type when 'connection_request' then 300 when 'first_message' then 500
                     when 'follow_up' then 400 when 'pitch_message' then 600 end
$$;

-- Whether p is a time zone Postgres knows (cheap: no scan of pg_timezone_names).
create function private.valid_timezone(p text) returns boolean
language plpgsql stable set search_path = '' as $$
begin
  if p is null or p !~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$' then
    return false;
  end if;
  perform now() at time zone p;
  return true;
exception when others then
  return false;
end $$;

-- Plan gate ---------------------------------------------------------------------------------------

-- Raises PT402 (HTTP 402) unless the user's plan includes LinkedIn outreach.
create function private.outreach_require_plan(p_user uuid) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if p_user is null then
    raise exception 'sign in to use LinkedIn outreach' using errcode = '42501';
  end if;
  if not exists (select 1 from public.profiles p join public.plans pl on pl.id = p.plan_id
                 where p.id = p_user and pl.outreach_enabled) then
    raise exception 'LinkedIn outreach needs the Outreach plan' using errcode = 'PT402',
      hint = 'Upgrade to the Outreach plan to connect LinkedIn and run personalised campaigns.';
  end if;
end $$;

-- LinkedIn accounts -------------------------------------------------------------------------------

create table public.linkedin_accounts (
  id                   uuid primary key default gen_random_uuid(),
  user_id              uuid not null references public.profiles (id) on delete cascade,
  unipile_account_id   text not null unique check (char_length(unipile_account_id) between 1 and 200),
  status               text not null default 'connected' check (status in ('connected', 'disconnected', 'deleted')),
  status_detail        text check (char_length(status_detail) <= 200),
  display_name         text check (char_length(display_name) <= 200),
  own_provider_id      text check (char_length(own_provider_id) <= 200),
  tier                 text not null default 'free' references public.outreach_limit_defaults (tier),
  daily_invites        integer not null check (daily_invites >= 0),
  weekly_invites       integer not null check (weekly_invites >= 0),
  daily_messages       integer not null check (daily_messages >= 0),
  daily_profile_views  integer not null check (daily_profile_views >= 0),
  note_max_chars       integer not null check (note_max_chars between 0 and 300),
  min_gap_seconds      integer not null check (min_gap_seconds >= 0),
  max_gap_seconds      integer not null check (max_gap_seconds >= 0),
  ramp_days            integer not null check (ramp_days >= 0),
  ramp_start_ratio     numeric(3, 2) not null check (ramp_start_ratio > 0 and ramp_start_ratio <= 1),
  timezone             text not null default 'UTC',
  work_start           time not null default '09:00',
  work_end             time not null default '18:00',
  work_days            smallint[] not null default '{1,2,3,4,5}'
                       check (cardinality(work_days) between 1 and 7 and work_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
  connected_at         timestamptz not null default now(),
  disconnected_at      timestamptz,
  next_action_at       timestamptz not null default '-infinity',
  paused_until         timestamptz,
  invites_paused_until timestamptz,
  pause_reason         text check (char_length(pause_reason) <= 200),
  reconciled_at        timestamptz,
  reconcile_lease      timestamptz,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  check (min_gap_seconds <= max_gap_seconds),
  check (work_start < work_end)
);
comment on table public.linkedin_accounts is
  'LinkedIn accounts connected through Unipile hosted auth, with their safety limits (copied from '
  'outreach_limit_defaults for the tier), working hours in their time zone and the sender''s pacing state. '
  'Users read their own and may change timezone and working hours.';
create index linkedin_accounts_user_idx on public.linkedin_accounts (user_id);
create index linkedin_accounts_due_idx on public.linkedin_accounts (next_action_at) where status = 'connected';

create trigger linkedin_accounts_touch before update on public.linkedin_accounts
  for each row execute function private.touch_updated_at();

-- Limits default to the tier's when not given (and follow a tier change made by the service); the time
-- zone must be a real IANA name.
create function private.linkedin_account_defaults() returns trigger
language plpgsql set search_path = '' as $$
declare
  d public.outreach_limit_defaults;
begin
  if not private.valid_timezone(new.timezone) then
    raise exception 'unknown time zone "%"', new.timezone using errcode = 'P0001',
      hint = 'Use an IANA time zone name such as Europe/Madrid or America/New_York.';
  end if;
  if tg_op = 'UPDATE' and new.tier is not distinct from old.tier then
    return new;
  end if;
  select * into d from public.outreach_limit_defaults where tier = new.tier;
  if tg_op = 'UPDATE' or new.daily_invites is null then new.daily_invites := d.daily_invites; end if;
  if tg_op = 'UPDATE' or new.weekly_invites is null then new.weekly_invites := d.weekly_invites; end if;
  if tg_op = 'UPDATE' or new.daily_messages is null then new.daily_messages := d.daily_messages; end if;
  if tg_op = 'UPDATE' or new.daily_profile_views is null then new.daily_profile_views := d.daily_profile_views; end if;
  if tg_op = 'UPDATE' or new.note_max_chars is null then new.note_max_chars := d.note_max_chars; end if;
  if tg_op = 'UPDATE' or new.min_gap_seconds is null then new.min_gap_seconds := d.min_gap_seconds; end if;
  if tg_op = 'UPDATE' or new.max_gap_seconds is null then new.max_gap_seconds := d.max_gap_seconds; end if;
  if tg_op = 'UPDATE' or new.ramp_days is null then new.ramp_days := d.ramp_days; end if;
  if tg_op = 'UPDATE' or new.ramp_start_ratio is null then new.ramp_start_ratio := d.ramp_start_ratio; end if;
  return new;
end $$;
create trigger linkedin_accounts_defaults before insert or update of tier, timezone on public.linkedin_accounts
  for each row execute function private.linkedin_account_defaults();

-- Hosted-auth links: one per "Connect" click. Only the SHA-256 of the link's token is stored; the token
-- itself travels in the notify_url Unipile calls back, so the callback proves which user started it.
create table private.linkedin_connect_links (
  token_hash         text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id            uuid not null references public.profiles (id) on delete cascade,
  kind               text not null check (kind in ('create', 'reconnect')),
  account_id         uuid references public.linkedin_accounts (id) on delete cascade,
  expires_at         timestamptz not null,
  used_at            timestamptz,
  unipile_account_id text,
  created_at         timestamptz not null default now(),
  check ((kind = 'reconnect') = (account_id is not null))
);
create index linkedin_connect_links_user_idx on private.linkedin_connect_links (user_id, created_at desc);

-- Records a new hosted-auth link for p_user (create, or reconnect of one of their accounts). Returns what
-- the sidecar needs to ask Unipile for the link: {kind, reconnect_account (Unipile id), expires_at}.
create function private.linkedin_begin_connect(p_user uuid, p_token_hash text, p_account uuid default null,
                                               p_ttl interval default '1 hour', p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_acc public.linkedin_accounts;
begin
  perform private.outreach_require_plan(p_user);
  if p_account is not null then
    select * into v_acc from public.linkedin_accounts a where a.id = p_account and a.user_id = p_user;
    if not found then
      raise exception 'LinkedIn account not found' using errcode = 'PT404';
    end if;
  end if;
  insert into private.linkedin_connect_links (token_hash, user_id, kind, account_id, expires_at, created_at)
  values (p_token_hash, p_user, case when p_account is null then 'create' else 'reconnect' end, p_account,
          p_now + p_ttl, p_now);
  -- Old unused links of this user are useless once a new one exists.
  delete from private.linkedin_connect_links l
  where l.user_id = p_user and l.used_at is null and l.expires_at < p_now - interval '7 days';
  return jsonb_build_object('kind', case when p_account is null then 'create' else 'reconnect' end,
                            'reconnect_account', v_acc.unipile_account_id, 'expires_at', p_now + p_ttl);
end $$;

-- Account became usable (hosted auth finished, or Unipile says it is OK again): status connected, the
-- campaigns paused because of the disconnection resume, and the user hears about it.
create function private.linkedin_account_connected(p_account uuid, p_detail text default null, p_now timestamptz default now())
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_acc public.linkedin_accounts;
  v_was text;
  c record;
begin
  select * into v_acc from public.linkedin_accounts where id = p_account for update;
  if not found then
    return;
  end if;
  v_was := v_acc.status;
  update public.linkedin_accounts
     set status = 'connected', status_detail = p_detail, disconnected_at = null,
         paused_until = null, pause_reason = null
   where id = p_account;
  if v_was = 'connected' then
    return;
  end if;
  for c in update public.outreach_campaigns k set status = 'active', pause_reason = null, paused_at = null
           where k.linkedin_account_id = p_account and k.status = 'paused' and k.pause_reason = 'account_disconnected'
           returning k.id, k.user_id loop
    perform private.broadcast(c.user_id, 'campaign_update', jsonb_build_object(
      'campaign_id', c.id, 'status', 'active', 'reason', 'account_reconnected'));
  end loop;
  perform private.broadcast(v_acc.user_id, 'notification', jsonb_build_object(
    'type', 'linkedin_connected', 'account_id', p_account, 'title', 'LinkedIn connected',
    'body', 'Your LinkedIn account is connected; campaigns paused by the disconnection resumed.'));
  perform pg_notify('outreach_wake', '');
end $$;

-- Account can no longer be used (401 from Unipile, or an account status webhook): its active campaigns
-- pause and the user is told to reconnect.
create function private.linkedin_account_disconnected(p_account uuid, p_detail text default null,
                                                      p_deleted boolean default false, p_now timestamptz default now())
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_acc public.linkedin_accounts;
  c record;
begin
  select * into v_acc from public.linkedin_accounts where id = p_account for update;
  if not found or (v_acc.status = 'deleted' or (v_acc.status = 'disconnected' and not p_deleted)) then
    return;
  end if;
  update public.linkedin_accounts
     set status = case when p_deleted then 'deleted' else 'disconnected' end, status_detail = p_detail,
         disconnected_at = coalesce(disconnected_at, p_now)
   where id = p_account;
  for c in update public.outreach_campaigns k
              set status = 'paused', pause_reason = 'account_disconnected', paused_at = p_now
            where k.linkedin_account_id = p_account and k.status = 'active'
            returning k.id, k.user_id loop
    perform private.broadcast(c.user_id, 'campaign_update', jsonb_build_object(
      'campaign_id', c.id, 'status', 'paused', 'reason', 'account_disconnected'));
  end loop;
  perform private.broadcast(v_acc.user_id, 'notification', jsonb_build_object(
    'type', 'linkedin_disconnected', 'account_id', p_account, 'reconnect', true,
    'title', 'LinkedIn disconnected',
    'body', 'LinkedIn disconnected your account from 0Bullshit; campaigns on it are paused until you reconnect.'));
end $$;

-- The hosted-auth notify callback. p_token_hash identifies the link (and so the user); p_status is
-- Unipile's CREATION_SUCCESS or RECONNECTED; p_name must be the user id we sent as "name"; p_info may carry
-- {display_name, own_provider_id, tier}. Idempotent for Unipile's retries. Returns {account_id, user_id, created}.
create function private.linkedin_complete_connect(p_token_hash text, p_status text, p_unipile_account_id text,
                                                  p_name text, p_info jsonb default '{}', p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_link private.linkedin_connect_links;
  v_acc public.linkedin_accounts;
  v_created boolean := false;
  v_info jsonb := coalesce(p_info, '{}');
begin
  select * into v_link from private.linkedin_connect_links where token_hash = p_token_hash for update;
  if not found then
    raise exception 'unknown connect link' using errcode = '42501';
  end if;
  if v_link.expires_at < p_now - interval '1 day' then
    raise exception 'connect link expired' using errcode = '42501';
  end if;
  if p_name is distinct from v_link.user_id::text then
    raise exception 'connect callback for another user' using errcode = '42501';
  end if;
  if coalesce(p_unipile_account_id, '') = '' or coalesce(p_status, '') not in ('CREATION_SUCCESS', 'RECONNECTED') then
    raise exception 'unexpected connect status %', p_status using errcode = 'P0001';
  end if;
  if v_link.used_at is not null and v_link.unipile_account_id is distinct from p_unipile_account_id then
    raise exception 'connect link already used for another account' using errcode = '42501';
  end if;
  select * into v_acc from public.linkedin_accounts where unipile_account_id = p_unipile_account_id for update;
  if found and v_acc.user_id <> v_link.user_id then
    raise exception 'this LinkedIn account is connected to another user' using errcode = '42501';
  end if;
  if v_link.kind = 'reconnect' and v_acc.id is distinct from v_link.account_id then
    raise exception 'reconnect callback for another account' using errcode = '42501';
  end if;
  if v_acc.id is null then
    insert into public.linkedin_accounts (user_id, unipile_account_id, display_name, own_provider_id, tier, connected_at)
    values (v_link.user_id, p_unipile_account_id, v_info ->> 'display_name', v_info ->> 'own_provider_id',
            coalesce(v_info ->> 'tier', 'free'), p_now)
    returning * into v_acc;
    v_created := true;
    perform private.broadcast(v_acc.user_id, 'notification', jsonb_build_object(
      'type', 'linkedin_connected', 'account_id', v_acc.id, 'title', 'LinkedIn connected',
      'body', 'Your LinkedIn account is connected. New accounts start slowly and speed up over two weeks.'));
  else
    update public.linkedin_accounts
       set display_name = coalesce(v_info ->> 'display_name', display_name),
           own_provider_id = coalesce(v_info ->> 'own_provider_id', own_provider_id),
           tier = coalesce(v_info ->> 'tier', tier)
     where id = v_acc.id;
    perform private.linkedin_account_connected(v_acc.id, p_status, p_now);
  end if;
  update private.linkedin_connect_links set used_at = coalesce(used_at, p_now), unipile_account_id = p_unipile_account_id
   where token_hash = p_token_hash;
  return jsonb_build_object('account_id', v_acc.id, 'user_id', v_acc.user_id, 'created', v_created);
end $$;

-- Provider ids are viewer-scoped: the same person has a different provider_id under each connected account.
create table private.linkedin_people (
  account_id        uuid not null references public.linkedin_accounts (id) on delete cascade,
  public_identifier text not null,
  provider_id       text not null,
  is_relationship   boolean not null default false,
  resolved_at       timestamptz not null default now(),
  primary key (account_id, public_identifier)
);
create index linkedin_people_provider_idx on private.linkedin_people (account_id, provider_id);

-- Campaigns ---------------------------------------------------------------------------------------

create table public.outreach_campaigns (
  id                  uuid primary key default gen_random_uuid(),
  user_id             uuid not null references public.profiles (id) on delete cascade,
  project_id          uuid not null references public.projects (id) on delete cascade,
  linkedin_account_id uuid references public.linkedin_accounts (id) on delete set null,
  name                text not null check (char_length(btrim(name)) between 1 and 200),
  status              text not null default 'draft' check (status in ('draft', 'active', 'paused', 'completed', 'cancelled')),
  pause_reason        text check (pause_reason in ('user', 'account_disconnected', 'plan')),
  sequence_type       text not null default 'standard' check (sequence_type in ('standard', 'aggressive', 'conservative')),
  language            text not null default 'en' check (language in ('en', 'es')),
  invite_expiry_days  integer not null default 21 check (invite_expiry_days between 1 and 90),
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  launched_at         timestamptz,
  paused_at           timestamptz,
  completed_at        timestamptz,
  cancelled_at        timestamptz,
  check ((status = 'paused') = (pause_reason is not null))
);
comment on table public.outreach_campaigns is
  'A founder''s LinkedIn outreach plan: draft -> active <-> paused -> completed, or cancelled. Written through '
  'the campaign RPCs only; metrics come from public.outreach_campaign_metrics.';
create index outreach_campaigns_user_idx on public.outreach_campaigns (user_id, created_at desc);
create index outreach_campaigns_account_idx on public.outreach_campaigns (linkedin_account_id, status);
create trigger outreach_campaigns_touch before update on public.outreach_campaigns
  for each row execute function private.touch_updated_at();

create table public.outreach_targets (
  id                uuid primary key default gen_random_uuid(),
  campaign_id       uuid not null references public.outreach_campaigns (id) on delete cascade,
  user_id           uuid not null references public.profiles (id) on delete cascade,
  account_id        uuid references public.linkedin_accounts (id) on delete set null,
  investor_kind     text not null check (investor_kind in ('angel', 'fund_employee')),
  investor_id       uuid not null,
  search_id         uuid references public.search_results (id) on delete set null,
  full_name         text not null check (char_length(full_name) between 1 and 200),
  headline          text check (char_length(headline) <= 500),
  fund_name         text check (char_length(fund_name) <= 200),
  linkedin_url      text not null,
  public_identifier text not null check (char_length(public_identifier) between 1 and 200),
  provider_id       text,
  status            text not null default 'generating' check (status in (
                      'generating', 'draft', 'approved', 'verifying', 'invited', 'accepted', 'messaging',
                      'replied', 'completed', 'no_response', 'skipped', 'failed', 'removed')),
  current_step      smallint not null default 1 check (current_step between 1 and 11),
  next_due_at       timestamptz,
  attempts          smallint not null default 0 check (attempts >= 0),
  gen_lease_until   timestamptz,
  generation_mode   text check (generation_mode in ('gemini', 'template')),
  invited_at        timestamptz,
  accepted_at       timestamptz,
  replied_at        timestamptz,
  last_action_at    timestamptz,
  chat_id           text,
  reply_preview     text check (char_length(reply_preview) <= 1000),
  last_error        text check (char_length(last_error) <= 500),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  unique (campaign_id, investor_kind, investor_id)
);
comment on table public.outreach_targets is
  'One investor (angel or fund partner) in a campaign and where their sequence stands. generating -> draft '
  '(messages await approval) -> approved -> invited -> accepted -> messaging -> completed, or replied (the '
  'sequence stops), no_response (invitation never accepted), skipped, failed, removed.';
create index outreach_targets_campaign_idx on public.outreach_targets (campaign_id, status);
create index outreach_targets_due_idx on public.outreach_targets (account_id, next_due_at) where next_due_at is not null;
create index outreach_targets_person_idx on public.outreach_targets (account_id, public_identifier);
create index outreach_targets_generating_idx on public.outreach_targets (created_at) where status = 'generating';
create trigger outreach_targets_touch before update on public.outreach_targets
  for each row execute function private.touch_updated_at();

create table public.generated_messages (
  id           uuid primary key default gen_random_uuid(),
  target_id    uuid not null references public.outreach_targets (id) on delete cascade,
  campaign_id  uuid not null references public.outreach_campaigns (id) on delete cascade,
  user_id      uuid not null references public.profiles (id) on delete cascade,
  step         smallint not null check (step between 1 and 10),
  message_type text not null check (message_type in ('connection_request', 'first_message', 'follow_up', 'pitch_message')),
  language     text not null check (language in ('en', 'es')),
  body         text not null check (btrim(body) <> ''),
  max_chars    integer not null check (max_chars > 0),
  char_count   integer generated always as (char_length(body)) stored,
  mode         text not null check (mode in ('gemini', 'template', 'edited')),
  status       text not null default 'draft' check (status in ('draft', 'approved', 'sent', 'superseded')),
  approved_at  timestamptz,
  sent_at      timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  check (char_length(body) <= max_chars),
  check (max_chars <= private.outreach_max_chars(message_type))
);
comment on table public.generated_messages is
  'Personalised messages per target and step (Gemini, or offline templates), shown to the founder for '
  'approval before anything is sent. Lengths are in characters: notes at most 300 (200 on free LinkedIn accounts).';
create unique index generated_messages_current_idx on public.generated_messages (target_id, step) where status <> 'superseded';
create index generated_messages_campaign_idx on public.generated_messages (campaign_id);
create trigger generated_messages_touch before update on public.generated_messages
  for each row execute function private.touch_updated_at();

-- The action log: every attempt the sender makes (and what a dry-run would have made). Caps are counted
-- from it. state: sending (claimed, Unipile being called; lease_until bounds it) -> sent | failed |
-- skipped | unknown (the outcome is not known: a crash or a 5xx on an invitation; reconciliation decides).
create table public.outreach_actions (
  id           bigint generated always as identity primary key,
  account_id   uuid not null references public.linkedin_accounts (id) on delete cascade,
  user_id      uuid not null references public.profiles (id) on delete cascade,
  campaign_id  uuid references public.outreach_campaigns (id) on delete set null,
  target_id    uuid references public.outreach_targets (id) on delete set null,
  kind         text not null check (kind in ('profile_view', 'invite', 'message')),
  step         smallint,
  person_key   text not null,
  mode         text not null check (mode in ('live', 'dry_run')),
  state        text not null default 'sending' check (state in ('sending', 'sent', 'failed', 'skipped', 'unknown')),
  counted      boolean not null default true,
  message_id   uuid references public.generated_messages (id) on delete set null,
  body         text,
  provider_ref text,
  error_type   text,
  error_detail text check (char_length(error_detail) <= 500),
  lease_until  timestamptz,
  created_at   timestamptz not null default now(),
  finished_at  timestamptz
);
comment on table public.outreach_actions is
  'Every LinkedIn action attempted per account (profile view, invitation, message), live or dry_run. Caps count '
  'the rows with counted = true over rolling windows. An invitation is recorded before Unipile is called, so a '
  'crash can never lead to a second invitation: at most one sending/sent/unknown invitation per account and person.';
create unique index outreach_actions_one_invite_idx on public.outreach_actions (account_id, person_key, mode)
  where kind = 'invite' and state in ('sending', 'sent', 'unknown');
create index outreach_actions_window_idx on public.outreach_actions (account_id, created_at) include (kind) where counted;
create index outreach_actions_lease_idx on public.outreach_actions (lease_until) where state = 'sending';
create index outreach_actions_target_idx on public.outreach_actions (target_id);
create index outreach_actions_campaign_idx on public.outreach_actions (campaign_id, kind, state);

-- Unipile webhook events, stored raw with a dedupe key before they are applied.
create table private.unipile_events (
  id           bigint generated always as identity primary key,
  event_key    text not null unique,
  source       text not null,
  event        text,
  account_id   text,
  payload      jsonb not null,
  received_at  timestamptz not null default now(),
  processed_at timestamptz,
  result       jsonb,
  error        text
);
create index unipile_events_unprocessed_idx on private.unipile_events (received_at) where processed_at is null;

-- Helpers -----------------------------------------------------------------------------------------

-- The LinkedIn public identifier ("john-doe") of a profile URL, lower case; null when not a profile URL.
create function private.linkedin_public_id(p_url text) returns text
language sql immutable set search_path = '' as $$
  select nullif(lower(substring(p_url from '^https?://(?:[a-z]+\.)?linkedin\.com/in/([^/?#[:space:]]+)')), '')
$$;

-- p_now if it is inside the account's working hours, else the next start of working hours.
create function private.outreach_window_start(p_tz text, p_start time, p_end time, p_days smallint[], p_now timestamptz)
returns timestamptz
language plpgsql stable set search_path = '' as $$
declare
  v_local timestamp := p_now at time zone p_tz;
  v_day date;
begin
  if extract(isodow from v_local)::smallint = any (p_days) and v_local::time >= p_start and v_local::time < p_end then
    return p_now;
  end if;
  for i in 0..8 loop
    v_day := v_local::date + i;
    if extract(isodow from v_day)::smallint = any (p_days) and v_day + p_start > v_local then
      return (v_day + p_start) at time zone p_tz;
    end if;
  end loop;
  return p_now + interval '1 day';
end $$;

-- A daily cap scaled for the account's age: ramp_start_ratio on the day it connected, the full cap after ramp_days.
create function private.outreach_ramped(p_cap integer, p_ratio numeric, p_days integer, p_connected timestamptz,
                                        p_now timestamptz) returns integer
language sql immutable set search_path = '' as $$
  select case when p_cap <= 0 then 0
              when p_days <= 0 then p_cap
              else greatest(1, floor(p_cap * least(1.0, p_ratio + (1 - p_ratio)
                     * greatest(0, extract(epoch from p_now - p_connected)) / (p_days * 86400.0))))::integer end
$$;

-- Current usage and effective caps of an account at p_now (rolling 24 h / 7 days windows).
create function private.outreach_account_usage(p_account uuid, p_now timestamptz default now()) returns jsonb
language sql stable security definer set search_path = '' as $$
  with u as (
    select count(*) filter (where x.kind = 'invite' and x.created_at > p_now - interval '1 day') as invites_day,
           count(*) filter (where x.kind = 'invite') as invites_week,
           count(*) filter (where x.kind = 'message' and x.created_at > p_now - interval '1 day') as messages_day,
           count(*) filter (where x.kind = 'profile_view' and x.created_at > p_now - interval '1 day') as views_day
    from public.outreach_actions x
    where x.account_id = p_account and x.counted and x.created_at > p_now - interval '7 days' and x.created_at <= p_now
  )
  select jsonb_build_object(
    'invites_day', u.invites_day, 'invites_week', u.invites_week, 'messages_day', u.messages_day, 'views_day', u.views_day,
    'cap_invites_day', private.outreach_ramped(a.daily_invites, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now),
    'cap_invites_week', a.weekly_invites,
    'cap_messages_day', private.outreach_ramped(a.daily_messages, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now),
    'cap_views_day', private.outreach_ramped(a.daily_profile_views, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now))
  from public.linkedin_accounts a cross join u
  where a.id = p_account
$$;

create function private.campaign_event(p_campaign uuid, p_payload jsonb) returns void
language sql volatile security definer set search_path = '' as $$
  select private.broadcast(c.user_id, 'campaign_update', jsonb_build_object('campaign_id', c.id) || p_payload)
  from public.outreach_campaigns c where c.id = p_campaign
$$;

-- Completes active campaigns of the account (or every account) that have nothing left to do.
create function private.outreach_complete_campaigns(p_campaign uuid default null, p_now timestamptz default now())
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_n integer := 0;
  c record;
begin
  for c in update public.outreach_campaigns k set status = 'completed', completed_at = p_now
           where k.status = 'active' and (p_campaign is null or k.id = p_campaign)
             and exists (select 1 from public.outreach_targets t where t.campaign_id = k.id)
             and not exists (select 1 from public.outreach_targets t where t.campaign_id = k.id
                             and t.status in ('generating', 'approved', 'verifying', 'invited', 'accepted', 'messaging'))
           returning k.id, k.user_id loop
    v_n := v_n + 1;
    perform private.broadcast(c.user_id, 'campaign_update', jsonb_build_object('campaign_id', c.id, 'status', 'completed'));
  end loop;
  return v_n;
end $$;

-- Campaign RPCs (private: take the user; public wrappers use auth.uid()) ------------------------------

create function private.own_campaign(p_user uuid, p_campaign uuid, p_lock boolean default true)
returns public.outreach_campaigns
language plpgsql volatile security definer set search_path = '' as $$
declare
  v public.outreach_campaigns;
begin
  if p_user is null then
    raise exception 'sign in to manage campaigns' using errcode = '42501';
  end if;
  if p_lock then
    select * into v from public.outreach_campaigns c where c.id = p_campaign and c.user_id = p_user for update;
  else
    select * into v from public.outreach_campaigns c where c.id = p_campaign and c.user_id = p_user;
  end if;
  if not found then
    raise exception 'campaign not found' using errcode = 'PT404';
  end if;
  return v;
end $$;

-- Metrics are computed from the targets and the action log, never kept as counters.
create function private.campaign_metrics(p_campaign uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  with t as (
    select count(*) filter (where status <> 'removed') as targets,
           count(*) filter (where status in ('generating', 'draft')) as awaiting_approval,
           count(*) filter (where status = 'approved') as queued,
           count(*) filter (where invited_at is not null) as invited,
           count(*) filter (where accepted_at is not null) as accepted,
           count(*) filter (where replied_at is not null) as replied,
           count(*) filter (where status = 'failed') as failed,
           count(*) filter (where status = 'no_response') as no_response,
           coalesce(jsonb_object_agg(status, n) filter (where status is not null), '{}') as by_status
    from (select status, invited_at, accepted_at, replied_at, count(*) over (partition by status) as n
          from public.outreach_targets where campaign_id = p_campaign) x
  ), a as (
    select count(*) filter (where kind = 'invite' and state = 'sent' and mode = 'live') as invitations_sent,
           count(*) filter (where kind = 'message' and state = 'sent' and mode = 'live') as messages_sent,
           count(*) filter (where state = 'sent' and mode = 'dry_run' and kind <> 'profile_view') as dry_run_actions,
           max(finished_at) filter (where state = 'sent') as last_sent_at
    from public.outreach_actions where campaign_id = p_campaign
  )
  select jsonb_build_object(
    'targets', t.targets, 'awaiting_approval', t.awaiting_approval, 'queued', t.queued,
    'invited', t.invited, 'accepted', t.accepted, 'replied', t.replied, 'failed', t.failed,
    'no_response', t.no_response, 'by_status', t.by_status,
    'invitations_sent', a.invitations_sent, 'messages_sent', a.messages_sent, 'dry_run_actions', a.dry_run_actions,
    'acceptance_rate', case when t.invited > 0 then round(t.accepted::numeric / t.invited, 4) end,
    'reply_rate', case when t.invited > 0 then round(t.replied::numeric / t.invited, 4) end,
    'last_sent_at', a.last_sent_at)
  from t cross join a
$$;

create function private.campaign_json(p public.outreach_campaigns) returns jsonb
language sql stable security definer set search_path = '' as $$
  select to_jsonb(p) - 'user_id' || jsonb_build_object('metrics', private.campaign_metrics(p.id))
$$;

create function private.create_outreach_campaign(p_user uuid, p_name text, p_project uuid, p_account uuid default null,
                                                 p_sequence text default 'standard', p_language text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_acc public.linkedin_accounts;
  v_row public.outreach_campaigns;
begin
  perform private.outreach_require_plan(p_user);
  if coalesce(btrim(p_name), '') = '' or char_length(btrim(p_name)) > 200 then
    raise exception 'a campaign needs a name (1-200 characters)' using errcode = 'P0001';
  end if;
  if coalesce(p_sequence, 'standard') not in ('standard', 'aggressive', 'conservative') then
    raise exception 'unknown sequence "%"', p_sequence using errcode = 'P0001',
      hint = 'Use standard, aggressive or conservative.';
  end if;
  if p_language is not null and p_language not in ('en', 'es') then
    raise exception 'unsupported language "%"', p_language using errcode = 'P0001', hint = 'Use en or es.';
  end if;
  if not exists (select 1 from public.projects p where p.id = p_project and p.user_id = p_user) then
    raise exception 'project not found' using errcode = 'PT404';
  end if;
  select * into v_acc from public.linkedin_accounts a
  where a.user_id = p_user and (a.id = p_account or p_account is null) and a.status <> 'deleted'
  order by (a.status = 'connected') desc, a.created_at desc limit 1;
  if not found then
    raise exception 'connect a LinkedIn account first' using errcode = 'P0001',
      hint = 'POST /v1/linkedin/connect returns the link that connects your LinkedIn account.';
  end if;
  insert into public.outreach_campaigns (user_id, project_id, linkedin_account_id, name, sequence_type, language)
  values (p_user, p_project, v_acc.id, btrim(p_name), coalesce(p_sequence, 'standard'),
          coalesce(p_language, (select pr.language from public.profiles pr where pr.id = p_user), 'en'))
  returning * into v_row;
  return private.campaign_json(v_row);
end $$;

-- Adds the people of a search (angels and fund partners; a fund brings its listed partners) as targets.
-- p_ids limits it to these result ids (a fund id selects its people). Each new target waits for its
-- messages (status generating; the sidecar writes them). Returns {added, skipped: [{id, name, reason}]}.
create function private.add_outreach_targets(p_user uuid, p_campaign uuid, p_search uuid, p_ids uuid[] default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_c public.outreach_campaigns;
  v_s public.search_results;
  v_added integer := 0;
  v_skipped jsonb := '[]';
  v_reason text;
  v_pid text;
  r record;
begin
  perform private.outreach_require_plan(p_user);
  v_c := private.own_campaign(p_user, p_campaign);
  if v_c.status not in ('draft', 'paused', 'active') then
    raise exception 'a % campaign takes no new targets', v_c.status using errcode = 'P0001';
  end if;
  select * into v_s from public.search_results s where s.id = p_search and s.user_id = p_user;
  if not found then
    raise exception 'search not found' using errcode = 'PT404';
  end if;
  for r in
    with items as (
      select i.item, i.pos from jsonb_array_elements(v_s.results) with ordinality i(item, pos)
      where i.item ->> 'kind' in ('angel', 'fund_employee')
        and (p_ids is null or (i.item ->> 'id')::uuid = any (p_ids))
      union all
      select p.item, i.pos * 100 + p.pos from jsonb_array_elements(v_s.results) with ordinality i(fund, pos)
      cross join lateral jsonb_array_elements(coalesce(i.fund -> 'people', '[]')) with ordinality p(item, pos)
      where i.fund ->> 'kind' = 'fund'
        and (p_ids is null or (i.fund ->> 'id')::uuid = any (p_ids) or (p.item ->> 'id')::uuid = any (p_ids))
    )
    select distinct on (k.kind, k.id) k.kind, k.id, k.pos, k.full_name, k.headline, k.fund_name, k.linkedin_url
    from (
      select it.item ->> 'kind' as kind, (it.item ->> 'id')::uuid as id, it.pos,
             coalesce(a.full_name, e.full_name) as full_name, coalesce(a.headline, e.headline) as headline,
             f.name as fund_name, coalesce(a.linkedin_url, e.linkedin_url) as linkedin_url
      from items it
      left join public.angel_investors a on it.item ->> 'kind' = 'angel' and a.id = (it.item ->> 'id')::uuid
      left join public.fund_employees e on it.item ->> 'kind' = 'fund_employee' and e.id = (it.item ->> 'id')::uuid
      left join public.investment_funds f on f.id = e.fund_id
    ) k
    order by k.kind, k.id, k.pos
  loop
    v_pid := private.linkedin_public_id(r.linkedin_url);
    v_reason := case
      when r.full_name is null then 'not_found'
      when v_pid is null then 'no_linkedin_profile'
      when exists (select 1 from public.investor_feedback f where f.user_id = p_user and f.investor_kind = r.kind
                   and f.investor_id = r.id and f.verdict = 'dismissed') then 'dismissed'
      when exists (select 1 from public.outreach_targets t where t.campaign_id = p_campaign
                   and t.investor_kind = r.kind and t.investor_id = r.id) then 'already_in_campaign'
      when exists (select 1 from public.outreach_targets t join public.outreach_campaigns c on c.id = t.campaign_id
                   where t.user_id = p_user and t.public_identifier = v_pid and c.status <> 'cancelled'
                     and t.status not in ('removed', 'skipped', 'failed')) then 'in_another_campaign'
      when exists (select 1 from public.investor_feedback f where f.user_id = p_user and f.investor_kind = r.kind
                   and f.investor_id = r.id and f.verdict = 'contacted') then 'already_contacted'
    end;
    if v_reason is not null then
      v_skipped := v_skipped || jsonb_build_object('id', r.id, 'kind', r.kind, 'name', r.full_name, 'reason', v_reason);
      continue;
    end if;
    insert into public.outreach_targets (campaign_id, user_id, account_id, investor_kind, investor_id, search_id,
                                         full_name, headline, fund_name, linkedin_url, public_identifier, provider_id)
    values (p_campaign, p_user, v_c.linkedin_account_id, r.kind, r.id, p_search, left(r.full_name, 200),
            left(r.headline, 500), left(r.fund_name, 200), r.linkedin_url, v_pid,
            (select lp.provider_id from private.linkedin_people lp
             where lp.account_id = v_c.linkedin_account_id and lp.public_identifier = v_pid));
    v_added := v_added + 1;
  end loop;
  if (select count(*) from public.outreach_targets t where t.campaign_id = p_campaign) > 1000 then
    raise exception 'a campaign holds at most 1000 targets' using errcode = 'P0001';
  end if;
  if v_added > 0 then
    perform pg_notify('outreach_generate', p_campaign::text);
    perform private.campaign_event(p_campaign, jsonb_build_object('event', 'targets_added', 'added', v_added));
  end if;
  return jsonb_build_object('campaign_id', p_campaign, 'added', v_added, 'skipped', v_skipped);
end $$;

create function private.remove_outreach_target(p_user uuid, p_target uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_t public.outreach_targets;
begin
  select * into v_t from public.outreach_targets t where t.id = p_target and t.user_id = p_user for update;
  if not found then
    raise exception 'target not found' using errcode = 'PT404';
  end if;
  if v_t.status not in ('generating', 'draft', 'approved') or v_t.invited_at is not null then
    return false;  -- already contacted: the sequence can be stopped by pausing or cancelling the campaign
  end if;
  update public.outreach_targets set status = 'removed', next_due_at = null where id = p_target;
  update public.generated_messages set status = 'superseded' where target_id = p_target and status <> 'sent';
  return true;
end $$;

-- Replaces the text of a draft (or approved, not yet sent) message; it needs approval again.
create function private.update_outreach_message(p_user uuid, p_message uuid, p_body text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_m public.generated_messages;
  v_t public.outreach_targets;
begin
  select * into v_m from public.generated_messages m where m.id = p_message and m.user_id = p_user for update;
  if not found then
    raise exception 'message not found' using errcode = 'PT404';
  end if;
  if v_m.status not in ('draft', 'approved') then
    raise exception 'a % message cannot be edited', v_m.status using errcode = 'P0001';
  end if;
  p_body := btrim(p_body);
  if coalesce(p_body, '') = '' then
    raise exception 'the message is empty' using errcode = 'P0001';
  end if;
  if char_length(p_body) > v_m.max_chars then
    raise exception 'the message has % characters; at most % fit', char_length(p_body), v_m.max_chars
      using errcode = 'P0001', hint = case when v_m.message_type = 'connection_request'
        then 'LinkedIn limits invitation notes (200 characters on free accounts, 300 on premium).'
        else 'Shorten it: short messages get more replies.' end;
  end if;
  update public.generated_messages set body = p_body, mode = 'edited', status = 'draft', approved_at = null
   where id = p_message returning * into v_m;
  -- The target waits for approval again.
  update public.outreach_targets set status = 'draft', next_due_at = null
   where id = v_m.target_id and status = 'approved' and invited_at is null
   returning * into v_t;
  return to_jsonb(v_m) - 'user_id';
end $$;

-- Approves the draft messages of the given targets (every draft target of the campaign when null). A
-- target is approved when every step of its sequence has a message.
create function private.approve_outreach_messages(p_user uuid, p_campaign uuid, p_targets uuid[] default null,
                                                  p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_c public.outreach_campaigns;
  v_steps integer;
  v_n integer;
begin
  v_c := private.own_campaign(p_user, p_campaign);
  if v_c.status in ('completed', 'cancelled') then
    raise exception 'the campaign is %', v_c.status using errcode = 'P0001';
  end if;
  select count(*) into v_steps from public.outreach_sequence_steps s where s.sequence_type = v_c.sequence_type;
  with ok as (
    select t.id from public.outreach_targets t
    where t.campaign_id = p_campaign and t.status = 'draft' and (p_targets is null or t.id = any (p_targets))
      and (select count(*) from public.generated_messages m where m.target_id = t.id and m.status in ('draft', 'approved')) >= v_steps
    for update of t
  ), msgs as (
    update public.generated_messages m set status = 'approved', approved_at = p_now
    from ok where m.target_id = ok.id and m.status = 'draft'
    returning m.id
  ), tgt as (
    update public.outreach_targets t
       set status = 'approved', current_step = 1,
           next_due_at = case when v_c.status = 'active' then p_now end
    from ok where t.id = ok.id
    returning t.id
  )
  select count(*) into v_n from tgt;
  if v_n > 0 then
    perform private.campaign_event(p_campaign, jsonb_build_object('event', 'approved', 'approved', v_n));
    if v_c.status = 'active' then
      perform pg_notify('outreach_wake', '');
    end if;
  end if;
  return jsonb_build_object('campaign_id', p_campaign, 'approved', v_n,
    'waiting', (select count(*) from public.outreach_targets t where t.campaign_id = p_campaign and t.status in ('generating', 'draft')));
end $$;

create function private.launch_outreach_campaign(p_user uuid, p_campaign uuid, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_c public.outreach_campaigns;
begin
  perform private.outreach_require_plan(p_user);
  v_c := private.own_campaign(p_user, p_campaign);
  if v_c.status <> 'draft' then
    raise exception 'only a draft campaign can be launched (this one is %)', v_c.status using errcode = 'P0001',
      hint = case when v_c.status = 'paused' then 'Resume it instead.' end;
  end if;
  if not exists (select 1 from public.linkedin_accounts a where a.id = v_c.linkedin_account_id and a.status = 'connected') then
    raise exception 'the campaign''s LinkedIn account is not connected' using errcode = 'P0001',
      hint = 'Reconnect it (POST /v1/linkedin/connect with its account_id).';
  end if;
  if not exists (select 1 from public.outreach_targets t where t.campaign_id = p_campaign and t.status = 'approved') then
    raise exception 'approve the messages of at least one target before launching' using errcode = 'P0001',
      hint = 'Review the generated messages, then call approve_outreach_messages.';
  end if;
  update public.outreach_targets set next_due_at = p_now where campaign_id = p_campaign and status = 'approved';
  update public.outreach_campaigns set status = 'active', launched_at = p_now where id = p_campaign returning * into v_c;
  perform private.campaign_event(p_campaign, jsonb_build_object('status', 'active', 'event', 'launched'));
  perform pg_notify('outreach_wake', '');
  return private.campaign_json(v_c);
end $$;

create function private.set_campaign_status(p_user uuid, p_campaign uuid, p_action text, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_c public.outreach_campaigns;
begin
  v_c := private.own_campaign(p_user, p_campaign);
  case p_action
  when 'pause' then
    if v_c.status <> 'active' then
      raise exception 'only an active campaign can be paused (this one is %)', v_c.status using errcode = 'P0001';
    end if;
    update public.outreach_campaigns set status = 'paused', pause_reason = 'user', paused_at = p_now
     where id = p_campaign returning * into v_c;
  when 'resume' then
    perform private.outreach_require_plan(p_user);
    if v_c.status <> 'paused' then
      raise exception 'only a paused campaign can be resumed (this one is %)', v_c.status using errcode = 'P0001';
    end if;
    if not exists (select 1 from public.linkedin_accounts a where a.id = v_c.linkedin_account_id and a.status = 'connected') then
      raise exception 'the campaign''s LinkedIn account is not connected' using errcode = 'P0001',
        hint = 'Reconnect it (POST /v1/linkedin/connect with its account_id); the campaign resumes by itself.';
    end if;
    update public.outreach_campaigns set status = case when launched_at is null then 'draft' else 'active' end,
           pause_reason = null, paused_at = null
     where id = p_campaign returning * into v_c;
    perform pg_notify('outreach_wake', '');
  when 'cancel' then
    if v_c.status in ('completed', 'cancelled') then
      raise exception 'the campaign is already %', v_c.status using errcode = 'P0001';
    end if;
    update public.outreach_campaigns set status = 'cancelled', pause_reason = null, cancelled_at = p_now
     where id = p_campaign returning * into v_c;
    update public.outreach_targets set status = 'removed', next_due_at = null
     where campaign_id = p_campaign and status in ('generating', 'draft', 'approved');
    update public.outreach_targets set next_due_at = null where campaign_id = p_campaign and next_due_at is not null;
    update public.generated_messages set status = 'superseded' where campaign_id = p_campaign and status in ('draft', 'approved');
  else
    raise exception 'unknown campaign action %', p_action using errcode = 'P0001';
  end case;
  perform private.campaign_event(p_campaign, jsonb_build_object('status', v_c.status, 'event', p_action));
  return private.campaign_json(v_c);
end $$;

-- Message generation (sidecar) ---------------------------------------------------------------------

-- Claims up to p_limit targets waiting for messages, with what the generator needs: the investor's
-- public profile and sectors, the project, the campaign's language and sequence, the note limit.
create function private.outreach_claim_generation(p_limit integer default 10, p_lease interval default '5 minutes',
                                                  p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_out jsonb;
begin
  with picked as (
    select t.id from public.outreach_targets t
    where t.status = 'generating' and (t.gen_lease_until is null or t.gen_lease_until < p_now)
    order by t.created_at
    limit p_limit
    for update skip locked
  ), leased as (
    update public.outreach_targets t set gen_lease_until = p_now + p_lease
    from picked where t.id = picked.id
    returning t.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'target_id', l.id, 'campaign_id', l.campaign_id, 'user_id', l.user_id,
    'language', c.language, 'sequence_type', c.sequence_type,
    'note_max_chars', coalesce(acc.note_max_chars, 300),
    'steps', (select jsonb_agg(jsonb_build_object('step', s.step, 'message_type', s.message_type,
                                                  'max_chars', case when s.step = 1 then least(coalesce(acc.note_max_chars, 300), 300)
                                                                    else private.outreach_max_chars(s.message_type) end)
                               order by s.step)
              from public.outreach_sequence_steps s where s.sequence_type = c.sequence_type),
    'investor', jsonb_build_object(
      'kind', l.investor_kind, 'name', l.full_name, 'headline', l.headline, 'fund', l.fund_name,
      'about', left(coalesce(ai.about, ''), 1500), 'title', fe.job_title,
      'location', coalesce(ai.location, fe.location),
      'sectors', to_jsonb(coalesce(ai.categories_strong || ai.categories_general, fe.categories_strong || fe.categories_general,
                                   f.categories_strong || f.categories_general, '{}')),
      'stages', to_jsonb(coalesce(ai.stages_general, fe.stages_general, f.stages_general, '{}'))),
    'project', jsonb_build_object(
      'name', p.name, 'description', left(coalesce(p.description, ''), 1500), 'sectors', to_jsonb(p.categories),
      'stage', p.stage, 'country', p.country, 'problem', left(coalesce(p.problem, ''), 800), 'metrics', p.metrics,
      'funding_ask_usd', p.funding_ask_usd),
    'founder', jsonb_build_object('name', pr.display_name)) order by l.created_at), '[]')
  into v_out
  from leased l
  join public.outreach_campaigns c on c.id = l.campaign_id
  join public.projects p on p.id = c.project_id
  join public.profiles pr on pr.id = l.user_id
  left join public.linkedin_accounts acc on acc.id = l.account_id
  left join public.angel_investors ai on l.investor_kind = 'angel' and ai.id = l.investor_id
  left join public.fund_employees fe on l.investor_kind = 'fund_employee' and fe.id = l.investor_id
  left join public.investment_funds f on f.id = fe.fund_id;
  return v_out;
end $$;

-- Stores the generated messages of one target ([{step, message_type, body}], one per step) and moves it
-- to draft (awaiting approval). p_mode gemini charges the outreach_message cost once per target
-- (idempotency key outreach_message:<target>); PT402 when the user is short of credits (nothing stored:
-- the sidecar falls back to templates, which are free). Bodies are checked against the limits.
create function private.outreach_save_messages(p_target uuid, p_messages jsonb, p_mode text, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_t public.outreach_targets;
  v_c public.outreach_campaigns;
  v_note integer;
  v_debit jsonb;
  m record;
  v_n integer := 0;
begin
  select * into v_t from public.outreach_targets t where t.id = p_target for update;
  if not found then
    raise exception 'target not found' using errcode = 'PT404';
  end if;
  if v_t.status not in ('generating', 'draft') then
    return jsonb_build_object('target_id', p_target, 'status', v_t.status, 'stored', 0);
  end if;
  if p_mode not in ('gemini', 'template') then
    raise exception 'unknown generation mode %', p_mode using errcode = 'P0001';
  end if;
  select * into v_c from public.outreach_campaigns where id = v_t.campaign_id;
  select coalesce(a.note_max_chars, 300) into v_note from public.linkedin_accounts a where a.id = v_t.account_id;
  v_note := coalesce(v_note, 300);
  if p_mode = 'gemini' then
    v_debit := private.debit_credits(v_t.user_id, 'outreach_message', 'outreach_message:' || p_target::text,
                                     jsonb_build_object('campaign_id', v_t.campaign_id, 'target_id', p_target));
  end if;
  update public.generated_messages set status = 'superseded' where target_id = p_target and status in ('draft', 'approved');
  for m in
    select s.step, s.message_type, btrim(x.body) as body
    from public.outreach_sequence_steps s
    left join lateral (select e ->> 'body' as body from jsonb_array_elements(p_messages) e
                       where (e ->> 'step')::int = s.step limit 1) x on true
    where s.sequence_type = v_c.sequence_type order by s.step
  loop
    if coalesce(m.body, '') = '' then
      raise exception 'no message for step %', m.step using errcode = 'P0001';
    end if;
    insert into public.generated_messages (target_id, campaign_id, user_id, step, message_type, language, body, max_chars, mode, created_at)
    values (p_target, v_t.campaign_id, v_t.user_id, m.step, m.message_type, v_c.language, m.body,
            case when m.step = 1 then least(v_note, 300) else private.outreach_max_chars(m.message_type) end, p_mode, p_now);
    v_n := v_n + 1;
  end loop;
  update public.outreach_targets set status = 'draft', gen_lease_until = null, generation_mode = p_mode, last_error = null
   where id = p_target;
  perform private.campaign_event(v_t.campaign_id, jsonb_build_object('event', 'messages_ready', 'target_id', p_target));
  return jsonb_build_object('target_id', p_target, 'status', 'draft', 'stored', v_n, 'credits', v_debit);
end $$;

-- Sender: claim, complete ------------------------------------------------------------------------

-- Makes scheduling decisions for accounts due at p_now (at most p_scan of them) until one yields an
-- action, which is claimed: recorded in outreach_actions as 'sending' (mode p_mode) with a lease, BEFORE
-- the sidecar calls Unipile. A decision respects, per account: connected, not paused, working hours in its
-- time zone, the jittered gap since its last action, and the daily/weekly caps counted from the log.
-- Accounts with nothing to do get next_action_at pushed to when there may be. FOR UPDATE SKIP LOCKED lets
-- several replicas claim at once. Returns the action as JSON, or null; p_stats (when given) receives the
-- number of decisions made.
create function private.outreach_claim(p_now timestamptz default now(), p_mode text default 'live',
                                       p_scan integer default 50, p_lease interval default '10 minutes',
                                       p_account uuid default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a public.linkedin_accounts;
  v_win timestamptz;
  u record;
  t record;
  v_kind text;
  v_msg public.generated_messages;
  v_action public.outreach_actions;
  v_next timestamptz;
  v_decisions integer := 0;
  v_inv_ok boolean;
  v_msg_ok boolean;
  v_view_ok boolean;
begin
  if p_mode not in ('live', 'dry_run') then
    raise exception 'unknown mode %', p_mode using errcode = 'P0001';
  end if;
  for a in
    select * from public.linkedin_accounts x
    where x.status = 'connected' and x.next_action_at <= p_now and (p_account is null or x.id = p_account)
    order by x.next_action_at
    limit p_scan
    for update skip locked
  loop
    v_decisions := v_decisions + 1;
    if a.paused_until > p_now then
      update public.linkedin_accounts set next_action_at = a.paused_until where id = a.id;
      continue;
    end if;
    v_win := private.outreach_window_start(a.timezone, a.work_start, a.work_end, a.work_days, p_now);
    if v_win > p_now then
      update public.linkedin_accounts set next_action_at = v_win where id = a.id;
      continue;
    end if;
    select count(*) filter (where x.kind = 'invite' and x.created_at > p_now - interval '1 day') as invites_day,
           count(*) filter (where x.kind = 'invite') as invites_week,
           count(*) filter (where x.kind = 'message' and x.created_at > p_now - interval '1 day') as messages_day,
           count(*) filter (where x.kind = 'profile_view' and x.created_at > p_now - interval '1 day') as views_day,
           min(x.created_at) filter (where x.created_at > p_now - interval '1 day') as oldest_day
      into u
      from public.outreach_actions x
     where x.account_id = a.id and x.counted and x.created_at > p_now - interval '7 days' and x.created_at <= p_now;
    v_inv_ok := u.invites_day < private.outreach_ramped(a.daily_invites, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now)
                and u.invites_week < a.weekly_invites
                and (a.invites_paused_until is null or a.invites_paused_until <= p_now);
    v_msg_ok := u.messages_day < private.outreach_ramped(a.daily_messages, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now);
    v_view_ok := u.views_day < private.outreach_ramped(a.daily_profile_views, a.ramp_start_ratio, a.ramp_days, a.connected_at, p_now);

    select x.* into t
      from public.outreach_targets x
      join public.outreach_campaigns c on c.id = x.campaign_id and c.status = 'active'
     where x.account_id = a.id and x.next_due_at <= p_now
       and ((x.current_step = 1 and x.status = 'approved'
             and ((x.provider_id is null and v_view_ok) or (x.provider_id is not null and v_inv_ok)))
            or (x.current_step > 1 and x.status in ('accepted', 'messaging') and v_msg_ok))
     -- people already engaged first (messages, then invitations of resolved people), then by due time
     order by x.current_step desc, (x.provider_id is null), x.next_due_at
     limit 1
     for update of x skip locked;
    if not found then
      -- Nothing doable now: come back when the next target is due (or in 15 minutes when a cap blocks it).
      select min(x.next_due_at) into v_next
        from public.outreach_targets x
        join public.outreach_campaigns c on c.id = x.campaign_id and c.status = 'active'
       where x.account_id = a.id and x.next_due_at is not null;
      update public.linkedin_accounts
         set next_action_at = case when v_next is null then p_now + interval '1 hour'
                                   when v_next <= p_now then p_now + interval '15 minutes'
                                   else least(v_next, p_now + interval '1 hour') end
       where id = a.id;
      continue;
    end if;

    v_kind := case when t.current_step = 1 and t.provider_id is null then 'profile_view'
                   when t.current_step = 1 then 'invite' else 'message' end;
    v_msg := null;
    if v_kind <> 'profile_view' then
      select * into v_msg from public.generated_messages m
       where m.target_id = t.id and m.step = t.current_step and m.status = 'approved';
      if not found then
        update public.outreach_targets set status = 'failed', next_due_at = null,
               last_error = 'no approved message for step ' || t.current_step where id = t.id;
        continue;
      end if;
    end if;

    insert into public.outreach_actions (account_id, user_id, campaign_id, target_id, kind, step, person_key, mode,
                                         message_id, body, lease_until, created_at)
    values (a.id, a.user_id, t.campaign_id, t.id, v_kind, t.current_step, t.public_identifier, p_mode,
            v_msg.id, v_msg.body, p_now + p_lease, p_now)
    on conflict (account_id, person_key, mode) where kind = 'invite' and state in ('sending', 'sent', 'unknown')
    do nothing
    returning * into v_action;
    if v_action.id is null then
      -- This account already invited this person (another campaign, or a previous attempt).
      update public.outreach_targets set status = 'invited', current_step = 2, next_due_at = null,
             invited_at = coalesce(invited_at, p_now), last_error = 'already invited from this account'
       where id = t.id;
      continue;
    end if;
    update public.outreach_targets set next_due_at = null, attempts = attempts + 1, last_action_at = p_now where id = t.id;
    update public.linkedin_accounts
       set next_action_at = p_now + make_interval(secs => a.min_gap_seconds + random() * (a.max_gap_seconds - a.min_gap_seconds))
     where id = a.id;
    return jsonb_build_object(
      'action_id', v_action.id, 'kind', v_kind, 'mode', p_mode, 'decisions', v_decisions,
      'account_id', a.id, 'unipile_account_id', a.unipile_account_id, 'note_max_chars', a.note_max_chars,
      'target_id', t.id, 'campaign_id', t.campaign_id, 'step', t.current_step,
      'public_identifier', t.public_identifier, 'provider_id', t.provider_id, 'chat_id', t.chat_id,
      'message_id', v_msg.id, 'text', v_msg.body, 'lease_until', v_action.lease_until);
  end loop;
  return case when v_decisions > 0 then jsonb_build_object('action_id', null, 'decisions', v_decisions) end;
end $$;

-- When the sequence of a target should run its next step after p_after.
create function private.outreach_next_due(p_target public.outreach_targets, p_step integer, p_after timestamptz)
returns timestamptz
language sql stable security definer set search_path = '' as $$
  select case when p_step = 2 then greatest(p_after, p_target.invited_at + make_interval(days => s.delay_days))
              else p_after + make_interval(days => s.delay_days) end
  from public.outreach_campaigns c
  join public.outreach_sequence_steps s on s.sequence_type = c.sequence_type and s.step = p_step
  where c.id = p_target.campaign_id
$$;

-- Accepted invitation (webhook, reconciliation, or the person was already a connection): the first
-- message becomes due.
create function private.outreach_mark_accepted(p_target uuid, p_now timestamptz default now()) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_t public.outreach_targets;
begin
  select * into v_t from public.outreach_targets where id = p_target for update;
  if not found or v_t.status not in ('approved', 'verifying', 'invited', 'no_response') then
    return false;
  end if;
  v_t.invited_at := coalesce(v_t.invited_at, p_now);
  update public.outreach_targets
     set status = 'accepted', accepted_at = coalesce(accepted_at, p_now), invited_at = v_t.invited_at, current_step = 2,
         next_due_at = case when exists (select 1 from public.outreach_sequence_steps s join public.outreach_campaigns c
                                          on c.sequence_type = s.sequence_type where c.id = v_t.campaign_id and s.step = 2)
                            then private.outreach_next_due(v_t, 2, p_now) end
   where id = p_target;
  perform private.campaign_event(v_t.campaign_id, jsonb_build_object('event', 'accepted', 'target_id', p_target,
                                                                     'name', v_t.full_name));
  perform pg_notify('outreach_wake', '');
  return true;
end $$;

-- Applies the outcome of a claimed action. p_outcome:
--   sent      Unipile accepted it. p_result: {provider_ref, chat_id, provider_id, is_relationship}.
--   already   the invitation exists already (already_invited_recently / action_already_performed).
--   limit     LinkedIn or Unipile limit (429, limit_exceeded, cannot_resend_yet): p_result {scope: invites|all,
--             until?, counted?}; the account pauses until then (default: next working day start), the target retries.
--   disconnected  401: the account is disconnected, its campaigns pause, the user is notified; the target retries later.
--   retry     transient (5xx on a view or message, network): the target retries with backoff, at most 5 attempts.
--   unknown   the invitation may have been sent (5xx on invite): reconciliation decides.
--   failed    permanent (invalid recipient, 4xx): the target fails.
-- Idempotent: an action that is no longer 'sending' is left alone. Returns {state, target_status}.
create function private.outreach_complete(p_action bigint, p_outcome text, p_result jsonb default '{}',
                                          p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_a public.outreach_actions;
  v_t public.outreach_targets;
  v_acc public.linkedin_accounts;
  v_r jsonb := coalesce(p_result, '{}');
  v_state text;
  v_counted boolean := true;
  v_until timestamptz;
  v_last_step integer;
  v_status text;
  v_kind text;
begin
  select * into v_a from public.outreach_actions where id = p_action for update;
  if not found then
    raise exception 'action % not found', p_action using errcode = 'PT404';
  end if;
  if v_a.state <> 'sending' then
    return jsonb_build_object('state', v_a.state, 'duplicate', true);
  end if;
  select * into v_t from public.outreach_targets where id = v_a.target_id for update;
  select * into v_acc from public.linkedin_accounts where id = v_a.account_id;
  select max(s.step) into v_last_step from public.outreach_sequence_steps s
    join public.outreach_campaigns c on c.sequence_type = s.sequence_type where c.id = v_a.campaign_id;

  case p_outcome
  when 'sent' then
    v_state := 'sent';
    if v_a.kind = 'profile_view' then
      if coalesce(v_r ->> 'provider_id', '') = '' then
        raise exception 'a resolved profile needs provider_id' using errcode = 'P0001';
      end if;
      insert into private.linkedin_people (account_id, public_identifier, provider_id, is_relationship, resolved_at)
      values (v_a.account_id, v_a.person_key, v_r ->> 'provider_id', coalesce((v_r ->> 'is_relationship')::boolean, false), p_now)
      on conflict (account_id, public_identifier) do update
        set provider_id = excluded.provider_id, is_relationship = excluded.is_relationship, resolved_at = excluded.resolved_at;
      update public.outreach_targets set provider_id = v_r ->> 'provider_id'
       where account_id = v_a.account_id and public_identifier = v_a.person_key;
      if coalesce((v_r ->> 'is_relationship')::boolean, false) then
        perform private.outreach_mark_accepted(v_t.id, p_now);  -- already a connection: no invitation needed
      elsif v_t.status = 'approved' then
        update public.outreach_targets set next_due_at = p_now where id = v_t.id;
      end if;
    elsif v_a.kind = 'invite' then
      update public.outreach_targets set status = 'invited', invited_at = p_now, current_step = 2, next_due_at = null,
             attempts = 0, last_error = null
       where id = v_t.id and status in ('approved', 'verifying');
      update public.generated_messages set status = 'sent', sent_at = p_now where id = v_a.message_id;
      perform private.campaign_event(v_a.campaign_id, jsonb_build_object('event', 'invited', 'target_id', v_t.id,
                                                                         'mode', v_a.mode));
    else
      update public.generated_messages set status = 'sent', sent_at = p_now where id = v_a.message_id;
      update public.outreach_targets
         set status = case when v_t.status = 'replied' then 'replied'
                           when v_a.step >= v_last_step then 'completed' else 'messaging' end,
             chat_id = coalesce(v_r ->> 'chat_id', chat_id), current_step = v_a.step + 1, attempts = 0, last_error = null,
             next_due_at = case when v_t.status <> 'replied' and v_a.step < v_last_step
                                then private.outreach_next_due(v_t, v_a.step + 1, p_now) end
       where id = v_t.id;
      perform private.campaign_event(v_a.campaign_id, jsonb_build_object('event', 'messaged', 'target_id', v_t.id,
                                                                         'step', v_a.step, 'mode', v_a.mode));
    end if;
    -- A real invitation or message means the investor has been contacted.
    if v_a.mode = 'live' and v_a.kind <> 'profile_view' then
      perform private.set_investor_feedback(v_t.user_id, v_t.investor_kind, v_t.investor_id, 'contacted',
                                            null, v_t.search_id);
    end if;
  when 'already' then
    v_state := 'skipped';
    v_counted := false;
    if v_a.kind = 'invite' then
      update public.outreach_targets set status = 'invited', invited_at = coalesce(invited_at, p_now), current_step = 2,
             next_due_at = null, last_error = coalesce(v_r ->> 'error_type', 'already invited')
       where id = v_t.id;
    else
      update public.outreach_targets set next_due_at = p_now + interval '1 hour' where id = v_t.id;
    end if;
  when 'limit' then
    v_state := 'failed';
    v_counted := coalesce((v_r ->> 'counted')::boolean, false);
    v_until := coalesce((v_r ->> 'until')::timestamptz,
                        private.outreach_window_start(v_acc.timezone, v_acc.work_start, v_acc.work_end, v_acc.work_days,
                          ((((p_now at time zone v_acc.timezone)::date + 1)::timestamp) at time zone v_acc.timezone)));
    if coalesce(v_r ->> 'scope', 'all') = 'invites' then
      update public.linkedin_accounts set invites_paused_until = v_until, pause_reason = coalesce(v_r ->> 'error_type', 'limit')
       where id = v_a.account_id;
    else
      update public.linkedin_accounts set paused_until = v_until, next_action_at = v_until,
             pause_reason = coalesce(v_r ->> 'error_type', 'limit')
       where id = v_a.account_id;
    end if;
    update public.outreach_targets set next_due_at = v_until, attempts = greatest(attempts - 1, 0),
           last_error = coalesce(v_r ->> 'error_type', 'limit') where id = v_t.id;
    perform private.broadcast(v_acc.user_id, 'notification', jsonb_build_object(
      'type', 'linkedin_limit', 'account_id', v_acc.id, 'until', v_until,
      'title', 'LinkedIn limit reached',
      'body', 'LinkedIn signalled a limit; outreach from this account waits until ' || to_char(v_until at time zone v_acc.timezone, 'YYYY-MM-DD HH24:MI') || '.'));
  when 'disconnected' then
    v_state := 'failed';
    v_counted := false;
    update public.outreach_targets set next_due_at = p_now, attempts = greatest(attempts - 1, 0),
           last_error = coalesce(v_r ->> 'error_type', 'disconnected') where id = v_t.id;
    perform private.linkedin_account_disconnected(v_a.account_id, coalesce(v_r ->> 'error_type', 'disconnected'), false, p_now);
  when 'retry' then
    v_state := 'failed';
    v_counted := coalesce((v_r ->> 'counted')::boolean, false);
    if v_t.attempts >= 5 then
      update public.outreach_targets set status = 'failed', next_due_at = null,
             last_error = left('gave up after 5 attempts: ' || coalesce(v_r ->> 'error_type', 'error'), 500) where id = v_t.id;
    else
      update public.outreach_targets
         set next_due_at = p_now + make_interval(secs => least(21600, 60 * power(4, v_t.attempts)) * (0.75 + random() * 0.5)),
             last_error = left(coalesce(v_r ->> 'error_type', 'transient error'), 500)
       where id = v_t.id;
    end if;
  when 'unknown' then
    v_state := 'unknown';
    if v_a.kind = 'invite' then
      update public.outreach_targets set status = 'verifying', next_due_at = null,
             last_error = left(coalesce(v_r ->> 'error_type', 'outcome unknown'), 500) where id = v_t.id;
    end if;
  when 'failed' then
    v_state := 'failed';
    v_counted := coalesce((v_r ->> 'counted')::boolean, false);
    update public.outreach_targets set status = 'failed', next_due_at = null,
           last_error = left(coalesce(v_r ->> 'error_type', 'failed') || coalesce(': ' || (v_r ->> 'error_detail'), ''), 500)
     where id = v_t.id;
    perform private.campaign_event(v_a.campaign_id, jsonb_build_object('event', 'failed', 'target_id', v_t.id));
  else
    raise exception 'unknown outcome %', p_outcome using errcode = 'P0001';
  end case;

  update public.outreach_actions
     set state = v_state, counted = v_counted, finished_at = p_now, lease_until = null,
         provider_ref = coalesce(v_r ->> 'provider_ref', provider_ref), error_type = v_r ->> 'error_type',
         error_detail = left(v_r ->> 'error_detail', 500)
   where id = p_action;
  perform private.outreach_complete_campaigns(v_a.campaign_id, p_now);
  select status into v_status from public.outreach_targets where id = v_a.target_id;
  return jsonb_build_object('state', v_state, 'target_status', v_status);
end $$;

-- Housekeeping (run periodically): attempts whose lease expired become 'unknown' (a crash between the call
-- and its record: an invitation is then verified by reconciliation, never re-sent blindly; a message is
-- assumed sent, at most once; a profile view is simply retried); invitations not accepted within the
-- campaign's invite_expiry_days end as no_response; finished campaigns complete. Returns counts.
create function private.outreach_maintain(p_now timestamptz default now()) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_stale integer := 0;
  v_expired integer := 0;
  v_done integer;
  x record;
begin
  for x in select * from public.outreach_actions a where a.state = 'sending' and a.lease_until < p_now
           for update skip locked loop
    v_stale := v_stale + 1;
    if x.kind = 'invite' then
      update public.outreach_actions set state = 'unknown', error_type = 'lease_expired', lease_until = null where id = x.id;
      update public.outreach_targets set status = 'verifying', next_due_at = null where id = x.target_id and status = 'approved';
    elsif x.kind = 'message' then
      perform private.outreach_complete(x.id, 'sent', '{"error_type": "lease_expired"}', p_now);
      update public.outreach_actions set state = 'unknown' where id = x.id;
    else
      perform private.outreach_complete(x.id, 'retry', '{"error_type": "lease_expired"}', p_now);
    end if;
  end loop;
  with e as (
    update public.outreach_targets t set status = 'no_response', next_due_at = null
    from public.outreach_campaigns c
    where c.id = t.campaign_id and t.status = 'invited'
      and t.invited_at < p_now - make_interval(days => c.invite_expiry_days)
    returning t.id
  )
  select count(*) into v_expired from e;
  v_done := private.outreach_complete_campaigns(null, p_now);
  return jsonb_build_object('stale_attempts', v_stale, 'expired_invitations', v_expired, 'completed_campaigns', v_done);
end $$;

-- Reconciliation ------------------------------------------------------------------------------------

-- Accounts due for reconciliation (every p_every, sooner when an invitation's outcome is unknown), leased
-- for p_lease so one replica handles each. Returns [{account_id, unipile_account_id}].
create function private.outreach_claim_reconcile(p_limit integer default 10, p_every interval default '3 hours',
                                                 p_lease interval default '10 minutes', p_now timestamptz default now())
returns jsonb
language sql volatile security definer set search_path = '' as $$
  with picked as (
    select a.id from public.linkedin_accounts a
    where a.status = 'connected' and (a.reconcile_lease is null or a.reconcile_lease < p_now)
      and (a.reconciled_at is null or a.reconciled_at < p_now - p_every
           or exists (select 1 from public.outreach_targets t where t.account_id = a.id and t.status = 'verifying'))
      and exists (select 1 from public.outreach_targets t where t.account_id = a.id
                  and t.status in ('verifying', 'invited'))
    order by a.reconciled_at nulls first
    limit p_limit
    for update skip locked
  ), leased as (
    update public.linkedin_accounts a set reconcile_lease = p_now + p_lease from picked where a.id = picked.id
    returning a.id, a.unipile_account_id
  )
  select coalesce(jsonb_agg(jsonb_build_object('account_id', l.id, 'unipile_account_id', l.unipile_account_id)), '[]')
  from leased l
$$;

-- Applies what Unipile lists for an account: p_invited = pending sent invitations, p_relations = 1st-degree
-- connections, each [{provider_id, public_identifier, invitation_id?}]. Invitations whose outcome was
-- unknown are settled (found: sent; connected: accepted; absent from complete lists: not sent, so the
-- target is due again); invited targets that are now connections are accepted (a missed new_relation
-- webhook). p_complete says whether the lists were read to the end. Returns counts.
create function private.outreach_reconcile(p_account uuid, p_invited jsonb, p_relations jsonb, p_complete boolean,
                                           p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_sent integer := 0;
  v_not_sent integer := 0;
  v_accepted integer := 0;
  x record;
  v_inv jsonb;
  v_rel boolean;
begin
  for x in
    select a.id as action_id, a.target_id, a.person_key, t.provider_id
    from public.outreach_actions a join public.outreach_targets t on t.id = a.target_id
    where a.account_id = p_account and a.kind = 'invite' and a.state = 'unknown' and a.mode = 'live'
    for update of a
  loop
    select e into v_inv from jsonb_array_elements(coalesce(p_invited, '[]')) e
     where lower(e ->> 'public_identifier') = x.person_key or (x.provider_id is not null and e ->> 'provider_id' = x.provider_id)
     limit 1;
    v_rel := exists (select 1 from jsonb_array_elements(coalesce(p_relations, '[]')) e
                     where lower(e ->> 'public_identifier') = x.person_key
                        or (x.provider_id is not null and e ->> 'provider_id' = x.provider_id));
    if v_inv is not null or v_rel then
      update public.outreach_actions set state = 'sent', finished_at = coalesce(finished_at, p_now),
             provider_ref = coalesce(v_inv ->> 'invitation_id', provider_ref) where id = x.action_id;
      update public.outreach_targets set status = 'invited', invited_at = coalesce(invited_at, p_now), current_step = 2,
             next_due_at = null, last_error = null
       where id = x.target_id and status in ('verifying', 'approved');
      perform private.set_investor_feedback(t.user_id, t.investor_kind, t.investor_id, 'contacted', null, t.search_id)
        from public.outreach_targets t where t.id = x.target_id;
      v_sent := v_sent + 1;
    elsif p_complete then
      update public.outreach_actions set state = 'failed', counted = false, error_type = 'not_sent', finished_at = p_now
       where id = x.action_id;
      update public.outreach_targets set status = 'approved', next_due_at = p_now where id = x.target_id and status = 'verifying';
      v_not_sent := v_not_sent + 1;
    end if;
  end loop;
  for x in
    select t.id from public.outreach_targets t
    where t.account_id = p_account and t.status = 'invited'
      and exists (select 1 from jsonb_array_elements(coalesce(p_relations, '[]')) e
                  where lower(e ->> 'public_identifier') = t.public_identifier
                     or (t.provider_id is not null and e ->> 'provider_id' = t.provider_id))
  loop
    if private.outreach_mark_accepted(x.id, p_now) then
      v_accepted := v_accepted + 1;
    end if;
  end loop;
  update public.linkedin_accounts set reconciled_at = p_now, reconcile_lease = null where id = p_account;
  return jsonb_build_object('settled_sent', v_sent, 'settled_not_sent', v_not_sent, 'accepted', v_accepted);
end $$;

-- Webhooks ----------------------------------------------------------------------------------------

-- Applies one Unipile event (messaging message_received, users new_relation, account_status).
create function private.unipile_apply_event(p_source text, p_payload jsonb, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_acc public.linkedin_accounts;
  v_event text := coalesce(p_payload ->> 'event', case when p_payload ? 'AccountStatus' then 'account_status' end);
  v_account_id text := coalesce(p_payload ->> 'account_id', p_payload -> 'AccountStatus' ->> 'account_id');
  v_sender text;
  v_status text;
  v_n integer := 0;
  t record;
begin
  select * into v_acc from public.linkedin_accounts where unipile_account_id = v_account_id;
  if not found then
    return jsonb_build_object('ignored', 'unknown_account');
  end if;
  case v_event
  when 'message_received' then
    v_sender := p_payload -> 'sender' ->> 'attendee_provider_id';
    if v_sender is null or v_sender = p_payload -> 'account_info' ->> 'user_id' or v_sender = v_acc.own_provider_id then
      return jsonb_build_object('ignored', 'own_message');
    end if;
    for t in
      select x.* from public.outreach_targets x
      where x.account_id = v_acc.id and (x.provider_id = v_sender or (x.chat_id is not null and x.chat_id = p_payload ->> 'chat_id'))
        and x.status in ('invited', 'accepted', 'messaging', 'completed', 'no_response', 'verifying')
      for update
    loop
      update public.outreach_targets
         set status = 'replied', replied_at = coalesce(replied_at, p_now), next_due_at = null,
             accepted_at = coalesce(accepted_at, p_now), chat_id = coalesce(chat_id, p_payload ->> 'chat_id'),
             reply_preview = left(p_payload ->> 'message', 1000)
       where id = t.id;
      update public.generated_messages set status = 'superseded' where target_id = t.id and status in ('draft', 'approved');
      perform private.campaign_event(t.campaign_id, jsonb_build_object('event', 'replied', 'target_id', t.id, 'name', t.full_name));
      perform private.broadcast(t.user_id, 'notification', jsonb_build_object(
        'type', 'outreach_reply', 'campaign_id', t.campaign_id, 'target_id', t.id,
        'title', t.full_name || ' replied', 'body', left(p_payload ->> 'message', 200)));
      perform private.outreach_complete_campaigns(t.campaign_id, p_now);
      v_n := v_n + 1;
    end loop;
    return jsonb_build_object('replied', v_n);
  when 'new_relation' then
    for t in
      select x.id from public.outreach_targets x
      where x.account_id = v_acc.id and x.status in ('invited', 'verifying', 'no_response')
        and ((x.provider_id is not null and x.provider_id = p_payload ->> 'user_provider_id')
             or x.public_identifier = lower(p_payload ->> 'user_public_identifier'))
    loop
      if private.outreach_mark_accepted(t.id, p_now) then
        v_n := v_n + 1;
      end if;
    end loop;
    return jsonb_build_object('accepted', v_n);
  when 'account_status' then
    v_status := upper(coalesce(p_payload -> 'AccountStatus' ->> 'message', p_payload ->> 'message', p_payload ->> 'status'));
    if v_status in ('OK', 'RECONNECTED', 'CREATION_SUCCESS', 'SYNC_SUCCESS') then
      perform private.linkedin_account_connected(v_acc.id, v_status, p_now);
      return jsonb_build_object('status', 'connected');
    elsif v_status in ('ERROR', 'STOPPED', 'CREDENTIALS', 'DELETED') then
      perform private.linkedin_account_disconnected(v_acc.id, v_status, v_status = 'DELETED', p_now);
      return jsonb_build_object('status', case when v_status = 'DELETED' then 'deleted' else 'disconnected' end);
    end if;
    return jsonb_build_object('ignored', 'status_' || coalesce(lower(v_status), 'missing'));
  else
    return jsonb_build_object('ignored', 'event_' || coalesce(v_event, 'missing'));
  end case;
end $$;

-- Stores a verified Unipile webhook delivery once (dedupe: message_id for messages, the person for
-- relations, the payload itself otherwise) and applies it. A failure to apply is recorded on the event
-- (and retried by private.unipile_retry_events) rather than failing the delivery.
-- Returns {event_id, duplicate, result | error}.
create function private.unipile_ingest_event(p_source text, p_payload jsonb, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_event text := coalesce(p_payload ->> 'event', case when p_payload ? 'AccountStatus' then 'account_status' end);
  v_key text;
  v_id bigint;
  v_result jsonb;
begin
  if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
    raise exception 'webhook payload must be a JSON object' using errcode = 'P0001';
  end if;
  v_key := case
    when v_event in ('message_received', 'message_read', 'message_reaction') and p_payload ? 'message_id'
      then v_event || ':' || (p_payload ->> 'message_id')
    when v_event = 'new_relation'
      then 'new_relation:' || coalesce(p_payload ->> 'account_id', '') || ':' || coalesce(p_payload ->> 'user_provider_id', p_payload ->> 'user_public_identifier', '')
    else coalesce(v_event, p_source, 'event') || ':' || md5(p_payload::text) end;
  insert into private.unipile_events (event_key, source, event, account_id, payload, received_at)
  values (v_key, coalesce(p_source, 'unknown'), v_event,
          coalesce(p_payload ->> 'account_id', p_payload -> 'AccountStatus' ->> 'account_id'), p_payload, p_now)
  on conflict (event_key) do nothing
  returning id into v_id;
  if v_id is null then
    return jsonb_build_object('duplicate', true, 'event_key', v_key);
  end if;
  begin
    v_result := private.unipile_apply_event(p_source, p_payload, p_now);
    update private.unipile_events set processed_at = p_now, result = v_result where id = v_id;
  exception when others then
    update private.unipile_events set error = left(sqlerrm, 500) where id = v_id;
    return jsonb_build_object('event_id', v_id, 'duplicate', false, 'error', sqlerrm);
  end;
  return jsonb_build_object('event_id', v_id, 'duplicate', false, 'result', v_result);
end $$;

-- Re-applies stored events that failed (at most p_limit, oldest first).
create function private.unipile_retry_events(p_limit integer default 100, p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  e record;
  v_n integer := 0;
begin
  for e in select * from private.unipile_events where processed_at is null and received_at < p_now - interval '1 minute'
           order by received_at limit p_limit for update skip locked loop
    begin
      update private.unipile_events set processed_at = p_now, error = null,
             result = private.unipile_apply_event(e.source, e.payload, p_now) where id = e.id;
      v_n := v_n + 1;
    exception when others then
      update private.unipile_events set error = left(sqlerrm, 500) where id = e.id;
    end;
  end loop;
  return v_n;
end $$;

-- Public RPCs -------------------------------------------------------------------------------------

create function public.create_outreach_campaign(name text, project_id uuid, linkedin_account_id uuid default null,
                                                sequence_type text default 'standard', language text default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.create_outreach_campaign(auth.uid(), create_outreach_campaign.name, create_outreach_campaign.project_id,
    create_outreach_campaign.linkedin_account_id, create_outreach_campaign.sequence_type, create_outreach_campaign.language)
$$;
comment on function public.create_outreach_campaign(text, uuid, uuid, text, text) is
  'Creates a draft LinkedIn campaign for a project on the user''s connected account (Outreach plan; PT402 otherwise). sequence_type: standard, aggressive, conservative.';

create function public.add_outreach_targets(campaign_id uuid, search_id uuid, investor_ids uuid[] default null)
returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.add_outreach_targets(auth.uid(), add_outreach_targets.campaign_id, add_outreach_targets.search_id,
                                      add_outreach_targets.investor_ids)
$$;
comment on function public.add_outreach_targets(uuid, uuid, uuid[]) is
  'Adds people from one of the user''s searches (all, or the given result ids) to a campaign; personalised messages are generated for approval. Returns {added, skipped[{id, name, reason}]}.';

create function public.remove_outreach_target(target_id uuid) returns boolean
language sql volatile security definer set search_path = '' as $$
  select private.remove_outreach_target(auth.uid(), remove_outreach_target.target_id)
$$;
comment on function public.remove_outreach_target(uuid) is 'Removes a target not contacted yet; false when it was already contacted.';

create function public.update_outreach_message(message_id uuid, body text) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.update_outreach_message(auth.uid(), update_outreach_message.message_id, update_outreach_message.body)
$$;
comment on function public.update_outreach_message(uuid, text) is 'Edits a generated message before it is sent (length limits apply); it needs approval again.';

create function public.approve_outreach_messages(campaign_id uuid, target_ids uuid[] default null) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.approve_outreach_messages(auth.uid(), approve_outreach_messages.campaign_id, approve_outreach_messages.target_ids)
$$;
comment on function public.approve_outreach_messages(uuid, uuid[]) is 'Approves the generated messages of the given targets (all drafts when null). Nothing is sent before approval.';

create function public.launch_outreach_campaign(campaign_id uuid) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.launch_outreach_campaign(auth.uid(), launch_outreach_campaign.campaign_id)
$$;
comment on function public.launch_outreach_campaign(uuid) is 'Starts a draft campaign with at least one approved target.';

create function public.pause_outreach_campaign(campaign_id uuid) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_campaign_status(auth.uid(), pause_outreach_campaign.campaign_id, 'pause')
$$;
comment on function public.pause_outreach_campaign(uuid) is 'Pauses an active campaign (actions already in flight finish).';

create function public.resume_outreach_campaign(campaign_id uuid) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_campaign_status(auth.uid(), resume_outreach_campaign.campaign_id, 'resume')
$$;
comment on function public.resume_outreach_campaign(uuid) is 'Resumes a paused campaign (its LinkedIn account must be connected).';

create function public.cancel_outreach_campaign(campaign_id uuid) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.set_campaign_status(auth.uid(), cancel_outreach_campaign.campaign_id, 'cancel')
$$;
comment on function public.cancel_outreach_campaign(uuid) is 'Cancels a campaign for good: nothing more is sent.';

create function public.outreach_campaign_metrics(campaign_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform 1 from public.outreach_campaigns c where c.id = outreach_campaign_metrics.campaign_id and c.user_id = auth.uid();
  if not found then
    raise exception 'campaign not found' using errcode = 'PT404';
  end if;
  return private.campaign_metrics(outreach_campaign_metrics.campaign_id);
end $$;
comment on function public.outreach_campaign_metrics(uuid) is
  'Campaign metrics computed from targets and the action log: targets, invited, accepted, replied, invitations and messages sent, acceptance_rate, reply_rate.';

create function public.linkedin_account_usage(account_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform 1 from public.linkedin_accounts a where a.id = linkedin_account_usage.account_id and a.user_id = auth.uid();
  if not found then
    raise exception 'LinkedIn account not found' using errcode = 'PT404';
  end if;
  return private.outreach_account_usage(linkedin_account_usage.account_id);
end $$;
comment on function public.linkedin_account_usage(uuid) is 'Today''s and this week''s LinkedIn actions of an account against its (ramped) caps.';

-- Access ------------------------------------------------------------------------------------------

alter table public.outreach_limit_defaults enable row level security;
alter table public.outreach_sequence_steps enable row level security;
alter table public.linkedin_accounts enable row level security;
alter table public.outreach_campaigns enable row level security;
alter table public.outreach_targets enable row level security;
alter table public.generated_messages enable row level security;
alter table public.outreach_actions enable row level security;
alter table private.linkedin_connect_links enable row level security;
alter table private.linkedin_people enable row level security;
alter table private.unipile_events enable row level security;

create policy "signed-in users read the limit defaults" on public.outreach_limit_defaults
  for select to authenticated using (true);
create policy "signed-in users read the sequences" on public.outreach_sequence_steps
  for select to authenticated using (true);
create policy "users read their linkedin accounts" on public.linkedin_accounts
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users tune their linkedin accounts" on public.linkedin_accounts
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "users read their campaigns" on public.outreach_campaigns
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their targets" on public.outreach_targets
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their generated messages" on public.generated_messages
  for select to authenticated using (user_id = (select auth.uid()));
create policy "users read their outreach actions" on public.outreach_actions
  for select to authenticated using (user_id = (select auth.uid()));

grant select on public.outreach_limit_defaults, public.outreach_sequence_steps to authenticated;
grant select on public.linkedin_accounts, public.outreach_campaigns, public.outreach_targets,
                public.generated_messages, public.outreach_actions to authenticated;
grant update (timezone, work_start, work_end, work_days) on public.linkedin_accounts to authenticated;
grant select, insert, update, delete on public.outreach_limit_defaults, public.outreach_sequence_steps,
  public.linkedin_accounts, public.outreach_campaigns, public.outreach_targets, public.generated_messages,
  public.outreach_actions to service_role;
grant select on private.linkedin_connect_links, private.linkedin_people, private.unipile_events to service_role;

grant execute on function
  public.create_outreach_campaign(text, uuid, uuid, text, text),
  public.add_outreach_targets(uuid, uuid, uuid[]),
  public.remove_outreach_target(uuid),
  public.update_outreach_message(uuid, text),
  public.approve_outreach_messages(uuid, uuid[]),
  public.launch_outreach_campaign(uuid),
  public.pause_outreach_campaign(uuid),
  public.resume_outreach_campaign(uuid),
  public.cancel_outreach_campaign(uuid),
  public.outreach_campaign_metrics(uuid),
  public.linkedin_account_usage(uuid)
  to authenticated, service_role;

grant execute on function
  private.outreach_require_plan(uuid),
  private.linkedin_begin_connect(uuid, text, uuid, interval, timestamptz),
  private.linkedin_complete_connect(text, text, text, text, jsonb, timestamptz),
  private.linkedin_account_connected(uuid, text, timestamptz),
  private.linkedin_account_disconnected(uuid, text, boolean, timestamptz),
  private.create_outreach_campaign(uuid, text, uuid, uuid, text, text),
  private.add_outreach_targets(uuid, uuid, uuid, uuid[]),
  private.approve_outreach_messages(uuid, uuid, uuid[], timestamptz),
  private.launch_outreach_campaign(uuid, uuid, timestamptz),
  private.set_campaign_status(uuid, uuid, text, timestamptz),
  private.campaign_metrics(uuid),
  private.outreach_account_usage(uuid, timestamptz),
  private.outreach_claim_generation(integer, interval, timestamptz),
  private.outreach_save_messages(uuid, jsonb, text, timestamptz),
  private.outreach_claim(timestamptz, text, integer, interval, uuid),
  private.outreach_complete(bigint, text, jsonb, timestamptz),
  private.outreach_maintain(timestamptz),
  private.outreach_claim_reconcile(integer, interval, interval, timestamptz),
  private.outreach_reconcile(uuid, jsonb, jsonb, boolean, timestamptz),
  private.unipile_ingest_event(text, jsonb, timestamptz),
  private.unipile_retry_events(integer, timestamptz)
  to service_role;
