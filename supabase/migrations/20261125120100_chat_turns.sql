-- Chat turns: every user message becomes a durable job in the same transaction, and the sidecar
-- answers it exactly once.
--
--   insert into messages (role 'user')  --trigger-->  river.river_job ('chat_turn', queue 'chat') + NOTIFY
--   sidecar:  private.begin_chat_turn(id)     -> status processing, everything the turn needs (one query)
--             judge
--             private.apply_turn_facts(...)   -> facts the message states merged into the project
--             agent (streams chat_delta broadcasts)
--             private.complete_chat_turn(...) -> reply row, debit (+ its credits_update), onboarding, upsell,
--                                                broadcasts and the River job's completion, in one
--                                                transaction
--   a turn that keeps failing ends with private.fail_chat_turn: a visible error reply, status failed,
--   no charge; private.fail_stale_chat_turns catches turns whose job died with its last attempt.
--
-- Exactly once: one reply per user message (messages_one_reply_idx), the debit is keyed on the
-- message id, and complete/fail lock the user message row and return the existing reply on a retry.

-- Enqueueing from SQL -------------------------------------------------------------------------------

-- Inserts a River job and wakes the workers of its queue. The one place SQL enqueues jobs, so the
-- queue name, the attempts and the notification channel stay consistent (River listens on
-- '<schema>.river_insert' with payload {"queue": ...}; polling picks the job up if the notification
-- is lost).
create function private.enqueue_job(
  p_kind         text,
  p_args         jsonb,
  p_queue        text default 'default',
  p_max_attempts integer default 25,
  p_priority     integer default 1
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_id bigint;
begin
  insert into river.river_job (kind, args, queue, max_attempts, priority)
  values (p_kind, p_args, p_queue, p_max_attempts, p_priority)
  returning id into v_id;
  perform pg_notify('river.river_insert', json_build_object('queue', p_queue)::text);
  return v_id;
end $$;
comment on function private.enqueue_job(text, jsonb, text, integer, integer) is
  'Enqueue a River job from SQL (same transaction as the caller) and notify its queue.';

-- Credit status, now in PL/pgSQL ----------------------------------------------------------------------
-- Same result as before. Every chat turn computes it two or three times, and a SQL-language function
-- with its own search_path cannot be inlined and is planned again on every call; PL/pgSQL keeps the plan.
create or replace function private.credit_status(p_user uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_result jsonb;
begin
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
  into v_result
  from public.credit_accounts a
  join public.profiles p on p.id = a.user_id
  join public.plans pl on pl.id = p.plan_id
  where a.user_id = p_user;
  return v_result;
end $$;

-- Chat settings (data, not code) ---------------------------------------------------------------------

create table public.chat_settings (
  id                      boolean primary key default true check (id),
  turn_max_attempts       integer not null default 3 check (turn_max_attempts between 1 and 25),
  history_messages        integer not null default 10 check (history_messages between 0 and 50),
  upsell_min_confidence   numeric(3, 2) not null default 0.70 check (upsell_min_confidence between 0 and 1),
  upsell_max_per_day      integer not null default 3 check (upsell_max_per_day >= 0),
  upsell_min_gap          interval not null default '4 hours',
  upsell_min_user_msgs    integer not null default 2 check (upsell_min_user_msgs >= 0),
  upsell_after_plan_change interval not null default '24 hours',
  updated_at              timestamptz not null default now()
);
comment on table public.chat_settings is 'One row: chat turn retries, history length and the upsell rules (ARCHITECTURE §4).';
insert into public.chat_settings default values;

-- Operators' settings: the service reads and tunes them; clients have no access.
alter table public.chat_settings enable row level security;
grant select, update on public.chat_settings to service_role;

-- The trigger ---------------------------------------------------------------------------------------

create function private.enqueue_chat_turn() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.enqueue_job('chat_turn', jsonb_build_object('message_id', new.id), 'chat',
                              (select s.turn_max_attempts from public.chat_settings s));
  return null;
end $$;

create trigger messages_enqueue_chat_turn after insert on public.messages
  for each row when (new.role = 'user' and new.status = 'pending')
  execute function private.enqueue_chat_turn();

-- Project facts ------------------------------------------------------------------------------------

-- The facts of a project in the judge's shape (sidecar judge.ProjectFacts).
create function private.project_facts(p public.projects) returns jsonb
language plpgsql immutable set search_path = '' as $$
begin
  return jsonb_strip_nulls(jsonb_build_object(
    'categories', case when cardinality(p.categories) > 0 then to_jsonb(p.categories) end,
    'stage', p.stage, 'country', p.country, 'city', p.city,
    'business_model', p.business_model, 'target_market', p.target_market,
    'metrics', case when p.metrics <> '{}' then p.metrics end,
    'team', case when p.team <> '{}' then p.team end,
    'problem', p.problem, 'product_status', p.product_status,
    'previous_funding', p.previous_funding, 'funding_ask_usd', p.funding_ask_usd));
end $$;

-- Merges facts a founder stated into their project (the prototype's rules, made correct): categories
-- are a set union (normalised by the projects trigger), metrics and team merge key by key for
-- non-empty values, every other fact is replaced when the new value is non-empty. Unknown keys are
-- ignored; values are checked by the table's constraints. Returns the keys that changed.
create function private.merge_project_facts(p_project uuid, p_facts jsonb) returns text[]
language plpgsql security definer set search_path = '' as $$
declare
  v_before public.projects;
  v_after  public.projects;
  v_changed text[] := '{}';
  v_nonempty jsonb;
begin
  if p_facts is null or jsonb_typeof(p_facts) <> 'object' or p_facts = '{}' then
    return v_changed;
  end if;
  select * into v_before from public.projects where id = p_project for update;
  if not found then
    raise exception 'project % not found', p_project using errcode = 'PT404';
  end if;

  update public.projects p set
    categories = case when jsonb_typeof(p_facts -> 'categories') = 'array'
                      then (select coalesce(array_agg(distinct c order by c), '{}')
                            from unnest(p.categories || array(select jsonb_array_elements_text(p_facts -> 'categories'))) c)
                      else p.categories end,
    stage = coalesce(nullif(p_facts ->> 'stage', '')::public.funding_stage, p.stage),
    country = coalesce(upper(nullif(p_facts ->> 'country', '')), p.country),
    city = coalesce(nullif(btrim(p_facts ->> 'city'), ''), p.city),
    business_model = coalesce(nullif(btrim(p_facts ->> 'business_model'), ''), p.business_model),
    target_market = coalesce(nullif(btrim(p_facts ->> 'target_market'), ''), p.target_market),
    metrics = case when jsonb_typeof(p_facts -> 'metrics') = 'object'
                   then p.metrics || (select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(p_facts -> 'metrics') e(k, v)
                                      where v not in ('null', '""', '0', '[]', '{}'))
                   else p.metrics end,
    team = case when jsonb_typeof(p_facts -> 'team') = 'object'
                then p.team || (select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(p_facts -> 'team') e(k, v)
                                where v not in ('null', '""', '0', '[]', '{}'))
                else p.team end,
    problem = coalesce(nullif(btrim(p_facts ->> 'problem'), ''), p.problem),
    product_status = coalesce(nullif(p_facts ->> 'product_status', '')::public.product_status, p.product_status),
    previous_funding = coalesce(nullif(btrim(p_facts ->> 'previous_funding'), ''), p.previous_funding),
    funding_ask_usd = coalesce(nullif((p_facts ->> 'funding_ask_usd')::numeric, 0)::bigint, p.funding_ask_usd)
  where p.id = p_project
  returning * into v_after;

  select coalesce(array_agg(k order by k), '{}') into v_changed
  from jsonb_each(private.project_facts(v_after)) a(k, v)
  where private.project_facts(v_before) -> k is distinct from v;
  -- A removed key cannot happen (merges only add), so the keys above are the changes.
  return v_changed;
end $$;

-- Onboarding follows what the user has actually done; idempotent, and writes only when a step is new.
create function private.sync_onboarding(p_user uuid) returns public.user_onboarding
language plpgsql security definer set search_path = '' as $$
declare
  v_row   public.user_onboarding;
  v_steps text[];
  v_next  text;
begin
  select * into v_row from public.user_onboarding where user_id = p_user;
  if found and v_row.current_step = 'completed' then
    return v_row;
  end if;
  select array_agg(distinct s order by s) into v_steps from unnest(array_remove(array[
    'welcome',
    case when exists (select 1 from public.projects where user_id = p_user) then 'project_creation' end,
    case when exists (select 1 from public.projects where user_id = p_user and completeness >= 50) then 'project_details' end,
    case when exists (select 1 from public.search_results where user_id = p_user) then 'first_search' end
  ] || coalesce(v_row.completed_steps, '{}'), null)) as u(s);
  v_next := case
    when v_steps @> array['project_details', 'first_search'] then 'completed'
    when not 'project_creation' = any(v_steps) then 'project_creation'
    when not 'project_details' = any(v_steps) then 'project_details'
    else 'first_search' end;
  if v_row.user_id is null then
    insert into public.user_onboarding (user_id, current_step, completed_steps, completed_at)
    values (p_user, v_next, v_steps, case when v_next = 'completed' then now() end)
    on conflict (user_id) do nothing
    returning * into v_row;
  elsif v_row.completed_steps is distinct from v_steps or v_row.current_step is distinct from v_next then
    update public.user_onboarding set completed_steps = v_steps, current_step = v_next,
      completed_at = case when v_next = 'completed' then now() end
    where user_id = p_user
    returning * into v_row;
  end if;
  if v_next = 'completed' then
    update public.profiles set onboarding_completed_at = now() where id = p_user and onboarding_completed_at is null;
  end if;
  return v_row;
end $$;

-- Upsell eligibility by the rules in chat_settings, except the confidence (the caller's). PL/pgSQL,
-- not SQL: it runs on every turn and PL/pgSQL keeps its query plans between calls.
create function private.upsell_eligible(p_user uuid, p_before timestamptz default now()) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  s          public.chat_settings;
  v_changed  timestamptz;
  v_last     timestamptz;
  v_today    integer;
  v_since    integer;
begin
  select * into s from public.chat_settings;
  select plan_changed_at into v_changed from public.profiles where id = p_user;
  if not found or (v_changed is not null and v_changed >= now() - s.upsell_after_plan_change) then
    return false;
  end if;
  select max(created_at), count(*) filter (where created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc')
  into v_last, v_today
  from public.upsell_attempts where user_id = p_user;
  if v_today >= s.upsell_max_per_day or (v_last is not null and v_last > now() - s.upsell_min_gap) then
    return false;
  end if;
  select count(*) into v_since from (
    select 1 from public.messages m
    where m.user_id = p_user and m.role = 'user' and m.created_at < p_before
      and m.created_at > coalesce(v_last, '-infinity'::timestamptz)
    limit s.upsell_min_user_msgs) enough;
  return v_since >= s.upsell_min_user_msgs;
end $$;

-- Applies the facts a user message states to the user's project before the turn answers: the
-- conversation's project, else the user's latest, else a new one (named p_project_name; the plan's
-- project limit applies). Safe to repeat (a retried turn merges the same facts again: no change).
-- Returns {project_id, created, changed, before, after, completeness_before, completeness_after, missing}.
create function private.apply_turn_facts(p_message uuid, p_facts jsonb, p_project_name text default null) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_msg     public.messages;
  v_project public.projects;
  v_after   public.projects;
  v_created boolean := false;
  v_changed text[];
  v_lang    text;
begin
  select * into v_msg from public.messages where id = p_message and role = 'user';
  if not found then
    raise exception 'user message % not found', p_message using errcode = 'PT404';
  end if;
  -- One turn at a time per user here: two concurrent turns must not both create "the" project.
  perform 1 from public.profiles where id = v_msg.user_id for update;
  select p.* into v_project from public.conversations c join public.projects p on p.id = c.project_id
  where c.id = v_msg.conversation_id;
  if v_project.id is null then
    select * into v_project from public.projects where user_id = v_msg.user_id order by updated_at desc limit 1;
  end if;
  if v_project.id is null then
    select language into v_lang from public.profiles where id = v_msg.user_id;
    insert into public.projects (user_id, name)
    values (v_msg.user_id, coalesce(nullif(btrim(p_project_name), ''), case v_lang when 'es' then 'Mi startup' else 'My startup' end))
    returning * into v_project;
    v_created := true;
  end if;
  update public.conversations set project_id = v_project.id where id = v_msg.conversation_id and project_id is null;
  v_changed := private.merge_project_facts(v_project.id, p_facts);
  select * into v_after from public.projects where id = v_project.id;
  return jsonb_build_object('project_id', v_project.id, 'name', v_after.name, 'created', v_created,
    'changed', to_jsonb(v_changed),
    'before', private.project_facts(v_project), 'after', private.project_facts(v_after),
    'completeness_before', case when v_created then 0 else v_project.completeness end,
    'completeness_after', v_after.completeness, 'missing', to_jsonb(public.project_missing_facts(v_after)));
end $$;

-- Begin a turn ---------------------------------------------------------------------------------------

-- Marks the user message processing and returns everything the turn needs, in one round trip:
-- {message, done, reply_id, user, plan, plans, credits, project, onboarding, history,
--  recent_user_messages, upsell_eligible}. done=true when the message already has a reply or is
-- final (a redelivered job then only completes).
create function private.begin_chat_turn(p_message uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_msg     public.messages;
  v_conv    public.conversations;
  v_profile public.profiles;
  v_project public.projects;
  v_reply   uuid;
  v_history jsonb;
begin
  select * into v_msg from public.messages where id = p_message and role = 'user';
  if not found then
    raise exception 'user message % not found', p_message using errcode = 'PT404';
  end if;
  select id into v_reply from public.messages where reply_to = p_message;
  if v_reply is not null or v_msg.status in ('answered', 'failed', 'rejected') then
    return jsonb_build_object('done', true, 'reply_id', v_reply, 'message', to_jsonb(v_msg));
  end if;
  update public.messages set status = 'processing' where id = p_message and status = 'pending'
  returning * into v_msg;
  if not found then
    select * into v_msg from public.messages where id = p_message;
  end if;

  select * into v_conv from public.conversations where id = v_msg.conversation_id;
  select * into v_profile from public.profiles where id = v_msg.user_id;
  if v_conv.project_id is not null then
    select * into v_project from public.projects where id = v_conv.project_id;
  else
    select * into v_project from public.projects where user_id = v_msg.user_id order by updated_at desc limit 1;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object('role', h.role, 'text', h.content) order by h.seq), '[]')
  into v_history
  from (select m.role, m.content, m.seq from public.messages m
        where m.conversation_id = v_msg.conversation_id and m.seq < v_msg.seq and m.role in ('user', 'assistant')
        order by m.seq desc limit (select s.history_messages from public.chat_settings s)) h;

  return jsonb_build_object(
    'done', false,
    'message', jsonb_build_object('id', v_msg.id, 'conversation_id', v_msg.conversation_id, 'user_id', v_msg.user_id,
                                  'content', v_msg.content, 'created_at', v_msg.created_at),
    'user', jsonb_build_object('id', v_profile.id, 'language', v_profile.language, 'display_name', v_profile.display_name,
                               'is_anonymous', coalesce((select u.is_anonymous from auth.users u where u.id = v_profile.id), false)),
    'plan', (select to_jsonb(pl) from public.plans pl where pl.id = v_profile.plan_id),
    'plans', (select jsonb_agg(to_jsonb(pl) order by pl.sort_order) from public.plans pl where pl.active),
    'costs', (select jsonb_object_agg(c.action, c.credits) from public.credit_costs c),
    'credits', private.credit_status(v_msg.user_id),
    'project', case when v_project.id is null then null else jsonb_build_object(
                 'id', v_project.id, 'name', v_project.name, 'facts', private.project_facts(v_project),
                 'completeness', v_project.completeness, 'missing', to_jsonb(public.project_missing_facts(v_project))) end,
    'onboarding', (select to_jsonb(o) from public.user_onboarding o where o.user_id = v_msg.user_id),
    'history', v_history,
    'recent_user_messages', (select count(*) from public.messages m
                             where m.user_id = v_msg.user_id and m.role = 'user' and m.id <> v_msg.id
                               and m.created_at > v_msg.created_at - interval '1 minute' and m.created_at <= v_msg.created_at),
    'settings', (select to_jsonb(s) - 'id' - 'updated_at' from public.chat_settings s),
    'upsell_eligible', private.upsell_eligible(v_msg.user_id, v_msg.created_at));
end $$;

-- Marks a chat_turn job completed, in the caller's transaction: the reply and the job's completion
-- commit together (what River's JobCompleteTx does, without its extra round trips). Only a job still
-- running is touched; River's own completer later finds nothing left to do.
create function private.complete_turn_job(p_job_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update river.river_job set state = 'completed', finalized_at = now()
  where id = p_job_id and kind = 'chat_turn' and state = 'running';
end $$;

-- The chat_message broadcast of a reply: the row the client would read back, and the turn's status.
create function private.broadcast_reply(p_reply public.messages, p_status text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform private.broadcast(p_reply.user_id, 'chat_message', jsonb_build_object(
    'message', jsonb_build_object('id', p_reply.id, 'conversation_id', p_reply.conversation_id, 'role', p_reply.role,
                                  'content', p_reply.content, 'reply_to', p_reply.reply_to, 'seq', p_reply.seq,
                                  'metadata', p_reply.metadata, 'created_at', p_reply.created_at),
    'status', p_status));
end $$;

-- Complete a turn -----------------------------------------------------------------------------------

-- Commits the answer to a user message, all or nothing. p_reply:
--   content (required), status ('answered' | 'rejected' for spam), charge (credit action or null),
--   upsell {to_plan, trigger, confidence} or null, job_id (the River job to complete with the reply),
--   notification {kind, title, body} or null, and metadata recorded on the reply (intent, agent,
--   mode, language, usage, llm_calls, ...).
-- Raises PT402 (and changes nothing) when the charge does not fit: the caller answers "not enough
-- credits" instead, without a charge. Returns {reply_id, duplicate, charged, credits (the debit's
-- result, null when uncharged)}; a second call for the same message returns the first reply with
-- duplicate=true.
create function private.complete_chat_turn(p_message uuid, p_reply jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_msg      public.messages;
  v_reply    public.messages;
  v_existing uuid;
  v_debit    jsonb;
  v_status   text := coalesce(p_reply ->> 'status', 'answered');
  v_upsell   jsonb := p_reply -> 'upsell';
  v_meta     jsonb := coalesce(p_reply -> 'metadata', '{}');
begin
  if coalesce(p_reply ->> 'content', '') !~ '\S' then
    raise exception 'reply content is empty' using errcode = 'P0001';
  end if;
  if v_status not in ('answered', 'rejected') then
    raise exception 'reply status must be answered or rejected, not %', v_status using errcode = 'P0001';
  end if;
  select * into v_msg from public.messages where id = p_message and role = 'user' for update;
  if not found then
    raise exception 'user message % not found', p_message using errcode = 'PT404';
  end if;
  select id into v_existing from public.messages where reply_to = p_message;
  if v_existing is not null then
    return jsonb_build_object('reply_id', v_existing, 'duplicate', true, 'charged', false);
  end if;
  if p_reply ? 'job_id' then
    perform private.complete_turn_job((p_reply ->> 'job_id')::bigint);
  end if;

  if nullif(p_reply ->> 'charge', '') is not null then
    v_debit := private.debit_credits(v_msg.user_id, p_reply ->> 'charge', 'chat:' || p_message::text,
                                     jsonb_build_object('message_id', p_message));
  end if;

  insert into public.messages (conversation_id, user_id, role, content, reply_to, metadata)
  values (v_msg.conversation_id, v_msg.user_id, 'assistant', p_reply ->> 'content', p_message,
          v_meta || jsonb_build_object('charged', v_debit is not null, 'status', v_status,
                                       'committed_at', clock_timestamp()))
  returning * into v_reply;
  update public.messages set status = v_status where id = p_message;

  perform private.sync_onboarding(v_msg.user_id);

  if jsonb_typeof(v_upsell) = 'object' then
    insert into public.upsell_attempts (user_id, from_plan, to_plan, trigger, confidence, message_id)
    select p.id, p.plan_id, nullif(v_upsell ->> 'to_plan', ''), v_upsell ->> 'trigger',
           (v_upsell ->> 'confidence')::numeric, v_reply.id
    from public.profiles p where p.id = v_msg.user_id;
    perform private.broadcast(v_msg.user_id, 'upsell_offer', jsonb_build_object(
      'message_id', v_reply.id, 'to_plan', v_upsell ->> 'to_plan', 'trigger', v_upsell ->> 'trigger'));
  end if;

  perform private.broadcast_reply(v_reply, v_status);
  if jsonb_typeof(p_reply -> 'notification') = 'object' then
    perform private.broadcast(v_msg.user_id, 'notification', p_reply -> 'notification');
  end if;

  return jsonb_build_object('reply_id', v_reply.id, 'duplicate', false, 'charged', v_debit is not null,
                            'credits', v_debit);  -- the debit's own status and amounts, not computed again
end $$;

-- Fail a turn -----------------------------------------------------------------------------------------

-- The visible end of a turn that could not be answered: an assistant reply saying so, status failed,
-- no charge, a notification. Idempotent like complete_chat_turn.
create function private.fail_chat_turn(p_message uuid, p_content text, p_reason text, p_job_id bigint default null)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_msg      public.messages;
  v_reply    public.messages;
  v_existing uuid;
begin
  select * into v_msg from public.messages where id = p_message and role = 'user' for update;
  if not found then
    raise exception 'user message % not found', p_message using errcode = 'PT404';
  end if;
  select id into v_existing from public.messages where reply_to = p_message;
  if v_existing is not null then
    return jsonb_build_object('reply_id', v_existing, 'duplicate', true);
  end if;
  if p_job_id is not null then
    perform private.complete_turn_job(p_job_id);
  end if;
  insert into public.messages (conversation_id, user_id, role, content, reply_to, metadata)
  values (v_msg.conversation_id, v_msg.user_id, 'assistant', p_content, p_message,
          jsonb_build_object('error', true, 'reason', left(coalesce(p_reason, 'unknown'), 200), 'charged', false,
                             'status', 'failed', 'committed_at', clock_timestamp()))
  returning * into v_reply;
  update public.messages set status = 'failed' where id = p_message;
  perform private.broadcast_reply(v_reply, 'failed');
  perform private.broadcast(v_msg.user_id, 'notification', jsonb_build_object(
    'kind', 'chat_failed', 'message_id', p_message));
  return jsonb_build_object('reply_id', v_reply.id, 'duplicate', false);
end $$;

-- Turns whose job is gone (discarded or cancelled after its last attempt, e.g. the worker died) and
-- that are older than p_older_than get their visible failure. Returns how many.
create function private.fail_stale_chat_turns(p_older_than interval default '2 minutes') returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_msg record;
  v_count integer := 0;
begin
  for v_msg in
    select m.id, p.language from public.messages m join public.profiles p on p.id = m.user_id
    where m.status in ('pending', 'processing') and m.created_at < now() - p_older_than
      and not exists (select 1 from river.river_job j
                      where j.kind = 'chat_turn' and j.args ->> 'message_id' = m.id::text
                        and j.state in ('available', 'pending', 'running', 'retryable', 'scheduled'))
    order by m.created_at
    limit 500
    for update of m skip locked
  loop
    perform private.fail_chat_turn(v_msg.id,
      case v_msg.language when 'es' then 'Lo siento, no he podido responder a este mensaje. No se te ha cobrado nada; inténtalo de nuevo.'
                          else 'Sorry, I could not answer this message. No credits were charged; please try again.' end,
      'stale');
    v_count := v_count + 1;
  end loop;
  return v_count;
end $$;

create index river_job_chat_turn_message_idx on river.river_job ((args ->> 'message_id')) where kind = 'chat_turn';

revoke all on function private.enqueue_job(text, jsonb, text, integer, integer), private.enqueue_chat_turn(),
  private.project_facts(public.projects), private.merge_project_facts(uuid, jsonb), private.sync_onboarding(uuid),
  private.upsell_eligible(uuid, timestamptz), private.apply_turn_facts(uuid, jsonb, text), private.begin_chat_turn(uuid), private.complete_chat_turn(uuid, jsonb),
  private.fail_chat_turn(uuid, text, text, bigint), private.fail_stale_chat_turns(interval),
  private.complete_turn_job(bigint),
  private.broadcast_reply(public.messages, text)
  from public, anon, authenticated, service_role;
