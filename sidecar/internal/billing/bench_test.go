package billing

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// benchUsers is the number of accounts of BenchmarkDailyReset: $BILLING_BENCH_USERS, default 1,000,000.
func benchUsers(b *testing.B) int {
	if v := os.Getenv("BILLING_BENCH_USERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("BILLING_BENCH_USERS=%q", v)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkDailyReset refills the daily allowance of N accounts that all used credits yesterday (the
// worst case: every row changes) with the one statement the scheduler runs at 00:00 UTC.
func BenchmarkDailyReset(b *testing.B) {
	n := benchUsers(b)
	db := pgtest.New(b)
	ctx := context.Background()
	// Create the users set-based. Signup triggers (profile, account, ledger, onboarding per row) are
	// bypassed with session_replication_role so that loading takes seconds; the rows are what they create.
	admin, err := pgx.Connect(ctx, db.AdminURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	load := time.Now()
	for _, q := range []string{
		`set session_replication_role = replica`,
		`insert into auth.users (id, email) select md5('bench' || i)::uuid, 'bench' || i || '@example.com' from generate_series(1, $1::int) i`,
		`insert into public.profiles (id, email) select id, email from auth.users where email like 'bench%'`,
		`insert into public.credit_accounts (user_id, balance, daily_used, daily_period)
		 select id, 200, 1 + (hashtext(id::text) & 40), (now() at time zone 'utc')::date - 1 from auth.users where email like 'bench%'`,
		`set session_replication_role = origin`,
		`vacuum analyze public.credit_accounts`, // what autovacuum does after a bulk load
	} {
		var args []any
		if len(q) > 20 && q[:24] == `insert into auth.users (` {
			args = []any{n}
		}
		if _, err := admin.Exec(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	b.Logf("loaded %d accounts in %s", n, time.Since(load).Round(time.Millisecond))

	day := time.Now().UTC()
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.StopTimer()
			if _, err := db.Pool.Exec(ctx, `update public.credit_accounts set daily_used = 5, daily_period = (now() at time zone 'utc')::date - 1 where daily_used = 0`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start := time.Now()
		got, err := ResetDaily(ctx, db.Pool, day)
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if got < int64(n) {
			b.Fatalf("reset %d accounts, want at least %d", got, n)
		}
	}
	b.StopTimer()
	per := total / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "s/reset")
	b.ReportMetric(float64(n)/per.Seconds(), "accounts/s")
	fmt.Printf("daily reset: %d accounts in %.2fs (%.0f accounts/s), one UPDATE\n", n, per.Seconds(), float64(n)/per.Seconds())
}

// BenchmarkWebhookEvents measures (1) signed deliveries through POST /webhooks/stripe (verify + store
// once) and (2) events applied per second by the Processor (8 workers): credit-pack checkouts and
// subscription lifecycles for 500 users, every event delivered twice.
func BenchmarkWebhookEvents(b *testing.B) {
	const users, packsPerUser = 500, 6
	b.StopTimer()
	e := newEnv(b, false)
	db := e.db
	ctx := context.Background()
	uids := make([]string, users)
	for i := range uids {
		uids[i] = db.CreateUser(b, fmt.Sprintf("wh%d@example.com", i))
		db.Exec(b, `select private.set_stripe_customer($1, $2)`, uids[i], fmt.Sprintf("cus_wh%d", i))
	}
	t0 := time.Now().Add(-time.Hour).Unix()
	var payloads [][]byte
	for i, uid := range uids {
		cus := fmt.Sprintf("cus_wh%d", i)
		for k := range packsPerUser {
			s := fmt.Sprintf("cs_wh%d_%d", i, k)
			p := checkoutPaid(s, uid, cus, "small", "pi_"+s)
			p["customer"] = cus
			payloads = append(payloads, event(fmt.Sprintf("evt_wh%d_%d", i, k), "checkout.session.completed", t0+int64(k), p))
		}
		s := fmt.Sprintf("sub_wh%d", i)
		payloads = append(payloads,
			event("evt_whs1_"+strconv.Itoa(i), "customer.subscription.created", t0, sub(s, uid, cus, "active", "price_pro", false, t0+86400)),
			event("evt_whs2_"+strconv.Itoa(i), "invoice.paid", t0+1, invoice("in_wh"+strconv.Itoa(i), cus, s, "paid", 1900)),
			event("evt_whs3_"+strconv.Itoa(i), "customer.subscription.updated", t0+2, sub(s, uid, cus, "active", "price_outreach", false, t0+86400)))
	}

	// (1) Deliveries through HTTP, 8 concurrent senders, each event twice.
	pool, err := pgxpool.New(ctx, db.PostgresURL()+"&pool_max_conns=12")
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	srvEnv := &env{db: db, srv: serve(b, pool, nil)}
	jobs := make(chan []byte)
	var wg sync.WaitGroup
	b.StartTimer()
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for p := range jobs {
				if status, body := srvEnv.deliver(b, p); status != 200 {
					b.Errorf("delivery: %d %v", status, body)
				}
			}
		})
	}
	for range 2 {
		for _, p := range payloads {
			jobs <- p
		}
	}
	close(jobs)
	wg.Wait()
	ingest := time.Since(start)

	// (2) Processing.
	proc := NewProcessor(pool, ProcessorOptions{Workers: 8, PollInterval: 20 * time.Millisecond, Logger: quiet})
	start = time.Now()
	var handled int
	var mu sync.Mutex
	var wg2 sync.WaitGroup
	for range 8 {
		wg2.Go(func() {
			n, err := proc.Drain(ctx)
			if err != nil {
				b.Error(err)
			}
			mu.Lock()
			handled += n
			mu.Unlock()
		})
	}
	wg2.Wait()
	process := time.Since(start)
	b.StopTimer()

	var left, granted int
	_ = db.Pool.QueryRow(ctx, `select count(*) from private.stripe_events where status not in ('processed', 'ignored')`).Scan(&left)
	_ = db.Pool.QueryRow(ctx, `select count(*) from public.credit_ledger where kind = 'purchase'`).Scan(&granted)
	if left != 0 || handled != len(payloads) || granted != users*packsPerUser {
		b.Fatalf("handled %d of %d events, %d left, %d grants (want %d)", handled, len(payloads), left, granted, users*packsPerUser)
	}
	b.ReportMetric(float64(2*len(payloads))/ingest.Seconds(), "deliveries/s")
	b.ReportMetric(float64(len(payloads))/process.Seconds(), "events/s")
	fmt.Printf("webhooks: %d signed deliveries (%d events x2) received in %.2fs (%.0f/s); %d events applied in %.2fs (%.0f events/s, 8 workers)\n",
		2*len(payloads), len(payloads), ingest.Seconds(), float64(2*len(payloads))/ingest.Seconds(),
		len(payloads), process.Seconds(), float64(len(payloads))/process.Seconds())
}
