package localstack_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestBuildAppliesMigrationsOnceAndSeeds(t *testing.T) {
	t.Parallel()
	seed := "insert into public.things (name) values ('seeded');\n"
	src := tempSource(t, map[string]string{
		"20260101000000_things.sql": `create table public.things (id serial primary key, name text);
create function public.thing_count() returns bigint language sql as $$ select count(*) from public.things; $$;`,
		"20260101000100_more.sql": "alter table public.things add column note text;",
		"README.md":               "not a migration",
		"notamigration.sql":       "this is not SQL and must be skipped",
	}, seed)
	c, db, rep, err := buildDB(t, src)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Created || !rep.Bootstrapped || len(rep.Applied) != 2 || !rep.Seeded {
		t.Fatalf("first build: %+v", rep)
	}
	conn := connect(t, c.URL("postgres", db))
	var name string
	var stmts []string
	if err := conn.QueryRow(t.Context(), "select name, statements from supabase_migrations.schema_migrations where version = '20260101000000'").Scan(&name, &stmts); err != nil {
		t.Fatal(err)
	}
	if name != "things" || len(stmts) != 2 || !strings.HasPrefix(stmts[1], "create function") {
		t.Errorf("history row: name=%q statements=%q", name, stmts)
	}
	sum := sha256.Sum256([]byte(seed))
	var path, hash string
	if err := conn.QueryRow(t.Context(), "select path, hash from supabase_migrations.seed_files").Scan(&path, &hash); err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join("supabase", "seed.sql") || hash != hex.EncodeToString(sum[:]) {
		t.Errorf("seed_files: %s %s", path, hash)
	}

	// A second build applies only what is new, and does not reseed.
	if err := os.WriteFile(filepath.Join(src.MigrationsDir, "20260101000200_third.sql"), []byte("create index on public.things (name);"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = localstack.Build(t.Context(), c, db, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created || rep.Bootstrapped || len(rep.Applied) != 1 || rep.Applied[0].Version != "20260101000200" || rep.Seeded {
		t.Fatalf("second build: %+v", rep)
	}
	var n int
	if err := conn.QueryRow(t.Context(), "select count(*) from public.things").Scan(&n); err != nil || n != 1 {
		t.Fatalf("seed rows: %d (%v)", n, err)
	}
}

func TestBuildEmptyMigrationsDir(t *testing.T) {
	t.Parallel()
	src := tempSource(t, nil, "")
	src.MigrationsDir = filepath.Join(src.Root, "does-not-exist")
	if _, _, rep, err := buildDB(t, src); err != nil || len(rep.Applied) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestMigrationFailureNamesFileAndLine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sql string
		line      int
		want      []string
	}{
		{"parse error position", "-- a comment\ncreate table public.a (id int);\n\nselect * from public.does_not_exist;\n", 4,
			[]string{`relation "public.does_not_exist" does not exist`, "42P01", "select * from public.does_not_exist"}},
		{"error without position", "create table public.b (id int);\n-- again:\ncreate table public.b (id int);\n", 3,
			[]string{`relation "b" already exists`, "42P07"}},
		{"plpgsql error", "create table public.c (id int);\n\ndo $$\nbegin\n  raise exception 'boom' using hint = 'fix it';\nend $$;\n", 3,
			[]string{"boom", "HINT: fix it", "PL/pgSQL"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := tempSource(t, map[string]string{
				"20260101000000_ok.sql":     "create table public.fine (id int);",
				"20260101000100_broken.sql": tc.sql,
			}, "")
			c, db, _, err := buildDB(t, src)
			var me *localstack.MigrationError
			if !errors.As(err, &me) {
				t.Fatalf("want a *MigrationError, got %v", err)
			}
			msg := err.Error()
			t.Log(msg)
			wantFile := filepath.Join("supabase", "migrations", "20260101000100_broken.sql")
			if me.File != wantFile || me.Line != tc.line {
				t.Errorf("located at %s:%d, want %s:%d\n%s", me.File, me.Line, wantFile, tc.line, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			// The good migration stays applied, the broken one left nothing behind.
			conn := connect(t, c.URL("postgres", db))
			var versions []string
			if err := conn.QueryRow(t.Context(), "select array_agg(version order by version) from supabase_migrations.schema_migrations").Scan(&versions); err != nil {
				t.Fatal(err)
			}
			if strings.Join(versions, ",") != "20260101000000" {
				t.Errorf("recorded versions: %v", versions)
			}
		})
	}
}

func TestTemplateAndClone(t *testing.T) {
	t.Parallel()
	src := repoSource(t)
	name, err := localstack.TemplateName(src)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, localstack.TemplatePrefix) || len(name) != len(localstack.TemplatePrefix)+12 {
		t.Fatalf("template name %q", name)
	}
	// Same sources, same name: EnsureTemplate is idempotent (pgtest.New built it already or builds it now).
	got, err := localstack.EnsureTemplate(t.Context(), pgtest.Cluster(t), src)
	if err != nil || got != name {
		t.Fatalf("EnsureTemplate = %q, %v; want %q", got, err, name)
	}
}
