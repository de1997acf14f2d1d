package policies_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/policies"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const golden = "POLICIES.md"

// TestPoliciesFileMatchesMigrations fails when POLICIES.md no longer shows what the migrations grant.
// Regenerate with `make policies` (UPDATE_POLICIES=1).
func TestPoliciesFileMatchesMigrations(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	got, err := policies.Render(t.Context(), db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_POLICIES") == "1" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading %s (run `make policies` to create it): %v", golden, err)
	}
	if got != string(want) {
		t.Errorf("%s is out of date with the migrations; run `make policies` and review the diff.\nfirst difference: %s",
			golden, firstDiff(string(want), got))
	}
}

// TestRenderShowsAccessRules checks the report's content against facts of the schema.
func TestRenderShowsAccessRules(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	got, err := policies.Render(t.Context(), db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| angel_investors | on | - | - | S I U D |",         // investor data: no client access
		"| profiles | on | - | S U(display_name,language) |", // users change only two columns
		"| public.credit_status() | definer | authenticated, service_role |",
		"| private.debit_credits(",
		"users receive their own topic",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  file:     %s\n  database: %s", i+1, wl, gl)
		}
	}
	return "(none)"
}
