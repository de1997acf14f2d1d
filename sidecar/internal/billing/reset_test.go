package billing

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/scheduler"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestDailyResetRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	yesterdayUser := db.CreateUser(t, "yesterday@example.com")
	todayUser := db.CreateUser(t, "today@example.com")
	db.Exec(t, `update public.credit_accounts set daily_used = 40, daily_period = (now() at time zone 'utc')::date - 1 where user_id = $1`, yesterdayUser)
	db.Exec(t, `update public.credit_accounts set daily_used = 30, daily_period = (now() at time zone 'utc')::date where user_id = $1`, todayUser)

	// Two replicas start (the job runs at start-up for today's slot if nobody did).
	var scheds []*scheduler.Scheduler
	for _, owner := range []string{"replica-1", "replica-2"} {
		s, err := scheduler.New(db.Pool, scheduler.Options{Owner: owner, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if err := RegisterDailyReset(s, db.Pool, quiet); err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	for _, s := range scheds {
		s.Start()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var finished int
		if err := db.Pool.QueryRow(ctx, `select count(*) from private.scheduler_slots where job = $1 and finished_at is not null`, DailyResetJob).Scan(&finished); err != nil {
			t.Fatal(err)
		}
		if finished == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the daily reset did not run at start-up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // give the other replica its chance to (wrongly) run too
	for _, s := range scheds {
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}
	var slots int
	var slot time.Time
	var result string
	if err := db.Pool.QueryRow(ctx, `select count(*), max(slot), max(result::text) from private.scheduler_slots where job = $1`, DailyResetJob).Scan(&slots, &slot, &result); err != nil {
		t.Fatal(err)
	}
	if today := scheduler.DailySlot(time.Now()); slots != 1 || !slot.Equal(today) || !strings.Contains(result, "took_ms") {
		t.Errorf("slots = %d (%s, %s), want 1 finished for %s", slots, slot, result, today)
	}

	var used, usedToday int
	var period, periodToday time.Time
	_ = db.Pool.QueryRow(ctx, `select daily_used, daily_period from public.credit_accounts where user_id = $1`, yesterdayUser).Scan(&used, &period)
	_ = db.Pool.QueryRow(ctx, `select daily_used, daily_period from public.credit_accounts where user_id = $1`, todayUser).Scan(&usedToday, &periodToday)
	if used != 0 || !period.Equal(scheduler.DailySlot(time.Now())) {
		t.Errorf("yesterday's account: used %d period %s, want 0 today", used, period)
	}
	if usedToday != 30 {
		t.Errorf("today's usage was reset: %d", usedToday)
	}
	// Idempotent: a second run for the same day changes nothing.
	if n, err := ResetDaily(ctx, db.Pool, time.Now()); err != nil || n != 0 {
		t.Errorf("second reset touched %d accounts (%v)", n, err)
	}
}

func TestHistoryListsInvoicesAndPurchases(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	uid := e.db.CreateUser(t, "history@example.com")
	other := e.db.CreateUser(t, "other@example.com")
	e.db.Exec(t, `select private.set_stripe_customer($1, 'cus_h')`, uid)
	now := time.Now().Unix()
	for _, p := range [][]byte{
		event("evt_h1", "checkout.session.completed", now-100, checkoutPaid("cs_h1", uid, "cus_h", "small", "pi_h1")),
		event("evt_h2", "invoice.paid", now-50, invoice("in_h1", "cus_h", "sub_h", "paid", 1900)),
		event("evt_h3", "checkout.session.completed", now-10, checkoutPaid("cs_h3", other, "cus_other", "large", "pi_h3")),
	} {
		if _, err := Record(context.Background(), e.db.Pool, p, "pending", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.proc.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	status, body := e.call(t, "GET", "/v1/billing/history", userToken(t, uid), nil, nil)
	if status != 200 {
		t.Fatalf("history: %d %v", status, body)
	}
	items, _ := body["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("items = %v, want the user's invoice and purchase only", items)
	}
	kinds := map[string]bool{}
	for _, it := range items {
		m := it.(map[string]any)
		kinds[m["type"].(string)+":"+m["id"].(string)] = true
	}
	if !kinds["invoice:in_h1"] || !kinds["credit_purchase:cs_h1"] {
		t.Errorf("items = %v", items)
	}
	if status, _ := e.call(t, "GET", "/v1/billing/history?limit=0", userToken(t, uid), nil, nil); status != 400 {
		t.Errorf("limit=0: %d", status)
	}
}
