package localstack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Files of the Supabase-compatibility bootstrap, relative to Source.BootstrapDir.
const (
	RolesFile     = "supabase_roles.sql"     // cluster-wide: roles and role settings
	BootstrapFile = "supabase_bootstrap.sql" // per database: schemas, grants, auth/realtime stubs
)

// Advisory lock keys (taken on a connection to database "postgres").
const (
	lockRoles    int64 = 0x7a625f726f6c6573 // "zb_roles"
	lockTemplate int64 = 0x7a625f746d706c00 // "zb_tmpl"
)

// Source says where the SQL that builds a database lives. NewSource and FindSource fill it with the
// repository layout; tests may point the fields elsewhere.
type Source struct {
	Root          string // repository root: seed paths are recorded relative to it
	BootstrapDir  string // holds RolesFile and BootstrapFile (sql/local)
	MigrationsDir string // supabase/migrations; a missing directory means no migrations
	SeedFile      string // supabase/seed.sql; "" or a missing file means no seed
}

// NewSource returns the standard layout under the repository root.
func NewSource(root string) Source {
	return Source{
		Root:          root,
		BootstrapDir:  filepath.Join(root, "sql", "local"),
		MigrationsDir: filepath.Join(root, "supabase", "migrations"),
		SeedFile:      filepath.Join(root, "supabase", "seed.sql"),
	}
}

// FindSource finds the repository root by walking up from dir (the working directory when dir is "") to
// the first directory holding go.mod, and returns NewSource of it. Tests in any package can use it.
func FindSource(dir string) (Source, error) {
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return Source{}, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return NewSource(d), nil
		}
		if filepath.Dir(d) == d {
			return Source{}, fmt.Errorf("no go.mod in %s or any parent directory", dir)
		}
	}
}

// Migration is one file supabase/migrations/<Version>_<Name>.sql.
type Migration struct {
	Version string
	Name    string
	Path    string
}

var migrationRe = regexp.MustCompile(`^([0-9]+)_(.*)\.sql$`)

// Migrations lists the migration files in lexical order, as the Supabase CLI applies them. Files that
// do not match <version>_<name>.sql are skipped, as the CLI does.
func (s Source) Migrations() ([]Migration, error) {
	entries, err := os.ReadDir(s.MigrationsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		m := migrationRe.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		out = append(out, Migration{Version: m[1], Name: m[2], Path: filepath.Join(s.MigrationsDir, e.Name())})
	}
	sort.Slice(out, func(i, j int) bool { return filepath.Base(out[i].Path) < filepath.Base(out[j].Path) })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %s", filepath.Base(out[i-1].Path), filepath.Base(out[i].Path), out[i].Version)
		}
	}
	return out, nil
}

// Hash is the sha256 (hex) of everything a database build reads: the two bootstrap files, every migration
// (name and content) and the seed file. Template databases are named after it.
func (s Source) Hash() (string, error) {
	h := sha256.New()
	add := func(label, path string, optional bool) error {
		b, err := os.ReadFile(path)
		if optional && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", label, len(b))
		h.Write(b)
		return nil
	}
	for _, f := range []string{RolesFile, BootstrapFile} {
		if err := add(f, filepath.Join(s.BootstrapDir, f), false); err != nil {
			return "", fmt.Errorf("hashing sources: %w", err)
		}
	}
	migs, err := s.Migrations()
	if err != nil {
		return "", err
	}
	for _, m := range migs {
		if err := add(filepath.Base(m.Path), m.Path, false); err != nil {
			return "", fmt.Errorf("hashing sources: %w", err)
		}
	}
	if s.SeedFile != "" {
		if err := add("seed", s.SeedFile, true); err != nil {
			return "", fmt.Errorf("hashing sources: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// BuildReport says what Build did.
type BuildReport struct {
	Database     string
	Created      bool        // the database did not exist and was created
	Bootstrapped bool        // the per-database bootstrap ran (first build of this database)
	Applied      []Migration // migrations applied by this build
	Seeded       bool        // seed.sql was applied by this build
	Took         time.Duration
}

// Hook runs after a build, on a connection to the built database as role postgres (demo data...).
// Hooks run after every Build, so they must be idempotent; the report says what the build did.
type Hook func(ctx context.Context, conn *pgx.Conn, report *BuildReport) error

// MigrationError is a failed migration or seed file, with the PostgreSQL error and its location.
type MigrationError struct {
	File     string // path of the file, relative to the source root when possible
	Line     int    // 1-based line of the error in the file (0: unknown)
	LineText string
	Err      error // usually a *pgconn.PgError
}

func (e *MigrationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	var pg *pgconn.PgError
	if errors.As(e.Err, &pg) {
		fmt.Fprintf(&b, ": %s: %s (SQLSTATE %s)", pg.Severity, pg.Message, pg.Code)
		if e.LineText != "" {
			fmt.Fprintf(&b, "\n  %d | %s", e.Line, e.LineText)
		}
		if pg.Detail != "" {
			fmt.Fprintf(&b, "\n  DETAIL: %s", pg.Detail)
		}
		if pg.Hint != "" {
			fmt.Fprintf(&b, "\n  HINT: %s", pg.Hint)
		}
		if pg.InternalQuery != "" {
			fmt.Fprintf(&b, "\n  QUERY: %s", pg.InternalQuery)
		}
		if pg.Where != "" {
			fmt.Fprintf(&b, "\n  CONTEXT: %s", pg.Where)
		}
	} else {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *MigrationError) Unwrap() error { return e.Err }

// Build builds database db like `supabase db reset` (or, on an existing database, like
// `supabase migration up` plus a first-time seed): it creates the database OWNER postgres if missing,
// runs the cluster-wide roles file and, on a database not bootstrapped yet, the per-database bootstrap as
// supabase_admin, then every migration not yet recorded in supabase_migrations.schema_migrations (each
// file in one transaction, as role postgres), then seed.sql if it was never applied, then hooks.
func Build(ctx context.Context, c *Cluster, db string, src Source, hooks ...Hook) (*BuildReport, error) {
	start := time.Now()
	rep := &BuildReport{Database: db}
	if err := c.applyRoles(ctx, src); err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}
	created, err := c.createDatabase(ctx, db)
	if err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}
	rep.Created = created

	if rep.Bootstrapped, err = c.bootstrap(ctx, db, src); err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}

	conn, err := c.connect(ctx, "postgres", db)
	if err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if rep.Applied, err = c.migrate(ctx, conn, src); err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}
	if rep.Seeded, err = c.seed(ctx, conn, src); err != nil {
		return rep, fmt.Errorf("building %s: %w", db, err)
	}
	for _, h := range hooks {
		if err := h(ctx, conn, rep); err != nil {
			return rep, fmt.Errorf("building %s: post-build hook: %w", db, err)
		}
	}
	rep.Took = time.Since(start)
	c.log.Info("database built", "db", db, "created", rep.Created, "migrations_applied", len(rep.Applied),
		"seeded", rep.Seeded, "took", rep.Took.Round(time.Millisecond))
	return rep, nil
}

// applyRoles runs the cluster-wide roles file as supabase_admin, serialized across processes.
func (c *Cluster) applyRoles(ctx context.Context, src Source) error {
	sql, err := os.ReadFile(filepath.Join(src.BootstrapDir, RolesFile))
	if err != nil {
		return fmt.Errorf("reading roles bootstrap: %w", err)
	}
	conn, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "select pg_advisory_lock($1)", lockRoles); err != nil {
		return fmt.Errorf("locking roles bootstrap: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", lockRoles)
	if err := execScript(ctx, conn, string(sql), relPath(src.Root, filepath.Join(src.BootstrapDir, RolesFile))); err != nil {
		return err
	}
	return nil
}

// createDatabase creates db OWNER postgres from template0 unless it exists.
func (c *Cluster) createDatabase(ctx context.Context, db string) (bool, error) {
	conn, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", db).Scan(&exists); err != nil {
		return false, fmt.Errorf("looking up database %s: %w", db, err)
	}
	if exists {
		return false, nil
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("create database %s owner postgres template template0 encoding 'UTF8'", pgx.Identifier{db}.Sanitize())); err != nil {
		return false, fmt.Errorf("creating database %s: %w", db, err)
	}
	return true, nil
}

// bootstrap runs the per-database bootstrap unless the database already has it (the
// supabase_migrations schema, created right after, marks a bootstrapped database), then creates the
// migration history tables as the Supabase CLI does.
func (c *Cluster) bootstrap(ctx context.Context, db string, src Source) (bool, error) {
	admin, err := c.connect(ctx, AdminRole, db)
	if err != nil {
		return false, err
	}
	defer admin.Close(context.WithoutCancel(ctx))
	var done bool
	if err := admin.QueryRow(ctx, "select to_regnamespace('supabase_migrations') is not null").Scan(&done); err != nil {
		return false, fmt.Errorf("checking bootstrap: %w", err)
	}
	if done {
		return false, nil
	}
	path := filepath.Join(src.BootstrapDir, BootstrapFile)
	sql, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("reading bootstrap: %w", err)
	}
	if err := execScript(ctx, admin, string(sql), relPath(src.Root, path)); err != nil {
		return false, err
	}
	conn, err := c.connect(ctx, "postgres", db)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// As the Supabase CLI creates them (pkg/migration/history.go), as the connecting role.
	const history = `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null);`
	if _, err := conn.Exec(ctx, history); err != nil {
		return false, fmt.Errorf("creating supabase_migrations: %w", err)
	}
	return true, nil
}

// migrate applies the migrations that are not recorded yet.
func (c *Cluster) migrate(ctx context.Context, conn *pgx.Conn, src Source) ([]Migration, error) {
	migs, err := src.Migrations()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, "select version from supabase_migrations.schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("reading migration history: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("reading migration history: %w", err)
	}
	applied := map[string]bool{}
	latest := ""
	for _, v := range versions {
		applied[v] = true
		latest = max(latest, v)
	}
	local := map[string]bool{}
	for _, m := range migs {
		local[m.Version] = true
	}
	for _, v := range versions {
		if !local[v] {
			c.log.Warn("applied migration has no local file", "version", v)
		}
	}
	var done []Migration
	for _, m := range migs {
		if applied[m.Version] {
			continue
		}
		if m.Version < latest {
			c.log.Warn("applying a migration older than the latest applied one", "file", filepath.Base(m.Path), "latest", latest)
		}
		b, err := os.ReadFile(m.Path)
		if err != nil {
			return done, fmt.Errorf("reading migration: %w", err)
		}
		sql := string(b)
		var stmts []string
		for _, s := range splitStatements(sql) {
			stmts = append(stmts, s.Text)
		}
		t0 := time.Now()
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)", m.Version, m.Name, stmts)
			return err
		})
		if err != nil {
			return done, locate(ctx, conn, relPath(src.Root, m.Path), sql, err)
		}
		c.log.Debug("migration applied", "file", filepath.Base(m.Path), "took", time.Since(t0).Round(time.Millisecond))
		done = append(done, m)
	}
	return done, nil
}

// seed applies seed.sql unless it was applied before; a seed file changed since it was applied is not
// reapplied (seeds are rarely idempotent): rebuild the database to apply it again.
func (c *Cluster) seed(ctx context.Context, conn *pgx.Conn, src Source) (bool, error) {
	if src.SeedFile == "" {
		return false, nil
	}
	b, err := os.ReadFile(src.SeedFile)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("reading seed: %w", err)
	}
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	path := relPath(src.Root, src.SeedFile)
	var old string
	err = conn.QueryRow(ctx, "select hash from supabase_migrations.seed_files where path = $1", path).Scan(&old)
	switch {
	case err == nil && old == hash:
		return false, nil
	case err == nil:
		c.log.Warn("seed file changed since it was applied; not reapplying it (reset the database to reseed)", "file", path)
		return false, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return false, fmt.Errorf("reading seed history: %w", err)
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, string(b)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "insert into supabase_migrations.seed_files (path, hash) values ($1, $2)", path, hash)
		return err
	})
	if err != nil {
		return false, locate(ctx, conn, path, string(b), err)
	}
	return true, nil
}

// execScript runs a whole script in one transaction (one simple-protocol query: multiple statements
// are fine) and turns a failure into a *MigrationError.
func execScript(ctx context.Context, conn *pgx.Conn, sql, name string) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	})
	if err != nil {
		return locate(ctx, conn, name, sql, err)
	}
	return nil
}

// locate wraps the error of a failed script in a *MigrationError with the line of the failure: from the
// error position when PostgreSQL reports one, otherwise by re-running the statements one by one in a
// transaction that is rolled back, to find the first one that fails.
func locate(ctx context.Context, conn *pgx.Conn, name, sql string, err error) error {
	me := &MigrationError{File: name, Err: err}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return me
	}
	if pg.Position > 0 {
		me.Line, me.LineText = lineAt(sql, int(pg.Position))
		return me
	}
	if ctx.Err() != nil || conn.IsClosed() {
		return me
	}
	tx, terr := conn.Begin(ctx)
	if terr != nil {
		return me
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	for _, s := range splitStatements(sql) {
		if _, serr := tx.Exec(ctx, s.Text); serr != nil {
			var spg *pgconn.PgError
			if errors.As(serr, &spg) && spg.Code == pg.Code && spg.Message == pg.Message {
				me.Line = s.Line
				_, me.LineText = lineAt(sql, lineStartChar(sql, s.Line))
			}
			break
		}
	}
	return me
}

// lineStartChar is the 1-based character position of the first character of line (1-based).
func lineStartChar(sql string, line int) int {
	pos, l := 1, 1
	for _, r := range sql {
		if l == line {
			return pos
		}
		if r == '\n' {
			l++
		}
		pos++
	}
	return pos
}

func relPath(root, path string) string {
	if root == "" {
		return path
	}
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
