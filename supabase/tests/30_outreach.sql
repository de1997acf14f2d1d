-- LinkedIn outreach (20261125140000_outreach.sql): access, plan gate, connecting an account, the campaign
-- lifecycle, the sender's claim (caps, working hours, spacing, ramp-up, one invitation per person), outcomes,
-- webhooks, reconciliation and metrics. Time is passed explicitly (p_now) wherever it matters.
begin;
set local search_path = public, extensions;
select plan(89);

select tests.create_user('olga');   -- on the Outreach plan
select tests.create_user('fred');   -- on the Free plan
select tests.create_user('mallory');
update public.profiles set plan_id = 'outreach' where id in (tests.uid('olga'), tests.uid('mallory'));

insert into public.projects (id, user_id, name, description, categories, stage, country)
values ('b0000000-0000-4000-8000-000000000001', tests.uid('olga'), 'PayFlow', 'Payments for SMEs', '{fintech}', 'seed', 'ES'),
       ('b0000000-0000-4000-8000-000000000002', tests.uid('fred'), 'FredCo', 'Things', '{saas}', 'seed', 'ES');
insert into public.angel_investors (id, linkedin_url, full_name, headline, country, categories_strong, stages_strong)
values ('a0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/ana-angel', 'Ana Angel', 'Fintech angel', 'ES', '{fintech}', '{seed}'),
       ('a0000000-0000-4000-8000-000000000002', 'https://www.linkedin.com/in/Bea-Angel', 'Bea Angel', 'Seed investor', 'ES', '{fintech}', '{seed}'),
       ('a0000000-0000-4000-8000-000000000003', 'https://www.linkedin.com/in/carl-angel', 'Carl Angel', null, 'ES', '{fintech}', '{seed}');
insert into public.investment_funds (id, name, country) values ('f0000000-0000-4000-8000-000000000001', 'Seed Fund', 'ES');
insert into public.fund_employees (id, fund_id, linkedin_url, full_name, job_title)
values ('e0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001',
        'https://www.linkedin.com/in/pat-partner', 'Pat Partner', 'Partner');
insert into public.search_results (id, user_id, project_id, kind, results, result_count)
values ('50000000-0000-4000-8000-000000000001', tests.uid('olga'), 'b0000000-0000-4000-8000-000000000001', 'investors',
        '[{"kind":"angel","id":"a0000000-0000-4000-8000-000000000001"},
          {"kind":"angel","id":"a0000000-0000-4000-8000-000000000002"},
          {"kind":"angel","id":"a0000000-0000-4000-8000-000000000003"},
          {"kind":"fund","id":"f0000000-0000-4000-8000-000000000001",
           "people":[{"kind":"fund_employee","id":"e0000000-0000-4000-8000-000000000001"}]}]', 4);
insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
values (tests.uid('olga'), 'angel', 'a0000000-0000-4000-8000-000000000003', 'dismissed');

-- Structure ---------------------------------------------------------------------------------------
select has_table('public', 'linkedin_accounts', 'linkedin_accounts exists');
select has_table('public', 'outreach_campaigns', 'outreach_campaigns exists');
select has_table('public', 'outreach_targets', 'outreach_targets exists');
select has_table('public', 'generated_messages', 'generated_messages exists');
select has_table('public', 'outreach_actions', 'outreach_actions (the action log) exists');
select is_empty(
  $$ select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and not c.relrowsecurity
       and (n.nspname, c.relname) in (('public', 'linkedin_accounts'), ('public', 'outreach_campaigns'),
         ('public', 'outreach_targets'), ('public', 'generated_messages'), ('public', 'outreach_actions'),
         ('public', 'outreach_limit_defaults'), ('public', 'outreach_sequence_steps'),
         ('private', 'linkedin_connect_links'), ('private', 'linkedin_people'), ('private', 'unipile_events')) $$,
  'RLS is enabled on every outreach table');
select is((select string_agg(step || ':' || delay_days, ',' order by step) from public.outreach_sequence_steps where sequence_type = 'standard'),
  '1:0,2:2,3:5,4:7', 'standard sequence: day 0, 2, 7, 14 as gaps');
select is(private.linkedin_public_id('https://www.linkedin.com/in/Bea-Angel'), 'bea-angel', 'public identifier from a profile URL, lower case');

-- Plan gate and connecting --------------------------------------------------------------------------
select throws_ok($$ select private.linkedin_begin_connect(tests.uid('fred'), repeat('a', 64)) $$, 'PT402', null,
  'a Free user cannot connect LinkedIn (402)');
select lives_ok($$ select private.linkedin_begin_connect(tests.uid('olga'), repeat('b', 64), null, '1 hour', '2026-11-23 08:00Z') $$,
  'an Outreach user gets a connect link');
select lives_ok($$ select private.linkedin_begin_connect(tests.uid('mallory'), repeat('c', 64), null, '1 hour', '2026-11-23 08:00Z') $$,
  'another user gets their own link');
select throws_ok($$ select private.linkedin_complete_connect(repeat('b', 64), 'CREATION_SUCCESS', 'acc-olga', tests.uid('mallory')::text) $$,
  '42501', null, 'a callback whose name is another user is refused');
select throws_ok($$ select private.linkedin_complete_connect(repeat('d', 64), 'CREATION_SUCCESS', 'acc-olga', tests.uid('olga')::text) $$,
  '42501', null, 'a callback with an unknown token is refused');
select is((private.linkedin_complete_connect(repeat('b', 64), 'CREATION_SUCCESS', 'acc-olga', tests.uid('olga')::text,
            '{"tier": "premium", "own_provider_id": "OWN-OLGA", "display_name": "Olga"}', '2026-11-23 08:05Z') ->> 'created')::boolean,
  true, 'the notify callback stores the account for the user of the link');
select is((private.linkedin_complete_connect(repeat('b', 64), 'CREATION_SUCCESS', 'acc-olga', tests.uid('olga')::text,
            '{}', '2026-11-23 08:06Z') ->> 'created')::boolean,
  false, 'a retried callback is idempotent');
select throws_ok($$ select private.linkedin_complete_connect(repeat('c', 64), 'CREATION_SUCCESS', 'acc-olga', tests.uid('mallory')::text) $$,
  '42501', null, 'an account connected to one user cannot be claimed by another');
select is((select user_id from public.linkedin_accounts where unipile_account_id = 'acc-olga'), tests.uid('olga'), 'the account belongs to olga');
select is((select daily_invites || '/' || weekly_invites || '/' || note_max_chars from public.linkedin_accounts where unipile_account_id = 'acc-olga'),
  '90/200/300', 'premium limits copied from the tier defaults');
-- deterministic pacing for the rest of the test: Madrid hours, 60 s gap, no ramp
update public.linkedin_accounts set timezone = 'Europe/Madrid', min_gap_seconds = 60, max_gap_seconds = 60, ramp_days = 0,
       daily_invites = 2, weekly_invites = 3
 where unipile_account_id = 'acc-olga';

-- RLS ---------------------------------------------------------------------------------------------
select tests.as_user('mallory');
select is((select count(*)::int from public.linkedin_accounts), 0, 'mallory does not see olga''s account');
select tests.as_user('olga');
select is((select count(*)::int from public.linkedin_accounts), 1, 'olga sees her account');
select is(tests.affected($$ update public.linkedin_accounts set work_start = '08:00' $$), 1::bigint, 'olga may change her working hours');
select throws_ok($$ update public.linkedin_accounts set daily_invites = 500 $$, '42501', null, 'olga cannot raise her caps');
select throws_ok($$ insert into public.outreach_campaigns (user_id, project_id, name) values (auth.uid(), 'b0000000-0000-4000-8000-000000000001', 'x') $$,
  '42501', null, 'campaigns are written through the RPCs only');
select throws_ok($$ select private.outreach_claim() $$, '42501', null, 'users cannot call the sender''s functions');
select tests.as_anon();
select throws_ok($$ select 1 from public.outreach_campaigns $$, '42501', null, 'anon cannot read campaigns');
select throws_ok($$ select public.create_outreach_campaign('x', 'b0000000-0000-4000-8000-000000000001') $$, '42501', null,
  'anon cannot create campaigns');
select tests.as_user('fred');
select throws_ok($$ select public.create_outreach_campaign('x', 'b0000000-0000-4000-8000-000000000002') $$, 'PT402',
  'LinkedIn outreach needs the Outreach plan', 'a Free user gets 402 with a clear message');

-- Campaign lifecycle ----------------------------------------------------------------------------------
select tests.as_user('olga');
create temp table ids (k text primary key, v uuid) on commit drop;
grant all on ids to authenticated, service_role;
insert into ids values ('c', (public.create_outreach_campaign('Seed round', 'b0000000-0000-4000-8000-000000000001') ->> 'id')::uuid);
select is((select status || '/' || sequence_type from public.outreach_campaigns), 'draft/standard', 'a new campaign is a draft');
select is(public.add_outreach_targets((select v from ids where k = 'c'), '50000000-0000-4000-8000-000000000001') -> 'added',
  '3'::jsonb, 'two angels and the fund''s partner are added');
select is((public.add_outreach_targets((select v from ids where k = 'c'), '50000000-0000-4000-8000-000000000001') -> 'skipped' -> 0 ->> 'reason'),
  'already_in_campaign', 'adding again skips, with the reason');
select is((select count(*)::int from public.outreach_targets where investor_id = 'a0000000-0000-4000-8000-000000000003'), 0,
  'a dismissed investor is not added');
select is((select string_agg(status, ',') from (select distinct status from public.outreach_targets) s), 'generating',
  'targets wait for their messages');
select throws_ok($$ select public.launch_outreach_campaign((select v from ids where k = 'c')) $$, 'P0001', null,
  'no launch before messages are approved');

-- the sidecar generates messages
select tests.as_service();
select is(jsonb_array_length(private.outreach_claim_generation(10)), 3, 'the generator claims the three targets');
select is(jsonb_array_length(private.outreach_claim_generation(10)), 0, 'claimed targets are leased');
select throws_ok(format($$ select private.outreach_save_messages(%L, '[{"step":1,"body":"%s"},{"step":2,"body":"b"},{"step":3,"body":"c"},{"step":4,"body":"d"}]', 'template') $$,
                        (select id from public.outreach_targets where public_identifier = 'ana-angel'), repeat('ñ', 301)),
  '23514', null, 'a 301-character note violates the check constraint (characters, not bytes)');
select lives_ok(format($$ select private.outreach_save_messages(%L, '[{"step":1,"body":"%s"},{"step":2,"body":"Hi Ana"},{"step":3,"body":"Following up"},{"step":4,"body":"Pitch"}]', 'template') $$,
                        (select id from public.outreach_targets where public_identifier = 'ana-angel'), repeat('ñ', 300)),
  'a 300-character note of two-byte characters fits');
select lives_ok($$ select private.outreach_save_messages(t.id, '[{"step":1,"body":"Hello"},{"step":2,"body":"Hi"},{"step":3,"body":"F"},{"step":4,"body":"P"}]', 'gemini')
                   from public.outreach_targets t where t.public_identifier = 'bea-angel' $$,
  'Gemini messages are stored');
select is((select count(*)::int from public.credit_ledger where user_id = tests.uid('olga') and action = 'outreach_message'), 1,
  'AI-generated messages are charged (outreach_message)');
select lives_ok($$ select private.outreach_save_messages(t.id, '[{"step":1,"body":"Hello Pat"},{"step":2,"body":"Hi"},{"step":3,"body":"F"},{"step":4,"body":"P"}]', 'template')
                   from public.outreach_targets t where t.public_identifier = 'pat-partner' $$,
  'template messages are stored');

select tests.as_user('olga');
select throws_ok(format($$ select public.update_outreach_message(%L, %L) $$,
                        (select id from public.generated_messages m where m.step = 1 and m.body = 'Hello'), repeat('x', 301)),
  'P0001', null, 'an edit longer than the note limit is refused with a hint');
select is((public.approve_outreach_messages((select v from ids where k = 'c')) ->> 'approved')::int, 3, 'the founder approves all three');
insert into ids values ('t_ana', (select id from public.outreach_targets where public_identifier = 'ana-angel')),
                       ('t_bea', (select id from public.outreach_targets where public_identifier = 'bea-angel')),
                       ('t_pat', (select id from public.outreach_targets where public_identifier = 'pat-partner'));
select is(public.launch_outreach_campaign((select v from ids where k = 'c')) ->> 'status', 'active', 'the campaign launches');

-- Sender ------------------------------------------------------------------------------------------
select tests.as_service();
update public.outreach_targets set next_due_at = '2026-11-23 08:00Z'::timestamptz  -- Monday 09:00 Madrid
  + case public_identifier when 'ana-angel' then interval '0' when 'bea-angel' then interval '1 second' else interval '2 seconds' end;
create temp table claims (n serial, c jsonb) on commit drop;
grant all on claims, claims_n_seq to service_role;
select is(private.outreach_claim('2026-11-22 10:00Z') ->> 'action_id', null, 'Sunday: outside working days, nothing is claimed');
select is((select next_action_at from public.linkedin_accounts where unipile_account_id = 'acc-olga'), '2026-11-23 07:00Z'::timestamptz,
  'the account sleeps until Monday 08:00 in Madrid (its working hours)');
insert into claims (c) select private.outreach_claim('2026-11-23 08:00Z');
select is((select c ->> 'kind' from claims where n = 1), 'profile_view', 'first the provider id is resolved (a profile view)');
select is(private.outreach_claim('2026-11-23 08:00:30Z') ->> 'action_id', null, 'spacing: nothing else within the gap');
select is(private.outreach_complete((select (c ->> 'action_id')::bigint from claims where n = 1), 'sent',
                                    '{"provider_id": "ACoANA"}', '2026-11-23 08:00:05Z') ->> 'state', 'sent', 'the view completes');
select is((select provider_id from private.linkedin_people where public_identifier = (select public_identifier from public.outreach_targets where id = (select (c ->> 'target_id')::uuid from claims where n = 1))),
  'ACoANA', 'the provider id is cached for the account');
insert into claims (c) select private.outreach_claim('2026-11-23 08:01:00Z');
select is((select c ->> 'kind' || ':' || (c ->> 'provider_id') from claims where n = 2), 'invite:ACoANA', 'then the invitation, with the cached provider id');
select is((select count(*)::int from public.outreach_actions where kind = 'invite' and state = 'sending'), 1,
  'the invitation attempt is recorded before Unipile is called');
select throws_ok(format($$ insert into public.outreach_actions (account_id, user_id, kind, person_key, mode, state)
                          values (%L, %L, 'invite', %L, 'live', 'sent') $$,
                        (select id from public.linkedin_accounts where unipile_account_id = 'acc-olga'), tests.uid('olga'),
                        (select c ->> 'public_identifier' from claims where n = 2)),
  '23505', null, 'a second invitation to the same person from the same account is impossible');
select is(private.outreach_complete((select (c ->> 'action_id')::bigint from claims where n = 2), 'sent',
                                    '{"provider_ref": "inv-1"}', '2026-11-23 08:01:02Z') ->> 'target_status', 'invited', 'the invitation is sent');
select is(private.outreach_complete((select (c ->> 'action_id')::bigint from claims where n = 2), 'sent', '{}') ->> 'duplicate', 'true',
  'completing twice changes nothing');
select is((select verdict from public.investor_feedback where user_id = tests.uid('olga')
           and investor_id = (select investor_id from public.outreach_targets where id = (select (c ->> 'target_id')::uuid from claims where n = 2))),
  'contacted', 'a sent invitation marks the investor contacted');

-- the remaining two targets: resolve + invite each; the daily invitation cap is 2
select private.outreach_complete((private.outreach_claim('2026-11-23 08:02Z') ->> 'action_id')::bigint, 'sent', '{"provider_id": "ACo2"}', '2026-11-23 08:02Z');
insert into claims (c) select private.outreach_claim('2026-11-23 08:03Z');
select is((select c ->> 'kind' from claims where n = 3), 'invite', 'second invitation claimed');
select private.outreach_complete((select (c ->> 'action_id')::bigint from claims where n = 3), 'unknown', '{"error_type": "errors/provider_error"}', '2026-11-23 08:03Z');
select is((select status from public.outreach_targets where id = (select (c ->> 'target_id')::uuid from claims where n = 3)), 'verifying',
  'a 5xx on an invitation leaves it unknown: verifying, not re-sent');
select private.outreach_complete((private.outreach_claim('2026-11-23 08:04Z') ->> 'action_id')::bigint, 'sent', '{"provider_id": "ACo3", "is_relationship": false}', '2026-11-23 08:04Z');
select is(private.outreach_claim('2026-11-23 08:05Z') ->> 'action_id', null, 'daily invitation cap (2, the unknown one counts) reached: nothing claimed');
select is((private.outreach_account_usage((select id from public.linkedin_accounts where unipile_account_id = 'acc-olga'), '2026-11-23 08:05Z') ->> 'invites_day')::int,
  2, 'usage counts the attempts of the last 24 hours');
select is((private.outreach_claim('2026-11-24 08:10Z') ->> 'kind'), 'invite', 'the next day the third invitation goes');
select is((select count(*)::int from public.outreach_actions where kind = 'invite' and state = 'sending'), 1, 'one attempt in flight');
-- a crash: the lease expires
select is((private.outreach_maintain('2026-11-24 09:00Z') ->> 'stale_attempts')::int, 1, 'the expired attempt is found');
select is((select count(*)::int from public.outreach_actions where kind = 'invite' and state = 'unknown'), 2, 'it becomes unknown, never re-sent blindly');
select is(private.outreach_claim('2026-11-25 08:10Z') ->> 'action_id', null, 'weekly cap (3) reached');

-- Reconciliation settles the unknown invitations ---------------------------------------------------------
select is(private.outreach_reconcile((select id from public.linkedin_accounts where unipile_account_id = 'acc-olga'),
            '[{"provider_id": "ACo2", "invitation_id": "inv-2"}]', '[]', true, '2026-11-25 09:00Z') - 'accepted',
  '{"settled_sent": 1, "settled_not_sent": 1}'::jsonb, 'one was sent after all, the other never left');
select is((select count(*)::int from public.outreach_targets where status = 'invited'), 2, 'two targets are invited');
select is((select count(*)::int from public.outreach_targets where status = 'approved' and next_due_at is not null), 1,
  'the one never sent is due again');

-- Webhooks ------------------------------------------------------------------------------------------
select is(private.unipile_ingest_event('users', '{"event": "new_relation", "account_id": "acc-olga", "user_provider_id": "ACoANA",
            "user_public_identifier": "ana-angel"}', '2026-11-25 10:00Z') -> 'result' -> 'accepted', '1'::jsonb,
  'new_relation marks the target accepted');
select is((select next_due_at from public.outreach_targets where id = (select v from ids where k = 't_ana')), '2026-11-25 10:00Z'::timestamptz,
  'the first message is due (two days after the invitation already passed)');
select is(private.unipile_ingest_event('users', '{"event": "new_relation", "account_id": "acc-olga", "user_provider_id": "ACoANA"}',
            '2026-11-25 10:01Z') ->> 'duplicate', 'true', 'a redelivered event is ignored');
insert into claims (c) select private.outreach_claim('2026-11-25 10:05Z');
select is((select c ->> 'kind' || ':' || (c ->> 'step') from claims where n = 4), 'message:2', 'the first message is claimed');
select is(private.outreach_complete((select (c ->> 'action_id')::bigint from claims where n = 4), 'sent',
          '{"provider_ref": "m-1", "chat_id": "chat-ana"}', '2026-11-25 10:05Z') ->> 'target_status', 'messaging', 'and sent');
select is((select next_due_at from public.outreach_targets where id = (select v from ids where k = 't_ana')), '2026-11-30 10:05Z'::timestamptz,
  'the follow-up is due 5 days later (standard)');
select is(private.unipile_ingest_event('messaging', '{"event": "message_received", "account_id": "acc-olga", "message_id": "own-1",
            "chat_id": "chat-ana", "message": "hi", "account_info": {"user_id": "OWN-OLGA"},
            "sender": {"attendee_provider_id": "OWN-OLGA"}}') -> 'result' ->> 'ignored', 'own_message', 'our own messages are ignored');
select is(private.unipile_ingest_event('messaging', '{"event": "message_received", "account_id": "acc-olga", "message_id": "r-1",
            "chat_id": "chat-ana", "message": "Sounds interesting, send the deck", "account_info": {"user_id": "OWN-OLGA"},
            "sender": {"attendee_provider_id": "ACoANA"}}', '2026-11-26 09:00Z') -> 'result' -> 'replied', '1'::jsonb,
  'a reply marks the target replied');
select is((select status || '/' || coalesce(next_due_at::text, 'stopped') from public.outreach_targets where id = (select v from ids where k = 't_ana')),
  'replied/stopped', 'the sequence stops on reply');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('olga') and event = 'notification'
                  and payload ->> 'type' = 'outreach_reply'), 'the founder is notified of the reply');

-- Disconnection pauses; reconnection resumes -------------------------------------------------------------
select is(private.outreach_complete((private.outreach_claim('2026-11-30 08:30Z') ->> 'action_id')::bigint, 'disconnected',
          '{"error_type": "errors/disconnected_account"}', '2026-11-30 08:30Z') ->> 'state', 'failed', 'a 401 is recorded');
select is((select status || '/' || pause_reason from public.outreach_campaigns), 'paused/account_disconnected',
  'the campaign pauses when the account disconnects');
select ok(exists (select 1 from realtime.messages where topic = 'user:' || tests.uid('olga') and payload ->> 'type' = 'linkedin_disconnected'),
  'the founder is told to reconnect');
select is(private.unipile_ingest_event('account_status', '{"AccountStatus": {"account_id": "acc-olga", "account_type": "LINKEDIN", "message": "OK"}}')
          -> 'result' ->> 'status', 'connected', 'an OK status reconnects the account');
select is((select status from public.outreach_campaigns), 'active', 'and the campaign resumes');

-- Metrics -------------------------------------------------------------------------------------------
select tests.as_user('olga');
select is(public.outreach_campaign_metrics((select v from ids where k = 'c')) - 'by_status' - 'last_sent_at' - 'dry_run_actions',
  '{"targets": 3, "awaiting_approval": 0, "queued": 1, "invited": 2, "accepted": 1, "replied": 1, "failed": 0, "no_response": 0,
    "invitations_sent": 2, "messages_sent": 1, "acceptance_rate": 0.5000, "reply_rate": 0.5000}'::jsonb,
  'metrics are computed from targets and the log');
select tests.as_user('mallory');
select throws_ok($$ select public.outreach_campaign_metrics((select v from ids where k = 'c')) $$, 'PT404', null,
  'another user cannot read the metrics');
select throws_ok($$ select public.pause_outreach_campaign((select v from ids where k = 'c')) $$, 'PT404', null,
  'nor pause the campaign');
select tests.as_user('olga');
select is(public.pause_outreach_campaign((select v from ids where k = 'c')) ->> 'status', 'paused', 'olga pauses');
select is(public.resume_outreach_campaign((select v from ids where k = 'c')) ->> 'status', 'active', 'and resumes');
select is(public.cancel_outreach_campaign((select v from ids where k = 'c')) ->> 'status', 'cancelled', 'and cancels');
select tests.as_service();
select is(private.outreach_claim('2026-12-01 09:00Z') ->> 'action_id', null, 'nothing is sent for a cancelled campaign');

select * from finish();
rollback;
