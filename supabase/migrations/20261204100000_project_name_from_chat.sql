-- The startup's name stated in the chat names the project.
--
-- The judge now extracts the name a founder gives their startup (facts.name: "Somos Verdana Pay, una
-- fintech..."). A project the turn creates takes that name; an existing project still carrying the
-- placeholder a turn gave it ('My startup' / 'Mi startup') is renamed. A name the founder chose (in
-- the app or stated before) is never overwritten from the chat: renaming is the app's job.
-- Same signature and behaviour otherwise (see 20261125120100_chat_turns.sql); grants are kept.
create or replace function private.apply_turn_facts(p_message uuid, p_facts jsonb, p_project_name text default null) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_msg     public.messages;
  v_project public.projects;
  v_after   public.projects;
  v_created boolean := false;
  v_changed text[];
  v_lang    text;
  v_name    text := nullif(btrim(p_facts ->> 'name'), '');
begin
  select * into v_msg from public.messages where id = p_message and role = 'user';
  if not found then
    raise exception 'user message % not found', p_message using errcode = 'PT404';
  end if;
  -- One turn at a time per user here: two concurrent turns must not both create "the" project.
  perform 1 from public.profiles where id = v_msg.user_id for update;
  select p.* into v_project from public.conversations c join public.projects p on p.id = c.project_id
  where c.id = v_msg.conversation_id;
  if v_project.id is null then
    select * into v_project from public.projects where user_id = v_msg.user_id order by updated_at desc limit 1;
  end if;
  if v_project.id is null then
    select language into v_lang from public.profiles where id = v_msg.user_id;
    insert into public.projects (user_id, name)
    values (v_msg.user_id, coalesce(v_name, nullif(btrim(p_project_name), ''),
                                    case v_lang when 'es' then 'Mi startup' else 'My startup' end))
    returning * into v_project;
    v_created := true;
  end if;
  update public.conversations set project_id = v_project.id where id = v_msg.conversation_id and project_id is null;
  v_changed := private.merge_project_facts(v_project.id, p_facts);
  if v_name is not null and not v_created and v_project.name in ('My startup', 'Mi startup')
     and v_name is distinct from v_project.name then
    update public.projects set name = v_name where id = v_project.id;
    v_changed := array_append(v_changed, 'name');
  end if;
  select * into v_after from public.projects where id = v_project.id;
  return jsonb_build_object('project_id', v_project.id, 'name', v_after.name, 'created', v_created,
    'changed', to_jsonb(v_changed),
    'before', private.project_facts(v_project), 'after', private.project_facts(v_after),
    'completeness_before', case when v_created then 0 else v_project.completeness end,
    'completeness_after', v_after.completeness, 'missing', to_jsonb(public.project_missing_facts(v_after)));
end $$;
