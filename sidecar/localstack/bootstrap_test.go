package localstack_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zerobullshit/backend/sidecar/localstack"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// repoSource is the real repository layout.
func repoSource(t *testing.T) localstack.Source {
	t.Helper()
	src, err := localstack.FindSource("")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// tempSource is the real bootstrap with migrations (name -> SQL) and an optional seed in a temp dir.
func tempSource(t *testing.T, migrations map[string]string, seed string) localstack.Source {
	t.Helper()
	root := t.TempDir()
	src := repoSource(t)
	src.Root = root
	src.MigrationsDir = filepath.Join(root, "supabase", "migrations")
	src.SeedFile = filepath.Join(root, "supabase", "seed.sql")
	if err := os.MkdirAll(src.MigrationsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, sql := range migrations {
		if err := os.WriteFile(filepath.Join(src.MigrationsDir, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if seed != "" {
		if err := os.WriteFile(src.SeedFile, []byte(seed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// buildDB builds a new database from src on the shared test cluster and drops it after the test.
func buildDB(t *testing.T, src localstack.Source) (*localstack.Cluster, string, *localstack.BuildReport, error) {
	t.Helper()
	c := pgtest.Cluster(t)
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "zb_lt_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		if err := localstack.DropDatabase(context.Background(), c, name); err != nil {
			t.Error(err)
		}
	})
	rep, err := localstack.Build(t.Context(), c, name, src)
	return c, name, rep, err
}

// bootstrapDB is a database with the bootstrap and no migrations.
func bootstrapDB(t *testing.T) (*localstack.Cluster, string) {
	t.Helper()
	c, name, _, err := buildDB(t, tempSource(t, nil, ""))
	if err != nil {
		t.Fatal(err)
	}
	return c, name
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestBootstrapRoles(t *testing.T) {
	t.Parallel()
	c, db := bootstrapDB(t)
	conn := connect(t, c.AdminURL(db))
	type attrs struct {
		super, inherit, createrole, createdb, login, replication, bypassrls bool
	}
	want := map[string]attrs{
		"postgres":            {false, true, true, true, true, true, true},
		"anon":                {false, true, false, false, false, false, false},
		"authenticated":       {false, true, false, false, false, false, false},
		"service_role":        {false, true, false, false, false, false, true},
		"authenticator":       {false, false, false, false, true, false, false},
		"supabase_auth_admin": {false, false, false, false, true, false, false},
	}
	for role, w := range want {
		var got attrs
		err := conn.QueryRow(t.Context(), `select rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
		       rolreplication, rolbypassrls from pg_roles where rolname = $1`, role).
			Scan(&got.super, &got.inherit, &got.createrole, &got.createdb, &got.login, &got.replication, &got.bypassrls)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", role, got, w)
		}
	}
	for _, r := range []string{"supabase_storage_admin", "supabase_realtime_admin", "supabase_replication_admin",
		"supabase_read_only_user", "dashboard_user", "pgbouncer", "supabase_superuser"} {
		var ok bool
		if err := conn.QueryRow(t.Context(), "select exists (select from pg_roles where rolname = $1)", r).Scan(&ok); err != nil || !ok {
			t.Errorf("role %s missing (%v)", r, err)
		}
	}
	members := [][2]string{
		{"authenticator", "anon"}, {"authenticator", "authenticated"}, {"authenticator", "service_role"},
		{"postgres", "anon"}, {"postgres", "service_role"}, {"postgres", "pg_read_all_data"},
		{"postgres", "supabase_superuser"}, {"postgres", "supabase_realtime_admin"},
	}
	for _, m := range members {
		var ok bool
		if err := conn.QueryRow(t.Context(), "select pg_has_role($1, $2, 'member')", m[0], m[1]).Scan(&ok); err != nil || !ok {
			t.Errorf("%s should be a member of %s (%v)", m[0], m[1], err)
		}
	}
	var owner string
	if err := conn.QueryRow(t.Context(), "select pg_get_userbyid(datdba) from pg_database where datname = 'postgres'").Scan(&owner); err != nil || owner != "postgres" {
		t.Errorf("database postgres owned by %q (%v)", owner, err)
	}
	// Role settings are applied at login.
	var timeout string
	if err := connect(t, c.URL("authenticator", db)).QueryRow(t.Context(), "show statement_timeout").Scan(&timeout); err != nil || timeout != "8s" {
		t.Errorf("authenticator statement_timeout = %q (%v)", timeout, err)
	}
}

func TestAuthHelpersReadClaims(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid := "4f0c5d1e-8a9b-4c3d-9e2f-0123456789ab"
	err := db.AsUser(t.Context(), uid, func(tx pgx.Tx) error {
		var got, role, who string
		if err := tx.QueryRow(t.Context(), "select auth.uid()::text, auth.role(), current_user").Scan(&got, &role, &who); err != nil {
			return err
		}
		if got != uid || role != "authenticated" || who != "authenticated" {
			t.Errorf("auth.uid()=%s auth.role()=%s current_user=%s", got, role, who)
		}
		var sub string
		if err := tx.QueryRow(t.Context(), "select auth.jwt() ->> 'sub'").Scan(&sub); err != nil || sub != uid {
			t.Errorf("auth.jwt()->>'sub' = %q (%v)", sub, err)
		}
		// The legacy per-claim setting wins over the claims JSON.
		legacy := "11111111-2222-4333-8444-555555555555"
		if err := tx.QueryRow(t.Context(), "select set_config('request.jwt.claim.sub', $1, true), auth.uid()::text", legacy).Scan(new(string), &got); err != nil || got != legacy {
			t.Errorf("with request.jwt.claim.sub: auth.uid() = %q (%v)", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.AsAnon(t.Context(), func(tx pgx.Tx) error {
		var uid *string
		var timeout string
		if err := tx.QueryRow(t.Context(), "select auth.uid()::text, current_setting('statement_timeout')").Scan(&uid, &timeout); err != nil {
			return err
		}
		if uid != nil || timeout != "3s" {
			t.Errorf("anon: auth.uid() = %v, statement_timeout = %s", uid, timeout)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewTablesAreNotExposed(t *testing.T) {
	t.Parallel()
	c, name := bootstrapDB(t)
	pg := connect(t, c.URL("postgres", name))
	if _, err := pg.Exec(t.Context(), "create table public.secrets (id int primary key); insert into public.secrets values (1)"); err != nil {
		t.Fatal(err)
	}
	auth := connect(t, c.URL("authenticator", name))
	read := func() error {
		return pgx.BeginFunc(t.Context(), auth, func(tx pgx.Tx) error {
			if _, err := tx.Exec(t.Context(), "select set_config('role', 'authenticated', true)"); err != nil {
				return err
			}
			var n int
			return tx.QueryRow(t.Context(), "select count(*) from public.secrets").Scan(&n)
		})
	}
	var pgErr *pgconn.PgError
	if err := read(); !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("authenticated reading an ungranted table: got %v, want 42501", err)
	}
	if _, err := pg.Exec(t.Context(), "grant select on public.secrets to authenticated"); err != nil {
		t.Fatal(err)
	}
	if err := read(); err != nil {
		t.Fatalf("after grant: %v", err)
	}
	// postgres bypasses RLS; tables in auth are open to it through the default privileges.
	if _, err := pg.Exec(t.Context(), "insert into auth.users (email) values ('x@example.com')"); err != nil {
		t.Fatalf("postgres inserting into auth.users: %v", err)
	}
}

func TestRealtimeSend(t *testing.T) {
	t.Parallel()
	c, name := bootstrapDB(t)
	pg := connect(t, c.URL("postgres", name))
	err := pgx.BeginFunc(t.Context(), pg, func(tx pgx.Tx) error {
		if _, err := tx.Exec(t.Context(), `select realtime.send('{"text": "hi"}', 'chat_message', 'user:1')`); err != nil {
			return err
		}
		var topic, event, ext, sessionTopic string
		var private, hasID bool
		err := tx.QueryRow(t.Context(), `select topic, event, extension, private, payload ? 'id' and (payload->>'id')::uuid = id,
		        current_setting('realtime.topic') from realtime.messages`).Scan(&topic, &event, &ext, &private, &hasID, &sessionTopic)
		if err != nil {
			return err
		}
		if topic != "user:1" || event != "chat_message" || ext != "broadcast" || !private || !hasID || sessionTopic != "user:1" {
			t.Errorf("message: topic=%s event=%s extension=%s private=%v id-in-payload=%v realtime.topic=%s", topic, event, ext, private, hasID, sessionTopic)
		}
		// A failing send (null topic violates NOT NULL) only warns; the transaction goes on.
		if _, err := tx.Exec(t.Context(), `select realtime.send('{}', 'x', null)`); err != nil {
			t.Errorf("a failing realtime.send aborted the caller: %v", err)
		}
		var n int
		return tx.QueryRow(t.Context(), "select count(*) from realtime.messages").Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	// broadcast_changes wraps the row in a record/old_record payload.
	_, err = pg.Exec(t.Context(), `
create table public.notes (id int primary key, body text);
create function public.notes_broadcast() returns trigger language plpgsql as $$
begin
  perform realtime.broadcast_changes('notes:' || new.id, TG_OP, TG_OP, TG_TABLE_NAME, TG_TABLE_SCHEMA, new, old);
  return new;
end $$;
create trigger notes_broadcast after insert on public.notes for each row execute function public.notes_broadcast();
insert into public.notes values (7, 'hello');`)
	if err != nil {
		t.Fatal(err)
	}
	var body, op string
	if err := pg.QueryRow(t.Context(), "select payload->'record'->>'body', payload->>'operation' from realtime.messages where topic = 'notes:7'").Scan(&body, &op); err != nil || body != "hello" || op != "INSERT" {
		t.Errorf("broadcast_changes: body=%q op=%q (%v)", body, op, err)
	}
}

func TestRealtimePolicyByPostgres(t *testing.T) {
	t.Parallel()
	c, name := bootstrapDB(t)
	pg := connect(t, c.URL("postgres", name))
	_, err := pg.Exec(t.Context(), `create policy "own topic" on realtime.messages for select to authenticated
  using (realtime.topic() = 'user:' || (select auth.uid())::text)`)
	if err != nil {
		t.Fatalf("postgres creating a policy on realtime.messages: %v", err)
	}
	if _, err := pg.Exec(t.Context(), "create table public.live (id int primary key); alter publication supabase_realtime add table public.live"); err != nil {
		t.Fatalf("postgres altering publication supabase_realtime: %v", err)
	}
}

func TestDatabasesAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := pgtest.New(t), pgtest.New(t)
	if a.Name == b.Name {
		t.Fatal("same database twice")
	}
	a.Exec(t, "create table public.only_in_a (id int)")
	var exists bool
	if err := b.Pool.QueryRow(t.Context(), "select to_regclass('public.only_in_a') is not null").Scan(&exists); err != nil || exists {
		t.Fatalf("table created in %s is visible in %s (%v)", a.Name, b.Name, err)
	}
	// Both are complete copies of the template: migrations recorded, bootstrap in place.
	for _, d := range []*pgtest.DB{a, b} {
		var n int
		migs, _ := repoSource(t).Migrations()
		if err := d.Pool.QueryRow(t.Context(), "select count(*) from supabase_migrations.schema_migrations").Scan(&n); err != nil || n != len(migs) {
			t.Errorf("%s: %d migrations recorded, want %d (%v)", d.Name, n, len(migs), err)
		}
		var authCreate bool
		if err := d.Pool.QueryRow(t.Context(), "select has_database_privilege('supabase_auth_admin', current_database(), 'CREATE')").Scan(&authCreate); err != nil || !authCreate {
			t.Errorf("%s: supabase_auth_admin lacks CREATE on the database (%v)", d.Name, err)
		}
	}
}

func TestCreateUserAndServiceRole(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid := db.CreateUser(t, "someone@example.com")
	err := db.AsServiceRole(t.Context(), func(tx pgx.Tx) error {
		var who string
		if err := tx.QueryRow(t.Context(), "select current_user").Scan(&who); err != nil {
			return err
		}
		if who != "service_role" {
			t.Errorf("current_user = %s", who)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(uid, "-") {
		t.Fatalf("uid %q", uid)
	}
}
