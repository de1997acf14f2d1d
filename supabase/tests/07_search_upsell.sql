-- search_results and upsell_attempts: written by the service, read-only for their owner, invisible to others.
begin;
set local search_path = public, extensions;
select plan(38);

select tests.create_user('alice');
select tests.create_user('bob');
insert into public.search_results (id, user_id, kind, criteria, results, result_count, credits_charged) values
  ('a1111111-0000-4000-8000-0000000005e1', tests.uid('alice'), 'investors', '{"sectors": ["fintech"]}',
   '[{"id": "x", "reasons": ["fintech"]}]', 1, 50),
  ('b2222222-0000-4000-8000-0000000005e1', tests.uid('bob'), 'companies', '{}', '[]', 0, 25);
insert into public.upsell_attempts (id, user_id, from_plan, to_plan, trigger, confidence) values
  ('a1111111-0000-4000-8000-0000000000f1', tests.uid('alice'), 'free', 'pro', 'search_intent', 0.85),
  ('b2222222-0000-4000-8000-0000000000f1', tests.uid('bob'), 'pro', 'outreach', 'contact_intent', 0.9);

-- The writes a client might try, on both tables (alice's rows).
create temp table write_ops (tbl text, op text, sql text) on commit drop;
insert into write_ops values
  ('search_results', 'insert', format($$ insert into public.search_results (user_id, kind) values (%L, 'investors') $$, tests.uid('alice'))),
  ('search_results', 'update', $$ update public.search_results set credits_charged = 0 where id = 'a1111111-0000-4000-8000-0000000005e1' $$),
  ('search_results', 'delete', $$ delete from public.search_results where id = 'a1111111-0000-4000-8000-0000000005e1' $$),
  ('upsell_attempts', 'insert', format($$ insert into public.upsell_attempts (user_id, from_plan, trigger, confidence) values (%L, 'free', 'x_y', 0.5) $$, tests.uid('alice'))),
  ('upsell_attempts', 'update', $$ update public.upsell_attempts set converted_at = now() where id = 'a1111111-0000-4000-8000-0000000000f1' $$),
  ('upsell_attempts', 'delete', $$ delete from public.upsell_attempts where id = 'a1111111-0000-4000-8000-0000000000f1' $$);
grant select on write_ops to public;

-- anon ------------------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.search_results $$, '42501', null, 'anon cannot select search_results');
select throws_ok($$ select 1 from public.upsell_attempts $$, '42501', null, 'anon cannot select upsell_attempts');
select throws_ok(sql, '42501', null, format('anon cannot %s %s', op, tbl)) from write_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);

-- another user ----------------------------------------------------------------------------------
select tests.as_user('bob');
select is_empty($$ select 1 from public.search_results where id = 'a1111111-0000-4000-8000-0000000005e1' $$,
  'another user cannot see alice''s search, even by id');
select is_empty($$ select 1 from public.upsell_attempts where id = 'a1111111-0000-4000-8000-0000000000f1' $$,
  'another user cannot see alice''s offers, even by id');
select throws_ok(sql, '42501', null, format('another user cannot %s %s', op, tbl)) from write_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);

-- the owner: read-only --------------------------------------------------------------------------
select tests.as_user('alice');
select results_eq($$ select id, kind, result_count, credits_charged from public.search_results $$,
  $$ values ('a1111111-0000-4000-8000-0000000005e1'::uuid, 'investors', 1, 50) $$,
  'the owner reads exactly their searches');
select results_eq($$ select id, from_plan, to_plan from public.upsell_attempts $$,
  $$ values ('a1111111-0000-4000-8000-0000000000f1'::uuid, 'free', 'pro') $$,
  'the owner reads exactly their offers');
select throws_ok(sql, '42501', null, format('the owner cannot %s %s', op, tbl)) from write_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);

select tests.as_postgres();
select results_eq(
  $$ select (select credits_charged from public.search_results where id = 'a1111111-0000-4000-8000-0000000005e1'),
            (select converted_at from public.upsell_attempts where id = 'a1111111-0000-4000-8000-0000000000f1') $$,
  $$ values (50, null::timestamptz) $$,
  'the refused writes changed nothing');

-- service_role: full access ---------------------------------------------------------------------
select tests.as_service();
select is((select count(*)::int from public.search_results where user_id in (tests.uid('alice'), tests.uid('bob'))), 2,
  'service_role reads every search');
select is((select count(*)::int from public.upsell_attempts where user_id in (tests.uid('alice'), tests.uid('bob'))), 2,
  'service_role reads every offer');
select is(tests.affected(sql), 1::bigint, format('service_role can %s %s', op, tbl)) from write_ops order by tbl, array_position(array['insert', 'update', 'delete'], op);

-- Data shape -------------------------------------------------------------------------------------
select throws_ok(format($$ insert into public.search_results (user_id, kind) values (%L, 'unicorns') $$, tests.uid('alice')),
  '23514', null, 'search kind is investors, employees or companies');
select throws_ok(format($$ insert into public.search_results (user_id, kind, results) values (%L, 'investors', '{}') $$, tests.uid('alice')),
  '23514', null, 'search results are a JSON array');
select throws_ok(format($$ insert into public.upsell_attempts (user_id, from_plan, to_plan, trigger, confidence)
                          values (%L, 'pro', 'pro', 'same_plan', 0.9) $$, tests.uid('alice')),
  '23514', null, 'an offer cannot be for the plan the user already has');
select throws_ok(format($$ insert into public.upsell_attempts (user_id, from_plan, trigger, confidence)
                          values (%L, 'free', 'search_intent', 1.5) $$, tests.uid('alice')),
  '23514', null, 'confidence is between 0 and 1');
select throws_ok(format($$ insert into public.upsell_attempts (user_id, from_plan, to_plan, trigger, confidence)
                          values (%L, 'free', 'platinum', 'search_intent', 0.9) $$, tests.uid('alice')),
  '23503', null, 'offers name existing plans');

select * from finish();
rollback;
