package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestSearchCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	url := db.PostgresURL()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"seed", "--preset", "demo", "--database-url", url, "--progress", "none"}, &out, &errOut); code != exitOK {
		t.Fatalf("seed exit %d: %s", code, errOut.String())
	}

	type page struct {
		Results []struct {
			Kind, Name string
			Score      float64
			Reasons    struct{ Stage, Geography string }
		}
		Criteria struct{ Categories []string }
	}
	search := func(args ...string) (page, int, string) {
		out.Reset()
		errOut.Reset()
		code := run(ctx, append([]string{"search"}, append(args, "--database-url", url)...), &out, &errOut)
		var p page
		if code == exitOK {
			if err := json.Unmarshal(out.Bytes(), &p); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out.String())
			}
		}
		return p, code, errOut.String()
	}

	p, code, stderr := search("investors", "--json", `{"categories":["fintech"],"stage":"seed","country":"ES"}`, "--limit", "15")
	if code != exitOK || len(p.Results) != 15 {
		t.Fatalf("investors: exit %d, %d results (%s)", code, len(p.Results), stderr)
	}
	if r := p.Results[0]; r.Name == "" || r.Score <= 0 || r.Reasons.Stage == "" || r.Reasons.Geography == "" {
		t.Errorf("first result lacks who/score/reasons: %+v", r)
	}
	if bytes.Contains(out.Bytes(), []byte(`"email"`)) || bytes.Contains(out.Bytes(), []byte(`"phone"`)) {
		t.Error("the output carries contact details")
	}

	p, code, _ = search("investors", "--query", "climate fintech in LatAm", "--limit", "5", "--compact")
	if code != exitOK || len(p.Results) == 0 || strings.Join(p.Criteria.Categories, ",") != "climate,fintech" {
		t.Errorf("free text: exit %d, %d results, categories %v", code, len(p.Results), p.Criteria.Categories)
	}

	p, code, _ = search("companies", "--json", `{"services":["legal"],"country":"ES"}`, "--limit", "3")
	if code != exitOK || len(p.Results) == 0 || p.Results[0].Kind != "company" {
		t.Errorf("companies: exit %d, %+v", code, p.Results)
	}

	var fund string
	if err := db.Pool.QueryRow(ctx, "select id::text from public.investment_funds order by name limit 1").Scan(&fund); err != nil {
		t.Fatal(err)
	}
	p, code, stderr = search("employees", "--fund-id", fund)
	if code != exitOK || len(p.Results) == 0 || p.Results[0].Kind != "fund_employee" {
		t.Errorf("employees: exit %d, %+v (%s)", code, p.Results, stderr)
	}

	if _, code, stderr = search("investors", "--json", `{"categories":["fintek"]}`); code != exitUsage || !strings.Contains(stderr, "unknown sector") {
		t.Errorf("unknown sector: exit %d, %q", code, stderr)
	}
	if _, code, _ = search("investors", "--json", `{"catgories":["fintech"]}`); code != exitUsage {
		t.Errorf("misspelt criteria key: exit %d, want %d", code, exitUsage)
	}
	if _, code, _ = search("unicorns"); code != exitUsage {
		t.Errorf("unknown kind: exit %d, want %d", code, exitUsage)
	}
	if _, code, _ = search("investors", "--request-id", "x", "--json", `{"categories":["fintech"]}`); code != exitUsage {
		t.Errorf("--request-id without --user: exit %d, want %d", code, exitUsage)
	}

	// as a user: charged and recorded
	uid := db.CreateUser(t, "cli@example.com")
	p, code, stderr = search("investors", "--user", uid, "--request-id", "cli-1", "--json", `{"categories":["fintech"]}`)
	if code != exitOK || len(p.Results) != 5 {
		t.Errorf("as a free user: exit %d, %d results (want the plan's 5) %s", code, len(p.Results), stderr)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, "select count(*) from public.search_results where user_id = $1", uid).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d searches recorded (err %v), want 1", n, err)
	}
}
