package moderation

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const serviceKey = "service-role-jwt-for-tests"

// fakeGoTrue is an httptest fake of GoTrue's PUT /admin/users/{id}.
type fakeGoTrue struct {
	*httptest.Server
	mu     sync.Mutex
	calls  []banCall
	status int // answer status; 0 = 200
}

type banCall struct {
	method, path, auth, apikey, banDuration string
}

func newFakeGoTrue(t *testing.T) *fakeGoTrue {
	f := &fakeGoTrue{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			BanDuration string `json:"ban_duration"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.calls = append(f.calls, banCall{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("apikey"), body.BanDuration})
		status := f.status
		f.mu.Unlock()
		if status != 0 {
			http.Error(w, `{"msg":"boom"}`, status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"`+strings.TrimPrefix(r.URL.Path, "/auth/v1/admin/users/")+`","aud":"authenticated","role":"authenticated"}`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGoTrue) Calls() []banCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]banCall(nil), f.calls...)
}

func (f *fakeGoTrue) setStatus(s int) {
	f.mu.Lock()
	f.status = s
	f.mu.Unlock()
}

type env struct {
	db  *pgtest.DB
	svc *Service
	gt  *fakeGoTrue
	uid string
}

// setup gives a database with settings adjusted by settingsSQL (an UPDATE's SET list, or "").
func setup(t *testing.T, banEnabled bool, settingsSQL string) env {
	t.Helper()
	db := pgtest.New(t)
	if settingsSQL != "" {
		db.Exec(t, "update private.moderation_settings set "+settingsSQL)
	}
	gt := newFakeGoTrue(t)
	cfg := config.ModerationConfig{ThrottleEnabled: true, BanEnabled: banEnabled, AuthURL: gt.URL + "/auth/v1",
		ServiceRoleKey: serviceKey, BanTimeout: 5 * time.Second}
	svc := New(db.Pool, cfg, nil).WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	return env{db: db, svc: svc, gt: gt, uid: db.CreateUser(t, "spammer-"+strings.ToLower(t.Name())+"@example.com")}
}

var spam = judge.Decision{Intent: judge.IntentSpam, Confidence: 0.9, SpamScore: 0.9, Reasons: []string{"guard:abuse=0.90"}}

func (e env) strike(t *testing.T, msg string) Verdict {
	t.Helper()
	v, err := e.svc.Record(t.Context(), e.db.Pool, e.uid, msg, spam)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	return v
}

func newMsgID(t *testing.T, db *pgtest.DB) string {
	var id string
	if err := db.Pool.QueryRow(t.Context(), `select gen_random_uuid()::text`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func countStrikes(t *testing.T, e env) int {
	var n int
	if err := e.db.Pool.QueryRow(t.Context(), `select count(*) from private.moderation_strikes where user_id = $1`, e.uid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestThrottleAfterThreshold(t *testing.T) {
	t.Parallel()
	e := setup(t, false, "")
	for i := 1; i <= 2; i++ {
		if v := e.strike(t, newMsgID(t, e.db)); v.Throttled || v.Banned || v.Strikes != i {
			t.Fatalf("strike %d: %+v, want not throttled", i, v)
		}
	}
	before := time.Now()
	v := e.strike(t, newMsgID(t, e.db))
	if !v.Throttled || v.Strikes != 3 {
		t.Fatalf("third strike: %+v, want throttled", v)
	}
	if d := v.Until.Sub(before); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("throttled for %s, want about 10m (settings default)", d)
	}
	// The throttle doubles with each further strike.
	v4 := e.strike(t, newMsgID(t, e.db))
	if d := v4.Until.Sub(before); d < 19*time.Minute || d > 21*time.Minute {
		t.Errorf("fourth strike throttles for %s, want about 20m", d)
	}
	got, err := e.svc.Throttled(t.Context(), e.db.Pool, e.uid)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Throttled || !got.Until.Equal(v4.Until) || got.Banned || got.Strikes != 4 {
		t.Errorf("Throttled = %+v, want throttled until %s", got, v4.Until)
	}
	// Nobody else is affected.
	other := e.db.CreateUser(t, "innocent@example.com")
	if v, err := e.svc.Throttled(t.Context(), e.db.Pool, other); err != nil || v.Blocked() {
		t.Errorf("other user: %+v %v", v, err)
	}
	if n := len(e.gt.Calls()); n != 0 {
		t.Errorf("%d ban calls with bans disabled", n)
	}
}

func TestRecordIgnoresNonSpamAndDuplicates(t *testing.T) {
	t.Parallel()
	e := setup(t, false, "")
	if v, err := e.svc.Record(t.Context(), e.db.Pool, e.uid, newMsgID(t, e.db), judge.Decision{Intent: judge.IntentMentor, SpamScore: 0.4}); err != nil || v != (Verdict{}) {
		t.Fatalf("non-spam: %+v %v", v, err)
	}
	msg := newMsgID(t, e.db)
	e.strike(t, msg)
	e.strike(t, msg)
	e.strike(t, msg)
	if n := countStrikes(t, e); n != 1 {
		t.Fatalf("%d strikes after recording one message three times, want 1", n)
	}
	// Strikes without a message id all count.
	e.strike(t, "")
	e.strike(t, "")
	if n := countStrikes(t, e); n != 3 {
		t.Fatalf("%d strikes, want 3", n)
	}
	if _, err := e.svc.Record(t.Context(), e.db.Pool, e.uid, "not-a-uuid", spam); err == nil {
		t.Error("a malformed message id was accepted")
	}
}

func TestRecordInRolledBackTransaction(t *testing.T) {
	t.Parallel()
	e := setup(t, false, "")
	tx, err := e.db.Pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := e.svc.Record(t.Context(), tx, e.uid, newMsgID(t, e.db), spam); err != nil {
			t.Fatal(err)
		}
	}
	v, err := e.svc.Throttled(t.Context(), tx, e.uid)
	if err != nil || !v.Throttled {
		t.Fatalf("inside the transaction: %+v %v", v, err)
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := countStrikes(t, e); n != 0 {
		t.Errorf("%d strikes survived the rollback", n)
	}
}

func TestBanOnceThroughGoTrue(t *testing.T) {
	t.Parallel()
	e := setup(t, true, "ban_after = 4, ban_duration = '720 hours'")
	for i := 1; i <= 3; i++ {
		if v := e.strike(t, newMsgID(t, e.db)); v.Banned {
			t.Fatalf("strike %d banned: %+v", i, v)
		}
	}
	if n := len(e.gt.Calls()); n != 0 {
		t.Fatalf("%d ban calls before the threshold", n)
	}
	v := e.strike(t, newMsgID(t, e.db))
	if !v.Banned || !v.Throttled {
		t.Fatalf("fourth strike: %+v, want banned and throttled", v)
	}
	if d := time.Until(v.BannedUntil); d < 719*time.Hour || d > 721*time.Hour {
		t.Errorf("banned until %s", v.BannedUntil)
	}
	calls := e.gt.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d ban calls, want 1", len(calls))
	}
	c := calls[0]
	if c.method != http.MethodPut || c.path != "/auth/v1/admin/users/"+e.uid || c.auth != "Bearer "+serviceKey ||
		c.apikey != serviceKey || c.banDuration != "720h0m0s" {
		t.Errorf("ban call = %+v", c)
	}
	// Further strikes do not ban again.
	for range 3 {
		e.strike(t, newMsgID(t, e.db))
	}
	if n := len(e.gt.Calls()); n != 1 {
		t.Errorf("%d ban calls after more strikes, want still 1", n)
	}
	got, err := e.svc.Throttled(t.Context(), e.db.Pool, e.uid)
	if err != nil || !got.Banned || !got.Blocked() {
		t.Errorf("Throttled after ban = %+v %v", got, err)
	}
}

func TestBanDisabledNeverCalls(t *testing.T) {
	t.Parallel()
	e := setup(t, false, "ban_after = 3")
	for range 6 {
		if v := e.strike(t, newMsgID(t, e.db)); v.Banned {
			t.Fatalf("banned with bans disabled: %+v", v)
		}
	}
	if n := len(e.gt.Calls()); n != 0 {
		t.Errorf("%d ban calls with SPAM_BAN_ENABLED=false", n)
	}
	var requested bool
	if err := e.db.Pool.QueryRow(t.Context(), `select ban_requested_at is not null from private.moderation_state where user_id = $1`, e.uid).Scan(&requested); err != nil {
		t.Fatal(err)
	}
	if requested {
		t.Error("a ban was recorded as requested although bans are disabled")
	}
}

func TestBanFailureIsRetriedLater(t *testing.T) {
	t.Parallel()
	e := setup(t, true, "ban_after = 3, ban_retry_after = '1 millisecond'")
	e.gt.setStatus(http.StatusInternalServerError)
	e.strike(t, newMsgID(t, e.db))
	e.strike(t, newMsgID(t, e.db))
	if v := e.strike(t, newMsgID(t, e.db)); v.Banned || !v.Throttled {
		t.Fatalf("failed ban reported as banned: %+v", v)
	}
	if n := len(e.gt.Calls()); n != 1 {
		t.Fatalf("%d ban calls, want 1", n)
	}
	time.Sleep(5 * time.Millisecond)
	e.gt.setStatus(0)
	if v := e.strike(t, newMsgID(t, e.db)); !v.Banned {
		t.Fatalf("retried ban not applied: %+v", v)
	}
	if n := len(e.gt.Calls()); n != 2 {
		t.Errorf("%d ban calls, want 2", n)
	}
}

func TestThrottleDisabled(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid := db.CreateUser(t, "free@example.com")
	svc := New(db.Pool, config.ModerationConfig{ThrottleEnabled: false}, nil)
	for range 5 {
		if v, err := svc.Record(t.Context(), db.Pool, uid, "", spam); err != nil || v.Blocked() {
			t.Fatalf("%+v %v", v, err)
		}
	}
	var n int
	if err := db.Pool.QueryRow(t.Context(), `select count(*) from private.moderation_strikes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d strikes recorded with moderation disabled", n)
	}
}

// Client roles cannot touch the moderation tables or functions.
func TestClientsCannotReachModeration(t *testing.T) {
	t.Parallel()
	e := setup(t, false, "")
	e.strike(t, "")
	for _, q := range []string{
		`select count(*) from private.moderation_strikes`,
		`select private.moderation_status('` + e.uid + `')`,
		`select private.record_spam_strike('` + e.uid + `', null, 'x', 0.5)`,
	} {
		err := e.db.AsUser(t.Context(), e.uid, func(tx pgx.Tx) error {
			_, err := tx.Exec(t.Context(), q)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as the user: err = %v, want permission denied", q, err)
		}
	}
}

func TestGoTrueBannerSecretKeyNotBearer(t *testing.T) {
	t.Parallel()
	gt := newFakeGoTrue(t)
	b := NewGoTrueBanner(gt.URL+"/auth/v1", "sb_secret_abc", time.Second)
	id := "4f0e5d1c-3b2a-4c1d-9e8f-7a6b5c4d3e2f"
	if err := b.Ban(context.Background(), id, 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	c := gt.Calls()[0]
	if c.auth != "" || c.apikey != "sb_secret_abc" || c.banDuration != "2h0m0s" {
		t.Errorf("call = %+v", c)
	}
	gt.setStatus(http.StatusUnauthorized)
	if err := b.Ban(context.Background(), id, time.Hour); !errors.Is(err, ErrBanRejected) {
		t.Errorf("401: err = %v, want ErrBanRejected", err)
	}
	if err := b.Ban(context.Background(), "nope", time.Hour); err == nil {
		t.Error("malformed id accepted")
	}
}
