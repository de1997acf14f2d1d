package chat

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

// The chat benchmarks run the real path end to end: users insert messages as PostgREST would (the
// trigger enqueues the job), separate worker processes (this test binary in worker mode, each a
// River client like "sidecar serve") answer them with the real genai client against a zero-latency
// fake Gemini, and the reply commits with the debit and the job completion. Figures:
//
//	overhead-p50-ms / overhead-p99-ms  user-message commit -> reply commit, at a steady 50 turns/s
//	                                   (the database's commit timestamps of both transactions)
//	turns/s                            the most turns per second N processes answer (a backlog
//	                                   drained; the median round, with the slowest and fastest)
//	llm-calls/turn                     requests the fake model received per turn
//	sidecar-cpu-ms/turn                CPU the worker processes used per turn of the backlog
//	postgres-cpu-ms/turn               CPU the database sessions used per turn of the backlog
//	busy-cores                         the machine's busy CPUs while the backlog drains (2 = both
//	                                   cores saturated: the turns/s is then CPU per turn's limit)
//
// CHAT_BENCH_SECONDS (default 10) sets the duration of the steady-rate run, CHAT_BENCH_TURNS
// (default 3000) the backlog of a throughput round, CHAT_BENCH_WARM_TURNS (default 600) the
// unmeasured backlog drained first, CHAT_BENCH_ROUNDS (default 3) how many backlogs are measured;
// ZB_CHAT_WORKERS (default 20) and ZB_CHAT_DB_CONCURRENCY (default 2 x GOMAXPROCS) size each worker
// process like CHAT_WORKERS and CHAT_DB_CONCURRENCY size "sidecar serve". CHAT_BENCH_STATEMENTS=1
// makes the throughput benchmark also print where the database's share of a turn goes (see
// statementReport).

var benchTexts = []string{
	"How should I prepare my pitch deck for the seed round?",
	"¿Qué es una nota convertible?",
	"What do you think about our pricing?",
	"¿Cómo encuentro un cofundador técnico?",
	"What is a liquidation preference?",
	"How do I calculate my runway?",
}

var benchDecision = map[string]any{"intent": "mentor", "confidence": 0.9, "language": "en", "spam_score": 0.01, "facts": map[string]any{}}

const benchAnswer = "Focus on the problem, the traction you have and why now. Keep it to 12 slides and lead with the numbers investors ask about first."

type benchEnv struct {
	f     *fixture
	fake  *llmtest.Server
	users [][2]string
}

func newBenchEnv(b *testing.B, users int) *benchEnv {
	env := &benchEnv{f: newFixture(b)}
	env.fake = llmtest.New(llmtest.WithoutRecording())
	b.Cleanup(env.fake.Close)
	env.fake.SetResponder(fakeGemini(benchDecision, benchAnswer))
	for i := range users {
		uid, conv := env.f.user("bench" + strconv.Itoa(i))
		env.users = append(env.users, [2]string{uid, conv})
	}
	env.f.db.Exec(b, "update public.credit_accounts set balance = 1000000")
	return env
}

// benchSetting reads a benchmark setting from the environment: an integer no smaller than least,
// else def.
func benchSetting(name string, def, least int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= least {
		return n
	}
	return def
}

func benchDuration() time.Duration {
	return time.Duration(benchSetting("CHAT_BENCH_SECONDS", 10, 1)) * time.Second
}

// BenchmarkChatTurnOverhead measures commit-to-reply-commit at a steady 50 turns/s with one process.
func BenchmarkChatTurnOverhead(b *testing.B) {
	for range b.N {
		env := newBenchEnv(b, 200) // each user well under the flood guard's 12 messages a minute
		startWorkersEnv(b, env.f.db.PostgresURL(), "gemini", 1, env.fake.URL)
		const rate = 50
		total := int(benchDuration().Seconds()) * rate
		warm := 2 * rate // the first two seconds warm the worker's connections up and are not counted
		xidOf := make(map[string]string, total)
		var ids, warmIDs, xids []string
		tick := time.NewTicker(time.Second / rate)
		b.ResetTimer()
		for i := range total + warm {
			<-tick.C
			u := env.users[i%len(env.users)]
			id, xid := env.f.sendXID(u[0], u[1], benchTexts[i%len(benchTexts)])
			if i < warm {
				warmIDs = append(warmIDs, id)
				continue
			}
			xidOf[id] = xid
			ids, xids = append(ids, id), append(xids, xid)
		}
		tick.Stop()
		env.f.waitFinal(append(warmIDs, ids...), time.Minute)
		b.StopTimer()
		sent := env.f.commitTimes(xids)
		var overhead []float64
		for id, at := range env.f.replyCommits(ids) {
			overhead = append(overhead, float64(at.Sub(sent[xidOf[id]]).Microseconds())/1000)
		}
		slices.Sort(overhead)
		b.ReportMetric(percentile(overhead, 0.50), "overhead-p50-ms")
		b.ReportMetric(percentile(overhead, 0.99), "overhead-p99-ms")
		b.ReportMetric(float64(len(overhead)), "turns")
		b.ReportMetric(float64(env.fake.RequestCount())/float64(len(overhead)+len(warmIDs)), "llm-calls/turn")
		env.checkAnswered(b, ids)
	}
}

// BenchmarkChatThroughput drains backlogs of turns with 1 and 3 worker processes. The processes
// first drain a warm-up backlog (not measured): the figure is the steady state of a running
// sidecar, not its first seconds of opening connections and compiling the turn functions in each
// new database session. Then CHAT_BENCH_ROUNDS (default 3) backlogs are drained one after the
// other, each by users of its own (the flood guard), and the median round is reported with the
// slowest and fastest: on a shared VM one round can be 20% off the next.
func BenchmarkChatThroughput(b *testing.B) {
	for _, procs := range []int{1, 3} {
		b.Run(fmt.Sprintf("processes=%d", procs), func(b *testing.B) {
			for range b.N {
				n := benchSetting("CHAT_BENCH_TURNS", 3000, 1)
				warm := benchSetting("CHAT_BENCH_WARM_TURNS", 600, 0) / 5 * 5
				rounds := benchSetting("CHAT_BENCH_ROUNDS", 3, 1)
				env := newBenchEnv(b, (warm+rounds*n)/5) // five messages per user: under the flood guard
				var stmts *statementReport
				if os.Getenv("CHAT_BENCH_STATEMENTS") != "" {
					stmts = newStatementReport(b, env.f) // before the workers connect: it sets up their sessions
				}
				cmds := startWorkersEnv(b, env.f.db.PostgresURL(), "gemini", procs, env.fake.URL)
				users := env.users
				if warm > 0 {
					warmIDs, _ := env.f.sendBatch(users[:warm/5], warm)
					env.f.waitFinal(warmIDs, 5*time.Minute)
					users = users[warm/5:]
				}
				b.ResetTimer()
				if stmts != nil {
					stmts.reset(b)
				}
				var rates []float64
				cpu := cpuTimes{ok: true}
				for r := range rounds {
					cpu0 := env.cpu(cmds)
					ids, committed := env.f.sendBatch(users[r*n/5:(r+1)*n/5], n)
					env.f.waitFinal(ids, 5*time.Minute)
					cpu = cpu.plus(env.cpu(cmds).since(cpu0))
					var last time.Time
					for _, at := range env.f.replyCommits(ids) {
						if at.After(last) {
							last = at
						}
					}
					rates = append(rates, float64(n)/last.Sub(committed).Seconds())
					env.checkAnswered(b, ids)
				}
				b.StopTimer()
				if stmts != nil {
					stmts.print(b, rounds*n)
				}
				slices.Sort(rates)
				b.ReportMetric(rates[len(rates)/2], "turns/s")
				b.ReportMetric(rates[0], "slowest-round-turns/s")
				b.ReportMetric(rates[len(rates)-1], "fastest-round-turns/s")
				b.ReportMetric(float64(env.fake.RequestCount())/float64(warm+rounds*n), "llm-calls/turn")
				if cpu.ok {
					b.ReportMetric(cpu.sidecar.Seconds()*1000/float64(rounds*n), "sidecar-cpu-ms/turn")
					b.ReportMetric(cpu.postgres.Seconds()*1000/float64(rounds*n), "postgres-cpu-ms/turn")
					b.ReportMetric(cpu.machine.Seconds()/cpu.wall.Seconds(), "busy-cores")
				}
			}
		})
	}
}

// cpuTimes is the CPU the worker processes and the database's sessions have used (user + system)
// and the busy CPU time of the whole machine, with the wall clock, read from /proc: the
// benchmark's database runs on this machine.
type cpuTimes struct {
	sidecar, postgres, machine, wall time.Duration
	ok                               bool
}

func (c cpuTimes) since(before cpuTimes) cpuTimes {
	return cpuTimes{sidecar: c.sidecar - before.sidecar, postgres: c.postgres - before.postgres,
		machine: c.machine - before.machine, wall: c.wall - before.wall, ok: c.ok && before.ok}
}

func (c cpuTimes) plus(d cpuTimes) cpuTimes {
	return cpuTimes{sidecar: c.sidecar + d.sidecar, postgres: c.postgres + d.postgres,
		machine: c.machine + d.machine, wall: c.wall + d.wall, ok: c.ok && d.ok}
}

var benchStart = time.Now()

func (env *benchEnv) cpu(workers []*exec.Cmd) cpuTimes {
	busy, err := machineBusy()
	if err != nil {
		return cpuTimes{}
	}
	t := cpuTimes{machine: busy, wall: time.Since(benchStart), ok: true}
	for _, w := range workers {
		d, err := processCPU(w.Process.Pid)
		if err != nil {
			return cpuTimes{}
		}
		t.sidecar += d
	}
	rows, err := env.f.pool.Query(context.Background(),
		"select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'")
	if err != nil {
		return cpuTimes{}
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return cpuTimes{}
	}
	for _, pid := range pids {
		if d, err := processCPU(int(pid)); err == nil { // a session may end meanwhile
			t.postgres += d
		}
	}
	return t
}

// machineBusy is the CPU time all CPUs have spent on anything but idling and waiting for I/O since
// boot: the first line of /proc/stat, in clock ticks of 1/100 s.
func machineBusy() (time.Duration, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, fmt.Errorf("unexpected /proc/stat line %q", line)
	}
	t, err := ticks(fields[1:9]) // user nice system idle iowait irq softirq steal
	if err != nil {
		return 0, fmt.Errorf("parsing /proc/stat: %w", err)
	}
	busy := t[0] + t[1] + t[2] + t[5] + t[6] + t[7]
	return time.Duration(busy) * 10 * time.Millisecond, nil
}

// processCPU reads a process's user + system time from /proc/<pid>/stat (fields 14 and 15, in
// clock ticks of 1/100 s on Linux).
func processCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // the command may contain spaces
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	t, err := ticks(fields[11:13]) // utime stime
	if err != nil {
		return 0, fmt.Errorf("parsing /proc/%d/stat: %w", pid, err)
	}
	used := t[0] + t[1]
	return time.Duration(used) * 10 * time.Millisecond, nil
}

// ticks parses /proc counters (clock ticks).
func ticks(fields []string) ([]int64, error) {
	out := make([]int64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// checkAnswered fails the benchmark unless every turn was answered by the agents (not refused as
// spam or out of credits): the figures must measure real turns.
func (env *benchEnv) checkAnswered(b *testing.B, ids []string) {
	var bad int
	if err := env.f.pool.QueryRow(context.Background(), `select count(*) from public.messages
	        where reply_to = any($1::uuid[]) and (metadata->>'status' <> 'answered' or metadata ? 'insufficient_credits')`, ids).Scan(&bad); err != nil {
		b.Fatal(err)
	}
	if bad > 0 {
		b.Fatalf("%d of %d turns were not answered normally", bad, len(ids))
	}
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// statementReport lists the SQL statements the database ran during a benchmark, per turn: how many
// times each ran and its time in the executor, statements inside the turn functions included
// (pg_stat_statements with track = all, for the benchmark's database only). Executor time is wall
// time: with more sessions than cores it includes waiting for a CPU or a lock, so it shows where a
// turn's database work goes, not CPU to the microsecond.
type statementReport struct {
	f    *fixture
	dbID uint32
}

func newStatementReport(b *testing.B, f *fixture) *statementReport {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, f.db.AdminURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	// pg_stat_statements is preloaded by the local stack; nested tracking is a superuser setting,
	// given here to the sessions the workers will open.
	for _, sql := range []string{
		"create extension if not exists pg_stat_statements with schema extensions",
		"alter database " + pgx.Identifier{f.db.Name}.Sanitize() + " set pg_stat_statements.track = 'all'",
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			b.Fatalf("statement report: %s: %v", sql, err)
		}
	}
	r := &statementReport{f: f}
	if err := f.pool.QueryRow(ctx, "select oid from pg_database where datname = current_database()").Scan(&r.dbID); err != nil {
		b.Fatal(err)
	}
	return r
}

// reset forgets what ran so far (set-up and warm-up).
func (r *statementReport) reset(b *testing.B) {
	if _, err := r.f.pool.Exec(context.Background(), "select extensions.pg_stat_statements_reset(0, $1, 0)", r.dbID); err != nil {
		b.Fatalf("statement report: %v", err)
	}
}

// print writes the statements that took the most executor time, per turn of turns.
func (r *statementReport) print(b *testing.B, turns int) {
	rows, err := r.f.pool.Query(context.Background(), `
select calls::float8 / $2, total_exec_time * 1000 / $2, left(regexp_replace(query, '\s+', ' ', 'g'), 100)
from extensions.pg_stat_statements where dbid = $1 and calls > 0
order by total_exec_time desc limit 30`, r.dbID, float64(turns))
	if err != nil {
		b.Fatalf("statement report: %v", err)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%s: SQL per turn (%d turns)\n%9s %11s  statement\n", b.Name(), turns, "calls", "exec-us")
	for rows.Next() {
		var calls, us float64
		var query string
		if err := rows.Scan(&calls, &us, &query); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&out, "%9.3f %11.1f  %s\n", calls, us, query)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	fmt.Print(out.String()) // not b.Log: the benchmark output keeps only its first lines
}
