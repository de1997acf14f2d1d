package httpapi

import (
	"context"
	"errors"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"
)

// readyTimeout bounds the database checks of /readyz.
const readyTimeout = 2 * time.Second

// healthz answers 200 while the process runs: liveness, no dependency checked (a database outage must
// not get the process restarted).
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

type readyResponse struct {
	Status    string `json:"status"`
	Migration string `json:"migration"`
}

// readyz answers 200 when the database answers and its migrations are at least MigrationVersion, and
// 503 {"code":"unavailable"} otherwise, and while the server drains for shutdown.
func (s *Server) readyz(c echo.Context) error {
	if s.draining.Load() {
		return Unavailable("shutting down")
	}
	if s.db == nil {
		return Unavailable("no database configured")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	log := s.log.With("check", "readyz")
	if err := s.db.Ping(ctx); err != nil {
		log.WarnContext(ctx, "database unreachable", "error", err)
		return Unavailable("database unreachable")
	}
	var have *string
	err := s.db.QueryRow(ctx, "select max(version) from supabase_migrations.schema_migrations").Scan(&have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		log.WarnContext(ctx, "reading supabase_migrations.schema_migrations", "error", err)
		return Unavailable("migration history unreadable")
	}
	if have == nil {
		return Unavailable("no migrations applied")
	}
	if s.migration != "" && VersionLess(*have, s.migration) {
		log.WarnContext(ctx, "database migrations behind this build", "have", *have, "need", s.migration)
		return Unavailable("database migrations behind: have " + *have + ", need " + s.migration)
	}
	return c.JSON(http.StatusOK, readyResponse{Status: "ready", Migration: *have})
}

// VersionLess compares two migration versions (Supabase CLI timestamps such as "20261125110000"):
// numerically when both are digits, else as strings.
func VersionLess(a, b string) bool {
	if isDigits(a) && isDigits(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) < len(b)
		}
	}
	return a < b
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LatestMigrationVersion returns the newest version among migration file names or paths in the
// Supabase CLI's form "<version>_<name>.sql" (other names are ignored), or "" when there is none.
//
// Go cannot embed files outside a package's directory, so the lead wires it from a package that sits
// next to the migrations, for example supabase/migrations.go:
//
//	package supabase
//	//go:embed migrations/*.sql
//	var Migrations embed.FS
//
// and in serve: names, _ := fs.Glob(supabase.Migrations, "migrations/*.sql");
// Deps.MigrationVersion = httpapi.LatestMigrationVersion(names...).
func LatestMigrationVersion(names ...string) string {
	latest := ""
	for _, n := range names {
		base := path.Base(strings.ReplaceAll(n, "\\", "/"))
		if !strings.HasSuffix(base, ".sql") {
			continue
		}
		v, _, ok := strings.Cut(strings.TrimSuffix(base, ".sql"), "_")
		if !ok || !isDigits(v) {
			continue
		}
		if latest == "" || VersionLess(latest, v) {
			latest = v
		}
	}
	return latest
}
