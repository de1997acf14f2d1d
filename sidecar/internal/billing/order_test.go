package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// A scenario is the events Stripe sends for one customer's story, in their true order. Object ids get a
// per-run suffix so that many runs share one database.
type scenario struct {
	name   string
	events func(uid, sfx string, t0 int64) [][]byte
	// want checks the in-order final state (so the reference itself is right).
	want func(t *testing.T, s map[string]any)
}

func sub(id, uid, cus, status, price string, cancelAtEnd bool, periodEnd int64) map[string]any {
	return map[string]any{
		"id": id, "object": "subscription", "customer": cus, "status": status,
		"cancel_at_period_end": cancelAtEnd, "current_period_start": periodEnd - 30*86400, "current_period_end": periodEnd,
		"metadata": map[string]any{"user_id": uid, "plan_id": "pro"},
		"items":    map[string]any{"data": []any{map[string]any{"price": map[string]any{"id": price}}}},
	}
}

func invoice(id, cus, sub, status string, paid int) map[string]any {
	return map[string]any{
		"id": id, "object": "invoice", "customer": cus, "subscription": sub, "status": status,
		"amount_due": 1900, "amount_paid": paid, "currency": "usd", "billing_reason": "subscription_cycle",
		"hosted_invoice_url": "https://invoice.stripe.com/i/" + id, "created": 1764000000,
	}
}

func charge(id, pi string, refunded int) map[string]any {
	return map[string]any{"id": id, "object": "charge", "payment_intent": pi, "amount": 1900, "amount_captured": 1900,
		"amount_refunded": refunded, "refunded": refunded >= 1900}
}

var scenarios = []scenario{
	{
		name: "subscription lifecycle: subscribe, upgrade, cancel at period end, payment failure, past_due, deleted",
		events: func(uid, x string, t0 int64) [][]byte {
			cus, s, end := "cus_a"+x, "sub_a"+x, t0+30*86400
			return [][]byte{
				event("evt_a1"+x, "checkout.session.completed", t0, map[string]any{"id": "cs_a" + x, "object": "checkout.session",
					"mode": "subscription", "payment_status": "paid", "customer": cus, "subscription": s, "client_reference_id": uid,
					"metadata": map[string]any{"user_id": uid, "plan_id": "pro"}}),
				event("evt_a2"+x, "customer.subscription.created", t0, sub(s, uid, cus, "incomplete", "price_pro", false, end)),
				event("evt_a3"+x, "customer.subscription.updated", t0+1, sub(s, uid, cus, "active", "price_pro", false, end)),
				event("evt_a4"+x, "invoice.paid", t0+1, invoice("in_a1"+x, cus, s, "paid", 1900)),
				event("evt_a5"+x, "customer.subscription.updated", t0+100, sub(s, uid, cus, "active", "price_outreach", false, end)),
				event("evt_a6"+x, "customer.subscription.updated", t0+200, sub(s, uid, cus, "active", "price_outreach", true, end)),
				event("evt_a7"+x, "invoice.payment_failed", t0+300, invoice("in_a2"+x, cus, s, "open", 0)),
				event("evt_a8"+x, "customer.subscription.updated", t0+300, sub(s, uid, cus, "past_due", "price_outreach", true, end)),
				event("evt_a9"+x, "customer.subscription.deleted", t0+400, sub(s, uid, cus, "canceled", "price_outreach", true, end)),
			}
		},
		want: func(t *testing.T, s map[string]any) {
			if s["plan"] != "free" || !strings.Contains(fmt.Sprint(s["subscriptions"]), "canceled") {
				t.Errorf("lifecycle end state: %v", s)
			}
		},
	},
	{
		name: "past_due recovers: payment fails, then succeeds; a downgrade to pro",
		events: func(uid, x string, t0 int64) [][]byte {
			cus, s, end := "cus_b"+x, "sub_b"+x, t0+30*86400
			return [][]byte{
				event("evt_b1"+x, "customer.subscription.created", t0, sub(s, uid, cus, "active", "price_outreach", false, end)),
				event("evt_b2"+x, "invoice.payment_failed", t0+10, invoice("in_b1"+x, cus, s, "open", 0)),
				event("evt_b3"+x, "customer.subscription.updated", t0+10, sub(s, uid, cus, "past_due", "price_outreach", false, end)),
				event("evt_b4"+x, "invoice.paid", t0+20, invoice("in_b1"+x, cus, s, "paid", 1900)),
				event("evt_b5"+x, "customer.subscription.updated", t0+21, sub(s, uid, cus, "active", "price_outreach", false, end)),
				event("evt_b6"+x, "customer.subscription.updated", t0+50, sub(s, uid, cus, "active", "price_pro", false, end)),
			}
		},
		want: func(t *testing.T, s map[string]any) {
			if s["plan"] != "pro" || !strings.Contains(fmt.Sprint(s["invoices"]), "in_b1 paid paid t failed t") {
				t.Errorf("recovery end state: %v", s)
			}
		},
	},
	{
		name: "credit pack paid asynchronously, then refunded in two steps",
		events: func(uid, x string, t0 int64) [][]byte {
			cus, cs, pi := "cus_c"+x, "cs_c"+x, "pi_c"+x
			unpaid := checkoutPaid(cs, uid, cus, "small", pi)
			unpaid["payment_status"] = "unpaid"
			return [][]byte{
				event("evt_c1"+x, "checkout.session.completed", t0, unpaid),
				event("evt_c2"+x, "checkout.session.async_payment_succeeded", t0+60, checkoutPaid(cs, uid, cus, "small", pi)),
				event("evt_c3"+x, "charge.refunded", t0+120, charge("ch_c"+x, pi, 950)),
				event("evt_c4"+x, "charge.refunded", t0+180, charge("ch_c"+x, pi, 1900)),
				event("evt_c5"+x, "customer.created", t0, map[string]any{"id": cus, "object": "customer"}),
			}
		},
		want: func(t *testing.T, s map[string]any) {
			if s["balance"] != float64(200) || !strings.Contains(fmt.Sprint(s["purchases"]), "refunded") {
				t.Errorf("refund end state: %v", s)
			}
		},
	},
	{
		name: "two packs: one paid, one whose delayed payment failed",
		events: func(uid, x string, t0 int64) [][]byte {
			cus := "cus_d" + x
			unpaid := checkoutPaid("cs_d2"+x, uid, cus, "medium", "pi_d2"+x)
			unpaid["payment_status"] = "unpaid"
			return [][]byte{
				event("evt_d1"+x, "checkout.session.completed", t0, checkoutPaid("cs_d1"+x, uid, cus, "small", "pi_d1"+x)),
				event("evt_d2"+x, "checkout.session.completed", t0+5, unpaid),
				event("evt_d3"+x, "checkout.session.async_payment_failed", t0+65, unpaid),
			}
		},
		want: func(t *testing.T, s map[string]any) {
			if s["balance"] != float64(5100) || !strings.Contains(fmt.Sprint(s["purchases"]), "failed") {
				t.Errorf("two packs end state: %v", s)
			}
		},
	},
}

// snapshot is the user's billing state with the run suffix removed, so runs compare.
func snapshot(t *testing.T, e *env, uid, sfx string) map[string]any {
	t.Helper()
	var raw string
	err := e.db.Pool.QueryRow(context.Background(), `
select jsonb_build_object(
  'plan', (select plan_id from public.profiles where id = $1),
  'customer', (select stripe_customer_id from public.profiles where id = $1),
  'balance', (select balance from public.credit_accounts where user_id = $1),
  'ledger', (select jsonb_object_agg(kind, total) from (select kind, sum(balance_delta) total from public.credit_ledger
             where user_id = $1 group by kind) l),
  'subscriptions', (select jsonb_agg(concat_ws(' ', id, status, plan_id, cancel_at_period_end, stripe_event_id) order by id)
                    from public.subscriptions where user_id = $1),
  'invoices', (select jsonb_agg(concat_ws(' ', id, status, 'paid', status = 'paid', 'failed', payment_failed) order by id)
               from public.billing_invoices where user_id = $1),
  'purchases', (select jsonb_agg(concat_ws(' ', checkout_session_id, status, credits, amount_refunded_cents,
                                           credits_clawed_back, clawback_shortfall) order by checkout_session_id)
                from public.credit_purchases where user_id = $1),
  'unfinished_events', (select count(*) from private.stripe_events where id like '%' || $2 and status not in ('processed', 'ignored'))
)::text`, uid, sfx).Scan(&raw)
	if err != nil {
		t.Fatal(err)
	}
	raw = strings.ReplaceAll(raw, sfx, "")
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEventsInAnyOrderReachTheSameState replays every scenario's events duplicated and shuffled (many
// orders, with processing interleaved with deliveries) and checks that the final state equals the
// in-order state.
func TestEventsInAnyOrderReachTheSameState(t *testing.T) {
	t.Parallel()
	runs := 60
	if testing.Short() {
		runs = 10
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	for si, sc := range scenarios {
		t.Run(fmt.Sprint(si), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, false)
			rng := rand.New(rand.NewPCG(seed, uint64(si)))
			ctx := context.Background()
			t0 := time.Now().Add(-time.Hour).Unix()
			var want map[string]any
			for run := 0; run <= runs; run++ {
				sfx := fmt.Sprintf("_r%d", run)
				uid := e.db.CreateUser(t, fmt.Sprintf("order%d-%d@example.com", si, run))
				// As in production the customer is stored before any checkout (ensureCustomer).
				e.db.Exec(t, `select private.set_stripe_customer($1, $2)`, uid, fmt.Sprintf("cus_%c%s", 'a'+si, sfx))
				evs := sc.events(uid, sfx, t0)
				var deliveries [][]byte
				if run == 0 {
					deliveries = evs // the reference: in order, once each
				} else {
					for _, ev := range evs {
						for range 1 + rng.IntN(3) {
							deliveries = append(deliveries, ev)
						}
					}
					rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
				}
				for _, d := range deliveries {
					if _, err := Record(ctx, e.db.Pool, d, "pending", ""); err != nil {
						t.Fatal(err)
					}
					if run == 0 || rng.IntN(2) == 0 {
						if _, err := e.proc.Drain(ctx); err != nil {
							t.Fatal(err)
						}
					}
				}
				if _, err := e.proc.Drain(ctx); err != nil {
					t.Fatal(err)
				}
				got := snapshot(t, e, uid, sfx)
				if run == 0 {
					want = got
					sc.want(t, want)
					if got["unfinished_events"] != float64(0) {
						t.Fatalf("in-order run left unfinished events: %v", got)
					}
					continue
				}
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Fatalf("run %d (%d deliveries) ended in\n  %s\nwant (in order)\n  %s", run, len(deliveries), g, w)
				}
			}
		})
	}
}
