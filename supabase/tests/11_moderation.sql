-- Spam moderation: strikes, throttle and ban verdicts come from private.moderation_settings, recording is
-- idempotent per message, and only the service (postgres) can reach any of it.
begin;
set local search_path = public, extensions;
select plan(31);

select tests.create_user('spammer');
select tests.create_user('other');

-- Closed to clients ------------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from private.moderation_strikes $$, '42501', null, 'anon cannot read strikes');
select tests.as_user('spammer');
select throws_ok($$ select 1 from private.moderation_strikes $$, '42501', null, 'a user cannot read strikes');
select throws_ok($$ select 1 from private.moderation_state $$, '42501', null, 'a user cannot read moderation state');
select throws_ok($$ update private.moderation_settings set ban_after = 1000 $$, '42501', null, 'a user cannot change the settings');
select throws_ok($$ select private.record_spam_strike(tests.uid('other'), null, 'x', 0.9) $$, '42501', null,
  'a user cannot record strikes');
select throws_ok($$ select private.moderation_status(tests.uid('spammer')) $$, '42501', null, 'a user cannot read verdicts');
select throws_ok($$ select private.confirm_spam_ban(tests.uid('spammer'), null) $$, '42501', null, 'a user cannot confirm bans');
select tests.as_service();
select throws_ok($$ select private.record_spam_strike(tests.uid('other'), null, 'x', 0.9) $$, '42501', null,
  'service_role (Data API) cannot record strikes either');
select throws_ok($$ select 1 from private.moderation_strikes $$, '42501', null, 'service_role cannot read strikes');
select tests.as_postgres();

select ok((select bool_and(c.relrowsecurity) from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'private' and c.relname in ('moderation_settings', 'moderation_strikes', 'moderation_state')),
  'RLS is enabled on the moderation tables');
select throws_ok($$ insert into private.moderation_settings (id) values (false) $$, '23514', null, 'there is only one settings row');
select throws_ok($$ update private.moderation_settings set ban_after = 1 $$, '23514', null, 'ban_after cannot be below throttle_after');

-- Verdicts from the settings -----------------------------------------------------------------------------
update private.moderation_settings set throttle_after = 2, throttle_for = '5 minutes', ban_after = 4, ban_duration = '2 days';

select is(private.moderation_status(tests.uid('spammer')) ->> 'strikes_in_window', '0', 'no strikes yet');
select is(private.moderation_status(tests.uid('spammer')) -> 'throttled_until', 'null'::jsonb, 'not throttled yet');

create temp table v (n int, verdict jsonb) on commit drop;
insert into v select 1, private.record_spam_strike(tests.uid('spammer'), 'a0000000-0000-4000-8000-000000000001', 'guard:abuse', 0.9);
select is((select verdict ->> 'strikes_in_window' from v where n = 1), '1', 'first strike counted');
select is((select verdict -> 'throttled_until' from v where n = 1), 'null'::jsonb, 'one strike does not throttle');

insert into v select 2, private.record_spam_strike(tests.uid('spammer'), 'a0000000-0000-4000-8000-000000000001', 'guard:abuse', 0.9);
select is((select verdict ->> 'duplicate' from v where n = 2), 'true', 'the same message is a duplicate');
select is((select count(*)::int from private.moderation_strikes where user_id = tests.uid('spammer')), 1, 'and adds no strike');

insert into v select 3, private.record_spam_strike(tests.uid('spammer'), 'a0000000-0000-4000-8000-000000000002', 'guard:promo', 0.8);
select ok((select (verdict ->> 'throttled_until')::timestamptz between now() + interval '4 minutes' and now() + interval '6 minutes' from v where n = 3),
  'throttle_after strikes throttle for throttle_for');
select is((select verdict ->> 'ban' from v where n = 3), 'false', 'no ban below ban_after');

insert into v select 4, private.record_spam_strike(tests.uid('spammer'), null, 'model', 0.75);
select ok((select (verdict ->> 'throttled_until')::timestamptz between now() + interval '9 minutes' and now() + interval '11 minutes' from v where n = 4),
  'each further strike doubles the throttle');

insert into v select 5, private.record_spam_strike(tests.uid('spammer'), null, 'model', 0.75, false);
select is((select verdict ->> 'ban' from v where n = 5), 'false', 'with bans disabled the threshold asks for nothing');

insert into v select 6, private.record_spam_strike(tests.uid('spammer'), null, 'model', 0.75);
select is((select verdict ->> 'ban' from v where n = 6), 'true', 'reaching ban_after asks for a ban');
select is((select verdict ->> 'ban_duration_seconds' from v where n = 6), '172800', 'for ban_duration');

insert into v select 7, private.record_spam_strike(tests.uid('spammer'), null, 'model', 0.75);
select is((select verdict ->> 'ban' from v where n = 7), 'false', 'a ban is asked for once (until ban_retry_after)');

select is(private.confirm_spam_ban(tests.uid('spammer'), now() + interval '2 days'), true, 'the service confirms the ban');
select is(private.moderation_status(tests.uid('spammer')) ->> 'banned', 'true', 'the verdict shows the ban');
insert into v select 8, private.record_spam_strike(tests.uid('spammer'), null, 'model', 0.75);
select is((select verdict ->> 'ban' from v where n = 8), 'false', 'a confirmed ban is never asked for again');

select is(private.moderation_status(tests.uid('other')) ->> 'banned', 'false', 'other users are unaffected');

select throws_ok($$ select private.record_spam_strike(tests.uid('other'), null, 'x', 1.5) $$, 'P0001', null, 'the score must be in [0,1]');
select throws_ok($$ select private.record_spam_strike(null, null, 'x', 0.5) $$, 'P0001', null, 'the user is required');

select * from finish();
rollback;
