-- Realtime Broadcast from the database: private.broadcast writes a private message on topic user:<uid>,
-- and the policy on realtime.messages lets only that user join the channel. The join check is emulated
-- as Realtime does it (supabase-local.md §3.2): with role, claims and realtime.topic set for the
-- connecting user, a message row is readable only if the RLS SELECT policies let it through.
begin;
set local search_path = public, extensions;
select plan(18);

select tests.create_user('alice');
select tests.create_user('bob');

-- Sending ---------------------------------------------------------------------------------------
select tests.as_service();
select lives_ok(format($$ select private.broadcast(%L, 'notification', '{"text": "hello alice"}') $$, tests.uid('alice')),
  'service_role broadcasts to a user');
select lives_ok(format($$ select private.broadcast(%L, 'notification', '{"text": "hello bob"}') $$, tests.uid('bob')),
  'service_role broadcasts to another user');
select tests.as_postgres();
select results_eq(
  format($$ select topic, extension, event, private, payload ->> 'text' from realtime.messages where topic = %L $$,
         'user:' || tests.uid('alice')),
  format($$ values (%L, 'broadcast', 'notification', true, 'hello alice') $$, 'user:' || tests.uid('alice')),
  'private.broadcast inserts one private broadcast row on topic user:<uid>');
select lives_ok(format($$ select private.broadcast(null, 'notification', '{}'), private.broadcast(%L, null, '{}') $$, tests.uid('alice')),
  'private.broadcast ignores a missing user or event');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice')), 1,
  '... and sends nothing for them');

-- A presence probe row, as Realtime's join check inserts one per extension.
insert into realtime.messages (topic, extension, event, payload, private)
values ('user:' || tests.uid('alice'), 'presence', 'probe', '{}', true);

select tests.as_user('alice');
select throws_ok(format($$ select private.broadcast(%L, 'notification', '{}') $$, tests.uid('bob')),
  '42501', null, 'a user cannot call private.broadcast');

-- Joining (read check) --------------------------------------------------------------------------
select tests.as_realtime_user('alice', 'user:' || tests.uid('alice'));
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice') and extension = 'broadcast'), 1,
  'the owner joining user:<own uid> can read its broadcast');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('alice') and extension = 'presence'), 1,
  'the owner joining user:<own uid> can read its presence');

select tests.as_realtime_user('bob', 'user:' || tests.uid('alice'));
select is_empty($$ select 1 from realtime.messages $$,
  'another user joining user:<alice> sees nothing');

select tests.as_realtime_user('bob', 'user:' || tests.uid('bob'));
select is_empty(format($$ select 1 from realtime.messages where topic = %L $$, 'user:' || tests.uid('alice')),
  'another user on their own topic sees none of alice''s messages');
select is((select count(*)::int from realtime.messages where topic = 'user:' || tests.uid('bob')), 1,
  'bob on his own topic reads his own broadcast');

select tests.act_as('anon', '{"role": "anon"}', 'user:' || tests.uid('alice'));
select is_empty($$ select 1 from realtime.messages $$, 'anon joining user:<alice> sees nothing');

select tests.as_realtime_user('alice', 'user:alice');
select is_empty($$ select 1 from realtime.messages $$, 'a topic that is not user:<uid> shows nothing, even to its namesake');

-- Sending from a client (write check) -------------------------------------------------------------
select tests.as_realtime_user('bob', 'user:' || tests.uid('alice'));
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload, private)
                          values (%L, 'broadcast', 'chat_message', '{"text": "fake reply"}', true) $$, 'user:' || tests.uid('alice')),
  '42501', null, 'another user cannot broadcast on alice''s topic');
select tests.act_as('anon', '{"role": "anon"}', 'user:' || tests.uid('alice'));
select throws_ok(format($$ insert into realtime.messages (topic, extension, event, payload, private)
                          values (%L, 'broadcast', 'chat_message', '{}', true) $$, 'user:' || tests.uid('alice')),
  '42501', null, 'anon cannot broadcast on a user topic');

-- Credit changes are broadcast ------------------------------------------------------------------
select tests.as_service();
select is(private.debit_credits(tests.uid('alice'), 'chat_turn', 'rt-1') ->> 'status', 'debited', 'alice is charged for a chat turn');
select tests.as_postgres();
select results_eq(
  format($$ select (payload ->> 'balance')::int, (payload ->> 'daily_left')::int, private from realtime.messages
            where topic = %L and event = 'credits_update' $$, 'user:' || tests.uid('alice')),
  $$ values (200, 49, true) $$,
  'a debit broadcasts credits_update with the new numbers on the user''s topic');
select tests.as_realtime_user('alice', 'user:' || tests.uid('alice'));
select is((select count(*)::int from realtime.messages where event = 'credits_update' and topic = 'user:' || tests.uid('alice')), 1,
  'the owner can read the credits_update broadcast');

select * from finish();
rollback;
