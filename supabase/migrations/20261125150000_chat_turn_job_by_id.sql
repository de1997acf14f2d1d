-- A turn's job is completed by its primary key, whatever the planner knows about river_job.
--
-- complete_turn_job filtered on id, kind and state together. With river_job's statistics from a
-- small or freshly created table, the planner could pick river_job_prioritized_fetching_index
-- (state first) instead of the primary key, and every completion then walked the index entries
-- of all the jobs that had been running since the last vacuum (each completed job leaves one): a
-- cost growing with the queue's traffic, measured at 0.76 ms per completion after 3,000 turns,
-- against 0.1 ms by the key. Kind and state are still checked, in a form no index can serve, so the
-- only access path is the key.
create or replace function private.complete_turn_job(p_job_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update river.river_job set state = 'completed', finalized_at = now()
  where id = p_job_id
    and (kind = 'chat_turn' and state = 'running') is true;
end $$;
