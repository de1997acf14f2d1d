// Command localstack runs the local, Supabase-compatible PostgreSQL of this repository (no Docker).
//
//	localstack up [--port N]     start the persistent cluster in .local/pg (port 54322 or $LOCAL_PG_PORT),
//	                             build database postgres (bootstrap, migrations, seed) on first start,
//	                             apply new migrations on later starts, write .local/stack.env
//	localstack down              stop it (safe when it is not running)
//	localstack reset [--port N]  down, delete .local/pg, up
//	localstack status            is it running, on which port, how many migrations are pending
//	localstack pgtap [dir]       run the pgTAP suite (default supabase/tests) with pg_prove on a fresh
//	                             database cloned from the template
//	localstack exec -- cmd...    run cmd with $ZB_TEST_ADMIN_URL pointing at a throw-away cluster, so every
//	                             test process shares it (make test)
//	localstack supabase-check    apply the migrations and seed with the real Supabase CLI (--cli PATH)
//	                             and generate TypeScript types from the result
//
// The cluster is test/development infrastructure only. See package sidecar/localstack.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/localstack"
)

const (
	defaultPort = 54322
	// jwtSecret is the Supabase CLI's well-known local development secret. Never use it in production.
	jwtSecret = "super-secret-jwt-token-with-at-least-32-characters-long"
)

// postBuildHooks run after every build of the development database by up and reset (demo data).
// They must be idempotent; the report says whether the build was a first one (report.Seeded).
var postBuildHooks []localstack.Hook

var log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

func usage() {
	fmt.Fprint(os.Stderr, `usage: localstack <command> [flags]

commands:
  up [--port N]      start the local cluster (.local/pg), build/migrate database postgres, write .local/stack.env
  down               stop the local cluster
  reset [--port N]   stop it, delete its data, start it again from scratch
  status             show whether it runs and which migrations are pending
  pgtap [dir]        run pgTAP tests (default supabase/tests) on a fresh database, with pg_prove
  exec -- cmd...     run cmd with ZB_TEST_ADMIN_URL set to a throw-away cluster (shared by all test processes)
  supabase-check     prove the real Supabase CLI applies the migrations and seed (--cli PATH), and gen types works

environment: LOCAL_PG_PORT (default 54322), PG_BIN_DIR (default /usr/lib/postgresql/15/bin),
             ZB_TEST_ADMIN_URL (pgtap, exec: use this running cluster instead of starting one)
`)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	code := 0
	switch cmd {
	case "up":
		err = cmdUp(ctx, args, false)
	case "down":
		err = cmdDown(ctx, args)
	case "reset":
		err = cmdUp(ctx, args, true)
	case "status":
		err = cmdStatus(ctx, args)
	case "pgtap":
		code, err = cmdPgTAP(ctx, args)
	case "supabase-check":
		err = cmdSupabaseCheck(ctx, args)
	case "exec":
		stop() // the child gets the signals; we wait for it and clean up
		code, err = cmdExec(context.Background(), args)
	case "help", "-h", "--help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "localstack: unknown command %q\n\n", cmd)
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "localstack %s: %v\n", cmd, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// paths returns the repository source and the data directory of the development cluster.
func paths() (localstack.Source, string, error) {
	src, err := localstack.FindSource("")
	if err != nil {
		return src, "", fmt.Errorf("finding the repository root: %w", err)
	}
	return src, filepath.Join(src.Root, ".local", "pg"), nil
}

func portFlag(fs *flag.FlagSet) *int {
	def := defaultPort
	if v := os.Getenv("LOCAL_PG_PORT"); v != "" {
		if p, err := strconv.Atoi(v); err == nil {
			def = p
		}
	}
	return fs.Int("port", def, "TCP port on 127.0.0.1 (env LOCAL_PG_PORT)")
}

func cmdUp(ctx context.Context, args []string, reset bool) error {
	name := "up"
	if reset {
		name = "reset"
	}
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	port := portFlag(fs)
	fs.Parse(args)
	src, dir, err := paths()
	if err != nil {
		return err
	}
	if reset {
		if _, err := localstack.StopDir(ctx, localstack.Options{Dir: dir, Logger: log}); err != nil {
			return err
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("deleting %s: %w", dir, err)
		}
		log.Info("deleted the local cluster", "dir", dir)
	}
	t0 := time.Now()
	c, err := localstack.Start(ctx, localstack.Options{Dir: dir, Port: *port, Logger: log})
	if err != nil {
		return err
	}
	rep, err := localstack.Build(ctx, c, "postgres", src, postBuildHooks...)
	if err != nil {
		return fmt.Errorf("%w\n\nThe cluster is running; fix the file and run `localstack up` again (or `localstack reset`)", err)
	}
	envFile := filepath.Join(src.Root, ".local", "stack.env")
	if err := writeEnv(envFile, c); err != nil {
		return err
	}
	state := "started"
	if c.Reused {
		state = "already running"
	}
	fmt.Printf(`
Local Supabase-compatible Postgres %s on 127.0.0.1:%d (data: %s), ready in %s.
Database postgres: %d new migration(s) applied%s.

  set -a; . %s; set +a
  psql                          # as postgres (BYPASSRLS, not superuser), database postgres
  psql "$DATABASE_ADMIN_URL"    # as supabase_admin (superuser)

  localstack down | reset | status   (make db-down | db-reset | db-status)
`, state, c.Port, dir, time.Since(t0).Round(time.Millisecond), len(rep.Applied), seededNote(rep), relOrAbs(envFile))
	return nil
}

func seededNote(rep *localstack.BuildReport) string {
	if rep.Seeded {
		return ", seed.sql loaded"
	}
	return ""
}

func relOrAbs(path string) string {
	wd, _ := os.Getwd()
	if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

func writeEnv(path string, c *localstack.Cluster) error {
	content := fmt.Sprintf(`# Written by `+"`localstack up`"+` (sidecar/cmd/localstack). Local development only: do not edit.
DATABASE_URL=%s
DATABASE_ADMIN_URL=%s
AUTHENTICATOR_URL=%s
SUPABASE_JWT_SECRET=%s
PGHOST=%s
PGPORT=%d
PGUSER=postgres
PGDATABASE=postgres
`, c.URL("postgres", "postgres"), c.AdminURL("postgres"), c.URL("authenticator", "postgres"), jwtSecret, c.Host, c.Port)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func cmdDown(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("down", flag.ExitOnError)
	fs.Parse(args)
	_, dir, err := paths()
	if err != nil {
		return err
	}
	stopped, err := localstack.StopDir(ctx, localstack.Options{Dir: dir, Logger: log})
	if err != nil {
		return err
	}
	if stopped {
		fmt.Println("Local Postgres stopped.")
	} else {
		fmt.Println("Local Postgres was not running.")
	}
	return nil
}

func cmdStatus(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	fs.Parse(args)
	src, dir, err := paths()
	if err != nil {
		return err
	}
	st, err := localstack.Inspect(ctx, localstack.Options{Dir: dir, Logger: log})
	if err != nil {
		return err
	}
	switch {
	case !st.Initialized:
		fmt.Printf("Local Postgres: not created (%s). Run `localstack up`.\n", dir)
		return nil
	case !st.Running:
		fmt.Printf("Local Postgres: stopped (data: %s). Run `localstack up`.\n", dir)
		return nil
	}
	fmt.Printf("Local Postgres: running, pid %d, 127.0.0.1:%d (data: %s)\n", st.PID, st.Port, dir)
	c := &localstack.Cluster{Host: "127.0.0.1", Port: st.Port}
	conn, err := pgx.Connect(ctx, c.URL("postgres", "postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	applied := map[string]bool{}
	rows, err := conn.Query(ctx, "select version from supabase_migrations.schema_migrations")
	if err == nil {
		versions, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		for _, v := range versions {
			applied[v] = true
		}
	}
	migs, err := src.Migrations()
	if err != nil {
		return err
	}
	var pending []string
	for _, m := range migs {
		if !applied[m.Version] {
			pending = append(pending, filepath.Base(m.Path))
		}
	}
	fmt.Printf("Migrations: %d applied, %d pending%s\n", len(applied), len(pending), listNote(pending))
	return nil
}

func listNote(files []string) string {
	if len(files) == 0 {
		return ""
	}
	return " (" + strings.Join(files, ", ") + "); run `localstack up` to apply"
}

// testCluster attaches to $ZB_TEST_ADMIN_URL or starts an ephemeral cluster; stop undoes it.
func testCluster(ctx context.Context) (c *localstack.Cluster, stop func(), err error) {
	if u := os.Getenv(localstack.TestAdminURLEnv); u != "" {
		c, err = localstack.Attach(ctx, u, log)
		return c, func() {}, err
	}
	c, err = localstack.Start(ctx, localstack.Options{Ephemeral: true, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return c, func() {
		if err := c.Stop(context.Background()); err != nil {
			log.Error("stopping the test cluster", "err", err)
		}
	}, nil
}

func cmdPgTAP(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("pgtap", flag.ExitOnError)
	fs.Parse(args)
	src, _, err := paths()
	if err != nil {
		return 1, err
	}
	dir := filepath.Join(src.Root, "supabase", "tests")
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	prove, err := exec.LookPath("pg_prove")
	if err != nil {
		return 1, errors.New("pg_prove not found: install the libtap-parser-sourcehandler-pgtap-perl package (and postgresql-15-pgtap)")
	}
	if _, err := os.Stat(dir); err != nil {
		return 1, fmt.Errorf("test directory: %w", err)
	}
	c, stop, err := testCluster(ctx)
	if err != nil {
		return 1, err
	}
	defer stop()
	tmpl, err := localstack.EnsureTemplate(ctx, c, src)
	if err != nil {
		return 1, err
	}
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	db := "zb_pgtap_" + hex.EncodeToString(b)
	if err := localstack.CreateFromTemplate(ctx, c, tmpl, db); err != nil {
		return 1, err
	}
	defer func() {
		if err := localstack.DropDatabase(context.Background(), c, db); err != nil {
			log.Error("dropping the test database", "err", err)
		}
	}()
	admin, err := pgx.Connect(ctx, c.AdminURL(db))
	if err != nil {
		return 1, err
	}
	// pgTAP is not a trusted extension: on Supabase it is created by supabase_admin (supautils).
	_, err = admin.Exec(ctx, "create extension if not exists pgtap with schema extensions")
	admin.Close(ctx)
	if err != nil {
		return 1, fmt.Errorf("creating extension pgtap: %w", err)
	}
	cmd := exec.CommandContext(ctx, prove, "--ext", ".sql", "--ext", ".pg", "-r", dir)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(withoutPG(os.Environ()), "PGHOST="+c.Host, "PGPORT="+strconv.Itoa(c.Port), "PGUSER=postgres", "PGDATABASE="+db)
	t0 := time.Now()
	err = cmd.Run()
	log.Info("pg_prove finished", "dir", dir, "db", db, "took", time.Since(t0).Round(time.Millisecond))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), fmt.Errorf("pgTAP tests failed (pg_prove exit status %d)", exit.ExitCode())
	}
	if err != nil {
		return 1, fmt.Errorf("running pg_prove: %w", err)
	}
	return 0, nil
}

func withoutPG(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PG") {
			out = append(out, kv)
		}
	}
	return out
}

func cmdExec(ctx context.Context, args []string) (int, error) {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return 2, errors.New("usage: localstack exec -- command [args...]")
	}
	// Interrupts go to the child (same process group); we outlive it to stop the cluster.
	signal.Ignore(os.Interrupt, syscall.SIGTERM)
	c, stop, err := testCluster(ctx)
	if err != nil {
		return 1, err
	}
	defer stop()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), localstack.TestAdminURLEnv+"="+c.AdminURL("postgres"))
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, err
	}
	return 0, nil
}
