// Package pgtest gives Go tests a fresh, Supabase-shaped PostgreSQL database each: bootstrap, every
// migration in supabase/migrations and supabase/seed.sql, cloned from a template database in tens of
// milliseconds, so tests can run in parallel and never share state.
//
// Use it from any package:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		t.Parallel()
//		db := pgtest.New(t)
//		uid := db.CreateUser(t, "alice@example.com")
//		err := db.AsUser(t.Context(), uid, func(tx pgx.Tx) error {
//			_, err := tx.Exec(t.Context(), "update public.profiles set display_name = 'A' where id = $1", uid)
//			return err
//		})
//		...
//	}
//
// Cluster: when $ZB_TEST_ADMIN_URL is set (a supabase_admin URL of a running cluster, as exported by
// `localstack exec`, which `make test` uses), every test process shares that cluster. Otherwise each test
// process starts one ephemeral cluster in a temporary directory on first use, and Main stops and removes
// it after the tests. Set $ZB_TEST_LOG=info to see progress and timings.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zerobullshit/backend/sidecar/localstack"
)

// AdminURLEnv names the environment variable holding the supabase_admin URL of a running cluster to use
// instead of starting one.
const AdminURLEnv = localstack.TestAdminURLEnv

var (
	mainCalled atomic.Bool
	setupOnce  sync.Once
	shared     struct {
		cluster *localstack.Cluster
		owned   bool // started by this process: Main stops it
		src     localstack.Source
		err     error

		mu   sync.Mutex
		tmpl string
	}
	logger *slog.Logger
)

// Main runs the tests and then stops the cluster this process started, if any. Call it from TestMain.
func Main(m *testing.M) {
	mainCalled.Store(true)
	code := m.Run()
	if shared.owned {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := shared.cluster.Stop(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping the test cluster: %v\n", err)
		}
		cancel()
	}
	os.Exit(code)
}

func setup() {
	setupOnce.Do(func() {
		level := slog.LevelWarn
		if l := os.Getenv("ZB_TEST_LOG"); l != "" {
			_ = level.UnmarshalText([]byte(l))
		}
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("pkg", "pgtest")

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		src, err := localstack.FindSource("")
		if err != nil {
			shared.err = err
			return
		}
		shared.src = src
		if u := os.Getenv(AdminURLEnv); u != "" {
			shared.cluster, shared.err = localstack.Attach(ctx, u, logger)
			return
		}
		if !mainCalled.Load() {
			shared.err = errors.New("call pgtest.Main(m) from TestMain (it stops the test cluster), or set " + AdminURLEnv)
			return
		}
		shared.cluster, shared.err = localstack.Start(ctx, localstack.Options{Ephemeral: true, Logger: logger})
		shared.owned = shared.err == nil
	})
}

// Cluster returns the cluster the tests of this process use (started or attached on first use).
func Cluster(t testing.TB) *localstack.Cluster {
	t.Helper()
	setup()
	if shared.err != nil {
		t.Fatalf("pgtest: %v", shared.err)
	}
	return shared.cluster
}

// template returns the template database, building it on first use. rebuild forgets a template that
// turned out to be gone (dropped by another process with newer sources).
func template(ctx context.Context, rebuild bool) (string, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.tmpl == "" || rebuild {
		name, err := localstack.EnsureTemplate(ctx, shared.cluster, shared.src)
		if err != nil {
			return "", err
		}
		shared.tmpl = name
	}
	return shared.tmpl, nil
}

// DB is one test's database: a clone of the template, dropped when the test ends.
type DB struct {
	// Name is the database name (zb_test_<random>).
	Name string
	// Cluster is the cluster holding it.
	Cluster *localstack.Cluster
	// Pool connects as role postgres: the project owner, not a superuser, but BYPASSRLS like on
	// Supabase. Use AsUser/AsAnon/AsServiceRole to see what RLS lets a user do.
	Pool *pgxpool.Pool

	authOnce sync.Once
	authPool *pgxpool.Pool
	authErr  error
}

// New creates a fresh database for the test, cloned from the template (built on first use), and
// registers its cleanup: pools closed, database dropped.
func New(t testing.TB) *DB {
	t.Helper()
	c := Cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tmpl, err := template(ctx, false)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "zb_test_" + randomHex(6)
	err = localstack.CreateFromTemplate(ctx, c, tmpl, name)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "3D000" { // template does not exist (any more)
		if tmpl, err = template(ctx, true); err == nil {
			err = localstack.CreateFromTemplate(ctx, c, tmpl, name)
		}
	}
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	d := &DB{Name: name, Cluster: c}
	t.Cleanup(func() {
		if d.Pool != nil {
			d.Pool.Close()
		}
		if d.authPool != nil {
			d.authPool.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := localstack.DropDatabase(ctx, c, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	d.Pool, err = newPool(ctx, d.URL("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return d
}

func newPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", url, err)
	}
	return pool, nil
}

// URL is the connection URL of role on this database (trust authentication, no password).
func (d *DB) URL(role string) string { return d.Cluster.URL(role, d.Name) }

// PostgresURL is the URL of role postgres (what migrations and the sidecar use).
func (d *DB) PostgresURL() string { return d.URL("postgres") }

// AdminURL is the URL of supabase_admin, the superuser (for setup that postgres may not do).
func (d *DB) AdminURL() string { return d.URL(localstack.AdminRole) }

// AuthenticatorURL is the URL of authenticator, the role PostgREST logs in as.
func (d *DB) AuthenticatorURL() string { return d.URL("authenticator") }

// Claims are JWT claims, as PostgREST puts them in request.jwt.claims.
type Claims map[string]any

// UserClaims are the claims of a signed-in user's access token (the parts policies look at).
func UserClaims(uid string) Claims {
	return Claims{"sub": uid, "role": "authenticated", "aud": "authenticated", "aal": "aal1", "is_anonymous": false}
}

// AsUser runs fn the way PostgREST runs a request of signed-in user uid: in a transaction on an
// authenticator connection, with role authenticated and the user's claims. The transaction commits when
// fn returns nil and rolls back otherwise; fn's error is returned. After an error inside fn the
// transaction is aborted: use a savepoint (tx.Begin) to keep going.
func (d *DB) AsUser(ctx context.Context, uid string, fn func(tx pgx.Tx) error) error {
	return d.As(ctx, "authenticated", UserClaims(uid), fn)
}

// AsAnon runs fn as a request with only the anon key (role anon).
func (d *DB) AsAnon(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return d.As(ctx, "anon", Claims{"role": "anon", "iss": "supabase"}, fn)
}

// AsServiceRole runs fn as a request with the service_role key (role service_role, bypasses RLS).
func (d *DB) AsServiceRole(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return d.As(ctx, "service_role", Claims{"role": "service_role", "iss": "supabase"}, fn)
}

// As runs fn as PostgREST would for a request whose JWT has these claims, switched to role: on an
// authenticator connection, in one transaction, after
//
//	set_config('search_path', 'public, extensions', true), set_config('role', role, true),
//	set_config('request.jwt.claims', claims, true), plus the role's own settings (statement_timeout)
func (d *DB) As(ctx context.Context, role string, claims Claims, fn func(tx pgx.Tx) error) error {
	d.authOnce.Do(func() {
		d.authPool, d.authErr = newPool(ctx, d.AuthenticatorURL())
	})
	if d.authErr != nil {
		return d.authErr
	}
	js, err := json.Marshal(claims)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.authPool, func(tx pgx.Tx) error {
		// The impersonated role's settings (anon: statement_timeout 3s...), as PostgREST applies them.
		if _, err := tx.Exec(ctx, `
select set_config(split_part(kv, '=', 1), substr(kv, strpos(kv, '=') + 1), true)
  from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) kv
 where s.setrole = (select oid from pg_catalog.pg_roles where rolname = $1)
   and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))`, role); err != nil {
			return fmt.Errorf("applying %s settings: %w", role, err)
		}
		if _, err := tx.Exec(ctx, `
select set_config('search_path', 'public, extensions', true),
       set_config('role', $1, true),
       set_config('request.jwt.claims', $2, true),
       set_config('request.method', 'POST', true)`, role, string(js)); err != nil {
			return fmt.Errorf("switching to %s: %w", role, err)
		}
		return fn(tx)
	})
}

// CreateUser signs a user up the way GoTrue does (a row in auth.users; the project's triggers fire) and
// returns the new user's id.
func (d *DB) CreateUser(t testing.TB, email string) string {
	t.Helper()
	var id string
	err := d.Pool.QueryRow(context.Background(), `
insert into auth.users (instance_id, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
values ('00000000-0000-0000-0000-000000000000', $1, '', now(), '{"provider": "email", "providers": ["email"]}', '{}')
returning id::text`, email).Scan(&id)
	if err != nil {
		t.Fatalf("pgtest: creating user %s: %v", email, err)
	}
	return id
}

// Exec runs sql as postgres and fails the test on error (setup shortcut).
func (d *DB) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if _, err := d.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("pgtest: %s: %v", strings.TrimSpace(sql), err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
