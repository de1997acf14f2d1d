package httpapi

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// repoMigrations is the newest migration version in supabase/migrations.
func repoMigrations(t *testing.T) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "..", "..", "supabase", "migrations", "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	return LatestMigrationVersion(names...)
}

func TestReadyzWithDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	latest := repoMigrations(t)

	s := newTestServer(t, nil, Deps{DB: db.Pool, MigrationVersion: latest})
	rec := s.do(t, "GET", "/readyz", nil, nil, "")
	if rec.Code != 200 {
		t.Fatalf("readyz = %d %s", rec.Code, rec.Body)
	}
	var body readyResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Status != "ready" || body.Migration != latest {
		t.Errorf("body = %s, want ready at %s", rec.Body, latest)
	}

	// Without a required version any applied migration will do.
	if rec := newTestServer(t, nil, Deps{DB: db.Pool}).do(t, "GET", "/readyz", nil, nil, ""); rec.Code != 200 {
		t.Errorf("readyz without a version = %d %s", rec.Code, rec.Body)
	}

	// A build that needs a newer migration than the database has is not ready.
	s = newTestServer(t, nil, Deps{DB: db.Pool, MigrationVersion: "29991231000000"})
	e := wantError(t, s.do(t, "GET", "/readyz", nil, nil, ""), 503, CodeUnavailable)
	if want := "database migrations behind: have " + latest + ", need 29991231000000"; e.Message != want {
		t.Errorf("message = %q, want %q", e.Message, want)
	}

	// No migrations recorded at all.
	db.Exec(t, "delete from supabase_migrations.schema_migrations")
	s = newTestServer(t, nil, Deps{DB: db.Pool, MigrationVersion: latest})
	e = wantError(t, s.do(t, "GET", "/readyz", nil, nil, ""), 503, CodeUnavailable)
	if e.Message != "no migrations applied" {
		t.Errorf("message = %q", e.Message)
	}
}

func TestReadyzMissingMigrationTable(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.Exec(t, "alter table supabase_migrations.schema_migrations rename to schema_migrations_gone")
	s := newTestServer(t, nil, Deps{DB: db.Pool})
	e := wantError(t, s.do(t, "GET", "/readyz", nil, nil, ""), 503, CodeUnavailable)
	if e.Message != "migration history unreadable" {
		t.Errorf("message = %q", e.Message)
	}
	if !strings.Contains(s.logs.String(), "schema_migrations") {
		t.Error("the database error was not logged")
	}
}

func TestMeReturnsCreditStatus(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid := db.CreateUser(t, "founder@example.com")
	s := newTestServer(t, nil, Deps{DB: db.Pool})

	rec := s.do(t, "GET", "/v1/me", nil, bearer(token(t, uid, nil)), "")
	if rec.Code != 200 {
		t.Fatalf("/v1/me = %d %s", rec.Code, rec.Body)
	}
	var body struct {
		UserID       string `json:"user_id"`
		Email        string `json:"email"`
		IsAnonymous  bool   `json:"is_anonymous"`
		CreditStatus struct {
			Plan           string `json:"plan"`
			DailyAllowance int    `json:"daily_allowance"`
			DailyUsed      int    `json:"daily_used"`
			DailyLeft      int    `json:"daily_left"`
			Balance        int    `json:"balance"`
			Available      int    `json:"available"`
			NextResetAt    string `json:"next_reset_at"`
		} `json:"credit_status"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	cs := body.CreditStatus
	// A new free user: 200 signup credits, 50 a day, nothing used (supabase/migrations plans + grant).
	if body.UserID != uid || body.Email != "founder@example.com" || body.IsAnonymous ||
		cs.Plan != "free" || cs.Balance != 200 || cs.DailyAllowance != 50 || cs.DailyUsed != 0 ||
		cs.DailyLeft != 50 || cs.Available != 250 || cs.NextResetAt == "" {
		t.Errorf("body = %s", rec.Body)
	}

	// What the endpoint returns is the database's view, not a copy of the token.
	var want json.RawMessage
	if err := db.Pool.QueryRow(t.Context(), "select private.credit_status($1::uuid)", uid).Scan(&want); err != nil {
		t.Fatal(err)
	}
	var got struct {
		CreditStatus json.RawMessage `json:"credit_status"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &got)
	if !jsonEqual(t, got.CreditStatus, want) {
		t.Errorf("credit_status %s, database says %s", got.CreditStatus, want)
	}

	// A valid token for a user without an account.
	e := wantError(t, s.do(t, "GET", "/v1/me", nil, bearer(token(t, "11111111-2222-4333-8444-555555555555", nil)), ""), 404, CodeNotFound)
	if e.Message != "no account for this user" {
		t.Errorf("message = %q", e.Message)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
