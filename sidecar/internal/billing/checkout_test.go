package billing

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestCheckoutPlanThenPackOneCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	uid := e.db.CreateUser(t, "buyer@example.com")
	tok := userToken(t, uid)

	status, body := e.call(t, http.MethodPost, "/v1/billing/checkout", tok, map[string]string{"plan": "pro"}, map[string]string{"Idempotency-Key": "attempt-1"})
	if status != http.StatusOK {
		t.Fatalf("plan checkout: %d %v", status, body)
	}
	if u, _ := body["url"].(string); !strings.HasPrefix(u, "https://") {
		t.Errorf("plan checkout url = %v", body["url"])
	}
	if body["kind"] != "plan" || body["item"] != "pro" {
		t.Errorf("plan checkout body = %v", body)
	}

	customers := e.rec.find(http.MethodPost, "/v1/customers")
	if len(customers) != 1 {
		t.Fatalf("customer creations = %d, want 1", len(customers))
	}
	if got := customers[0].IdempotencyKey; got != "customer:"+uid {
		t.Errorf("customer idempotency key = %q", got)
	}
	if customers[0].Form.Get("metadata[user_id]") != uid || customers[0].Form.Get("email") != "buyer@example.com" {
		t.Errorf("customer params = %v", customers[0].Form)
	}
	var stored string
	if err := e.db.Pool.QueryRow(context.Background(), `select stripe_customer_id from public.profiles where id = $1`, uid).Scan(&stored); err != nil || !strings.HasPrefix(stored, "cus_") {
		t.Fatalf("stored customer = %q, %v", stored, err)
	}

	sessions := e.rec.find(http.MethodPost, "/v1/checkout/sessions")
	if len(sessions) != 1 {
		t.Fatalf("checkout sessions = %d", len(sessions))
	}
	f := sessions[0].Form
	for k, want := range map[string]string{
		"mode": "subscription", "line_items[0][price]": "price_pro", "line_items[0][quantity]": "1",
		"customer": stored, "client_reference_id": uid, "metadata[user_id]": uid, "metadata[plan_id]": "pro",
		"subscription_data[metadata][user_id]": uid, "success_url": e.cfg.SuccessURL, "cancel_url": e.cfg.CancelURL,
	} {
		if f.Get(k) != want {
			t.Errorf("checkout param %s = %q, want %q", k, f.Get(k), want)
		}
	}
	if k := sessions[0].IdempotencyKey; k != "checkout:"+uid+":plan:pro:attempt-1" {
		t.Errorf("checkout idempotency key = %q", k)
	}
	if v := sessions[0].StripeVersion; v != "2023-10-16" {
		t.Errorf("Stripe-Version = %q", v)
	}

	// A pack: payment mode, the pack's price from the table, no second customer, a pending purchase.
	status, body = e.call(t, http.MethodPost, "/v1/billing/checkout", tok, map[string]string{"pack": "medium"}, nil)
	if status != http.StatusOK {
		t.Fatalf("pack checkout: %d %v", status, body)
	}
	if n := len(e.rec.find(http.MethodPost, "/v1/customers")); n != 1 {
		t.Errorf("customer created again (%d creations)", n)
	}
	sessions = e.rec.find(http.MethodPost, "/v1/checkout/sessions")
	f = sessions[len(sessions)-1].Form
	if f.Get("mode") != "payment" || f.Get("line_items[0][price]") != "price_pack_medium" || f.Get("metadata[pack_id]") != "medium" || f.Get("metadata[credits]") != "19900" {
		t.Errorf("pack checkout params = %v", f)
	}
	var credits int
	var pstatus string
	if err := e.db.Pool.QueryRow(context.Background(),
		`select credits, status from public.credit_purchases where user_id = $1 and checkout_session_id = $2`, uid, body["session_id"]).Scan(&credits, &pstatus); err != nil {
		t.Fatalf("pending purchase: %v", err)
	}
	if credits != 19900 || pstatus != "pending" {
		t.Errorf("purchase = %d %s", credits, pstatus)
	}
}

func TestCheckoutRefusesWhatItShouldNot(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	uid := e.db.CreateUser(t, "picky@example.com")
	tok := userToken(t, uid)
	e.db.Exec(t, `update public.credit_packs set stripe_price_id = null where id = 'large'`)

	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"free plan", map[string]string{"plan": "free"}, 400},
		{"unknown plan", map[string]string{"plan": "enterprise"}, 400},
		{"unknown pack", map[string]string{"pack": "huge"}, 400},
		{"both", map[string]string{"plan": "pro", "pack": "small"}, 400},
		{"nothing", map[string]string{}, 400},
		{"a price id from the client is ignored", map[string]string{"price": "price_cheap"}, 400},
		{"pack without a Stripe price", map[string]string{"pack": "large"}, 503},
	} {
		status, body := e.call(t, http.MethodPost, "/v1/billing/checkout", tok, tc.body, nil)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d (%v)", tc.name, status, tc.status, body)
		}
	}
	if n := len(e.rec.find(http.MethodPost, "/v1/checkout/sessions")); n != 0 {
		t.Errorf("%d checkout sessions created for refused requests", n)
	}
	// No token: 401.
	if status, _ := e.call(t, http.MethodPost, "/v1/billing/checkout", "", map[string]string{"plan": "pro"}, nil); status != 401 {
		t.Errorf("without a token: %d", status)
	}
	// A second subscription while one is active: 409, use the portal.
	e.db.Exec(t, `insert into public.subscriptions (id, user_id, stripe_customer_id, status, stripe_event_at, stripe_event_rank, stripe_event_id)
	              values ('sub_x', $1, 'cus_x', 'active', now(), 3, 'evt_x')`, uid)
	if status, body := e.call(t, http.MethodPost, "/v1/billing/checkout", tok, map[string]string{"plan": "outreach"}, nil); status != http.StatusConflict {
		t.Errorf("second subscription: %d %v", status, body)
	}
}

func TestConcurrentFirstCheckoutsStoreOneCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	uid := e.db.CreateUser(t, "double@example.com")
	tok := userToken(t, uid)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if status, body := e.call(t, http.MethodPost, "/v1/billing/checkout", tok, map[string]string{"pack": "small"}, nil); status != 200 {
				t.Errorf("checkout: %d %v", status, body)
			}
		})
	}
	wg.Wait()
	keys := map[string]bool{}
	for _, c := range e.rec.find(http.MethodPost, "/v1/customers") {
		keys[c.IdempotencyKey] = true
	}
	if len(keys) != 1 || !keys["customer:"+uid] {
		t.Errorf("customer creations used keys %v, want only customer:%s (Stripe replays it: one customer)", keys, uid)
	}
}

func TestPortal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	uid := e.db.CreateUser(t, "portal@example.com")
	tok := userToken(t, uid)
	if status, body := e.call(t, http.MethodPost, "/v1/billing/portal", tok, nil, nil); status != http.StatusNotFound {
		t.Errorf("portal without a customer: %d %v", status, body)
	}
	e.db.Exec(t, `select private.set_stripe_customer($1, 'cus_portal')`, uid)
	status, body := e.call(t, http.MethodPost, "/v1/billing/portal", tok, nil, nil)
	if status != http.StatusOK || !strings.HasPrefix(body["url"].(string), "https://") {
		t.Fatalf("portal: %d %v", status, body)
	}
	calls := e.rec.find(http.MethodPost, "/v1/billing_portal/sessions")
	if len(calls) != 1 || calls[0].Form.Get("customer") != "cus_portal" || calls[0].Form.Get("return_url") != e.cfg.PortalReturnURL {
		t.Errorf("portal calls = %+v", calls)
	}
}

func TestBillingDisabledAnswers503(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false) // no Stripe client: Routes gets a nil Service
	uid := e.db.CreateUser(t, "nostripe@example.com")
	tok := userToken(t, uid)
	for _, path := range []string{"/v1/billing/checkout", "/v1/billing/portal"} {
		if status, body := e.call(t, http.MethodPost, path, tok, map[string]string{"plan": "pro"}, nil); status != 503 || body["code"] != "unavailable" {
			t.Errorf("%s: %d %v", path, status, body)
		}
	}
	// The history reads only the database.
	if status, body := e.call(t, http.MethodGet, "/v1/billing/history", tok, nil, nil); status != 200 {
		t.Errorf("history: %d %v", status, body)
	}
}
