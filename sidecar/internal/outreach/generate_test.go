package outreach

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// newCampaignTargets creates a campaign with n targets and returns its id (messages not generated).
func newCampaignTargets(t *testing.T, db *pgtest.DB, uid, search string) string {
	t.Helper()
	ctx := context.Background()
	db.Exec(t, `insert into public.linkedin_accounts (user_id, unipile_account_id, tier) values ($1, $2, 'premium')`,
		uid, "acc-"+uid[:8])
	var id string
	must(t, db.AsUser(ctx, uid, func(tx pgx.Tx) error {
		var raw []byte
		if err := tx.QueryRow(ctx, `select public.create_outreach_campaign('Seed', (select id from public.projects where user_id = auth.uid() limit 1))`).Scan(&raw); err != nil {
			return err
		}
		var c struct{ ID string }
		_ = json.Unmarshal(raw, &c)
		id = c.ID
		_, err := tx.Exec(ctx, `select public.add_outreach_targets($1, $2)`, id, search)
		return err
	}))
	return id
}

// With Gemini, each target's sequence is one structured call; the messages are fitted to their
// limits, the user's data goes to the model delimited as data, and one AI charge is made per target.
// When the model fails, the templates answer and nothing is charged.
func TestGeminiMessagesFitLimitsAndChargeOncePerTarget(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	uid, search := fixture(t, db, 2)
	newCampaignTargets(t, db, uid, search)

	fake := llmtest.NewServer(t)
	long := strings.Repeat("Hola, me encantaría conectar contigo por vuestro foco en fintech. ", 20)
	fake.SetResponder(func(r llmtest.Request) llmtest.Reply {
		var steps []map[string]any
		for i := 1; i <= 4; i++ {
			steps = append(steps, map[string]any{"step": i, "body": long})
		}
		return llmtest.JSON(map[string]any{"messages": steps})
	})
	client, err := llm.New(context.Background(), llm.Config{APIKey: llmtest.APIKey, BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	g := &Generator{DB: db.Pool, LLM: client, Batch: 10}
	n, err := g.Step(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("Step = %d, %v; want 2 targets", n, err)
	}
	if fake.RequestCount() != 2 {
		t.Errorf("model calls = %d, want one per target", fake.RequestCount())
	}
	if c := fake.LastRequest().Contents; len(c) == 0 || !strings.HasPrefix(c[len(c)-1].Text, "<data>") || !strings.Contains(c[len(c)-1].Text, "PayFlow") {
		t.Error("the investor and project data did not go to the model delimited as data")
	}
	if bad := q1[int](t, db, `select count(*)::int from public.generated_messages where mode <> 'gemini' or char_count > max_chars`); bad != 0 {
		t.Errorf("%d messages are not Gemini's or exceed their limit", bad)
	}
	if over := q1[int](t, db, `select count(*)::int from public.generated_messages where message_type = 'connection_request' and char_count > 300`); over != 0 {
		t.Errorf("%d invitation notes exceed 300 characters", over)
	}
	if charges := q1[int](t, db, `select count(*)::int from public.credit_ledger where user_id = $1 and action = 'outreach_message'`, uid); charges != 2 {
		t.Errorf("AI charges = %d, want 2 (one per target)", charges)
	}

	// A failing model: templates, uncharged.
	uid2, search2 := fixture(t, db, 1)
	newCampaignTargets(t, db, uid2, search2)
	fake.SetResponder(func(llmtest.Request) llmtest.Reply { return llmtest.Error(400, "bad request") })
	if n, err := g.Step(context.Background()); err != nil || n != 1 {
		t.Fatalf("Step with a failing model = %d, %v; want 1", n, err)
	}
	if m := q1[int](t, db, `select count(*)::int from public.generated_messages where user_id = $1 and mode = 'template'`, uid2); m == 0 {
		t.Error("no template messages after the model failed")
	}
	if charges := q1[int](t, db, `select count(*)::int from public.credit_ledger where user_id = $1 and action = 'outreach_message'`, uid2); charges != 0 {
		t.Errorf("template messages were charged %d times", charges)
	}
}
