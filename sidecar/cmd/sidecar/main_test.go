package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSeedAndImportCommands(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	url := db.PostgresURL()
	var out, errOut bytes.Buffer

	if code := run(ctx, []string{"seed", "--preset", "demo", "--database-url", url, "--progress", "none"}, &out, &errOut); code != exitOK {
		t.Fatalf("seed exit %d: %s", code, errOut.String())
	}
	var n int
	if err := db.Pool.QueryRow(ctx, "select (select count(*) from public.angel_investors) + (select count(*) from public.investment_funds) + (select count(*) from public.fund_employees)").Scan(&n); err != nil || n != 3000 {
		t.Fatalf("demo seed loaded %d investors (err %v)", n, err)
	}
	errOut.Reset()
	if code := run(ctx, []string{"seed", "--database-url", url, "--progress", "none"}, &out, &errOut); code != exitFailed ||
		!strings.Contains(errOut.String(), "--truncate") {
		t.Errorf("seeding a seeded database: exit %d, %q", code, errOut.String())
	}
	if code := run(ctx, []string{"seed", "--database-url", url, "--if-empty", "--progress", "none"}, &out, &errOut); code != exitOK {
		t.Errorf("seed --if-empty on a seeded database: exit %d", code)
	}

	// Flags after the file, JSON report, rejected rows written next to a copy of the fixture.
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "seed", "importer", "testdata", "funds.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "funds.csv")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	code := run(ctx, []string{"import", "--kind", "funds", file, "--database-url", url, "--json", "--write-rejected"}, &out, &errOut)
	if code != exitRejected {
		t.Fatalf("import exit %d, want %d (some rows rejected): %s", code, exitRejected, errOut.String())
	}
	var rep struct {
		Read, Inserted, Updated, Rejected int
		RejectedFile                      string `json:"rejected_file"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("JSON report %q: %v", out.String(), err)
	}
	// The demo data may already hold a fund of the same name: then it is updated instead of inserted.
	if rep.Read != 7 || rep.Inserted+rep.Updated != 3 || rep.Rejected != 4 || rep.RejectedFile != file+".rejected.csv" {
		t.Errorf("report %+v", rep)
	}
	if b, err := os.ReadFile(file + ".rejected.csv"); err != nil || strings.Count(string(b), "\n") != 5 {
		t.Errorf("rejected file: %q (%v)", b, err)
	}

	if code := run(ctx, []string{"import", "--database-url", url, file}, &out, &errOut); code != exitUsage {
		t.Errorf("import without --kind: exit %d", code)
	}
	if code := run(ctx, []string{"frobnicate"}, &out, &errOut); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
}
