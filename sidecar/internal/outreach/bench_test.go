package outreach

import (
	"context"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// BenchmarkSchedulingDecisions measures private.outreach_claim with 10,000 active campaigns (one per
// connected account, 4 approved targets each, all due): every call examines due accounts (working hours
// in their time zone, caps counted from the action log, the next due target) until one yields an action,
// which it records. A third of the accounts sit in time zones outside working hours, so their decisions
// are deferrals. Each claimed action is completed (dry run) so the log grows as in production.
// Reports decisions/s and actions/s.
//
//	go test ./sidecar/internal/outreach/ -run '^$' -bench SchedulingDecisions -benchtime 5000x
func BenchmarkSchedulingDecisions(b *testing.B) {
	db := pgtest.New(b)
	ctx := context.Background()
	const accounts = 10_000
	start := time.Now()
	setup := []string{
		`insert into auth.users (id, instance_id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data)
		 select gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'bench' || g || '@example.com', '', '{}', '{}'
		 from generate_series(1, $1) g`,
		`update public.profiles set plan_id = 'outreach'`,
		`insert into public.projects (user_id, name, categories, stage) select id, 'P', '{fintech}', 'seed' from public.profiles`,
		`insert into public.linkedin_accounts (user_id, unipile_account_id, tier, timezone, work_start, work_end, work_days,
		   min_gap_seconds, max_gap_seconds, ramp_days)
		 select p.id, 'acc-' || p.id, 'premium',
		        case row_number() over (order by p.id) % 3 when 0 then 'Pacific/Kiritimati' else 'UTC' end,
		        '00:00', '23:59:59', '{1,2,3,4,5,6,7}', 0, 0, 0
		 from public.profiles p`,
		`update public.linkedin_accounts set work_start = '09:00', work_end = '10:00', work_days = '{1}' where timezone <> 'UTC'`,
		`insert into public.outreach_campaigns (user_id, project_id, linkedin_account_id, name, status, launched_at)
		 select a.user_id, p.id, a.id, 'bench', 'active', now() from public.linkedin_accounts a join public.projects p on p.user_id = a.user_id`,
		`insert into public.outreach_targets (campaign_id, user_id, account_id, investor_kind, investor_id, full_name, linkedin_url,
		   public_identifier, status, next_due_at)
		 select c.id, c.user_id, c.linkedin_account_id, 'angel', gen_random_uuid(), 'Person ' || g, 'https://www.linkedin.com/in/p' || g,
		        'p' || g || '-' || left(c.id::text, 8), 'approved', now() - interval '1 minute'
		 from public.outreach_campaigns c cross join generate_series(1, 4) g`,
		`insert into public.generated_messages (target_id, campaign_id, user_id, step, message_type, language, body, max_chars, mode, status)
		 select t.id, t.campaign_id, t.user_id, s.step, s.message_type, 'en', 'Hello ' || t.full_name, 300, 'template', 'approved'
		 from public.outreach_targets t cross join public.outreach_sequence_steps s where s.sequence_type = 'standard'`,
		`analyze`,
	}
	for i, q := range setup {
		var err error
		if i == 0 {
			_, err = db.Pool.Exec(ctx, q, accounts)
		} else {
			_, err = db.Pool.Exec(ctx, q)
		}
		if err != nil {
			b.Fatalf("setup %d: %v", i, err)
		}
	}
	b.Logf("setup: %d accounts, %d active campaigns, %d targets in %s", accounts,
		q1[int](b, db, `select count(*)::int from public.outreach_campaigns where status = 'active'`),
		q1[int](b, db, `select count(*)::int from public.outreach_targets`), time.Since(start).Round(time.Millisecond))

	s := &Sender{DB: db.Pool, Scan: 100}
	decisions, actions := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, ok, err := s.Claim(ctx)
		if err != nil {
			b.Fatal(err)
		}
		decisions += a.Decisions
		if ok {
			actions++
			if err := s.Complete(ctx, *a.ID, dryRun(a)); err != nil {
				b.Fatal(err)
			}
		}
	}
	el := b.Elapsed().Seconds()
	b.ReportMetric(float64(decisions)/el, "decisions/s")
	b.ReportMetric(float64(actions)/el, "actions/s")
	b.ReportMetric(float64(decisions)/float64(b.N), "decisions/claim")
}
