package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/zerobullshit/backend/sidecar/localstack"
)

// cmdSupabaseCheck proves the migrations and seed are what the real Supabase CLI can apply: on a fresh
// database holding only the Supabase bootstrap it runs `supabase db push --include-seed`, then
// `supabase db reset`, then `supabase gen types typescript`, and checks that the generated types know
// the project's tables, enums and RPC functions. The types are kept in .local/database.types.ts.
func cmdSupabaseCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("supabase-check", flag.ExitOnError)
	cli := fs.String("cli", "supabase", "path of the Supabase CLI executable")
	fs.Parse(args)

	bin, err := exec.LookPath(*cli)
	if err != nil {
		return fmt.Errorf("the Supabase CLI (%s) is not installed: `npm install supabase` provides it: %w", *cli, err)
	}
	src, _, err := paths()
	if err != nil {
		return err
	}
	c, stop, err := testCluster(ctx)
	if err != nil {
		return err
	}
	defer stop()

	b := make([]byte, 5)
	_, _ = rand.Read(b)
	db := "zb_cli_" + hex.EncodeToString(b)
	bare := src
	bare.MigrationsDir = filepath.Join(os.TempDir(), "zb-no-migrations") // absent: bootstrap only
	bare.SeedFile = ""
	if _, err := localstack.Build(ctx, c, db, bare); err != nil {
		return fmt.Errorf("building a bootstrap-only database: %w", err)
	}
	defer func() {
		if err := localstack.DropDatabase(context.Background(), c, db); err != nil {
			log.Error("dropping the check database", "db", db, "err", err)
		}
	}()
	dbURL := c.URL("postgres", db)

	steps := []struct {
		name string
		args []string
	}{
		{"db push", []string{"db", "push", "--db-url", dbURL, "--include-seed", "--yes"}},
		{"db reset", []string{"db", "reset", "--db-url", dbURL, "--yes"}},
		{"gen types", []string{"gen", "types", "typescript", "--db-url", dbURL}},
	}
	var types []byte
	for _, s := range steps {
		t0 := time.Now()
		out, err := runCLI(ctx, bin, src.Root, s.args)
		if err != nil {
			return fmt.Errorf("supabase %s: %w\n%s", s.name, err, out)
		}
		log.Info("supabase CLI step passed", "step", s.name, "took", time.Since(t0).Round(time.Millisecond))
		types = out
	}
	typesFile := filepath.Join(src.Root, ".local", "database.types.ts")
	if err := os.MkdirAll(filepath.Dir(typesFile), 0o755); err == nil {
		if err := os.WriteFile(typesFile, types, 0o644); err != nil {
			log.Warn("could not keep the generated types", "file", typesFile, "err", err)
		}
	}
	var missing []string
	for _, want := range []string{"profiles", "projects", "messages", "credit_ledger", "credit_status", "funding_stage"} {
		if !bytes.Contains(types, []byte(`"`+want+`":`)) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("generated TypeScript types (%s) lack %s", relOrAbs(typesFile), strings.Join(missing, ", "))
	}
	log.Info("supabase CLI check passed", "types_bytes", len(types))
	return nil
}

// runCLI runs the Supabase CLI in the repository root (it reads supabase/) without telemetry prompts.
func runCLI(ctx context.Context, bin, dir string, args []string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(withoutPG(os.Environ()), "SUPABASE_TELEMETRY_DISABLED=1", "DO_NOT_TRACK=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return append(stdout.Bytes(), stderr.Bytes()...), err
	}
	return stdout.Bytes(), nil
}
