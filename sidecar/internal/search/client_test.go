package search_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/internal/search"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// handBuilt loads a small set where the right order is known (see supabase/tests/10_search_ranking.sql
// for the same idea in SQL).
func handBuilt(t *testing.T) *pgtest.DB {
	t.Helper()
	db := pgtest.New(t)
	db.Exec(t, `
insert into public.angel_investors (id, linkedin_url, full_name, email, city, country, categories_strong, categories_general,
                                    stages_strong, stages_general, check_min_usd, check_max_usd, score, data_updated_at)
values
  ('a0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/ana', 'Ana Strong Madrid', 'ana@x.es', 'Madrid', 'ES',
   '{fintech}', '{fintech,saas}', '{seed}', '{pre_seed,seed}', 25000, 100000, 70, now() - interval '10 days'),
  ('a0000000-0000-4000-8000-000000000002', 'https://www.linkedin.com/in/bob', 'Bob General NYC', null, 'New York', 'US',
   '{saas}', '{fintech,saas}', '{seed}', '{seed}', 25000, 100000, 70, now() - interval '10 days'),
  ('a0000000-0000-4000-8000-000000000003', 'https://www.linkedin.com/in/carla', 'Carla Adjacent Stage', null, 'Barcelona', 'ES',
   '{fintech}', '{fintech}', '{series_a}', '{series_a}', 25000, 100000, 70, now() - interval '10 days'),
  ('a0000000-0000-4000-8000-000000000004', 'https://www.linkedin.com/in/dario', 'Dario Unrelated Stage', null, 'Valencia', 'ES',
   '{fintech}', '{fintech}', '{series_c}', '{series_c}', 25000, 100000, 70, now() - interval '10 days'),
  ('a0000000-0000-4000-8000-000000000005', 'https://www.linkedin.com/in/elena', 'Elena Top', null, 'Madrid', 'ES',
   '{fintech}', '{fintech}', '{seed}', '{seed}', 25000, 100000, 95, now() - interval '1 day');
insert into public.investment_funds (id, name, email, phone, city, country, categories_strong, categories_general,
                                     stages_strong, stages_general, check_min_usd, check_max_usd, score)
values ('f0000000-0000-4000-8000-000000000001', 'Alpha Fintech Ventures', 'deals@alpha.vc', '+34 600 000 000', 'Madrid', 'ES',
        '{fintech}', '{fintech}', '{seed}', '{pre_seed,seed,series_a}', 250000, 1000000, 80);
insert into public.fund_employees (id, fund_id, linkedin_url, full_name, seniority, email, country, score)
values ('e0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000001', 'https://www.linkedin.com/in/maria',
        'Maria Managing', 'managing_partner', 'maria@alpha.vc', 'ES', 8);`)
	return db
}

var seedInSpain = search.Criteria{Categories: []string{"Fintech"}, Stage: "seed", Country: "ES", City: "Madrid",
	FundingAskUSD: 500_000, Kinds: []string{"angel"}}

func names(rs []search.Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestRankOrdersAndExplains(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	c := search.New(db.Pool, nil)
	resp, err := c.Rank(t.Context(), search.Investors, "", search.Request{Criteria: seedInSpain, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := names(resp.Results)
	want := []string{"Elena Top", "Ana Strong Madrid", "Carla Adjacent Stage", "Bob General NYC", "Dario Unrelated Stage"}
	if len(got) != len(want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if resp.Criteria.Country != "ES" || resp.Criteria.Region != "europe" || resp.Criteria.Categories[0] != "fintech" {
		t.Errorf("criteria not normalised: %+v", resp.Criteria)
	}
	ana := resp.Results[1].Reasons
	if ana.Stage != "exact" || ana.Geography != "city" || ana.CheckSize != "fits" || len(ana.SectorsStrong) != 1 {
		t.Errorf("reasons of Ana: %+v", ana)
	}
	if r := resp.Results[2].Reasons; r.Stage != "adjacent" {
		t.Errorf("Carla's stage reason %q, want adjacent", r.Stage)
	}
	var sum float64
	for _, v := range resp.Results[1].Components {
		sum += v
	}
	if diff := sum - resp.Results[1].Score; diff > 1 || diff < -1 {
		t.Errorf("components add up to %.1f, score %.0f", sum, resp.Results[1].Score)
	}
}

func TestRankFundsCarryPeopleButNoContacts(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	c := search.New(db.Pool, nil)
	crit := seedInSpain
	crit.Kinds = []string{"fund"}
	resp, err := c.Rank(t.Context(), search.Investors, "", search.Request{Criteria: crit, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 1 || resp.Results[0].Kind != search.KindFund || len(resp.Results[0].People) != 1 {
		t.Fatalf("want the fund with its partner, got %s", resp.Raw)
	}
	if p := resp.Results[0].People[0]; p.Name != "Maria Managing" || p.Seniority != "managing_partner" {
		t.Errorf("person %+v", p)
	}
	for _, banned := range []string{"deals@alpha.vc", "maria@alpha.vc", "+34 600"} {
		if bytes.Contains(resp.Raw, []byte(banned)) {
			t.Errorf("the response leaks %q", banned)
		}
	}
}

func TestSearchChargesOnceAndRecords(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	ctx := t.Context()
	uid := db.CreateUser(t, "founder@example.com")
	c := search.New(db.Pool, nil)

	req := search.Request{Criteria: seedInSpain, Limit: 50, RequestID: "chat-msg-1"}
	first, err := c.Search(ctx, search.Investors, uid, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.Plan == nil || first.Plan.ID != "free" || first.Limit != 5 {
		t.Errorf("the free plan caps the page at 5: plan %+v, limit %d", first.Plan, first.Limit)
	}
	if first.Credits == nil || first.Credits.Charged != 50 || first.Credits.Status != "debited" {
		t.Errorf("credits %+v, want 50 debited", first.Credits)
	}
	again, err := c.Search(ctx, search.Investors, uid, req)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.SearchID != first.SearchID {
		t.Errorf("a retried request should replay search %s, got %s (replayed %v)", first.SearchID, again.SearchID, again.Replayed)
	}
	var charged, searches int
	if err := db.Pool.QueryRow(ctx, `select (select coalesce(-sum(daily_delta + balance_delta), 0) from public.credit_ledger where user_id = $1 and kind = 'debit'),
	                                        (select count(*) from public.search_results where user_id = $1)`, uid).Scan(&charged, &searches); err != nil {
		t.Fatal(err)
	}
	if charged != 50 || searches != 1 {
		t.Errorf("charged %d in %d searches, want 50 in 1", charged, searches)
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	ctx := t.Context()
	uid := db.CreateUser(t, "founder@example.com")
	c := search.New(db.Pool, nil)

	// an incomplete project: validation error whose hint lists the missing facts
	var project string
	if err := db.Pool.QueryRow(ctx, `insert into public.projects (user_id, name, categories) values ($1, 'Half', '{fintech}') returning id::text`, uid).
		Scan(&project); err != nil {
		t.Fatal(err)
	}
	_, err := c.Search(ctx, search.Investors, uid, search.Request{ProjectID: project})
	var se *search.Error
	if !errors.Is(err, search.ErrInvalid) || !errors.As(err, &se) || se.Status != 400 || !strings.Contains(se.Hint, "stage") {
		t.Errorf("incomplete project: got %v, want ErrInvalid whose hint names the stage", err)
	}

	_, err = c.Rank(ctx, search.Investors, "", search.Request{Criteria: search.Criteria{Categories: []string{"basket weaving"}}})
	if !errors.Is(err, search.ErrInvalid) {
		t.Errorf("unknown sector: got %v, want ErrInvalid", err)
	}
	_, err = c.Rank(ctx, search.Employees, "", search.Request{FundID: "00000000-0000-4000-8000-000000000000"})
	if !errors.Is(err, search.ErrNotFound) {
		t.Errorf("unknown fund: got %v, want ErrNotFound", err)
	}

	// no credits left: PT402, nothing recorded
	db.Exec(t, `update public.credit_accounts set balance = 0, daily_used = 50, daily_period = (now() at time zone 'utc')::date where user_id = $1`, uid)
	_, err = c.Search(ctx, search.Investors, uid, search.Request{Criteria: seedInSpain})
	if !errors.Is(err, search.ErrNotEnoughCredits) || !errors.As(err, &se) || se.Status != 402 {
		t.Errorf("no credits: got %v, want ErrNotEnoughCredits (402)", err)
	}
}

func TestFeedbackShapesLaterSearches(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	ctx := t.Context()
	uid := db.CreateUser(t, "founder@example.com")
	c := search.New(db.Pool, nil)

	const elena = "a0000000-0000-4000-8000-000000000005"
	const bob = "a0000000-0000-4000-8000-000000000002"
	if err := c.SetFeedback(ctx, uid, search.KindAngel, elena, search.VerdictDismissed, "not now", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SetFeedback(ctx, uid, search.KindAngel, bob, search.VerdictSaved, "", ""); err != nil {
		t.Fatal(err)
	}
	resp, err := c.Rank(ctx, search.Investors, uid, search.Request{Criteria: seedInSpain, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := names(resp.Results)
	if indexOf(got, "Elena Top") >= 0 {
		t.Errorf("a dismissed investor came back: %v", got)
	}
	if i := indexOf(got, "Bob General NYC"); i < 0 || !resp.Results[i].Reasons.Saved {
		t.Errorf("a saved investor should be flagged: %v", got)
	}
	err = c.SetFeedback(ctx, uid, search.KindFund, elena, search.VerdictSaved, "", "")
	if !errors.Is(err, search.ErrNotFound) {
		t.Errorf("feedback on an angel id as a fund: got %v, want ErrNotFound", err)
	}
}

func TestStartedBroadcasts(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid := db.CreateUser(t, "founder@example.com")
	if err := search.New(db.Pool, nil).Started(t.Context(), search.Investors, uid); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(context.Background(), `select count(*) from realtime.messages
		where topic = 'user:' || $1 and event = 'search_progress' and payload ->> 'status' = 'started'`, uid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d started broadcasts, want 1", n)
	}
}

// TestNaiveAgreesWithSQL: the baseline scores like the SQL ranking (it is the evaluation's exact reference).
func TestNaiveAgreesWithSQL(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	ctx := t.Context()
	resp, err := search.New(db.Pool, nil).Rank(ctx, search.Investors, "", search.Request{Criteria: seedInSpain, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := search.NaiveInvestors(ctx, db.Pool, seedInSpain, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != len(resp.Results) {
		t.Fatalf("naive found %d, SQL %d", len(hits), len(resp.Results))
	}
	for i, h := range hits {
		r := resp.Results[i]
		if h.ID != r.ID || h.Score-r.Score > 0.6 || r.Score-h.Score > 0.6 {
			t.Errorf("#%d: naive %s %.2f, SQL %s %.0f", i+1, h.ID, h.Score, r.ID, r.Score)
		}
	}
}

func TestWarm(t *testing.T) {
	t.Parallel()
	db := handBuilt(t)
	if err := search.Warm(t.Context(), db.Pool); err != nil {
		t.Fatal(err)
	}
}
