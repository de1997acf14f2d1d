package outreach

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/unipile"
	"github.com/zerobullshit/backend/sidecar/internal/unipile/unipiletest"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// TestPropertyCapsAndNoDoubleInvites drives the sender through random Unipile failures (429, 401, 5xx
// before and after the effect, network-like 503s), crashes between the call and its record, restarts,
// lease expiries, reconciliations and acceptances over three simulated weeks, then checks the safety
// properties: nobody is ever invited twice, the daily and weekly invitation caps hold over every rolling
// window, and every invitation LinkedIn received is counted in the action log.
func TestPropertyCapsAndNoDoubleInvites(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed", func(t *testing.T) {
			t.Parallel()
			runProperty(t, seed)
		})
	}
}

func runProperty(t *testing.T, seed uint64) {
	const daily, weekly = 4, 10
	db := pgtest.New(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 42))
	var rngMu sync.Mutex // the fake server's goroutine draws faults too
	fake := unipiletest.New()
	defer fake.Close()
	client, err := unipile.New(unipile.Config{DSN: fake.DSN(), APIKey: fake.APIKey})
	must(t, err)
	uid, search := fixture(t, db, 30)
	db.Exec(t, `insert into public.linkedin_accounts (user_id, unipile_account_id, tier, daily_invites, weekly_invites,
		min_gap_seconds, max_gap_seconds, ramp_days) values ($1, 'acc-p', 'premium', $2, $3, 60, 300, 0)`, uid, daily, weekly)
	campaign(t, db, uid, search)
	accountID := q1[string](t, db, `select id::text from public.linkedin_accounts where unipile_account_id = 'acc-p'`)

	fake.SetFaultFunc(func(r *http.Request) *unipiletest.Fault {
		rngMu.Lock()
		defer rngMu.Unlock()
		x := rng.Float64()
		invite := strings.HasSuffix(r.URL.Path, "/users/invite")
		switch {
		case x < 0.05:
			return &unipiletest.Fault{Status: 500, Type: "errors/provider_error", AfterEffect: invite && rng.IntN(2) == 0}
		case x < 0.08:
			return &unipiletest.Fault{Status: 429, Type: "errors/too_many_requests"}
		case x < 0.10:
			return &unipiletest.Fault{Status: 503, Type: "errors/network_down"}
		case x < 0.11 && invite:
			return &unipiletest.Fault{Status: 422, Type: "errors/limit_exceeded"}
		case x < 0.12:
			return &unipiletest.Fault{Status: 401, Type: "errors/disconnected_account"}
		}
		return nil
	})

	c := monday()
	end := c.t.Add(21 * 24 * time.Hour)
	for c.t.Before(end) {
		s := &Sender{DB: db.Pool, Provider: client, Now: c.now, Lease: 10 * time.Minute} // a "restart" every round
		rngMu.Lock()
		x, coin, pick := rng.Float64(), rng.IntN(2), rng.Int()
		rngMu.Unlock()
		switch {
		case x < 0.70:
			_, err := s.Step(ctx)
			must(t, err)
		case x < 0.80: // crash: claimed (maybe even called Unipile), never recorded
			a, ok, err := s.Claim(ctx)
			must(t, err)
			if ok && coin == 0 {
				s.perform(ctx, a)
			}
		case x < 0.88:
			_, err := db.Pool.Exec(ctx, `select private.outreach_maintain($1)`, c.t)
			must(t, err)
		case x < 0.94:
			fake.SetFaultFunc(nil)
			_, err := (&Reconciler{DB: db.Pool, Provider: client, Now: c.now, Every: time.Minute}).Step(ctx)
			must(t, err)
			db.Exec(t, `update public.linkedin_accounts set reconciled_at = null`)
		default: // someone accepts; the webhook may or may not come
			for i, inv := range fake.Invites() {
				if (pick+i)%4 == 0 && fake.Accept("acc-p", inv.ProviderID) && (pick+i)%8 == 0 {
					_, err := db.Pool.Exec(ctx, `select private.unipile_ingest_event('users', jsonb_build_object('event', 'new_relation',
						'account_id', 'acc-p', 'user_provider_id', $1::text), $2)`, inv.ProviderID, c.t)
					must(t, err)
				}
			}
		}
		// A disconnected account is reconnected by its founder after a while.
		db.Exec(t, `select private.linkedin_account_connected(id, 'OK', $1) from public.linkedin_accounts where status = 'disconnected' and disconnected_at < $1 - interval '2 hours'`, c.t)
		c.add(time.Duration(pick%40) * time.Minute)
	}

	if d := fake.DuplicateInvites(); d != 0 {
		t.Fatalf("seed %d: %d duplicate invitations reached Unipile", seed, d)
	}
	worst := q1[[]int](t, db, `
		select array[coalesce(max(d), 0), coalesce(max(w), 0)] from (
		  select (select count(*) from public.outreach_actions y where y.account_id = x.account_id and y.kind = 'invite' and y.counted
		            and y.created_at > x.created_at - interval '1 day' and y.created_at <= x.created_at)::int as d,
		         (select count(*) from public.outreach_actions y where y.account_id = x.account_id and y.kind = 'invite' and y.counted
		            and y.created_at > x.created_at - interval '7 days' and y.created_at <= x.created_at)::int as w
		  from public.outreach_actions x where x.account_id = $1 and x.kind = 'invite' and x.counted) z`, accountID)
	if worst[0] > daily || worst[1] > weekly {
		t.Fatalf("seed %d: caps exceeded: %d invitations in 24h (cap %d), %d in 7 days (cap %d)", seed, worst[0], daily, worst[1], weekly)
	}
	counted := q1[int](t, db, `select count(*)::int from public.outreach_actions where kind = 'invite' and counted`)
	real := len(fake.Invites())
	if real > counted {
		t.Fatalf("seed %d: LinkedIn received %d invitations, the log counts %d", seed, real, counted)
	}
	if real == 0 {
		t.Fatalf("seed %d: nothing was ever sent (the simulation is too hostile to test anything)", seed)
	}
	t.Logf("seed %d: %d invitations delivered, %d counted, worst 24h %d/%d, worst 7d %d/%d, %d requests",
		seed, real, counted, worst[0], daily, worst[1], weekly, fake.Requests())
}
