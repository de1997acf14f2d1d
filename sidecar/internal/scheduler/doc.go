// Package scheduler runs periodic jobs (gocron v2) so that each run happens once across any number of
// sidecar replicas.
//
// Every replica schedules every job; when a job fires, the replica computes the run's slot (by default
// the scheduled minute; DailySlot for daily jobs) and claims (job, slot) in private.scheduler_slots with
// an INSERT ... ON CONFLICT DO NOTHING. Only the replica whose insert wins runs the job; the others skip.
// A run that fails releases its claim (a later run of the same slot may retry it); a replica that dies
// mid-run leaves a claim that another replica may take over after the lease. The table is the audit trail.
//
//	s, _ := scheduler.New(pool, scheduler.Options{Logger: log})
//	_ = s.Register("credits-daily-reset",
//		gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(0, 0, 0))),
//		func(ctx context.Context, slot time.Time) error { ... },
//		scheduler.WithSlot(scheduler.DailySlot), scheduler.WithRunAtStart())
//	s.Start()
//	defer s.Shutdown(ctx)
//
// Schedules are in UTC. Jobs must still be idempotent for their slot (the claim makes a double run
// unlikely, not impossible: clock skew beyond the slot size between replicas).
package scheduler
