-- Credits: the signup grant, the read-only account and ledger, private.debit_credits (daily allowance first,
-- then balance; idempotent; PT402 when short) and public.credit_status().
begin;
set local search_path = public, extensions;
select plan(63);

select tests.create_user('alice');
select tests.create_user('bob');
select tests.create_user('ghost', '{}', true);

-- Signup grant ---------------------------------------------------------------------------------
select results_eq(
  $$ select balance, daily_used, daily_period = (now() at time zone 'utc')::date
     from public.credit_accounts where user_id = tests.uid('alice') $$,
  $$ values (200, 0, true) $$,
  'signup: balance 200, nothing used today');
select results_eq(
  $$ select kind, action, daily_delta, balance_delta, balance_after, idempotency_key
     from public.credit_ledger where user_id = tests.uid('alice') $$,
  $$ values ('signup_grant', null::text, 0, 200, 200, 'signup') $$,
  'signup: exactly one signup_grant ledger row of 200');
select results_eq(
  $$ select (select balance from public.credit_accounts a where a.user_id = tests.uid('ghost')),
            (select count(*)::int from public.credit_ledger l where l.user_id = tests.uid('ghost')) $$,
  $$ values (0, 0) $$,
  'signup: an anonymous user (NULL email) gets a credit account but no signup grant (no minting credits)');

-- credit_accounts and credit_ledger: who can do what -------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.credit_accounts $$, '42501', null, 'anon cannot select credit_accounts');
select throws_ok($$ select 1 from public.credit_ledger $$, '42501', null, 'anon cannot select credit_ledger');
select throws_ok($$ update public.credit_accounts set balance = 1000000 $$, '42501', null, 'anon cannot update credit_accounts');
select throws_ok(format($$ insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key)
                           values (%L, 'purchase', 1000, 1200, 'free') $$, tests.uid('alice')),
  '42501', null, 'anon cannot insert into credit_ledger');

select tests.as_user('bob');
select is((select count(*)::int from public.credit_accounts where user_id = tests.uid('alice')), 0,
  'another user cannot see alice''s credit account');
select is((select count(*)::int from public.credit_ledger where user_id = tests.uid('alice')), 0,
  'another user cannot see alice''s ledger');
select throws_ok(format($$ update public.credit_accounts set balance = 0 where user_id = %L $$, tests.uid('alice')),
  '42501', null, 'another user cannot update credit accounts');
select throws_ok(format($$ delete from public.credit_ledger where user_id = %L $$, tests.uid('alice')),
  '42501', null, 'another user cannot delete ledger rows');

select tests.as_user('alice');
select results_eq($$ select user_id, balance from public.credit_accounts $$,
  format($$ values (%L::uuid, 200) $$, tests.uid('alice')), 'the owner reads exactly their credit account');
select results_eq($$ select user_id, kind from public.credit_ledger $$,
  format($$ values (%L::uuid, 'signup_grant') $$, tests.uid('alice')), 'the owner reads exactly their ledger');
select throws_ok($$ update public.credit_accounts set balance = 1000000 $$, '42501', null, 'the owner cannot update their balance');
select throws_ok($$ update public.credit_accounts set daily_used = 0 $$, '42501', null, 'the owner cannot reset daily_used');
select throws_ok(format($$ insert into public.credit_accounts (user_id, balance) values (%L, 5) $$, gen_random_uuid()),
  '42501', null, 'the owner cannot insert credit accounts');
select throws_ok($$ delete from public.credit_accounts $$, '42501', null, 'the owner cannot delete their credit account');
select throws_ok(format($$ insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key)
                           values (%L, 'purchase', 1000, 1200, 'free') $$, tests.uid('alice')),
  '42501', null, 'the owner cannot insert ledger rows');
select throws_ok($$ update public.credit_ledger set balance_delta = 100000 $$, '42501', null, 'the owner cannot update ledger rows');
select throws_ok($$ delete from public.credit_ledger $$, '42501', null, 'the owner cannot delete ledger rows');

select tests.as_service();
select is((select count(*)::int from public.credit_accounts where user_id in (tests.uid('alice'), tests.uid('bob'), tests.uid('ghost'))),
  3, 'service_role reads every credit account');
select is((select count(*)::int from public.credit_ledger where user_id in (tests.uid('alice'), tests.uid('bob'))),
  2, 'service_role reads every ledger');
select throws_ok($$ update public.credit_accounts set balance = 5 $$, '42501', null,
  'service_role cannot update credit accounts directly (only through private.debit_credits)');
select throws_ok(format($$ insert into public.credit_ledger (user_id, kind, balance_delta, balance_after, idempotency_key)
                           values (%L, 'purchase', 1000, 1200, 'direct') $$, tests.uid('alice')),
  '42501', null, 'service_role cannot write ledger rows directly');
select throws_ok($$ delete from public.credit_accounts $$, '42501', null, 'service_role cannot delete credit accounts');
select throws_ok($$ delete from public.credit_ledger $$, '42501', null, 'service_role cannot delete ledger rows');

select is(tests.sqlstate_of($$ truncate public.credit_ledger $$), '42501',
  'service_role cannot truncate the ledger (TRUNCATE skips the append-only trigger)');
select is(tests.sqlstate_of($$ truncate public.credit_accounts cascade $$), '42501',
  'service_role cannot truncate credit accounts');
select tests.as_user('alice');
select is(tests.sqlstate_of($$ truncate public.credit_ledger $$), '42501', 'a user cannot truncate the ledger');

select tests.as_postgres();
select throws_ok(format($$ update public.credit_ledger set balance_delta = 1000 where user_id = %L $$, tests.uid('alice')),
  '42501', 'credit_ledger is append-only', 'the ledger is append-only, even for postgres');

-- public.credit_status() ----------------------------------------------------------------------
select tests.as_user('alice');
select is(public.credit_status() - 'next_reset_at',
  '{"plan": "free", "daily_allowance": 50, "daily_used": 0, "daily_left": 50, "balance": 200, "available": 250}'::jsonb,
  'credit_status(): the owner''s numbers');
select is((public.credit_status() ->> 'next_reset_at')::timestamptz,
  ((now() at time zone 'utc')::date + 1)::timestamp at time zone 'utc',
  'credit_status(): next reset is the coming 00:00 UTC');
select tests.as_anon();
select throws_ok($$ select public.credit_status() $$, '42501', null, 'credit_status(): anon gets 42501');
select tests.act_as('authenticated', '{"role": "authenticated"}');
select throws_ok($$ select public.credit_status() $$, '42501', 'sign in to see your credits',
  'credit_status(): a token without sub gets 42501');

-- Clients cannot call the service functions ---------------------------------------------------
select tests.as_anon();
select throws_ok(format($$ select private.debit_credits(%L, 'chat_turn', 'anon-1') $$, tests.uid('alice')),
  '42501', null, 'anon cannot execute private.debit_credits');
select tests.as_user('alice');
select throws_ok(format($$ select private.debit_credits(%L, 'chat_turn', 'self-1') $$, tests.uid('alice')),
  '42501', null, 'authenticated cannot execute private.debit_credits, even for themselves');
select throws_ok(format($$ select private.credit_status(%L) $$, tests.uid('bob')),
  '42501', null, 'authenticated cannot execute private.credit_status');

-- private.debit_credits ------------------------------------------------------------------------
select tests.as_service();
select is(private.debit_credits(tests.uid('alice'), 'chat_turn', 'msg-1', '{"message_id": "m1"}') - 'next_reset_at',
  '{"status": "debited", "charged": 1, "from_daily": 1, "from_balance": 0, "plan": "free",
    "daily_allowance": 50, "daily_used": 1, "daily_left": 49, "balance": 200, "available": 249}'::jsonb,
  'debit: a chat turn comes out of the daily allowance');
select results_eq(
  $$ select kind, action, daily_delta, balance_delta, balance_after, metadata from public.credit_ledger
     where user_id = tests.uid('alice') and idempotency_key = 'msg-1' $$,
  $$ values ('debit', 'chat_turn', -1, 0, 200, '{"message_id": "m1"}'::jsonb) $$,
  'debit: one ledger row records it');

select is(private.debit_credits(tests.uid('alice'), 'chat_turn', 'msg-1') - 'next_reset_at',
  '{"status": "duplicate", "charged": 1, "from_daily": 1, "from_balance": 0, "plan": "free",
    "daily_allowance": 50, "daily_used": 1, "daily_left": 49, "balance": 200, "available": 249}'::jsonb,
  'debit: the same idempotency key again reports the first charge and charges nothing');
select results_eq(
  $$ select (select count(*)::int from public.credit_ledger where user_id = tests.uid('alice')), a.balance, a.daily_used
     from public.credit_accounts a where a.user_id = tests.uid('alice') $$,
  $$ values (2, 200, 1) $$,
  'debit: a duplicate leaves the ledger and the account unchanged');

select is(private.debit_credits(tests.uid('alice'), 'investor_search', 'search-1') - 'next_reset_at',
  '{"status": "debited", "charged": 50, "from_daily": 49, "from_balance": 1, "plan": "free",
    "daily_allowance": 50, "daily_used": 50, "daily_left": 0, "balance": 199, "available": 199}'::jsonb,
  'debit: what the daily allowance cannot cover comes from the balance');

select throws_ok(
  format($$ select private.debit_credits(%L, 'investor_search', 'search-2', '{}', 500) $$, tests.uid('alice')),
  'PT402', 'not enough credits: investor_search needs 500, you have 199 (0 today + 199 balance)',
  'debit: insufficient credits raise PT402');
select results_eq(
  $$ select (select count(*)::int from public.credit_ledger where user_id = tests.uid('alice')), a.balance, a.daily_used
     from public.credit_accounts a where a.user_id = tests.uid('alice') $$,
  $$ values (3, 199, 50) $$,
  'debit: a refused debit changes nothing');

select is(private.debit_credits(tests.uid('alice'), 'investor_search', 'search-3', '{}', 199) ->> 'balance', '0',
  'debit: p_credits overrides the price, and the whole balance can be spent');
select throws_ok(
  format($$ select private.debit_credits(%L, 'chat_turn', 'msg-2') $$, tests.uid('alice')),
  'PT402', 'not enough credits: chat_turn needs 1, you have 0 (0 today + 0 balance)',
  'debit: with nothing left even a chat turn is refused');
select throws_ok(
  format($$ select private.debit_credits(%L, 'teleport', 'x-1') $$, tests.uid('alice')),
  'P0001', 'unknown credit action "teleport"', 'debit: an unknown action raises P0001');
select throws_ok(
  format($$ select private.debit_credits(%L, 'chat_turn', '  ') $$, tests.uid('alice')),
  'P0001', 'user and idempotency key are required', 'debit: a blank idempotency key raises P0001');
select throws_ok(
  format($$ select private.debit_credits(%L, 'chat_turn', 'neg-1', '{}', -5) $$, tests.uid('alice')),
  'P0001', 'a debit cannot be negative (got -5)', 'debit: a negative amount raises P0001');
select throws_ok(
  format($$ select private.debit_credits(%L, 'chat_turn', 'x-1') $$, gen_random_uuid()),
  'PT404', null, 'debit: a user without a credit account raises PT404');

-- A key that collides with a non-debit entry (the signup grant's key is 'signup') must not be reported as a
-- "duplicate" charge of -200. Whatever the fix (refuse the key, or namespace the grant's key), a negative
-- charge is wrong: the probe divides by zero (22012) exactly when that happens, and is undone either way.
select isnt(tests.sqlstate_of(format($$ select 1 / (((d ->> 'charged')::int >= 0)::int) from private.debit_credits(%L, 'chat_turn', 'signup') d $$,
                                     tests.uid('bob'))),
  '22012', 'debit: a key used by the signup grant is not reported as a duplicate with a negative charge');
select is(private.debit_credits(tests.uid('bob'), 'chat_turn', 'msg-1') ->> 'status', 'debited',
  'debit: idempotency keys are per user (bob may reuse alice''s key)');

-- The ledger adds up to the balance.
select tests.as_postgres();
select is((select sum(balance_delta)::int from public.credit_ledger where user_id = tests.uid('alice')),
  (select balance from public.credit_accounts where user_id = tests.uid('alice')),
  'the ledger''s balance deltas add up to the balance');
select is((select balance_after from public.credit_ledger where user_id = tests.uid('alice') order by id desc limit 1),
  (select balance from public.credit_accounts where user_id = tests.uid('alice')),
  'the last ledger row''s balance_after is the balance');

-- Day rollover: an older daily_period means the allowance is full again -----------------------
update public.credit_accounts set daily_period = (now() at time zone 'utc')::date - 1 where user_id = tests.uid('alice');
select tests.as_user('alice');
select is(public.credit_status() - 'next_reset_at',
  '{"plan": "free", "daily_allowance": 50, "daily_used": 0, "daily_left": 50, "balance": 0, "available": 50}'::jsonb,
  'rollover: yesterday''s usage no longer counts');
select tests.as_service();
select is(private.debit_credits(tests.uid('alice'), 'employee_search', 'emp-1') - 'next_reset_at',
  '{"status": "debited", "charged": 25, "from_daily": 25, "from_balance": 0, "plan": "free",
    "daily_allowance": 50, "daily_used": 25, "daily_left": 25, "balance": 0, "available": 25}'::jsonb,
  'rollover: the restored allowance is spent first');
select results_eq(
  $$ select daily_used, daily_period = (now() at time zone 'utc')::date from public.credit_accounts where user_id = tests.uid('alice') $$,
  $$ values (25, true) $$,
  'rollover: the account now counts today');
select is(private.debit_credits(tests.uid('alice'), 'chat_turn', 'msg-1') ->> 'status', 'duplicate',
  'rollover: an old idempotency key is still a duplicate the next day');

-- The plan decides the allowance ---------------------------------------------------------------
select tests.as_postgres();
update public.profiles set plan_id = 'pro' where id = tests.uid('bob');
select tests.as_user('bob');
select is(public.credit_status() - 'next_reset_at',
  '{"plan": "pro", "daily_allowance": 150, "daily_used": 1, "daily_left": 149, "balance": 200, "available": 349}'::jsonb,
  'a pro user has the pro daily allowance');
select tests.as_postgres();
update public.plans set daily_credits = 10 where id = 'free';
select tests.as_user('ghost');
select is((public.credit_status() ->> 'daily_left')::int, 10,
  'allowances are data: changing plans.daily_credits changes the allowance');

-- Concurrency shape: the account row is locked before the idempotency check ----------------------
select tests.as_postgres();
select ok(pg_get_functiondef('private.debit_credits(uuid, text, text, jsonb, integer)'::regprocedure) ~* 'for\s+update',
  'debit_credits locks the account row (for update)');

-- An anonymous user who becomes a real account gets the signup grant, once.
select tests.as_postgres();
update auth.users set is_anonymous = false, email = 'ghost@example.com' where id = tests.uid('ghost');
update auth.users set is_anonymous = true where id = tests.uid('ghost');
update auth.users set is_anonymous = false where id = tests.uid('ghost');
select results_eq(
  $$ select a.balance, (select count(*)::int from public.credit_ledger l where l.user_id = a.user_id and l.kind = 'signup_grant')
     from public.credit_accounts a where a.user_id = tests.uid('ghost') $$,
  $$ values (200, 1) $$,
  'signup: an anonymous user who converts gets the 200-credit grant exactly once');
select is((select email from public.profiles where id = tests.uid('ghost')), 'ghost@example.com',
  'signup: the converted user''s e-mail reaches the profile');

select * from finish();
rollback;
