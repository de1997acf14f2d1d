-- Projects: full CRUD on one's own rows only, normalised vocabularies, a completeness score only the
-- database computes, and the plan's project limit.
begin;
set local search_path = public, extensions;
select plan(50);

select tests.create_user('alice');   -- free: 1 project
select tests.create_user('bob');     -- free
select tests.create_user('carol');   -- outreach: unlimited
select tests.create_user('dave');    -- pro: 5 projects
update public.profiles set plan_id = 'outreach' where id = tests.uid('carol');
update public.profiles set plan_id = 'pro' where id = tests.uid('dave');

-- anon ------------------------------------------------------------------------------------------
select tests.as_anon();
select throws_ok($$ select 1 from public.projects $$, '42501', null, 'anon cannot select projects');
select throws_ok($$ insert into public.projects (name) values ('x') $$, '42501', null, 'anon cannot insert projects');
select throws_ok($$ update public.projects set name = 'x' $$, '42501', null, 'anon cannot update projects');
select throws_ok($$ delete from public.projects $$, '42501', null, 'anon cannot delete projects');

-- the owner: create, read, update ---------------------------------------------------------------
select tests.as_user('alice');
select lives_ok(
  $$ insert into public.projects (id, name, categories, stage, country)
     values ('a1111111-0000-4000-8000-000000000001', '  Acme  ', '{FinTech,pagos}', 'seed', 'es') $$,
  'the owner creates a project (user_id defaults to auth.uid())');
select results_eq(
  $$ select user_id, name, categories, stage::text, country::text, completeness::int from public.projects $$,
  format($$ values (%L::uuid, 'Acme', '{fintech}'::text[], 'seed', 'ES', 50) $$, tests.uid('alice')),
  'the project is the owner''s, name trimmed, sectors and country normalised, completeness 50 (categories + stage)');
select throws_ok($$ insert into public.projects (name) values ('Second') $$,
  'PT402', 'the free plan allows 1 project(s)', 'the free plan refuses a second project with PT402');
select throws_ok(format($$ insert into public.projects (name, user_id) values ('For bob', %L) $$, tests.uid('bob')),
  '42501', null, 'a user cannot create a project for another user_id');
select throws_ok($$ insert into public.projects (name, completeness) values ('Cheat', 100) $$,
  '42501', null, 'a user cannot write completeness on insert');

select is(tests.affected($$ update public.projects set stage = 'series_a', problem = 'Founders waste months finding investors'
                           where id = 'a1111111-0000-4000-8000-000000000001' $$),
  1::bigint, 'the owner updates their project');
select is((select completeness::int from public.projects where id = 'a1111111-0000-4000-8000-000000000001'), 60,
  'completeness is recomputed on update (categories + stage + problem = 60)');
select throws_ok($$ update public.projects set completeness = 100 $$, '42501', null, 'a user cannot write completeness');
select throws_ok(format($$ update public.projects set user_id = %L $$, tests.uid('bob')), '42501', null,
  'a user cannot move a project to another user');
select throws_ok($$ update public.projects set created_at = now() - interval '1 year' $$, '42501', null,
  'a user cannot write created_at');

-- Vocabulary errors.
select throws_ok($$ update public.projects set stage = 'pre-seed' $$, '22P02',
  'invalid input value for enum funding_stage: "pre-seed"', 'an unknown stage is rejected (22P02)');
select throws_ok($$ update public.projects set categories = '{fintech,blockchainz}' $$, 'P0001',
  'unknown sector "blockchainz"', 'an unknown sector is rejected (P0001)');
select throws_ok($$ update public.projects set country = 'xx' $$, 'P0001',
  'unknown country code "XX"', 'an unknown country is rejected (P0001)');
select throws_ok($$ update public.projects set name = '   ' $$, '23514', null, 'a blank name is rejected');
select throws_ok($$ update public.projects set product_status = 'unicorn' $$, '22P02', null, 'an unknown product status is rejected');
select throws_ok(
  $$ update public.projects set categories = '{fintech,saas,ai,edtech,proptech,climate,energy,marketplace,consumer,gaming,media}' $$,
  '23514', null, 'at most 10 categories');

-- another user ----------------------------------------------------------------------------------
select tests.as_user('bob');
select is((select count(*)::int from public.projects where id = 'a1111111-0000-4000-8000-000000000001'), 0,
  'another user cannot see alice''s project, even by id');
select is(tests.affected($$ update public.projects set name = 'Pwned' where id = 'a1111111-0000-4000-8000-000000000001' $$),
  0::bigint, 'another user''s update touches 0 rows');
select is(tests.affected($$ delete from public.projects where id = 'a1111111-0000-4000-8000-000000000001' $$),
  0::bigint, 'another user''s delete touches 0 rows');
select throws_ok(format($$ insert into public.projects (name, user_id) values ('Planted', %L) $$, tests.uid('alice')),
  '42501', null, 'another user cannot plant a project on alice');
select lives_ok($$ insert into public.projects (id, name) values ('b2222222-0000-4000-8000-000000000001', 'Bob Co') $$,
  'bob creates his own project');
select is((select array_agg(name) from public.projects), array['Bob Co'], 'bob sees only his own project');

select tests.as_postgres();
select results_eq(
  $$ select name, stage::text, user_id from public.projects where id = 'a1111111-0000-4000-8000-000000000001' $$,
  format($$ values ('Acme', 'series_a', %L::uuid) $$, tests.uid('alice')),
  'alice''s project is unchanged by bob');

-- Completeness formula (carol: unlimited projects) -----------------------------------------------
select tests.as_user('carol');
insert into public.projects (id, name, categories, stage) values
  ('c3333333-0000-4000-8000-000000000001', 'Half', '{saas}', 'idea');
insert into public.projects (id, name, categories, stage, metrics, team, problem, product_status, previous_funding) values
  ('c3333333-0000-4000-8000-000000000002', 'Full', '{Inteligencia Artificial,IA,SaaS}', 'pre_seed',
   '{"mrr": 12000}', '{"size": 3}', 'A real problem', 'mvp', 'Friends and family, 50k');
insert into public.projects (id, name, categories, stage, metrics) values
  ('c3333333-0000-4000-8000-000000000003', 'Null mrr', '{saas}', 'seed', '{"mrr": null}');
insert into public.projects (id, name, metrics, team, problem, previous_funding) values
  ('c3333333-0000-4000-8000-000000000004', 'Empty facts', '{"mrr": "", "growth_rate": 0.2}', '{"roles": []}', '   ', '');
insert into public.projects (id, name, metrics) values
  ('c3333333-0000-4000-8000-000000000005', 'Zero users', '{"users": 0}');

select results_eq(
  $$ select name, completeness::int from public.projects order by id $$,
  $$ values ('Half', 50), ('Full', 100), ('Null mrr', 50), ('Empty facts', 0), ('Zero users', 15) $$,
  'completeness: categories+stage 50, everything 100, {"mrr": null}/""/[]/blank text do not count, a 0 does');
select is((select categories from public.projects where id = 'c3333333-0000-4000-8000-000000000002'), '{ai,saas}'::text[],
  'categories: labels and synonyms in any language become distinct, sorted sector ids');
select is((select public.project_missing_facts(p) from public.projects p where id = 'c3333333-0000-4000-8000-000000000001'),
  '{metrics,team,problem,product_status,previous_funding}'::text[],
  'project_missing_facts lists what is missing, most valuable first');
select is(tests.affected($$ update public.projects set metrics = '{"arr": 150000}' where id = 'c3333333-0000-4000-8000-000000000001' $$),
  1::bigint, 'carol adds metrics');
select is((select completeness::int from public.projects where id = 'c3333333-0000-4000-8000-000000000001'), 65,
  'completeness follows the update (50 + metrics 15)');
select is((select count(*)::int from public.projects), 5, 'carol''s unlimited plan allows many projects');

-- The owner deletes ------------------------------------------------------------------------------
select tests.as_user('alice');
select is(tests.affected($$ delete from public.projects where id = 'a1111111-0000-4000-8000-000000000001' $$),
  1::bigint, 'the owner deletes their project');
select lives_ok($$ insert into public.projects (name) values ('Second try') $$,
  'after deleting, a free user may create a project again (the limit counts live projects)');

-- Pro limit: 5, also for multi-row inserts ------------------------------------------------------
select tests.as_user('dave');
select throws_ok($$ insert into public.projects (name) select 'p' || g from generate_series(1, 6) g $$,
  'PT402', 'the pro plan allows 5 project(s)', 'pro: six projects in one statement are refused');
select is((select count(*)::int from public.projects), 0, 'pro: the refused statement inserted nothing');
select lives_ok($$ insert into public.projects (name) select 'p' || g from generate_series(1, 5) g $$,
  'pro: five projects are fine');
select throws_ok($$ insert into public.projects (name) values ('p6') $$,
  'PT402', 'the pro plan allows 5 project(s)', 'pro: the sixth is refused');

-- service_role ------------------------------------------------------------------------------------
select tests.as_service();
select ok((select count(*) from public.projects where user_id in (tests.uid('alice'), tests.uid('bob'), tests.uid('carol'), tests.uid('dave'))) = 12,
  'service_role reads every project');
select lives_ok(format($$ insert into public.projects (id, user_id, name, categories, stage)
                         values ('c3333333-0000-4000-8000-000000000009', %L, 'By the agent', '{edtech}', 'growth') $$, tests.uid('carol')),
  'service_role creates a project for a user');
select throws_ok(format($$ insert into public.projects (user_id, name) values (%L, 'Over the limit') $$, tests.uid('alice')),
  'PT402', 'the free plan allows 1 project(s)', 'the plan limit applies to service_role too');
select throws_ok($$ insert into public.projects (name) values ('Nobody''s') $$, '23502', null,
  'a project needs a user (no auth.uid() for service_role)');
select is(tests.affected($$ update public.projects set completeness = 99, team = '{"experience": "10 years"}'
                           where id = 'c3333333-0000-4000-8000-000000000009' $$),
  1::bigint, 'service_role updates a project');
select is((select completeness::int from public.projects where id = 'c3333333-0000-4000-8000-000000000009'), 60,
  'completeness is computed even when service_role writes it (50 + team 10, not 99)');
select is(tests.affected($$ delete from public.projects where id = 'c3333333-0000-4000-8000-000000000009' $$),
  1::bigint, 'service_role deletes a project');

-- Cascades: deleting the profile removes its projects --------------------------------------------
select tests.as_postgres();
delete from auth.users where id = tests.uid('dave');
select is((select count(*)::int from public.projects where user_id = tests.uid('dave')), 0,
  'deleting a user deletes their projects');

select has_trigger('public', 'projects', 'projects_prepare', 'projects has the prepare trigger');
select has_trigger('public', 'projects', 'projects_limit', 'projects has the plan-limit trigger');
select has_trigger('public', 'projects', 'projects_touch', 'projects has the updated_at trigger');

select * from finish();
rollback;
