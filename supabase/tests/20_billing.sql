-- Billing: packs, subscriptions, purchases, invoices and the Stripe event log (read-only for their owner,
-- invisible to others, written only through the service's functions); applying Stripe events once and in
-- any order; refunds that never go negative silently; plan changes; the daily reset; the scheduler's
-- slot claims; the outreach plan gate.
begin;
set local search_path = public, extensions;
select plan(73);

select tests.create_user('alice');
select tests.create_user('bob');
update public.plans set stripe_price_id = 'price_' || id where price_cents > 0;
update public.credit_packs set stripe_price_id = 'price_pack_' || id;
select private.set_stripe_customer(tests.uid('alice'), 'cus_alice');
select private.set_stripe_customer(tests.uid('bob'), 'cus_bob');

-- A Stripe event payload (API 2023-10-16) at epoch second p_created.
create function pg_temp.ev(p_id text, p_type text, p_created bigint, p_object jsonb) returns jsonb
language sql as $$
  select jsonb_build_object('id', p_id, 'object', 'event', 'type', p_type, 'created', p_created,
                            'api_version', '2023-10-16', 'livemode', false, 'data', jsonb_build_object('object', p_object))
$$;
create function pg_temp.pack_session(p_session text, p_user uuid, p_status text, p_pi text, p_pack text default 'small') returns jsonb
language sql as $$
  select jsonb_build_object('id', p_session, 'object', 'checkout.session', 'mode', 'payment', 'payment_status', p_status,
                            'customer', 'cus_alice', 'payment_intent', p_pi, 'client_reference_id', p_user, 'amount_total', 1900,
                            'metadata', jsonb_build_object('user_id', p_user, 'pack_id', p_pack))
$$;
create function pg_temp.sub(p_id text, p_user uuid, p_status text, p_price text, p_cancel boolean default false) returns jsonb
language sql as $$
  select jsonb_build_object('id', p_id, 'object', 'subscription', 'customer', 'cus_alice', 'status', p_status,
                            'cancel_at_period_end', p_cancel, 'current_period_start', 1764000000, 'current_period_end', 1766592000,
                            'metadata', jsonb_build_object('user_id', p_user),
                            'items', jsonb_build_object('data', jsonb_build_array(jsonb_build_object('price', jsonb_build_object('id', p_price)))))
$$;
-- Stores and applies an event as the worker does; returns the outcome.
create function pg_temp.deliver(p_event jsonb) returns text
language plpgsql as $$
begin
  perform private.record_stripe_event(p_event);
  return private.apply_stripe_event(p_event ->> 'id') ->> 'outcome';
end $$;
create function pg_temp.balance(p_name text) returns integer
language sql as $$ select balance from public.credit_accounts where user_id = tests.uid(p_name) $$;
create function pg_temp.plan_of(p_name text) returns text
language sql as $$ select plan_id from public.profiles where id = tests.uid(p_name) $$;

-- Shape and access -------------------------------------------------------------------------------
select has_table('public', 'credit_packs', 'credit_packs exists');
select has_table('public', 'subscriptions', 'subscriptions exists');
select has_table('public', 'credit_purchases', 'credit_purchases exists');
select has_table('public', 'billing_invoices', 'billing_invoices exists');
select has_table('private', 'stripe_events', 'the Stripe event log exists (private schema)');
select has_table('private', 'scheduler_slots', 'scheduler_slots exists');
select is((select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where (n.nspname, c.relname) in (('public', 'credit_packs'), ('public', 'subscriptions'), ('public', 'credit_purchases'),
                                            ('public', 'billing_invoices'), ('private', 'stripe_events'),
                                            ('private', 'stripe_charge_refunds'), ('private', 'scheduler_slots'))
             and c.relrowsecurity), 7, 'RLS is enabled on every billing table');
select col_is_pk('private', 'stripe_events', 'id', 'one row per Stripe event id');
select col_is_unique('public', 'credit_purchases', 'checkout_session_id', 'one purchase per checkout session');

select private.record_pack_checkout(tests.uid('alice'), 'cs_alice1', 'small');
select is(pg_temp.deliver(pg_temp.ev('evt_g1', 'checkout.session.completed', 1764000000,
          pg_temp.pack_session('cs_alice1', tests.uid('alice'), 'paid', 'pi_alice1'))), 'applied', 'a paid pack checkout is applied');
select pg_temp.deliver(pg_temp.ev('evt_s0', 'customer.subscription.created', 1764000000,
       pg_temp.sub('sub_bob', tests.uid('bob'), 'active', 'price_pro') || '{"customer": "cus_bob"}'));

select tests.as_anon();
select results_eq($$ select id, credits from public.credit_packs order by sort_order $$,
  $$ values ('small', 4900), ('medium', 19900), ('large', 49900) $$, 'anon reads the active packs');
select throws_ok($$ select 1 from public.subscriptions $$, '42501', null, 'anon cannot read subscriptions');
select throws_ok($$ select 1 from public.credit_purchases $$, '42501', null, 'anon cannot read credit purchases');
select throws_ok($$ select 1 from public.billing_invoices $$, '42501', null, 'anon cannot read invoices');
select throws_ok($$ select 1 from private.stripe_events $$, '42501', null, 'anon cannot read the event log');
select throws_ok($$ update public.credit_packs set credits = 1000000 $$, '42501', null, 'anon cannot change packs');

select tests.as_user('alice');
select results_eq($$ select checkout_session_id, status from public.credit_purchases $$,
  $$ values ('cs_alice1', 'paid') $$, 'alice reads exactly her purchases');
select is_empty($$ select 1 from public.subscriptions $$, 'alice cannot see bob''s subscription');
select throws_ok($$ update public.credit_purchases set credits = 1000000 $$, '42501', null, 'a user cannot change a purchase');
select throws_ok(format($$ insert into public.credit_purchases (user_id, checkout_session_id, credits, amount_cents, status)
                          values (%L, 'cs_free', 100000, 0, 'paid') $$, tests.uid('alice')), '42501', null, 'a user cannot insert a purchase');
select throws_ok(format($$ insert into public.subscriptions (id, user_id, stripe_customer_id, status, plan_id, stripe_event_at, stripe_event_rank, stripe_event_id)
                          values ('sub_fake', %L, 'cus_alice', 'active', 'outreach', now(), 3, 'evt_x') $$, tests.uid('alice')),
  '42501', null, 'a user cannot give herself a subscription');
select throws_ok($$ delete from public.billing_invoices $$, '42501', null, 'a user cannot delete invoices');
select throws_ok($$ update public.credit_packs set price_cents = 1 $$, '42501', null, 'a user cannot change pack prices');
select throws_ok($$ select private.apply_stripe_event('evt_g1') $$, '42501', null, 'a user cannot apply Stripe events');
select throws_ok($$ select private.record_stripe_event('{"id": "evt_forged", "type": "checkout.session.completed", "created": 1}') $$,
  '42501', null, 'a user cannot inject Stripe events');
select throws_ok(format($$ select private.reset_daily_credits() $$), '42501', null, 'a user cannot reset daily credits');
select throws_ok(format($$ update public.profiles set plan_id = 'outreach' where id = %L $$, tests.uid('alice')),
  '42501', null, 'a user cannot change her own plan');

select tests.as_user('bob');
select results_eq($$ select id, status, plan_id from public.subscriptions $$, $$ values ('sub_bob', 'active', 'pro') $$,
  'bob reads his own subscription');
select is_empty($$ select 1 from public.credit_purchases $$, 'bob cannot see alice''s purchases');

select tests.as_service();
select throws_ok($$ update public.subscriptions set status = 'active' $$, '42501', null,
  'even the service role writes subscriptions only through the functions');
select throws_ok($$ insert into private.stripe_events (id, type, event_created, payload) values ('evt_x', 'x', now(), '{}') $$,
  '42501', null, 'the service role stores events only through record_stripe_event');
select tests.as_postgres();

-- Packs: granted once, only when paid, keyed on the session ---------------------------------------
select is(pg_temp.balance('alice'), 200 + 4900, 'the paid pack added its credits to the balance');
select is(private.record_stripe_event(pg_temp.ev('evt_g1', 'checkout.session.completed', 1764000000,
          pg_temp.pack_session('cs_alice1', tests.uid('alice'), 'paid', 'pi_alice1'))), false, 'a duplicate delivery is not stored again');
select is(private.apply_stripe_event('evt_g1') ->> 'outcome', 'duplicate', 'applying the same event again is a no-op');
select is(pg_temp.deliver(pg_temp.ev('evt_g2', 'checkout.session.async_payment_succeeded', 1764000010,
          pg_temp.pack_session('cs_alice1', tests.uid('alice'), 'paid', 'pi_alice1'))), 'applied', 'a second event for the same session is applied');
select is(pg_temp.balance('alice'), 5100, '... and grants nothing more (ledger key = session id)');
select is((select count(*)::int from public.credit_ledger where user_id = tests.uid('alice') and kind = 'purchase'), 1,
  'one purchase ledger row');

select is(pg_temp.deliver(pg_temp.ev('evt_u1', 'checkout.session.completed', 1764000100,
          pg_temp.pack_session('cs_alice2', tests.uid('alice'), 'unpaid', 'pi_alice2', 'medium'))), 'applied', 'an unpaid (delayed) checkout is recorded');
select results_eq($$ select status, (select balance from public.credit_accounts where user_id = tests.uid('alice'))
                     from public.credit_purchases where checkout_session_id = 'cs_alice2' $$,
  $$ values ('pending', 5100) $$, 'an unpaid checkout (rebuilt from metadata) grants nothing');
select pg_temp.deliver(pg_temp.ev('evt_u2', 'checkout.session.async_payment_failed', 1764000200,
       pg_temp.pack_session('cs_alice2', tests.uid('alice'), 'unpaid', 'pi_alice2', 'medium')));
select results_eq($$ select status from public.credit_purchases where checkout_session_id = 'cs_alice2' $$,
  $$ values ('failed') $$, 'async_payment_failed marks the purchase failed');
select is(pg_temp.balance('alice'), 5100, 'a failed payment grants nothing');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'notification'
                  and payload ->> 'kind' = 'credit_payment_failed'), 'the user is told the payment failed');

-- Refunds: claw back up to the balance, record the shortfall -----------------------------------------
update public.credit_accounts set balance = 1000 where user_id = tests.uid('alice');  -- she spent most of it
select pg_temp.deliver(pg_temp.ev('evt_r1', 'charge.refunded', 1764000300,
       '{"id": "ch_1", "object": "charge", "payment_intent": "pi_alice1", "amount": 1900, "amount_captured": 1900, "amount_refunded": 950}'));
select results_eq($$ select status, credits_clawed_back, clawback_shortfall, amount_refunded_cents
                     from public.credit_purchases where checkout_session_id = 'cs_alice1' $$,
  $$ values ('partially_refunded', 1000, 1450, 950) $$, 'a half refund claws back half the credits, up to the balance; the rest is shortfall');
select is(pg_temp.balance('alice'), 0, 'the balance never goes negative');
select results_eq($$ select balance_delta, balance_after, (metadata ->> 'shortfall')::int from public.credit_ledger
                     where user_id = tests.uid('alice') and kind = 'refund' $$,
  $$ values (-1000, 0, 1450) $$, 'the refund ledger row records what was taken and the shortfall');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'notification'
                  and payload ->> 'kind' = 'credits_refunded' and (payload ->> 'shortfall')::int = 1450),
  'the user is told about the refund and the shortfall');
select pg_temp.deliver(pg_temp.ev('evt_r2', 'charge.refunded', 1764000400,
       '{"id": "ch_1", "object": "charge", "payment_intent": "pi_alice1", "amount": 1900, "amount_captured": 1900, "amount_refunded": 1900}'));
select results_eq($$ select status, credits_clawed_back, clawback_shortfall from public.credit_purchases where checkout_session_id = 'cs_alice1' $$,
  $$ values ('refunded', 1000, 3900) $$, 'the full refund: everything owed is either clawed back or shortfall');
select pg_temp.deliver(pg_temp.ev('evt_r3', 'charge.refunded', 1764000350,
       '{"id": "ch_1", "object": "charge", "payment_intent": "pi_alice1", "amount": 1900, "amount_captured": 1900, "amount_refunded": 950}'));
select results_eq($$ select status, credits_clawed_back + clawback_shortfall from public.credit_purchases where checkout_session_id = 'cs_alice1' $$,
  $$ values ('refunded', 4900) $$, 'an older, smaller refund event arriving late changes nothing');
select is(pg_temp.deliver(pg_temp.ev('evt_r4', 'charge.refunded', 1764000500,
          '{"id": "ch_2", "object": "charge", "payment_intent": "pi_unknown", "amount": 4900, "amount_refunded": 4900}')), 'recorded',
  'a refund for an unknown payment is kept until its purchase shows up');

-- Subscriptions: plan follows the newest state; older events never win -----------------------------
update public.credit_accounts set balance = 0, daily_used = 50, daily_period = (now() at time zone 'utc')::date where user_id = tests.uid('alice');
select is(pg_temp.deliver(pg_temp.ev('evt_p1', 'customer.subscription.created', 1764001000,
          pg_temp.sub('sub_alice', tests.uid('alice'), 'active', 'price_pro'))), 'applied', 'subscription created');
select is(pg_temp.plan_of('alice'), 'pro', 'an active Pro subscription makes the profile Pro');
select is((private.credit_status(tests.uid('alice')) ->> 'daily_left')::int, 100, 'the daily allowance follows the plan at once (150 - 50 used)');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('alice') and event = 'credits_update'
                  and payload ->> 'plan' = 'pro'), 'credits_update is broadcast with the new plan');
select pg_temp.deliver(pg_temp.ev('evt_p3', 'customer.subscription.updated', 1764003000,
       pg_temp.sub('sub_alice', tests.uid('alice'), 'active', 'price_outreach')));
select is(pg_temp.plan_of('alice'), 'outreach', 'upgrade to Outreach');
select is(pg_temp.deliver(pg_temp.ev('evt_p2', 'customer.subscription.updated', 1764002000,
          pg_temp.sub('sub_alice', tests.uid('alice'), 'active', 'price_pro'))), 'stale', 'an older event arriving late is refused');
select is(pg_temp.plan_of('alice'), 'outreach', '... and the plan stays Outreach');
select lives_ok($$ select private.require_outreach_plan(tests.uid('alice')) $$, 'the outreach gate lets an Outreach user through');
select pg_temp.deliver(pg_temp.ev('evt_p4', 'customer.subscription.updated', 1764004000,
       pg_temp.sub('sub_alice', tests.uid('alice'), 'past_due', 'price_outreach')));
select is(pg_temp.plan_of('alice'), 'outreach', 'past_due keeps the plan (grace)');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('alice') and payload ->> 'kind' = 'payment_past_due'),
  'the user is told the payment is past due');
select pg_temp.deliver(pg_temp.ev('evt_p5', 'customer.subscription.deleted', 1764005000,
       pg_temp.sub('sub_alice', tests.uid('alice'), 'canceled', 'price_outreach')));
select is(pg_temp.plan_of('alice'), 'free', 'a deleted subscription downgrades to Free');
select throws_ok($$ select private.require_outreach_plan(tests.uid('alice')) $$, 'PT402', null, 'the outreach gate refuses a Free user (402)');
select is(pg_temp.deliver(pg_temp.ev('evt_p6', 'customer.subscription.updated', 1764006000,
          pg_temp.sub('sub_alice', tests.uid('alice'), 'active', 'price_outreach'))), 'stale', 'a canceled subscription never comes back');

-- Project limits follow the plan (Free: 1 project) --------------------------------------------------
select tests.as_user('alice');
select lives_ok($$ insert into public.projects (name) values ('First') $$, 'a Free user creates one project');
select throws_ok($$ insert into public.projects (name) values ('Second') $$, 'PT402', null, 'but not a second');
select tests.as_postgres();

-- The daily reset ---------------------------------------------------------------------------------
update public.credit_accounts set daily_used = 33, daily_period = (now() at time zone 'utc')::date - 1 where user_id = tests.uid('bob');
select ok(private.reset_daily_credits() >= 1, 'the daily reset refills accounts used on an earlier day');
select results_eq($$ select daily_used, daily_period = (now() at time zone 'utc')::date from public.credit_accounts where user_id = tests.uid('bob') $$,
  $$ values (0, true) $$, 'bob''s allowance is full again for today');
select results_eq($$ select daily_used from public.credit_accounts where user_id = tests.uid('alice') $$,
  $$ values (50) $$, 'today''s usage is untouched');
select is(private.reset_daily_credits(), 0::bigint, 'a second reset the same day changes nothing');

-- Scheduler slots ---------------------------------------------------------------------------------
select is(private.claim_scheduler_slot('job', '2026-11-25', 'r1'), true, 'the first replica claims the slot');
select is(private.claim_scheduler_slot('job', '2026-11-25', 'r2'), false, 'the second replica does not');

-- Event log bookkeeping -----------------------------------------------------------------------------
select private.record_stripe_event(pg_temp.ev('evt_f1', 'customer.subscription.created', 1764007000,
       pg_temp.sub('sub_ghost', gen_random_uuid(), 'active', 'price_pro') || '{"customer": "cus_nobody"}'));
select throws_ok($$ select private.apply_stripe_event('evt_f1') $$, 'P0001', null, 'a subscription of an unknown customer fails (to be retried)');
select is(private.fail_stripe_event('evt_f1', 'no user', 1), 'dead', 'after the last attempt the event is dead');
select is(pg_temp.deliver(pg_temp.ev('evt_i1', 'customer.updated', 1764008000, '{"id": "cus_alice", "object": "customer"}')), 'ignored',
  'an event type we do not handle is stored and ignored (and answered 2xx)');

select * from finish();
rollback;
