-- Spam moderation: every message the judge calls spam is a strike; repeat spammers are throttled and,
-- when the sidecar has bans enabled (SPAM_BAN_ENABLED), banned through the Supabase Auth admin API.
-- Everything lives in schema private: only the sidecar (role postgres) reads and writes it, through
-- private.record_spam_strike and private.moderation_status. Thresholds are data (moderation_settings).

-- One row of thresholds. Strikes count within a sliding window; the throttle doubles for every strike
-- past throttle_after (capped at throttle_max); a ban is requested once ban_after strikes fall within
-- ban_window, and requested again only if it was not confirmed within ban_retry_after.
create table private.moderation_settings (
  id              boolean primary key default true check (id),
  strike_window   interval not null default '1 hour'     check (strike_window > interval '0'),
  throttle_after  integer  not null default 3            check (throttle_after >= 1),
  throttle_for    interval not null default '10 minutes' check (throttle_for > interval '0'),
  throttle_max    interval not null default '24 hours',
  ban_window      interval not null default '24 hours'   check (ban_window > interval '0'),
  ban_after       integer  not null default 10,
  ban_duration    interval not null default '30 days'    check (ban_duration >= interval '1 second'),
  ban_retry_after interval not null default '15 minutes' check (ban_retry_after > interval '0'),
  updated_at      timestamptz not null default now(),
  check (throttle_max >= throttle_for),
  check (ban_after >= throttle_after)
);
comment on table private.moderation_settings is 'Spam moderation thresholds (one row). Data, not code: tune with UPDATE.';
insert into private.moderation_settings default values;
create trigger moderation_settings_touch before update on private.moderation_settings
  for each row execute function private.touch_updated_at();

-- One row per spam message. message_id makes recording idempotent (a retried chat turn adds nothing).
create table private.moderation_strikes (
  id          bigint generated always as identity primary key,
  user_id     uuid not null references auth.users (id) on delete cascade,
  message_id  uuid,
  reason      text not null check (char_length(reason) between 1 and 200),
  score       numeric(4, 3) not null check (score between 0 and 1),
  created_at  timestamptz not null default now(),
  unique (user_id, message_id)
);
create index moderation_strikes_user_time_idx on private.moderation_strikes (user_id, created_at desc);
comment on table private.moderation_strikes is 'Spam strikes: one per message the judge called spam.';

-- Current moderation state of a user (only users with strikes have a row).
create table private.moderation_state (
  user_id          uuid primary key references auth.users (id) on delete cascade,
  throttled_until  timestamptz,
  ban_requested_at timestamptz, -- last time record_spam_strike asked the sidecar to ban
  banned_at        timestamptz, -- the Auth admin API confirmed the ban
  banned_until     timestamptz,
  updated_at       timestamptz not null default now()
);
comment on table private.moderation_state is 'Per-user throttle and ban state derived from the strikes.';

alter table private.moderation_settings enable row level security;
alter table private.moderation_strikes enable row level security;
alter table private.moderation_state enable row level security;
-- No policies: client roles see nothing even if a grant slips in; the sidecar (postgres) bypasses RLS.
revoke all on private.moderation_settings, private.moderation_strikes, private.moderation_state
  from public, anon, authenticated, service_role;

-- Verdict for a user at now(): {strikes_in_window, throttled_until, banned, banned_until, ban: false}.
create function private.moderation_status(p_user uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'strikes_in_window', (select count(*) from private.moderation_strikes k
                          where k.user_id = p_user and k.created_at > now() - s.strike_window),
    'throttled_until', case when st.throttled_until > now() then st.throttled_until end,
    'banned', st.banned_at is not null and (st.banned_until is null or st.banned_until > now()),
    'banned_until', case when st.banned_at is not null then st.banned_until end,
    'ban', false)
  from private.moderation_settings s
  left join private.moderation_state st on st.user_id = p_user
$$;
comment on function private.moderation_status(uuid) is 'Moderation verdict of a user now (no side effect).';

-- Records one spam strike and returns the verdict:
--   {strikes_in_window, strikes_in_ban_window, throttled_until, ban, ban_duration_seconds, banned, banned_until, duplicate}
-- ban is true when the caller must ban the user now (at most once per ban_retry_after, and only while no
-- ban is confirmed); p_request_ban = false (bans disabled) never asks. Confirm with private.confirm_spam_ban.
-- A message_id already recorded adds no strike (duplicate: true) and never asks for a ban.
create function private.record_spam_strike(
  p_user uuid, p_message uuid, p_reason text, p_score numeric, p_request_ban boolean default true)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  s private.moderation_settings;
  st private.moderation_state;
  v_inserted boolean;
  v_strikes integer;
  v_ban_strikes integer;
  v_throttle timestamptz;
  v_ban boolean := false;
begin
  if p_user is null then
    raise exception 'user id is required' using errcode = 'P0001', hint = 'pass the user''s auth.users id';
  end if;
  if p_score is null or p_score < 0 or p_score > 1 then
    raise exception 'spam score must be between 0 and 1' using errcode = 'P0001', hint = 'pass the judge''s spam_score';
  end if;
  select * into s from private.moderation_settings;
  -- Serialise the strikes of one user: the state row is created once and locked.
  insert into private.moderation_state (user_id) values (p_user) on conflict (user_id) do nothing;
  select * into st from private.moderation_state where user_id = p_user for update;

  insert into private.moderation_strikes (user_id, message_id, reason, score)
  values (p_user, p_message, left(coalesce(nullif(btrim(p_reason), ''), 'spam'), 200), round(p_score, 3))
  on conflict (user_id, message_id) do nothing;
  v_inserted := found;

  select count(*) filter (where created_at > now() - s.strike_window),
         count(*) filter (where created_at > now() - s.ban_window)
    into v_strikes, v_ban_strikes
    from private.moderation_strikes where user_id = p_user;

  v_throttle := st.throttled_until;
  if v_inserted and v_strikes >= s.throttle_after then
    v_throttle := greatest(coalesce(st.throttled_until, now()), now() + least(
      s.throttle_max, s.throttle_for * power(2, least(v_strikes - s.throttle_after, 20))));
  end if;
  if v_inserted and p_request_ban and v_ban_strikes >= s.ban_after and st.banned_at is null
     and (st.ban_requested_at is null or st.ban_requested_at < now() - s.ban_retry_after) then
    v_ban := true;
  end if;

  update private.moderation_state
     set throttled_until = v_throttle,
         ban_requested_at = case when v_ban then now() else ban_requested_at end,
         updated_at = now()
   where user_id = p_user;

  return jsonb_build_object(
    'strikes_in_window', v_strikes,
    'strikes_in_ban_window', v_ban_strikes,
    'throttled_until', case when v_throttle > now() then v_throttle end,
    'ban', v_ban,
    'ban_duration_seconds', case when v_ban then extract(epoch from s.ban_duration)::bigint end,
    'banned', st.banned_at is not null and (st.banned_until is null or st.banned_until > now()),
    'banned_until', st.banned_until,
    'duplicate', not v_inserted);
end $$;
comment on function private.record_spam_strike(uuid, uuid, text, numeric, boolean) is
  'Records a spam strike (idempotent per message) and returns {strikes_in_window, throttled_until, ban, ...} from private.moderation_settings.';

-- The sidecar confirms a ban the Auth admin API accepted. Returns false when the user has no state row.
create function private.confirm_spam_ban(p_user uuid, p_until timestamptz) returns boolean
language sql security definer set search_path = '' as $$
  update private.moderation_state
     set banned_at = now(), banned_until = p_until, updated_at = now()
   where user_id = p_user
  returning true
$$;
comment on function private.confirm_spam_ban(uuid, timestamptz) is 'Marks the ban requested by record_spam_strike as applied.';

revoke all on function private.moderation_status(uuid), private.record_spam_strike(uuid, uuid, text, numeric, boolean),
  private.confirm_spam_ban(uuid, timestamptz)
  from public, anon, authenticated, service_role;
