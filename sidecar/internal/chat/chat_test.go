package chat

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zerobullshit/backend/seed/investorgen"
	"github.com/zerobullshit/backend/sidecar/internal/jobs"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
)

// The frontend's insert (role authenticated, RLS) is the whole trigger path: a job is created in the
// same transaction, a worker picks it up, and exactly one reply and one debit are committed.
func TestUserMessageIsAnsweredOnceThroughTheTrigger(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("ana")
	id := f.send(uid, conv, "What is a SAFE and how does it differ from a convertible note?")
	if n := f.count("select count(*) from river.river_job where kind = 'chat_turn' and args->>'message_id' = $1", id); n != 1 {
		t.Fatalf("jobs for the message = %d, want 1 (created by the insert trigger)", n)
	}
	f.run(f.engine(), 0)
	if st := f.waitFinal([]string{id}, 20*time.Second)[id]; st != "answered" {
		t.Fatalf("status = %s, want answered", st)
	}
	if n := f.replies(id); n != 1 {
		t.Fatalf("replies = %d, want 1", n)
	}
	if n := f.debits(id); n != 1 {
		t.Fatalf("chat debits = %d, want 1", n)
	}
	content, meta := f.reply(id)
	if meta["intent"] != "librarian" || meta["mode"] != "offline" || meta["usage"] == nil || meta["llm_calls"] != float64(0) {
		t.Errorf("reply metadata = %v, want intent librarian, mode offline, usage and llm_calls recorded", meta)
	}
	if !strings.Contains(strings.ToUpper(content), "SAFE") {
		t.Errorf("reply does not talk about SAFEs: %q", content)
	}
	if n := f.count(`select count(*) from realtime.messages where topic = 'user:' || $1 and event = 'chat_message'
	                   and payload->'message'->>'reply_to' = $2`, uid, id); n != 1 {
		t.Errorf("chat_message broadcasts = %d, want 1", n)
	}
	if n := f.count(`select count(*) from realtime.messages where topic = 'user:' || $1 and event = 'credits_update'`, uid); n != 1 {
		t.Errorf("credits_update broadcasts = %d, want 1", n)
	}
	if n := f.count("select count(*) from river.river_job where args->>'message_id' = $1 and state = 'completed'", id); n != 1 {
		t.Errorf("completed jobs = %d, want 1", n)
	}
}

// The same job delivered several times at once (a rescue racing a slow worker, a duplicate
// notification) answers and charges once.
func TestDuplicateDeliveriesAnswerAndChargeOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("bea")
	id := f.send(uid, conv, "How should I prepare my pitch deck for a seed round?")
	e := f.engine()
	var wg sync.WaitGroup
	results := make([]TurnResult, 6)
	errs := make([]error, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.Turn(context.Background(), id, 0)
		}()
	}
	wg.Wait()
	fresh := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
		if !results[i].Duplicate {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("deliveries that answered = %d, want 1", fresh)
	}
	if n := f.replies(id); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
	if n := f.debits(id); n != 1 {
		t.Errorf("debits = %d, want 1", n)
	}
	// And once more after the fact: nothing changes.
	if r, err := e.Turn(context.Background(), id, 0); err != nil || !r.Duplicate {
		t.Errorf("late redelivery = %+v, %v; want a duplicate", r, err)
	}
}

// The same message queued as several jobs (a duplicate delivery at the queue, each run by River)
// is answered and charged once, and every one of those jobs completes: none is left to retry.
func TestDuplicateJobsForOneMessageAnswerOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("cid")
	id := f.send(uid, conv, "What should a seed-stage SaaS founder put in the data room?")
	for range 3 {
		f.db.Exec(t, "select private.enqueue_job('chat_turn', jsonb_build_object('message_id', $1::uuid), 'chat', 3)", id)
	}
	jobs := "select count(*) from river.river_job where kind = 'chat_turn' and args->>'message_id' = $1"
	if n := f.count(jobs, id); n != 4 {
		t.Fatalf("jobs for the message = %d, want 4 (the trigger's and 3 duplicates)", n)
	}
	f.run(f.engine(), 0)
	if st := f.waitFinal([]string{id}, 10*time.Second)[id]; st != "answered" {
		t.Fatalf("status = %s, want answered", st)
	}
	waitFor(t, 10*time.Second, "all four jobs completed", func() bool {
		return f.count(jobs+" and state = 'completed'", id) == 4
	})
	if n := f.replies(id); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
	if n := f.debits(id); n != 1 {
		t.Errorf("debits = %d, want 1", n)
	}
}

// startWorkers runs n worker processes (this test binary in worker mode) on the database.
func startWorkers(t testing.TB, url, mode string, n int) []*exec.Cmd {
	return startWorkersEnv(t, url, mode, n, "")
}

// startWorkersEnv is startWorkers with the fake Gemini server's URL for mode "gemini".
func startWorkersEnv(t testing.TB, url, mode string, n int, geminiURL string) []*exec.Cmd {
	t.Helper()
	var cmds []*exec.Cmd
	for range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), workerURLEnv+"="+url, workerModeEnv+"="+mode, workerGeminiEnv+"="+geminiURL)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "worker ready" {
					ready <- true
				}
			}
		}()
		select {
		case <-ready:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("worker process did not start")
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
			}
		})
	}
	return cmds
}

// Three sidecar processes compete for the same queue: every message is answered exactly once.
func TestCompetingProcessesAnswerEachMessageOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	startWorkers(t, f.db.PostgresURL(), "normal", 3)
	texts := []string{
		"What is a cap table?", "How do I find a cofounder?", "¿Qué es una nota convertible?",
		"How much should I raise at pre-seed?", "¿Cómo calculo mi runway?", "thanks!",
	}
	var ids []string
	for u := range 6 {
		uid, conv := f.user("p" + string(rune('a'+u)))
		for _, text := range texts {
			ids = append(ids, f.send(uid, conv, text))
		}
	}
	statuses := f.waitFinal(ids, 60*time.Second)
	for _, id := range ids {
		if statuses[id] != "answered" {
			t.Errorf("message %s: status %s", id, statuses[id])
		}
		if n := f.replies(id); n != 1 {
			t.Errorf("message %s: %d replies", id, n)
		}
		if n := f.debits(id); n > 1 {
			t.Errorf("message %s: %d debits", id, n)
		}
	}
	if n := f.count("select count(*) from public.messages where role = 'assistant'"); n != len(ids) {
		t.Errorf("assistant messages = %d, want %d", n, len(ids))
	}
}

// A worker process killed mid-turn leaves its job running; once the lease runs out another worker
// rescues it and answers, once.
func TestKilledWorkerTurnIsRescuedAndAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmds := startWorkers(t, f.db.PostgresURL(), "block", 1)
	uid, conv := f.user("kai")
	id := f.send(uid, conv, "What's the difference between pre-money and post-money valuation?")
	running := "select count(*) from river.river_job where args->>'message_id' = $1 and state = 'running'"
	waitFor(t, 20*time.Second, "the blocked worker to start the turn", func() bool { return f.count(running, id) > 0 })
	f.killAndRescue(cmds[0], id)
}

// A worker killed while its answer streams (chat_delta broadcasts already sent, nothing committed)
// is rescued the same way: one reply, one debit.
func TestWorkerKilledMidStreamIsRescuedAndAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fake := llmtest.NewServer(t)
	fake.SetResponder(func(r llmtest.Request) llmtest.Reply {
		if r.Stream { // a long answer, a piece every 300 ms: the kill lands in the middle
			return llmtest.SplitText(strings.Repeat("Keep the deck to twelve slides. ", 100), 100).WithChunkDelay(300 * time.Millisecond)
		}
		return llmtest.JSON(benchDecision)
	})
	cmds := startWorkersEnv(t, f.db.PostgresURL(), "gemini", 1, fake.URL)
	uid, conv := f.user("lou")
	id := f.send(uid, conv, "How should I structure my seed pitch deck?")
	deltas := "select count(*) from realtime.messages where topic = 'user:' || $1 and event = 'chat_delta'"
	waitFor(t, 20*time.Second, "the answer to start streaming", func() bool { return f.count(deltas, uid) > 0 })
	f.killAndRescue(cmds[0], id)
}

// killAndRescue kills the worker process busy with message id's turn (nothing may be committed
// yet), lets this test's own client rescue the job, and checks the turn ends answered once,
// charged once, by a second attempt.
func (f *fixture) killAndRescue(worker *exec.Cmd, id string) {
	t := f.t
	t.Helper()
	if err := worker.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = worker.Wait()
	if n := f.replies(id); n != 0 {
		t.Fatalf("replies after the kill = %d, want 0", n)
	}
	// The dead process's leadership would expire on its own; remove it so this test's client leads
	// (and runs the rescuer) at once.
	f.db.Exec(t, "delete from river.river_leader")
	time.Sleep(2 * time.Second) // the lease (rescueAfter below) runs out
	f.run(f.engine(), 2*time.Second)
	if st := f.waitFinal([]string{id}, 30*time.Second)[id]; st != "answered" {
		t.Fatalf("status = %s, want answered", st)
	}
	if n := f.replies(id); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
	if n := f.debits(id); n != 1 {
		t.Errorf("debits = %d, want 1", n)
	}
	if n := f.count("select max(attempt) from river.river_job where args->>'message_id' = $1", id); n < 2 {
		t.Errorf("attempts = %d, want the rescued second attempt", n)
	}
}

type failingJudge struct{}

func (failingJudge) Decide(context.Context, judge.Input) (judge.Decision, error) {
	return judge.Decision{}, errors.New("model unavailable")
}

// A turn that keeps failing ends with a visible error reply and a failed status, uncharged.
func TestTurnThatKeepsFailingEndsWithAVisibleError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.db.Exec(t, "update public.chat_settings set turn_max_attempts = 2")
	uid, conv := f.user("fay")
	id := f.send(uid, conv, "How do I negotiate a term sheet?")
	e := f.engine()
	e.judge = failingJudge{}
	e.metrics = obs.NewMetrics()
	f.run(e, 0)
	if st := f.waitFinal([]string{id}, 30*time.Second)[id]; st != "failed" {
		t.Fatalf("status = %s, want failed", st)
	}
	// Both attempts failed, the last one too although its failure was answered.
	waitFor(t, 5*time.Second, "both failed attempts in zb_jobs_failed_total", func() bool {
		return counterSum(t, e.metrics, "zb_jobs_failed_total", map[string]string{"kind": "chat_turn"}) == 2
	})
	content, meta := f.reply(id)
	if meta["error"] != true || content == "" {
		t.Errorf("failure reply = %q %v, want a visible error reply", content, meta)
	}
	if n := f.debits(id); n != 0 {
		t.Errorf("debits = %d, want 0", n)
	}
	if n := f.notifications(uid, "chat_failed"); n != 1 {
		t.Errorf("chat_failed notifications = %d, want 1", n)
	}
}

// A message whose job died with its last attempt is failed visibly by the sweeper.
func TestSweeperFailsTurnsWhoseJobIsGone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("gus")
	id := f.send(uid, conv, "hello")
	fresh := f.send(uid, conv, "another one")
	f.db.Exec(t, "update river.river_job set state = 'discarded', finalized_at = now() where args->>'message_id' = $1", id)
	f.db.Exec(t, "update public.messages set created_at = now() - interval '10 minutes' where id = $1", id)
	n, err := f.engine().Sweep(context.Background(), 3*time.Minute)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1", n, err)
	}
	if st := f.waitFinal([]string{id}, time.Second)[id]; st != "failed" {
		t.Errorf("status = %s, want failed", st)
	}
	if f.count("select count(*) from public.messages where id = $1 and status = 'pending'", fresh) != 1 {
		t.Error("the sweeper touched a message whose job is still queued")
	}
}

// Out of credits: a clear answer and a notification, no charge.
func TestInsufficientCreditsAnswerWithoutCharge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("hal")
	f.db.Exec(t, "update public.credit_accounts set balance = 0, daily_used = 50 where user_id = $1", uid)
	id := f.send(uid, conv, "How do I find product-market fit?")
	if _, err := f.engine().Turn(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	if n := f.debits(id); n != 0 {
		t.Errorf("debits = %d, want 0", n)
	}
	_, meta := f.reply(id)
	if meta["insufficient_credits"] != "chat_turn" || meta["charged"] != false {
		t.Errorf("metadata = %v, want insufficient_credits chat_turn and charged false", meta)
	}
	if n := f.notifications(uid, "insufficient_credits"); n != 1 {
		t.Errorf("insufficient_credits notifications = %d, want 1", n)
	}
}

// Spam is answered briefly, marked rejected and never charged.
func TestSpamIsRejectedUncharged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("ivy")
	id := f.send(uid, conv, "asdfasdfasdf qwertyqwerty zzzzzzzzzzzzz")
	if _, err := f.engine().Turn(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	if st := f.waitFinal([]string{id}, time.Second)[id]; st != "rejected" {
		t.Errorf("status = %s, want rejected", st)
	}
	if n := f.count("select count(*) from public.credit_ledger where user_id = $1 and kind = 'debit'", uid); n != 0 {
		t.Errorf("debits = %d, want 0", n)
	}
}

// Facts stated in a message land in the project (created when the user has none), in Spanish.
func TestFactsAreMergedIntoTheProject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("jon")
	f.db.Exec(t, "update public.profiles set language = 'es' where id = $1", uid)
	id := f.send(uid, conv, "Somos una fintech en fase seed en Madrid, con 40.000 euros de MRR y un equipo de 6 personas")
	if _, err := f.engine().Turn(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	var cats []string
	var stage string
	var completeness int
	if err := f.pool.QueryRow(context.Background(),
		"select categories, stage::text, completeness from public.projects where user_id = $1", uid).Scan(&cats, &stage, &completeness); err != nil {
		t.Fatalf("project: %v", err)
	}
	if len(cats) == 0 || cats[0] != "fintech" || stage != "seed" || completeness < 50 {
		t.Errorf("project = %v %s %d, want fintech, seed, completeness >= 50", cats, stage, completeness)
	}
	if f.count("select count(*) from public.conversations where id = $1 and project_id is not null", conv) != 1 {
		t.Error("the conversation was not linked to the project")
	}
}

// A project the chat creates takes the name the founder states, else a placeholder in the language
// of the message (not of the profile).
func TestNewProjectIsNamedInTheMessageLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct{ name, profile, text, want string }{
		{"kim", "en", "Somos una fintech en fase seed en Madrid con un equipo de 4 personas", "Mi startup"},
		{"lea", "es", "We are a seed-stage healthtech startup in London with a team of 5", "My startup"},
		{"max", "en", "Somos Verdana Pay, una fintech en fase seed en Madrid con 40.000 euros de MRR", "Verdana Pay"},
	} {
		uid, conv := f.user(c.name)
		f.db.Exec(t, "update public.profiles set language = $2 where id = $1", uid, c.profile)
		id := f.send(uid, conv, c.text)
		if _, err := f.engine().Turn(context.Background(), id, 0); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := f.pool.QueryRow(context.Background(), "select name from public.projects where user_id = $1", uid).Scan(&name); err != nil {
			t.Fatalf("%s's project: %v", c.name, err)
		}
		if name != c.want {
			t.Errorf("profile %s, message %q: project named %q, want %q", c.profile, c.text, name, c.want)
		}
	}
}

// An investor search from the chat searches for real, is recorded and charged once (search cost,
// keyed on the message), and needs a complete enough project first.
func TestSearchTurnSearchesOnceAndGatesOnCompleteness(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := investorgen.Load(context.Background(), f.pool, investorgen.Counts{Angels: 300, Funds: 60, MinEmployeesPerFund: 2, MaxEmployeesPerFund: 4, Employees: 150, Companies: 40},
		investorgen.Options{Seed: 7, AsOf: time.Now().UTC(), LogEvery: -1}); err != nil {
		t.Fatal(err)
	}
	uid, conv := f.user("kim")
	gated := f.send(uid, conv, "Find me investors please")
	e := f.engine()
	if _, err := e.Turn(context.Background(), gated, 0); err != nil {
		t.Fatal(err)
	}
	if n := f.count("select count(*) from public.search_results where user_id = $1", uid); n != 0 {
		t.Fatalf("a search ran without a project: %d", n)
	}
	f.project(uid)
	id := f.send(uid, conv, "Find me seed fintech investors in Spain")
	for range 2 { // the second run is a redelivery
		if _, err := e.Turn(context.Background(), id, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("select count(*) from public.search_results where user_id = $1", uid); n != 1 {
		t.Errorf("recorded searches = %d, want 1", n)
	}
	if n := f.count("select count(*) from public.credit_ledger where user_id = $1 and action = 'investor_search'", uid); n != 1 {
		t.Errorf("search debits = %d, want 1", n)
	}
	if n := f.debits(id); n != 0 {
		t.Errorf("chat-turn debits on a search = %d, want 0 (the search is the charge)", n)
	}
	content, meta := f.reply(id)
	var name string
	if err := f.pool.QueryRow(context.Background(), `select r->>'name' from public.search_results s,
	        jsonb_array_elements(s.results) r where s.user_id = $1 limit 1`, uid).Scan(&name); err != nil {
		t.Fatalf("reading the recorded results: %v", err)
	}
	if meta["search_id"] == nil || !strings.Contains(content, name) {
		t.Errorf("reply %q (meta %v) does not show the top result %q", content, meta, name)
	}
}

// chat_delta broadcasts are throttled: a long streamed answer sends at most one per interval.
func TestDeltasAreThrottled(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	uid, conv := f.user("lou")
	id := f.send(uid, conv, "hi")
	e := f.engine()
	clock := time.Unix(0, 0)
	e.now = func() time.Time { return clock }
	tc := &turnContext{}
	tc.Message.ID, tc.Message.UserID, tc.Message.ConversationID = id, uid, conv
	s := e.newStream(context.Background(), tc)
	for range 100 { // 100 pieces over 2 seconds
		clock = clock.Add(20 * time.Millisecond)
		s.Send("word ")
	}
	s.Close()
	got := f.count("select count(*) from realtime.messages where topic = 'user:' || $1 and event = 'chat_delta'", uid)
	if got < 9 || got > 11 {
		t.Errorf("deltas = %d for 2s of streaming at 200ms spacing, want about 10", got)
	}
	var text strings.Builder
	rows, err := f.pool.Query(context.Background(), `select payload->>'delta' from realtime.messages
	        where topic = 'user:' || $1 and event = 'chat_delta' order by (payload->>'seq')::int`, uid)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		_ = rows.Scan(&d)
		text.WriteString(d)
	}
	if text.String() != strings.Repeat("word ", 100) {
		t.Errorf("deltas lost text: got %d characters, want %d", text.Len(), 500)
	}
}

// With Gemini a turn is one judge call and one streamed answer: two model calls, and the tokens and
// the mode are recorded on the reply.
func TestGeminiTurnMakesTwoModelCallsAndRecordsUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fake := llmtest.NewServer(t)
	fake.SetResponder(fakeGemini(benchDecision, benchAnswer))
	e, err := newGeminiEngine(context.Background(), f.pool, fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	e.metrics = obs.NewMetrics()
	uid, conv := f.user("max")
	id := f.send(uid, conv, "How should I prepare my pitch deck?")
	if _, err := e.Turn(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	if n := fake.RequestCount(); n != 2 {
		t.Errorf("model calls = %d, want 2 (judge + answer)", n)
	}
	content, meta := f.reply(id)
	usage, _ := meta["usage"].(map[string]any)
	if n := counterSum(t, e.metrics, "zb_llm_calls_total", map[string]string{"mode": "gemini", "outcome": "ok"}); n != 2 {
		t.Errorf("zb_llm_calls_total{mode=gemini,outcome=ok} = %v, want 2", n)
	}
	if n := counterSum(t, e.metrics, "zb_llm_tokens_total", map[string]string{"mode": "gemini"}); n <= 0 {
		t.Errorf("zb_llm_tokens_total{mode=gemini} = %v, want the turn's tokens", n)
	}
	if meta["mode"] != "gemini" || meta["judge_mode"] != "gemini" || meta["llm_calls"] != float64(2) ||
		usage == nil || usage["total_tokens"].(float64) <= 0 {
		t.Errorf("metadata = %v, want gemini modes, 2 calls and the tokens", meta)
	}
	if !strings.Contains(content, "12 slides") {
		t.Errorf("reply %q is not the model's answer", content)
	}
}

// When the model fails, the turn is still answered, offline, and says so.
func TestGeminiOutageFallsBackToOffline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	fake := llmtest.NewServer(t)
	fake.SetResponder(func(llmtest.Request) llmtest.Reply { return llmtest.Error(503, "") })
	e, err := newGeminiEngine(context.Background(), f.pool, fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	e.metrics = obs.NewMetrics()
	uid, conv := f.user("ned")
	id := f.send(uid, conv, "What is a SAFE?")
	if _, err := e.Turn(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	// Both calls (judge, answer) failed and the fallback answered each: the metrics show it.
	if n := counterSum(t, e.metrics, "zb_llm_calls_total", map[string]string{"mode": "gemini", "outcome": "error"}); n != 2 {
		t.Errorf("zb_llm_calls_total{mode=gemini,outcome=error} = %v, want 2", n)
	}
	if n := counterSum(t, e.metrics, "zb_llm_calls_total", map[string]string{"mode": "offline"}); n != 2 {
		t.Errorf("zb_llm_calls_total{mode=offline} = %v, want 2", n)
	}
	_, meta := f.reply(id)
	if meta["mode"] != "offline" || meta["judge_mode"] != "offline" || meta["intent"] != "librarian" {
		t.Errorf("metadata = %v, want an offline librarian answer", meta)
	}
}

// The trigger's NOTIFY wakes the workers at once: with polling set to a minute, a message is still
// answered within seconds (River listens on river.river_insert, payload {"queue": "chat"}).
func TestTriggerNotificationWakesTheWorkers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ws := river.NewWorkers()
	river.AddWorker(ws, &Worker{Engine: f.engine()})
	c, err := jobs.NewClient(f.pool, ws, jobs.Options{Queues: map[string]int{Queue: 2}, FetchPollInterval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(ctx, c)
	})
	uid, conv := f.user("nia")
	time.Sleep(500 * time.Millisecond) // the client's first fetch and LISTEN are done
	id := f.send(uid, conv, "hello!")
	if st := f.waitFinal([]string{id}, 10*time.Second)[id]; st != "answered" {
		t.Fatalf("status = %s, want answered", st)
	}
}
