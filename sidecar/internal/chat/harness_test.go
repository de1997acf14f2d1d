package chat

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/zerobullshit/backend/sidecar/internal/agents"
	"github.com/zerobullshit/backend/sidecar/internal/config"
	"github.com/zerobullshit/backend/sidecar/internal/jobs"
	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
	"github.com/zerobullshit/backend/sidecar/internal/obs"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// Worker mode: the test binary re-executed as a separate sidecar-like process (crash and
// multi-process tests, benchmarks). ZB_CHAT_WORKER_URL is the database, ZB_CHAT_WORKER_MODE is
// "normal" or "block" (every turn hangs in the judge, so the process can be killed mid-turn).
const (
	workerURLEnv    = "ZB_CHAT_WORKER_URL"
	workerModeEnv   = "ZB_CHAT_WORKER_MODE"
	workerGeminiEnv = "ZB_CHAT_WORKER_GEMINI_URL" // mode "gemini": the fake Gemini server
	// workerProfileEnv, when set, makes each worker process write a CPU profile to <value>.<pid>
	// (go tool pprof chat.test <file>): where a benchmark's sidecar time goes.
	workerProfileEnv = "ZB_CHAT_WORKER_CPUPROFILE"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(workerURLEnv); url != "" {
		os.Exit(runWorkerProcess(url, os.Getenv(workerModeEnv)))
	}
	pgtest.Main(m)
}

func runWorkerProcess(url, mode string) int {
	config.TuneGC(os.LookupEnv) // as "sidecar serve" does
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, err := newTestPool(ctx, url, 24)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	defer pool.Close()
	var e *Engine
	if mode == "gemini" {
		e, err = newGeminiEngine(ctx, pool, os.Getenv(workerGeminiEnv))
	} else {
		e, err = newTestEngine(pool)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	if mode == "block" {
		e.judge = blockingJudge{}
	}
	workers := 20
	if n, err := strconv.Atoi(os.Getenv("ZB_CHAT_WORKERS")); err == nil && n > 0 {
		workers = n
	}
	client, err := newTestClient(pool, e, workers, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	if err := client.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	if p := os.Getenv(workerProfileEnv); p != "" {
		stop, err := startCPUProfile(fmt.Sprintf("%s.%d", p, os.Getpid()))
		if err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			return 1
		}
		defer stop()
	}
	fmt.Println("worker ready")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = jobs.Stop(sctx, client)
	return 0
}

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// blockingJudge never answers: the turn hangs until the process dies.
type blockingJudge struct{}

func (blockingJudge) Decide(ctx context.Context, _ judge.Input) (judge.Decision, error) {
	select {} // ignores cancellation on purpose: a wedged worker
}

func newTestPool(ctx context.Context, url string, conns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = conns
	return pgxpool.NewWithConfig(ctx, cfg)
}

func newTestEngine(pool *pgxpool.Pool) (*Engine, error) {
	j, err := judge.NewOffline(judge.DefaultConfig())
	if err != nil {
		return nil, err
	}
	return New(Options{Pool: pool, Judge: j, Agents: agents.New(agents.Options{DB: pool, Log: quiet}), Log: quiet})
}

// quiet drops the engine's logs in tests (ZB_TEST_LOG=info shows them).
var quiet = func() *slog.Logger {
	level := slog.LevelError
	if l := os.Getenv("ZB_TEST_LOG"); l != "" {
		_ = level.UnmarshalText([]byte(l))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}()

// newGeminiEngine answers with the real genai client pointed at a fake Gemini server (url).
func newGeminiEngine(ctx context.Context, pool *pgxpool.Pool, url string) (*Engine, error) {
	client, err := llm.New(ctx, llm.Config{APIKey: llmtest.APIKey, BaseURL: url})
	if err != nil {
		return nil, err
	}
	off, err := judge.NewOffline(judge.DefaultConfig())
	if err != nil {
		return nil, err
	}
	j, err := judge.NewGemini(client, off, judge.GeminiOptions{Logger: quiet})
	if err != nil {
		return nil, err
	}
	dbc, _ := strconv.Atoi(os.Getenv("ZB_CHAT_DB_CONCURRENCY"))
	return New(Options{Pool: pool, Judge: j, Agents: agents.New(agents.Options{LLM: client, DB: pool, Log: quiet}), Log: quiet,
		DBConcurrency: dbc})
}

// fakeGemini answers every judge call with decision and every streamed answer with text.
func fakeGemini(decision map[string]any, text string) func(llmtest.Request) llmtest.Reply {
	return func(r llmtest.Request) llmtest.Reply {
		if r.Stream {
			return llmtest.SplitText(text, 4)
		}
		return llmtest.JSON(decision)
	}
}

// newTestClient is a River client working the chat queue; rescueAfter > 0 makes abandoned jobs
// retry quickly.
func newTestClient(pool *pgxpool.Pool, e *Engine, workers int, rescueAfter time.Duration) (*jobs.Client, error) {
	ws := river.NewWorkers()
	w := &Worker{Engine: e}
	o := jobs.Options{Queues: map[string]int{Queue: workers}}
	if rescueAfter > 0 {
		o.JobTimeout, o.RescueAfter = rescueAfter/2, rescueAfter
		w.TurnTimeout = o.JobTimeout
	}
	if err := river.AddWorkerSafely(ws, w); err != nil {
		return nil, err
	}
	return jobs.NewClient(pool, ws, o)
}

// fixture is a database with users and conversations.
type fixture struct {
	t    testing.TB
	db   *pgtest.DB
	pool *pgxpool.Pool
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := pgtest.New(t)
	pool, err := newTestPool(context.Background(), db.PostgresURL(), 24)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &fixture{t: t, db: db, pool: pool}
}

// user signs up a user (200 signup credits, free plan) and opens a conversation as them.
func (f *fixture) user(name string) (uid, conv string) {
	f.t.Helper()
	uid = f.db.CreateUser(f.t, name+"@example.com")
	err := f.db.AsUser(context.Background(), uid, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), "insert into public.conversations (title) values ('t') returning id::text").Scan(&conv)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return uid, conv
}

// send inserts a user message exactly as the frontend does through PostgREST (role authenticated,
// the user's JWT claims, RLS on) and returns its id.
func (f *fixture) send(uid, conv, text string) string {
	f.t.Helper()
	id, _ := f.sendXID(uid, conv, text)
	return id
}

// sendXID is send that also returns the id of the transaction that inserted the message (commitTimes
// turns it into the commit's time).
func (f *fixture) sendXID(uid, conv, text string) (id, xid string) {
	f.t.Helper()
	err := f.db.AsUser(context.Background(), uid, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(),
			"insert into public.messages (conversation_id, content) values ($1, $2) returning id::text, xmin::text", conv, text).Scan(&id, &xid)
	})
	if err != nil {
		f.t.Fatalf("sending %q: %v", text, err)
	}
	return id, xid
}

// commitTimes maps transaction ids to the times they committed.
func (f *fixture) commitTimes(xids []string) map[string]time.Time {
	f.t.Helper()
	return f.commitTimesOf("select x, pg_xact_commit_timestamp(x::xid) from unnest($1::text[]) as x", xids)
}

// replyCommits maps each user message id to the time its reply committed.
func (f *fixture) replyCommits(ids []string) map[string]time.Time {
	f.t.Helper()
	return f.commitTimesOf("select reply_to::text, pg_xact_commit_timestamp(xmin) from public.messages where reply_to = any($1::uuid[])", ids)
}

// commitTimesOf runs query (rows of key, commit time) with keys; the cluster must track commit
// timestamps.
func (f *fixture) commitTimesOf(query string, keys []string) map[string]time.Time {
	f.t.Helper()
	rows, err := f.pool.Query(context.Background(), query, keys)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make(map[string]time.Time, len(keys))
	for rows.Next() {
		var key string
		var at *time.Time
		if err := rows.Scan(&key, &at); err != nil {
			f.t.Fatal(err)
		}
		if at == nil {
			f.t.Fatalf("no commit time for %s: the cluster must run with track_commit_timestamp=on", key)
		}
		out[key] = *at
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// project gives the user a project complete enough to search (completeness 100).
func (f *fixture) project(uid string) string {
	f.t.Helper()
	var id string
	err := f.pool.QueryRow(context.Background(), `
insert into public.projects (user_id, name, categories, stage, country, city, metrics, team, problem, product_status,
                             previous_funding, funding_ask_usd)
values ($1, 'Verdana Pay', '{fintech}', 'seed', 'ES', 'Madrid', '{"mrr": 40000}', '{"size": 6}', 'SMEs get paid late',
        'revenue', 'Angels 300k', 1500000) returning id::text`, uid).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// waitFinal waits until every message has a final status and returns the statuses. It polls the
// small set of open messages (a partial index), so waiting costs the database next to nothing.
func (f *fixture) waitFinal(ids []string, timeout time.Duration) map[string]string {
	f.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	keys := make([]pgtype.UUID, len(ids)) // parsed once: a benchmark polls thousands of ids
	for i, id := range ids {
		if err := keys[i].Scan(id); err != nil {
			f.t.Fatal(err)
		}
	}
	for {
		// exists, not count: while many turns are open the first probe finds one, so polling a
		// benchmark's backlog costs the database almost nothing. coalesce keeps the planner on the
		// primary key: messages_open_idx would walk every open and dead-open entry on each poll.
		var open bool
		if err := f.pool.QueryRow(ctx, `select exists (select from public.messages
		        where coalesce(status, '') in ('pending', 'processing') and id = any($1::uuid[]))`, keys).Scan(&open); err != nil {
			f.t.Fatal(err)
		}
		if !open {
			break
		}
		if time.Now().After(deadline) {
			n := f.count(`select count(*) from public.messages
			        where status in ('pending', 'processing') and id = any($1::uuid[])`, ids)
			f.t.Fatalf("%d of %d messages still open after %s", n, len(ids), timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	rows, err := f.pool.Query(ctx, "select id::text, status from public.messages where id = any($1::uuid[])", ids)
	if err != nil {
		f.t.Fatal(err)
	}
	got := map[string]string{}
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			f.t.Fatal(err)
		}
		got[id] = st
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *fixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// notifications counts the notification broadcasts of a kind on a user's channel.
func (f *fixture) notifications(uid, kind string) int {
	return f.count(`select count(*) from realtime.messages where topic = 'user:' || $1 and event = 'notification'
	                and payload->>'kind' = $2`, uid, kind)
}

// replies counts the assistant replies to a message.
func (f *fixture) replies(id string) int {
	return f.count("select count(*) from public.messages where reply_to = $1::uuid", id)
}

// reply returns the content and metadata of the assistant reply to a message.
func (f *fixture) reply(id string) (string, map[string]any) {
	f.t.Helper()
	var content string
	var meta map[string]any
	if err := f.pool.QueryRow(context.Background(), "select content, metadata from public.messages where reply_to = $1::uuid", id).
		Scan(&content, &meta); err != nil {
		f.t.Fatalf("reading the reply to %s: %v", id, err)
	}
	return content, meta
}

// debits counts the chat-turn debits of a message (searches are keyed by their own request).
func (f *fixture) debits(id string) int {
	return f.count("select count(*) from public.credit_ledger where idempotency_key = 'chat:' || $1", id)
}

func (f *fixture) engine() *Engine {
	f.t.Helper()
	e, err := newTestEngine(f.pool)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// run starts a River client working the chat queue until the test ends.
func (f *fixture) run(e *Engine, rescueAfter time.Duration) *jobs.Client {
	f.t.Helper()
	c, err := newTestClient(f.pool, e, 20, rescueAfter)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = jobs.Stop(ctx, c)
	})
	return c
}

// sendBatch inserts n user messages spread over users in one transaction (a backlog) and returns
// their ids and the time that transaction committed.
func (f *fixture) sendBatch(users [][2]string, n int) (ids []string, committed time.Time) {
	f.t.Helper()
	ctx := context.Background()
	convs := make([]string, n)
	texts := make([]string, n)
	for i := range n {
		convs[i] = users[i%len(users)][1]
		texts[i] = benchTexts[i%len(benchTexts)]
	}
	rows, err := f.pool.Query(ctx, `insert into public.messages (conversation_id, content)
	        select c, t from unnest($1::uuid[], $2::text[]) as x(c, t) returning id::text, xmin::text`, convs, texts)
	if err != nil {
		f.t.Fatal(err)
	}
	var xid string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &xid); err != nil {
			f.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return ids, f.commitTimes([]string{xid})[xid]
}

// counterSum adds up the counter name's series whose labels include want.
func counterSum(t testing.TB, m *obs.Metrics, name string, want map[string]string) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, s := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if labels[k] != v {
					continue series
				}
			}
			sum += s.GetCounter().GetValue()
		}
	}
	return sum
}

// waitFor polls cond until it holds or fails the test after d.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
