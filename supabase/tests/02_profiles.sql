-- Profiles and onboarding: created by the signup trigger; a user reads their own and may change only
-- display_name and language; plan and billing fields belong to the service.
begin;
set local search_path = public, extensions;
select plan(51);

select tests.create_user('alice', '{"display_name": "  Alice  ", "language": "ES"}');
select tests.create_user('bob', '{"full_name": "Bob Builder"}');
select tests.create_user('carol', jsonb_build_object('name', repeat('c', 150), 'language', 'fr'));
select tests.create_user('ghost', '{}', true);

-- Signup trigger ---------------------------------------------------------------------------------
select results_eq(
  $$ select email, display_name, language, plan_id from public.profiles where id = tests.uid('alice') $$,
  $$ values ('alice@test.local', 'Alice', 'es', 'free') $$,
  'signup: profile gets email, trimmed display_name and language from user metadata, free plan');
select is((select display_name from public.profiles where id = tests.uid('bob')), 'Bob Builder',
  'signup: full_name is used when display_name is missing');
select results_eq(
  $$ select char_length(display_name), language from public.profiles where id = tests.uid('carol') $$,
  $$ values (100, 'en') $$,
  'signup: an over-long name is cut to 100 characters and an unsupported language falls back to en');
select results_eq(
  $$ select email, display_name from public.profiles where id = tests.uid('ghost') $$,
  $$ values (null::text, null::text) $$,
  'signup: an anonymous user (NULL email) gets a profile');
select is((select count(*)::int from public.user_onboarding where user_id = tests.uid('alice') and current_step = 'welcome'
           and completed_steps = '{}' and completed_at is null), 1,
  'signup: onboarding starts at welcome');

update auth.users set email = 'alice2@test.local' where id = tests.uid('alice');
select is((select email from public.profiles where id = tests.uid('alice')), 'alice2@test.local',
  'an email change in auth.users is copied to the profile');
update auth.users set email = 'alice@test.local' where id = tests.uid('alice');

-- profiles: anon --------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.profiles $$, '42501', null, 'anon cannot select profiles');
select throws_ok($$ insert into public.profiles (id) values (gen_random_uuid()) $$, '42501', null, 'anon cannot insert profiles');
select throws_ok(format($$ update public.profiles set display_name = 'x' where id = %L $$, tests.uid('alice')),
  '42501', null, 'anon cannot update profiles');
select throws_ok(format($$ delete from public.profiles where id = %L $$, tests.uid('alice')),
  '42501', null, 'anon cannot delete profiles');

-- profiles: another user ------------------------------------------------------------------------
select tests.as_user('bob');
select is((select count(*)::int from public.profiles where id = tests.uid('alice')), 0,
  'another user cannot see alice''s profile');
select is((select array_agg(id) from public.profiles), array[tests.uid('bob')],
  'a user sees exactly one profile: their own');
select is(tests.affected(format($$ update public.profiles set display_name = 'hacked' where id = %L $$, tests.uid('alice'))),
  0::bigint, 'another user''s update of alice''s profile touches 0 rows');
select throws_ok(format($$ delete from public.profiles where id = %L $$, tests.uid('alice')),
  '42501', null, 'another user cannot delete profiles');
select throws_ok($$ insert into public.profiles (id, email) values (gen_random_uuid(), 'x@y.z') $$,
  '42501', null, 'a user cannot insert profiles');

-- profiles: the owner ---------------------------------------------------------------------------
select tests.as_user('alice');
select results_eq($$ select id, email from public.profiles $$,
  format($$ values (%L::uuid, 'alice@test.local') $$, tests.uid('alice')),
  'the owner reads their profile');
select is(tests.affected(format($$ update public.profiles set display_name = 'Alicia', language = 'en' where id = %L $$, tests.uid('alice'))),
  1::bigint, 'the owner updates display_name and language');
select throws_ok($$ update public.profiles set display_name = '' $$, '23514', null,
  'an empty display_name is rejected');
select throws_ok($$ update public.profiles set language = 'fr' $$, '23514', null,
  'an unsupported language is rejected');
select throws_ok($$ update public.profiles set plan_id = 'outreach' $$, '42501', null,
  'the owner cannot change plan_id');
select throws_ok($$ update public.profiles set stripe_customer_id = 'cus_free_money' $$, '42501', null,
  'the owner cannot change stripe_customer_id');
select throws_ok($$ update public.profiles set email = 'someone@else.com' $$, '42501', null,
  'the owner cannot change email');
select throws_ok($$ update public.profiles set plan_changed_at = now() $$, '42501', null,
  'the owner cannot change plan_changed_at');
select throws_ok($$ update public.profiles set onboarding_completed_at = now() $$, '42501', null,
  'the owner cannot change onboarding_completed_at');
select throws_ok(format($$ update public.profiles set id = %L $$, tests.uid('bob')), '42501', null,
  'the owner cannot change id');
select throws_ok($$ delete from public.profiles $$, '42501', null, 'the owner cannot delete their profile through the API');

select tests.as_postgres();
select results_eq(
  $$ select display_name, language, plan_id, stripe_customer_id, email
     from public.profiles where id = tests.uid('alice') $$,
  $$ values ('Alicia', 'en', 'free', null::text, 'alice@test.local') $$,
  'alice''s profile: only her allowed change happened');
select is((select display_name from public.profiles where id = tests.uid('bob')), 'Bob Builder',
  'bob''s profile is unchanged');

-- profiles: service_role ------------------------------------------------------------------------
select tests.as_service();
select is((select count(*)::int from public.profiles where id in (tests.uid('alice'), tests.uid('bob'), tests.uid('carol'), tests.uid('ghost'))),
  4, 'service_role reads every profile');
select is(tests.affected(format($$ update public.profiles set plan_id = 'pro', plan_changed_at = now(), stripe_customer_id = 'cus_123'
                                  where id = %L $$, tests.uid('bob'))),
  1::bigint, 'service_role changes plan and billing fields');
select throws_ok($$ update public.profiles set plan_id = 'platinum' where id = tests.uid('bob') $$, '23503', null,
  'plan_id must name an existing plan');
select is(tests.affected(format($$ delete from public.profiles where id = %L $$, tests.uid('carol'))),
  1::bigint, 'service_role deletes a profile');
select is(tests.affected(format($$ insert into public.profiles (id, email) values (%L, 'carol@test.local') $$, tests.uid('carol'))),
  1::bigint, 'service_role inserts a profile');
select throws_ok(format($$ insert into public.profiles (id) values (%L) $$, gen_random_uuid()), '23503', null,
  'a profile needs an auth user');

-- user_onboarding -------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.user_onboarding $$, '42501', null, 'anon cannot select onboarding');
select throws_ok(format($$ insert into public.user_onboarding (user_id) values (%L) $$, tests.uid('alice')),
  '42501', null, 'anon cannot insert onboarding');
select throws_ok($$ update public.user_onboarding set current_step = 'completed' $$, '42501', null, 'anon cannot update onboarding');
select throws_ok($$ delete from public.user_onboarding $$, '42501', null, 'anon cannot delete onboarding');

select tests.as_user('bob');
select is((select count(*)::int from public.user_onboarding where user_id = tests.uid('alice')), 0,
  'another user cannot see alice''s onboarding');
select throws_ok(format($$ update public.user_onboarding set current_step = 'first_search' where user_id = %L $$, tests.uid('alice')),
  '42501', null, 'another user cannot update onboarding');
select throws_ok(format($$ delete from public.user_onboarding where user_id = %L $$, tests.uid('alice')),
  '42501', null, 'another user cannot delete onboarding');

select tests.as_user('alice');
select results_eq($$ select user_id, current_step from public.user_onboarding $$,
  format($$ values (%L::uuid, 'welcome') $$, tests.uid('alice')),
  'the owner reads exactly their onboarding row');
select throws_ok($$ update public.user_onboarding set current_step = 'completed', completed_at = now() $$,
  '42501', null, 'the owner cannot advance their own onboarding (the sidecar does)');
select throws_ok($$ delete from public.user_onboarding $$, '42501', null, 'the owner cannot delete onboarding');
select throws_ok(format($$ insert into public.user_onboarding (user_id) values (%L) $$, tests.uid('alice')),
  '42501', null, 'the owner cannot insert onboarding');

select tests.as_service();
select is(tests.affected(format($$ update public.user_onboarding set current_step = 'project_creation', completed_steps = '{welcome}'
                                  where user_id = %L $$, tests.uid('alice'))),
  1::bigint, 'service_role advances onboarding');
select throws_ok(format($$ update public.user_onboarding set current_step = 'completed' where user_id = %L $$, tests.uid('alice')),
  '23514', null, 'completed needs completed_at (and vice versa)');
select throws_ok(format($$ update public.user_onboarding set completed_steps = '{welcome,dancing}' where user_id = %L $$, tests.uid('alice')),
  '23514', null, 'completed_steps only holds known steps');
select is(tests.affected(format($$ delete from public.user_onboarding where user_id = %L $$, tests.uid('alice'))),
  1::bigint, 'service_role deletes onboarding');
select is(tests.affected(format($$ insert into public.user_onboarding (user_id) values (%L) $$, tests.uid('alice'))),
  1::bigint, 'service_role inserts onboarding');

-- Deleting the auth user removes everything hanging off it --------------------------------------
select tests.as_postgres();
delete from auth.users where id = tests.uid('bob');
select is((select count(*)::int from public.profiles where id = tests.uid('bob'))
        + (select count(*)::int from public.user_onboarding where user_id = tests.uid('bob'))
        + (select count(*)::int from public.credit_accounts where user_id = tests.uid('bob'))
        + (select count(*)::int from public.credit_ledger where user_id = tests.uid('bob')),
  0, 'deleting the auth user cascades to profile, onboarding and credits');

select * from finish();
rollback;
