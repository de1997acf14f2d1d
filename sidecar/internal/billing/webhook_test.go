package billing

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func checkoutPaid(session, uid, customer, pack, pi string) map[string]any {
	return map[string]any{
		"id": session, "object": "checkout.session", "mode": "payment", "payment_status": "paid", "status": "complete",
		"customer": customer, "payment_intent": pi, "client_reference_id": uid, "amount_total": 1900,
		"metadata": map[string]any{"user_id": uid, "kind": "pack", "pack_id": pack},
	}
}

func balanceOf(t testing.TB, e *env, uid string) int {
	t.Helper()
	var b int
	if err := e.db.Pool.QueryRow(context.Background(), `select balance from public.credit_accounts where user_id = $1`, uid).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

func countRows(t testing.TB, e *env, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestWebhookVerifiesAndStoresOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	uid := e.db.CreateUser(t, "hook@example.com")
	payload := event("evt_hook1", "checkout.session.completed", time.Now().Unix(), checkoutPaid("cs_hook1", uid, "cus_hook", "small", "pi_hook1"))

	status, body := e.deliver(t, payload)
	if status != 200 || body["duplicate"] != false || body["event_id"] != "evt_hook1" {
		t.Fatalf("first delivery: %d %v", status, body)
	}
	status, body = e.deliver(t, payload)
	if status != 200 || body["duplicate"] != true {
		t.Fatalf("second delivery: %d %v", status, body)
	}
	if n := countRows(t, e, `select count(*) from private.stripe_events where id = 'evt_hook1' and status = 'pending'`); n != 1 {
		t.Fatalf("stored %d pending rows, want 1", n)
	}

	forged := event("evt_forged", "checkout.session.completed", time.Now().Unix(), checkoutPaid("cs_forged", uid, "cus_hook", "large", "pi_f"))
	tampered := []byte(strings.Replace(string(payload), `"small"`, `"large"`, 1))
	for _, tc := range []struct {
		name    string
		payload []byte
		header  string
	}{
		{"wrong secret", forged, signed(forged, "whsec_attacker", time.Now())},
		{"tampered body", tampered, signed(payload, testWebhookSecret, time.Now())},
		{"stale signature (replay)", forged, signed(forged, testWebhookSecret, time.Now().Add(-10*time.Minute))},
		{"no signature", forged, ""},
		{"garbage header", forged, "t=abc,v1=def"},
	} {
		status, body := e.call(t, http.MethodPost, "/webhooks/stripe", "", tc.payload, map[string]string{"Stripe-Signature": tc.header})
		if status != 400 {
			t.Errorf("%s: status %d (%v), want 400", tc.name, status, body)
		}
	}
	if n := countRows(t, e, `select count(*) from private.stripe_events`); n != 1 {
		t.Errorf("refused deliveries were stored: %d events", n)
	}

	// Authentic but of another API version: stored dead (visible), never applied.
	other := []byte(strings.Replace(string(event("evt_basil", "checkout.session.completed", time.Now().Unix(),
		checkoutPaid("cs_basil", uid, "cus_hook", "small", "pi_b"))), `"2023-10-16"`, `"2025-03-31.basil"`, 1))
	if status, body := e.deliver(t, other); status != 200 {
		t.Fatalf("foreign api version: %d %v", status, body)
	}
	var st, lastErr string
	if err := e.db.Pool.QueryRow(context.Background(), `select status, last_error from private.stripe_events where id = 'evt_basil'`).Scan(&st, &lastErr); err != nil || st != "dead" || !strings.Contains(lastErr, "api_version") {
		t.Errorf("foreign api version event: %q %q %v", st, lastErr, err)
	}

	before := balanceOf(t, e, uid)
	if _, err := e.proc.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := balanceOf(t, e, uid); got != before+4900 {
		t.Errorf("balance after the pack = %d, want %d", got, before+4900)
	}
}

// The worker wakes on NOTIFY: with a one-minute poll interval the event is still applied at once.
func TestProcessorRunWakesOnNotify(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	uid := e.db.CreateUser(t, "notify@example.com")
	before := balanceOf(t, e, uid)
	proc := NewProcessor(e.db.Pool, ProcessorOptions{Workers: 2, PollInterval: time.Minute, Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- proc.Run(ctx) }()
	defer func() { cancel(); <-done }()
	time.Sleep(300 * time.Millisecond) // let the listener and the first drain settle

	e.deliver(t, event("evt_n1", "checkout.session.completed", time.Now().Unix(), checkoutPaid("cs_n1", uid, "cus_n", "small", "pi_n1")))
	deadline := time.Now().Add(10 * time.Second)
	for balanceOf(t, e, uid) != before+4900 {
		if time.Now().After(deadline) {
			t.Fatal("event not applied within 10s: NOTIFY did not wake the worker")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Many simultaneous deliveries of the same event, and of its sibling event for the same session, with
// several processors at once: the pack is granted once.
func TestConcurrentDeliveriesGrantOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	uid := e.db.CreateUser(t, "race@example.com")
	before := balanceOf(t, e, uid)
	now := time.Now().Unix()
	completed := event("evt_race1", "checkout.session.completed", now, checkoutPaid("cs_race", uid, "cus_race", "small", "pi_race"))
	async := event("evt_race2", "checkout.session.async_payment_succeeded", now+1, checkoutPaid("cs_race", uid, "cus_race", "small", "pi_race"))

	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 8 {
		wg.Go(func() {
			<-start
			p := completed
			if i%2 == 1 {
				p = async
			}
			if status, body := e.deliver(t, p); status != 200 {
				t.Errorf("delivery: %d %v", status, body)
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			<-start
			for range 20 {
				if _, err := e.proc.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if _, err := e.proc.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Apply the same event twice at the same instant, bypassing the queue (two transactions racing).
	e.db.Exec(t, `update private.stripe_events set status = 'pending' where id = 'evt_race1'`)
	var wg2 sync.WaitGroup
	for range 2 {
		wg2.Go(func() {
			if _, err := e.db.Pool.Exec(context.Background(), `select private.apply_stripe_event('evt_race1')`); err != nil {
				t.Error(err)
			}
		})
	}
	wg2.Wait()

	if got := balanceOf(t, e, uid); got != before+4900 {
		t.Errorf("balance = %d, want %d (granted once)", got, before+4900)
	}
	if n := countRows(t, e, `select count(*) from public.credit_ledger where user_id = $1 and kind = 'purchase'`, uid); n != 1 {
		t.Errorf("purchase ledger rows = %d, want 1", n)
	}
	if n := countRows(t, e, `select count(*) from private.stripe_events where status = 'processed'`); n != 2 {
		t.Errorf("processed events = %d, want 2", n)
	}
}

func TestFailingEventIsRetriedThenDead(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	// A subscription of a customer nobody knows (no user in metadata either): it cannot be applied.
	if _, err := Record(context.Background(), e.db.Pool, event("evt_orphan", "customer.subscription.created", time.Now().Unix(), map[string]any{
		"id": "sub_orphan", "object": "subscription", "customer": "cus_unknown", "status": "active",
		"items": map[string]any{"data": []any{map[string]any{"price": map[string]any{"id": "price_pro"}}}},
	}), "pending", ""); err != nil {
		t.Fatal(err)
	}
	proc := NewProcessor(e.db.Pool, ProcessorOptions{MaxAttempts: 2, Logger: quiet})
	out, ok, err := proc.ProcessNext(context.Background())
	if err != nil || !ok || out.Err == nil || out.Status != "pending" {
		t.Fatalf("first attempt: %+v ok=%v err=%v", out, ok, err)
	}
	// Backoff: not due again yet.
	if _, ok, _ := proc.ProcessNext(context.Background()); ok {
		t.Fatal("a failed event was retried before its backoff")
	}
	e.db.Exec(t, `update private.stripe_events set next_attempt_at = now() where id = 'evt_orphan'`)
	out, ok, err = proc.ProcessNext(context.Background())
	if err != nil || !ok || out.Status != "dead" {
		t.Fatalf("second attempt: %+v ok=%v err=%v", out, ok, err)
	}
	var attempts int
	var lastErr string
	if err := e.db.Pool.QueryRow(context.Background(), `select attempts, last_error from private.stripe_events where id = 'evt_orphan'`).Scan(&attempts, &lastErr); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 || !strings.Contains(lastErr, "cus_unknown") {
		t.Errorf("dead event: attempts %d, last_error %q", attempts, lastErr)
	}
	if n := countRows(t, e, `select count(*) from public.subscriptions`); n != 0 {
		t.Errorf("a failed event left %d subscriptions", n)
	}
	// An operator fixes the cause and re-queues it.
	uid := e.db.CreateUser(t, "late@example.com")
	e.db.Exec(t, `select private.set_stripe_customer($1, 'cus_unknown')`, uid)
	e.db.Exec(t, `select private.retry_stripe_event('evt_orphan')`)
	if out, ok, err := proc.ProcessNext(context.Background()); err != nil || !ok || out.Status != "processed" {
		t.Fatalf("after retry: %+v %v %v", out, ok, err)
	}
	var plan string
	if err := e.db.Pool.QueryRow(context.Background(), `select plan_id from public.profiles where id = $1`, uid).Scan(&plan); err != nil || plan != "pro" {
		t.Errorf("plan = %q %v", plan, err)
	}
}
