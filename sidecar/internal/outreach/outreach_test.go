package outreach

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/zerobullshit/backend/sidecar/internal/auth"
	"github.com/zerobullshit/backend/sidecar/internal/httpapi"
	"github.com/zerobullshit/backend/sidecar/internal/unipile"
	"github.com/zerobullshit/backend/sidecar/internal/unipile/unipiletest"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const secret = "webhook-secret-0123456789"

// clock is a test clock the sender passes to the database.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

// monday is the next Monday 09:00 UTC after the wall clock (launch schedules targets at the database's now()).
func monday() *clock {
	d := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	for d.Weekday() != time.Monday {
		d = d.Add(24 * time.Hour)
	}
	return &clock{d.Add(9 * time.Hour)}
}
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
func q1[T any](t testing.TB, db *pgtest.DB, sql string, args ...any) (v T) {
	t.Helper()
	must(t, db.Pool.QueryRow(context.Background(), sql, args...).Scan(&v))
	return v
}

// fixture: an Outreach user with a project, n angels and a search listing them.
func fixture(t testing.TB, db *pgtest.DB, n int) (uid, search string) {
	t.Helper()
	uid = db.CreateUser(t, fmt.Sprintf("founder%d@example.com", time.Now().UnixNano()))
	db.Exec(t, `update public.profiles set plan_id = 'outreach', display_name = 'Olga' where id = $1`, uid)
	project := q1[string](t, db, `insert into public.projects (user_id, name, description, categories, stage, country)
		values ($1, 'PayFlow', 'Payments for small shops. More text.', '{fintech}', 'seed', 'ES') returning id::text`, uid)
	search = q1[string](t, db, `
		with a as (
		  insert into public.angel_investors (linkedin_url, full_name, headline, categories_strong, stages_strong)
		  select 'https://www.linkedin.com/in/angel-' || g || '-' || substr(md5($1::text || g), 1, 6), 'Angel' || g || ' Investor', 'Fintech angel', '{fintech}', '{seed}'
		  from generate_series(1, $2) g returning id)
		insert into public.search_results (user_id, project_id, kind, results, result_count)
		select $1::uuid, $3::uuid, 'investors', jsonb_agg(jsonb_build_object('kind', 'angel', 'id', a.id)), count(*) from a
		returning id::text`, uid, n, project)
	return uid, search
}

// campaign creates, fills, generates (templates), approves and launches a campaign as the user.
func campaign(t testing.TB, db *pgtest.DB, uid, search string) string {
	t.Helper()
	ctx := context.Background()
	var id string
	must(t, db.AsUser(ctx, uid, func(tx pgx.Tx) error {
		var raw []byte
		if err := tx.QueryRow(ctx, `select public.create_outreach_campaign('Seed', (select id from public.projects where user_id = auth.uid() limit 1))`).Scan(&raw); err != nil {
			return err
		}
		var c struct{ ID string }
		_ = json.Unmarshal(raw, &c)
		id = c.ID
		_, err := tx.Exec(ctx, `select public.add_outreach_targets($1, $2)`, id, search)
		return err
	}))
	g := &Generator{DB: db.Pool, Batch: 1000}
	if _, err := g.Step(ctx); err != nil {
		t.Fatal(err)
	}
	must(t, db.AsUser(ctx, uid, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `select public.approve_outreach_messages($1)`, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `select public.launch_outreach_campaign($1)`, id)
		return err
	}))
	return id
}

func newEcho(h *Handlers, uid string) *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var ae *httpapi.Error
		if errors.As(err, &ae) {
			_ = c.JSON(ae.Status, ae)
			return
		}
		_ = c.JSON(http.StatusInternalServerError, map[string]string{"message": err.Error()})
	}
	v1 := e.Group("/v1", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.SetRequest(c.Request().WithContext(auth.NewContext(c.Request().Context(), &auth.Claims{UserID: uid, Role: "authenticated"})))
			return next(c)
		}
	})
	h.Register(v1, e.Group("/webhooks"))
	return e
}

func post(e *echo.Echo, path string, body any, header ...string) *httptest.ResponseRecorder {
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// drain runs sender steps, advancing the clock by step after each, until nothing is due for idle rounds.
func drain(t testing.TB, s *Sender, c *clock, step time.Duration, rounds int) int {
	t.Helper()
	n := 0
	for i := 0; i < rounds; i++ {
		did, err := s.Step(context.Background())
		must(t, err)
		if did {
			n++
		}
		c.add(step)
	}
	return n
}

// The vertical slice: connect through hosted auth, campaign, approval, launch, the sender with the
// fake Unipile, webhooks (acceptance, reply, own message, bad secret), reconciliation, metrics.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	fake := unipiletest.New()
	defer fake.Close()
	fake.AddAccount("acc-1", "premium")
	client, err := unipile.New(unipile.Config{DSN: fake.DSN(), APIKey: fake.APIKey})
	must(t, err)
	uid, search := fixture(t, db, 2)

	h := &Handlers{DB: db.Pool, Unipile: client, DSN: client.DSN(), NotifyBaseURL: "https://sidecar.example",
		RedirectURL: "https://app.example/settings", WebhookSecret: secret}
	e := newEcho(h, uid)

	// 1. Connect: a fresh link per click, notify_url carries a one-time token, the callback stores the account.
	rec := post(e, "/v1/linkedin/connect", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"url":"`+fake.URL+`/hosted/`) {
		t.Fatalf("connect: %d %s", rec.Code, rec.Body)
	}
	post(e, "/v1/linkedin/connect", nil)
	links := fake.Links()
	if len(links) != 2 || links[0]["notify_url"] == links[1]["notify_url"] || links[0]["name"] != uid || links[0]["type"] != "create" {
		t.Fatalf("links = %v", links)
	}
	nu, _ := url.Parse(links[0]["notify_url"].(string))
	if rec := post(e, nu.RequestURI(), map[string]any{"status": "CREATION_SUCCESS", "account_id": "acc-1", "name": "someone-else"}); rec.Code != 500 && rec.Code != 403 {
		t.Fatalf("callback for another user accepted: %d", rec.Code)
	}
	if rec := post(e, nu.RequestURI(), map[string]any{"status": "CREATION_SUCCESS", "account_id": "acc-1", "name": uid}); rec.Code != 200 {
		t.Fatalf("callback: %d %s", rec.Code, rec.Body)
	}
	if tier := q1[string](t, db, `select tier from public.linkedin_accounts where user_id = $1`, uid); tier != "premium" {
		t.Fatalf("tier = %s", tier)
	}
	db.Exec(t, `update public.linkedin_accounts set min_gap_seconds = 60, max_gap_seconds = 60, ramp_days = 0`)

	// 2. Campaign, generated messages approved, launch.
	cid := campaign(t, db, uid, search)
	if n := q1[int](t, db, `select count(*)::int from public.generated_messages where campaign_id = $1 and status = 'approved' and mode = 'template'`, cid); n != 8 {
		t.Fatalf("approved messages = %d, want 8 (2 targets x 4 steps)", n)
	}

	// 3. Sender: view + invite for each target, spaced, with the approved note.
	c := monday()
	s := &Sender{DB: db.Pool, Provider: client, Now: c.now}
	if n := drain(t, s, c, time.Minute, 10); n != 4 {
		t.Fatalf("actions = %d, want 4", n)
	}
	inv := fake.Invites()
	if len(inv) != 2 {
		t.Fatalf("invites = %+v", inv)
	}
	note := q1[string](t, db, `select body from public.generated_messages m join public.outreach_targets t on t.id = m.target_id
		where t.provider_id = $1 and m.step = 1`, inv[0].ProviderID)
	if inv[0].Message != note || !strings.HasPrefix(note, "Hi Angel") {
		t.Fatalf("note %q, approved %q", inv[0].Message, note)
	}
	if q1[string](t, db, `select verdict from public.investor_feedback where user_id = $1 limit 1`, uid) != "contacted" {
		t.Fatal("investor not marked contacted")
	}

	// 4. Webhooks: bad secret refused; acceptance schedules the first message; reply stops the sequence.
	if rec := post(e, "/webhooks/unipile", map[string]any{"event": "new_relation"}, WebhookSecretHeader, "nope"); rec.Code != 401 {
		t.Fatalf("bad secret: %d", rec.Code)
	}
	fake.Accept("acc-1", inv[0].ProviderID)
	rel := map[string]any{"event": "new_relation", "account_id": "acc-1", "user_provider_id": inv[0].ProviderID}
	if rec := post(e, "/webhooks/unipile", rel, WebhookSecretHeader, secret); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"accepted":1`) {
		t.Fatalf("new_relation: %d %s", rec.Code, rec.Body)
	}
	c.add(49 * time.Hour) // Wednesday: two days after the invitation
	if n := drain(t, s, c, time.Minute, 3); n != 1 {
		t.Fatalf("first message actions = %d", n)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "Thanks for connecting") || msgs[0].Attendees[0] != inv[0].ProviderID {
		t.Fatalf("messages = %+v", msgs)
	}
	own := map[string]any{"event": "message_received", "account_id": "acc-1", "message_id": "m-own", "chat_id": msgs[0].ChatID,
		"message": "hello", "account_info": map[string]any{"user_id": fake.OwnProviderID("acc-1")},
		"sender": map[string]any{"attendee_provider_id": fake.OwnProviderID("acc-1")}}
	if rec := post(e, "/webhooks/unipile", own, WebhookSecretHeader, secret); !strings.Contains(rec.Body.String(), "own_message") {
		t.Fatalf("own message: %s", rec.Body)
	}
	reply := map[string]any{"event": "message_received", "account_id": "acc-1", "message_id": "m-1", "chat_id": msgs[0].ChatID,
		"message": "Send me the deck", "account_info": map[string]any{"user_id": fake.OwnProviderID("acc-1")},
		"sender": map[string]any{"attendee_provider_id": inv[0].ProviderID}}
	post(e, "/webhooks/unipile", reply, WebhookSecretHeader, secret)
	if rec := post(e, "/webhooks/unipile", reply, WebhookSecretHeader, secret); !strings.Contains(rec.Body.String(), `"duplicate":true`) {
		t.Fatalf("redelivery: %s", rec.Body)
	}
	if st := q1[string](t, db, `select status || ':' || coalesce(next_due_at::text, '-') from public.outreach_targets where provider_id = $1`, inv[0].ProviderID); st != "replied:-" {
		t.Fatalf("after reply: %s", st)
	}

	// 5. Reconciliation: the second acceptance never produced a webhook.
	fake.Accept("acc-1", inv[1].ProviderID)
	r := &Reconciler{DB: db.Pool, Provider: client, Now: c.now}
	if n, err := r.Step(ctx); err != nil || n != 1 {
		t.Fatalf("reconcile: %d %v", n, err)
	}
	if st := q1[string](t, db, `select status from public.outreach_targets where provider_id = $1`, inv[1].ProviderID); st != "accepted" {
		t.Fatalf("reconciled target: %s", st)
	}

	// 6. Metrics are queries.
	var m map[string]any
	must(t, json.Unmarshal(q1[[]byte](t, db, `select private.campaign_metrics($1)`, cid), &m))
	if m["invitations_sent"] != 2.0 || m["accepted"] != 2.0 || m["replied"] != 1.0 || m["messages_sent"] != 1.0 || m["reply_rate"] != 0.5 {
		t.Fatalf("metrics = %v", m)
	}
}

// Without a Unipile key the sender is a dry run: it records what it would send and calls nobody.
func TestDryRun(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid, search := fixture(t, db, 3)
	db.Exec(t, `insert into public.linkedin_accounts (user_id, unipile_account_id, tier, min_gap_seconds, max_gap_seconds, ramp_days)
		values ($1, 'dry-acc', 'premium', 0, 0, 0)`, uid)
	campaign(t, db, uid, search)
	c := monday()
	s := &Sender{DB: db.Pool, Now: c.now}
	if n := drain(t, s, c, time.Second, 10); n != 6 {
		t.Fatalf("dry-run actions = %d, want 6 (3 views + 3 invitations)", n)
	}
	if n := q1[int](t, db, `select count(*)::int from public.outreach_actions where mode = 'dry_run' and kind = 'invite' and state = 'sent' and body like 'Hi %'`); n != 3 {
		t.Fatalf("recorded dry-run invitations = %d", n)
	}
	if n := q1[int](t, db, `select count(*)::int from public.investor_feedback where user_id = $1 and verdict = 'contacted'`, uid); n != 0 {
		t.Fatalf("dry run marked %d investors contacted", n)
	}
}

func TestTemplatesFitLimits(t *testing.T) {
	t.Parallel()
	var job GenJob
	job.Language = "es"
	job.Investor.Name = "María José García"
	job.Investor.Fund = strings.Repeat("Fondo Ñandú ", 20)
	job.Investor.Sectors = []string{"fintech"}
	job.Project.Name = "PagoFácil"
	job.Project.Description = strings.Repeat("Pagos para pymes con ñ y acentos ", 20)
	job.Project.Sectors = []string{"fintech", "saas"}
	job.Project.Stage = "pre_seed"
	job.Steps = []GenStep{{1, "connection_request", 200}, {2, "first_message", 500}, {3, "follow_up", 400}, {4, "pitch_message", 600}}
	for _, d := range Templates(job) {
		if n := len([]rune(d.Body)); n > job.Steps[d.Step-1].MaxChars || n == 0 {
			t.Errorf("step %d: %d characters", d.Step, n)
		}
		if d.Step == 1 && !strings.HasPrefix(d.Body, "Hola María") {
			t.Errorf("note %q", d.Body)
		}
	}
	if got := FitRunes("ñññ ñññ ñññ", 6); len([]rune(got)) > 6 {
		t.Errorf("FitRunes = %q", got)
	}
}
