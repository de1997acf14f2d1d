-- Chat turns: the insert trigger enqueues one job per user message; the turn functions answer once,
-- charge once, merge facts by the rules, and are the service's alone. River's schema and the chat
-- settings are closed to clients.
begin;
set local search_path = public, extensions;
select plan(58);

select tests.create_user('alice');
select tests.create_user('bob');
insert into public.conversations (id, user_id, title) values
  ('a1111111-0000-4000-8000-00000000c001', tests.uid('alice'), 'A'),
  ('b2222222-0000-4000-8000-00000000c001', tests.uid('bob'), 'B');

-- chat_settings: only the service ---------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.chat_settings $$, '42501', null, 'anon cannot read the chat settings');
select tests.as_user('alice');
select throws_ok($$ select 1 from public.chat_settings $$, '42501', null, 'a user cannot read the chat settings');
select throws_ok($$ update public.chat_settings set turn_max_attempts = 25 $$, '42501', null, 'a user cannot change the chat settings');
select throws_ok($$ insert into public.chat_settings default values $$, '42501', null, 'a user cannot add chat settings');
select throws_ok($$ delete from public.chat_settings $$, '42501', null, 'a user cannot delete the chat settings');
select tests.as_service();
select is(tests.affected($$ update public.chat_settings set history_messages = 12 $$), 1::bigint, 'the service tunes the chat settings');
select throws_ok($$ delete from public.chat_settings $$, '42501', null, 'not even the service deletes the settings row');
select tests.as_postgres();
select throws_ok($$ insert into public.chat_settings (id) values (false) $$, '23514', null, 'there is only one settings row');

-- River's schema is closed to clients -----------------------------------------------------------------
select tests.as_user('alice');
select throws_ok($$ select 1 from river.river_job $$, '42501', null, 'a user cannot read the job queue');
select throws_ok($$ insert into river.river_job (kind, args) values ('chat_turn', '{}') $$, '42501', null, 'a user cannot enqueue jobs directly');
select tests.as_anon();
select throws_ok($$ select 1 from river.river_job $$, '42501', null, 'anon cannot read the job queue');
select tests.as_service();
select throws_ok($$ select 1 from river.river_job $$, '42501', null, 'service_role (the Data API''s) cannot read the job queue either');
select tests.as_postgres();
select is_empty($$ select c.relname from pg_class c where c.relnamespace = 'river'::regnamespace and c.relkind = 'r' and not c.relrowsecurity $$,
  'RLS is on for every River table');

-- The turn functions are the service's alone ----------------------------------------------------------
select tests.as_user('alice');
select throws_ok($$ select private.begin_chat_turn(gen_random_uuid()) $$, '42501', null, 'a user cannot begin a turn');
select throws_ok($$ select private.complete_chat_turn(gen_random_uuid(), '{"content":"x"}') $$, '42501', null, 'a user cannot answer a message');
select throws_ok($$ select private.enqueue_job('chat_turn', '{}') $$, '42501', null, 'a user cannot enqueue jobs through the helper');
select throws_ok($$ select private.apply_turn_facts(gen_random_uuid(), '{}') $$, '42501', null, 'a user cannot merge facts through the turn');
select tests.as_service();
select throws_ok($$ select private.fail_chat_turn(gen_random_uuid(), 'x', 'y', null) $$, '42501', null, 'service_role cannot call the turn functions');

-- The trigger: one job per user message, in the same transaction --------------------------------------
select tests.as_user('alice');
insert into public.messages (id, conversation_id, content)
values ('a1111111-0000-4000-8000-000000000101', 'a1111111-0000-4000-8000-00000000c001', 'What is a SAFE?');
select tests.as_postgres();
select results_eq(
  $$ select kind, queue, state::text, args->>'message_id', max_attempts from river.river_job $$,
  $$ values ('chat_turn'::text, 'chat'::text, 'available'::text, 'a1111111-0000-4000-8000-000000000101'::text, 3::smallint) $$,
  'inserting a user message enqueues one available chat_turn job with the settings'' attempts');
insert into public.messages (conversation_id, user_id, role, content, reply_to)
values ('a1111111-0000-4000-8000-00000000c001', tests.uid('alice'), 'system', 'note', null);
select is((select count(*)::int from river.river_job), 1, 'non-user messages enqueue nothing');

-- begin: context and status ---------------------------------------------------------------------------
select is(private.begin_chat_turn('a1111111-0000-4000-8000-000000000101') ->> 'done', 'false', 'an unanswered message begins');
select is((select status from public.messages where id = 'a1111111-0000-4000-8000-000000000101'), 'processing',
  'beginning a turn marks the message processing');
select is(private.begin_chat_turn('a1111111-0000-4000-8000-000000000101') -> 'credits' ->> 'available', '250',
  'the context carries the credits (200 signup + 50 daily)');
select is(jsonb_array_length(private.begin_chat_turn('a1111111-0000-4000-8000-000000000101') -> 'history'), 0,
  'the first message has no history');
select throws_ok($$ select private.begin_chat_turn('00000000-0000-4000-8000-000000000000') $$, 'PT404', null,
  'beginning a turn for an unknown message is a 404');

-- complete: one reply, one debit, broadcasts ------------------------------------------------------------
select is(private.complete_chat_turn('a1111111-0000-4000-8000-000000000101',
  '{"content": "A SAFE is...", "charge": "chat_turn", "metadata": {"intent": "librarian", "mode": "offline"}}') ->> 'duplicate',
  'false', 'the first completion answers');
select is(private.complete_chat_turn('a1111111-0000-4000-8000-000000000101',
  '{"content": "Another answer", "charge": "chat_turn"}') ->> 'duplicate', 'true', 'a second completion is a duplicate');
select is((select count(*)::int from public.messages where reply_to = 'a1111111-0000-4000-8000-000000000101'), 1, 'exactly one reply');
select is((select content from public.messages where reply_to = 'a1111111-0000-4000-8000-000000000101'), 'A SAFE is...',
  'the first reply is kept');
select is((select count(*)::int from public.credit_ledger where idempotency_key = 'chat:a1111111-0000-4000-8000-000000000101'), 1,
  'the turn is charged once');
select is((private.credit_status(tests.uid('alice')) ->> 'available')::int, 249, 'one credit spent');
select is((select status from public.messages where id = 'a1111111-0000-4000-8000-000000000101'), 'answered', 'the message is answered');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'chat_message'), 1,
  'one chat_message broadcast');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'credits_update'), 1,
  'one credits_update broadcast (from the debit)');
select is(private.begin_chat_turn('a1111111-0000-4000-8000-000000000101') ->> 'done', 'true', 'an answered message does not begin again');
select throws_ok($$ select private.complete_chat_turn('a1111111-0000-4000-8000-000000000101', '{"content": "  "}') $$, 'P0001', null,
  'an empty reply is refused');

-- Not enough credits: PT402 and nothing written --------------------------------------------------------
update public.credit_accounts set balance = 0, daily_used = 50 where user_id = tests.uid('bob');
insert into public.messages (id, conversation_id, user_id, content)
values ('b2222222-0000-4000-8000-000000000101', 'b2222222-0000-4000-8000-00000000c001', tests.uid('bob'), 'Advice please');
select throws_ok($$ select private.complete_chat_turn('b2222222-0000-4000-8000-000000000101', '{"content": "x", "charge": "chat_turn"}') $$,
  'PT402', null, 'a charge that does not fit is a 402');
select is((select count(*)::int from public.messages where reply_to = 'b2222222-0000-4000-8000-000000000101'), 0,
  'and no reply was written');
select is(private.complete_chat_turn('b2222222-0000-4000-8000-000000000101',
  '{"content": "You are out of credits", "notification": {"kind": "insufficient_credits"}}') ->> 'charged', 'false',
  'the uncharged answer commits');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('bob') and event = 'notification'), 1,
  'with its notification');

-- fail: visible, uncharged, idempotent -----------------------------------------------------------------
insert into public.messages (id, conversation_id, user_id, content)
values ('b2222222-0000-4000-8000-000000000102', 'b2222222-0000-4000-8000-00000000c001', tests.uid('bob'), 'Something');
select is(private.fail_chat_turn('b2222222-0000-4000-8000-000000000102', 'Sorry, no answer', 'model down') ->> 'duplicate', 'false',
  'a failed turn gets its reply');
select is(private.fail_chat_turn('b2222222-0000-4000-8000-000000000102', 'Sorry again', 'model down') ->> 'duplicate', 'true',
  'failing twice changes nothing');
select results_eq($$ select m.status, r.metadata->>'error' from public.messages m join public.messages r on r.reply_to = m.id
                     where m.id = 'b2222222-0000-4000-8000-000000000102' $$,
  $$ values ('failed'::text, 'true'::text) $$, 'the message is failed and the reply says it is an error');

-- stale turns: only those whose job is gone ---------------------------------------------------------------
insert into public.messages (id, conversation_id, user_id, content, created_at)
values ('b2222222-0000-4000-8000-000000000103', 'b2222222-0000-4000-8000-00000000c001', tests.uid('bob'), 'Lost', now() - interval '1 hour'),
       ('b2222222-0000-4000-8000-000000000104', 'b2222222-0000-4000-8000-00000000c001', tests.uid('bob'), 'Queued', now() - interval '1 hour');
update river.river_job set state = 'discarded', finalized_at = now() where args->>'message_id' = 'b2222222-0000-4000-8000-000000000103';
select is(private.fail_stale_chat_turns('2 minutes'), 1, 'the sweeper fails the turn whose job is gone, not the queued one');
select is((select status from public.messages where id = 'b2222222-0000-4000-8000-000000000104'), 'pending', 'the queued turn is untouched');

-- the turn's job: completed by its key, only while it is a running chat_turn --------------------------
insert into river.river_job (id, kind, args, queue, state, attempt, attempted_at) values
  (900001, 'chat_turn', '{"message_id": "x1"}', 'chat', 'running', 1, now()),
  (900002, 'chat_turn', '{"message_id": "x2"}', 'chat', 'available', 0, null),
  (900003, 'other_kind', '{}', 'default', 'running', 1, now()),
  (900004, 'chat_turn', '{"message_id": "x4"}', 'chat', 'retryable', 1, now());
select private.complete_turn_job(j) from unnest(array[900001, 900002, 900003, 900004, 900005]::bigint[]) j;
select results_eq($$ select id, state::text, finalized_at is not null from river.river_job where id between 900001 and 900004 order by id $$,
  $$ values (900001::bigint, 'completed'::text, true), (900002, 'available', false), (900003, 'running', false), (900004, 'retryable', false) $$,
  'completing a turn''s job touches only a running chat_turn job, and a missing id is no error');

-- Facts: merged by the rules ------------------------------------------------------------------------------
insert into public.messages (id, conversation_id, user_id, content)
values ('a1111111-0000-4000-8000-000000000102', 'a1111111-0000-4000-8000-00000000c001', tests.uid('alice'), 'We are a fintech');
select is(private.apply_turn_facts('a1111111-0000-4000-8000-000000000102',
  '{"categories": ["fintech"], "stage": "seed", "metrics": {"mrr": 40000}, "team": {"size": 4}}') ->> 'created', 'true',
  'facts create a project when the user has none');
select is((select project_id from public.conversations where id = 'a1111111-0000-4000-8000-00000000c001'),
  (select id from public.projects where user_id = tests.uid('alice')), 'and link the conversation to it');
select is(private.apply_turn_facts('a1111111-0000-4000-8000-000000000102',
  '{"categories": ["saas"], "metrics": {"users": 900, "mrr": 0}, "team": {"roles": ["CEO", "CTO"]}, "problem": "", "stage": "series_a"}') -> 'changed',
  '["categories", "metrics", "stage", "team"]'::jsonb, 'the second merge reports what changed');
select results_eq(
  $$ select categories, stage::text, metrics, team from public.projects where user_id = tests.uid('alice') $$,
  $$ values ('{fintech,saas}'::text[], 'series_a'::text, '{"mrr": 40000, "users": 900}'::jsonb, '{"size": 4, "roles": ["CEO", "CTO"]}'::jsonb) $$,
  'categories are a union, metrics and team merge key by key ignoring empty values, other facts are replaced');
select is(private.apply_turn_facts('a1111111-0000-4000-8000-000000000102', '{"categories": ["saas"], "stage": "series_a"}') -> 'changed',
  '[]'::jsonb, 'restating known facts changes nothing');
select is((select name from public.projects where user_id = tests.uid('alice')), 'My startup',
  'a project created without a stated name gets the placeholder');
select is(private.apply_turn_facts('a1111111-0000-4000-8000-000000000102', '{"name": "Verdana Pay"}') -> 'changed',
  '["name"]'::jsonb, 'a stated name replaces the placeholder');
select is(private.apply_turn_facts('a1111111-0000-4000-8000-000000000102', '{"name": "Other Name"}') ->> 'name',
  'Verdana Pay', 'but never a name the project already has');
select is((select completed_steps from public.user_onboarding where user_id = tests.uid('alice')), '{welcome}'::text[],
  'onboarding is synced when a turn completes, not before');
select is((private.sync_onboarding(tests.uid('alice'))).current_step, 'first_search',
  'with a project past 50% the next onboarding step is the first search');

-- Upsell rules ------------------------------------------------------------------------------------------
select is(private.upsell_eligible(tests.uid('bob')), true, 'a user with messages and no offers is eligible');
insert into public.upsell_attempts (user_id, from_plan, to_plan, trigger, confidence) values (tests.uid('bob'), 'free', 'pro', 'search_intent', 0.8);
select is(private.upsell_eligible(tests.uid('bob')), false, 'not again within 4 hours');

select * from finish();
rollback;
