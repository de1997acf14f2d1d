-- Investor search (20261125110000_investor_search.sql): who may read and write the new tables, and who may
-- call the search functions. Tables: investor_feedback (owner reads/writes own rows), search_weights,
-- search_stage_mix, search_aliases (service only), private.investor_docs / investor_doc_sectors /
-- sector_bits (service read only; written by triggers).
begin;
set local search_path = public, extensions;
select plan(66);

select tests.create_user('alice');
select tests.create_user('bob');

insert into public.angel_investors (id, linkedin_url, full_name, email, country, categories_strong, categories_general,
                                    stages_strong, stages_general, score)
values ('a0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/ana-test', 'Ana Test', 'ana@example.com', 'ES',
        '{fintech}', '{fintech}', '{seed}', '{seed}', 70),
       ('a0000000-0000-4000-8000-000000000002', 'https://www.linkedin.com/in/bea-test', 'Bea Test', null, 'ES',
        '{fintech}', '{fintech}', '{seed}', '{seed}', 70);
insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
values (tests.uid('alice'), 'angel', 'a0000000-0000-4000-8000-000000000001', 'saved'),
       (tests.uid('bob'), 'angel', 'a0000000-0000-4000-8000-000000000001', 'dismissed');

-- Structure -------------------------------------------------------------------------------------
select has_table('public', 'investor_feedback', 'public.investor_feedback exists');
select has_table('public', 'search_weights', 'public.search_weights exists');
select has_table('public', 'search_stage_mix', 'public.search_stage_mix exists');
select has_table('public', 'search_aliases', 'public.search_aliases exists');
select has_column('public', 'search_results', 'request_id', 'search_results.request_id exists');
select is_empty(
  $$ select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and not c.relrowsecurity
       and (n.nspname, c.relname) in (('public', 'investor_feedback'), ('public', 'search_weights'),
                                      ('public', 'search_stage_mix'), ('public', 'search_aliases'),
                                      ('private', 'investor_docs'), ('private', 'investor_doc_sectors'),
                                      ('private', 'sector_bits')) $$,
  'RLS is enabled on every table of the search');
select is((select count(*)::int from public.search_stage_mix), 8, 'a stage mix for every stage plus the default');
select is_empty(
  $$ select s from unnest(enum_range(null::public.funding_stage)) s where private.stage_bit(s) is null $$,
  'every funding stage has a stage bit');
select is((select count(*)::int from public.sectors s left join private.sector_bits b on b.sector_id = s.id where b.bit is null), 0,
  'every sector has a sector bit');
select is((select count(*)::int from private.investor_docs where investor_id in
            ('a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002')), 2,
  'inserting angels indexes them for search');

-- anon ------------------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.investor_feedback $$, '42501', null, 'anon cannot select investor_feedback');
select throws_ok(format($$ insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
                          values (%L, 'angel', 'a0000000-0000-4000-8000-000000000002', 'saved') $$, tests.uid('alice')),
  '42501', null, 'anon cannot insert investor_feedback');
select throws_ok($$ delete from public.investor_feedback $$, '42501', null, 'anon cannot delete investor_feedback');
select throws_ok($$ select 1 from public.search_weights $$, '42501', null, 'anon cannot read search_weights');
select throws_ok($$ select 1 from public.search_stage_mix $$, '42501', null, 'anon cannot read search_stage_mix');
select throws_ok($$ select 1 from public.search_aliases $$, '42501', null, 'anon cannot read search_aliases');
select throws_ok($$ select 1 from private.investor_docs $$, '42501', null, 'anon cannot read the search index');
select throws_ok($$ select public.search_investors(criteria => '{"categories": ["fintech"]}') $$, '42501', null,
  'anon cannot call search_investors');
select throws_ok($$ select public.search_companies(criteria => '{"services": ["legal"]}') $$, '42501', null,
  'anon cannot call search_companies');
select throws_ok($$ select public.search_fund_employees(fund_id => gen_random_uuid()) $$, '42501', null,
  'anon cannot call search_fund_employees');
select throws_ok($$ select public.save_investor('angel', 'a0000000-0000-4000-8000-000000000002') $$, '42501', null,
  'anon cannot call save_investor');
select throws_ok($$ select private.rank_investors('{"categories": ["fintech"]}') $$, '42501', null,
  'anon cannot call private.rank_investors');

-- another user ----------------------------------------------------------------------------------
select tests.as_user('bob');
select results_eq($$ select investor_id, verdict from public.investor_feedback $$,
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid, 'dismissed') $$,
  'a user reads only their own feedback');
select is(tests.affected(format($$ update public.investor_feedback set verdict = 'dismissed' where user_id = %L $$, tests.uid('alice'))),
  0::bigint, 'another user cannot update alice''s feedback');
select is(tests.affected(format($$ delete from public.investor_feedback where user_id = %L $$, tests.uid('alice'))),
  0::bigint, 'another user cannot delete alice''s feedback');
select throws_ok(format($$ insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
                          values (%L, 'angel', 'a0000000-0000-4000-8000-000000000002', 'dismissed') $$, tests.uid('alice')),
  '42501', null, 'another user cannot write feedback in alice''s name');
select throws_ok($$ select 1 from public.search_weights $$, '42501', null, 'users cannot read search_weights');
select throws_ok($$ update public.search_weights set value = 0 $$, '42501', null, 'users cannot change search_weights');
select throws_ok($$ update public.search_stage_mix set angel_weight = 1 $$, '42501', null, 'users cannot change search_stage_mix');
select throws_ok($$ insert into public.search_aliases (term, kind, value) values ('x', 'stop', '') $$, '42501', null,
  'users cannot add search_aliases');
select throws_ok($$ select 1 from private.investor_docs $$, '42501', null, 'users cannot read the search index');
select throws_ok($$ select 1 from private.investor_doc_sectors $$, '42501', null, 'users cannot read the sector buckets');
select throws_ok($$ select private.rank_investors('{"categories": ["fintech"]}') $$, '42501', null,
  'users cannot call private.rank_investors (no charge, no cap)');
select throws_ok(format($$ select private.search_investors(%L, null, '{"categories": ["fintech"]}') $$, tests.uid('alice')),
  '42501', null, 'users cannot call private.search_investors on someone''s behalf');
select throws_ok(format($$ select private.set_investor_feedback(%L, 'angel', 'a0000000-0000-4000-8000-000000000002', 'dismissed') $$, tests.uid('alice')),
  '42501', null, 'users cannot call private.set_investor_feedback on someone''s behalf');
select throws_ok($$ select 1 from public.angel_investors $$, '42501', null, 'users still cannot read angel_investors directly');

-- the owner -------------------------------------------------------------------------------------
select tests.as_user('alice');
select results_eq($$ select investor_id, verdict from public.investor_feedback $$,
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid, 'saved') $$,
  'the owner reads their feedback');
select lives_ok($$ insert into public.investor_feedback (investor_kind, investor_id, verdict)
                   values ('angel', 'a0000000-0000-4000-8000-000000000002', 'dismissed') $$,
  'the owner inserts feedback (user_id defaults to auth.uid())');
select throws_ok($$ insert into public.investor_feedback (investor_kind, investor_id, verdict)
                    values ('angel', 'a0000000-0000-4000-8000-0000000000ff', 'dismissed') $$,
  'PT404', null, 'feedback must name an existing investor of that kind');
select throws_ok($$ insert into public.investor_feedback (investor_kind, investor_id, verdict)
                    values ('fund', 'a0000000-0000-4000-8000-000000000001', 'dismissed') $$,
  'PT404', null, '... of the right kind (an angel id is not a fund)');
select throws_ok($$ insert into public.investor_feedback (investor_kind, investor_id, verdict)
                    values ('angel', 'a0000000-0000-4000-8000-000000000001', 'loved') $$,
  '23514', null, 'verdict is saved, dismissed or contacted');
select is(tests.affected($$ update public.investor_feedback set verdict = 'contacted', note = 'met at 4YFN'
                            where investor_id = 'a0000000-0000-4000-8000-000000000002' $$),
  1::bigint, 'the owner changes a verdict and note');
select throws_ok(format($$ update public.investor_feedback set user_id = %L $$, tests.uid('bob')),
  '42501', null, 'the owner cannot move feedback to another user');
select throws_ok($$ update public.investor_feedback set investor_id = 'a0000000-0000-4000-8000-000000000001' $$,
  '42501', null, 'the owner cannot repoint feedback at another investor (delete and insert instead)');
select is(tests.affected($$ delete from public.investor_feedback where investor_id = 'a0000000-0000-4000-8000-000000000002' $$),
  1::bigint, 'the owner deletes their feedback');
select lives_ok($$ select public.dismiss_investor('angel', 'a0000000-0000-4000-8000-000000000002', 'not my sector') $$,
  'the owner calls dismiss_investor');
select is((select verdict || '/' || note from public.investor_feedback where investor_id = 'a0000000-0000-4000-8000-000000000002'),
  'dismissed/not my sector', '... which records the verdict and note');
select is((public.save_investor('angel', 'a0000000-0000-4000-8000-000000000002')) ->> 'verdict', 'saved',
  'save_investor replaces the verdict (one verdict per investor)');
select is((select note from public.investor_feedback where investor_id = 'a0000000-0000-4000-8000-000000000002'), 'not my sector',
  '... and keeps the note when none is given');
select throws_ok($$ select public.save_investor('investor', 'a0000000-0000-4000-8000-000000000002') $$,
  'P0001', null, 'save_investor refuses an unknown kind');
select throws_ok(format($$ select public.save_investor('angel', 'a0000000-0000-4000-8000-000000000002', null, %L) $$, gen_random_uuid()),
  'PT404', null, 'save_investor refuses a search that is not the user''s');
select is(public.clear_investor_feedback('angel', 'a0000000-0000-4000-8000-000000000002'), true,
  'clear_investor_feedback undoes a verdict');
select is(public.clear_investor_feedback('angel', 'a0000000-0000-4000-8000-000000000002'), false,
  '... and says when there was nothing to undo');
select is(jsonb_array_length(public.list_investor_feedback('saved')), 1, 'list_investor_feedback lists the user''s saved investors');
select is(public.list_investor_feedback('saved') -> 0 -> 'investor' ->> 'name', 'Ana Test', '... with their public profile');
select ok(not jsonb_path_exists(public.list_investor_feedback(), 'strict $.**.email'),
  '... and no e-mail address');
select throws_ok($$ select 1 from public.search_weights $$, '42501', null, 'the owner cannot read search_weights either');

-- service_role ----------------------------------------------------------------------------------
select tests.as_service();
select is((select count(*)::int from public.investor_feedback where user_id in (tests.uid('alice'), tests.uid('bob'))), 2,
  'service_role reads every user''s feedback');
select is(tests.affected(format($$ insert into public.investor_feedback (user_id, investor_kind, investor_id, verdict)
                                  values (%L, 'angel', 'a0000000-0000-4000-8000-000000000002', 'contacted') $$, tests.uid('bob'))),
  1::bigint, 'service_role writes feedback for any user');
select is(tests.affected($$ update public.search_weights set value = 36 where key = 'investor.sector' $$), 1::bigint,
  'service_role tunes search_weights');
select is(tests.affected($$ update public.search_stage_mix set angel_weight = 0.7 where stage = 'seed' $$), 1::bigint,
  'service_role tunes search_stage_mix');
select is(tests.affected($$ insert into public.search_aliases (term, kind, value) values ('semilla temprana', 'stage', 'seed') $$),
  1::bigint, 'service_role adds search_aliases');
select cmp_ok((select count(*)::int from private.investor_docs), '>=', 2, 'service_role reads the search index');
select is(private.normalize_criteria('{"categories": ["Pagos"], "stage": "Serie A", "country": "México"}') ->> 'stage', 'series_a',
  'service_role normalises criteria (what the sidecar and the naive baseline do)');
select is(jsonb_array_length(private.rank_investors('{"categories": ["fintech"]}', null, 5) -> 'results'), 2,
  'service_role ranks without charging (the CLI and operators)');
select is(tests.affected($$ delete from public.investor_feedback where verdict = 'contacted' $$), 1::bigint,
  'service_role deletes feedback');

select * from finish();
rollback;
