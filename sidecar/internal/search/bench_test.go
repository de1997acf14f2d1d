package search_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/search"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// BenchmarkInvestorSearch measures one investor search (15 results, private.rank_investors) on generated
// data for each size in $SEARCH_BENCH_SIZES (default "100k"; "100k,1m" for the full figures), next to the
// naive baseline that loads the candidates into Go and scores them there (NaiveInvestors, as the
// prototype tried). The queries are the structured profiles of the evaluation set, in turn.
//
//   - warm: one connection that has run every query once before measuring;
//   - cold: every search on a new connection (a new backend: empty catalog, plan and PL/pgSQL caches) after
//     DISCARD ALL. The data pages stay in the server's and the OS's caches: the cluster is not restarted.
//
// Each variant reports p50-ms and p95-ms; the size-level summary prints the naive/sql ratio of each. The
// naive variants run at most $SEARCH_BENCH_NAIVE_RUNS searches (default 30): at 1M each one loads hundreds
// of thousands of rows. Run it with a fixed count, e.g.
//
//	SEARCH_BENCH_SIZES=100k,1m go test -run '^$' -bench InvestorSearch -benchtime 200x -timeout 90m ./sidecar/internal/search
func BenchmarkInvestorSearch(b *testing.B) {
	sizes := strings.Split(envOr("SEARCH_BENCH_SIZES", "100k"), ",")
	naiveRuns, err := strconv.Atoi(envOr("SEARCH_BENCH_NAIVE_RUNS", "30"))
	if err != nil {
		b.Fatalf("SEARCH_BENCH_NAIVE_RUNS: %v", err)
	}
	var queries []search.Criteria
	for _, p := range evalProfiles {
		if p.crit.Query == "" {
			queries = append(queries, p.crit)
		}
	}
	for _, size := range sizes {
		size = strings.TrimSpace(size)
		b.Run(size, func(b *testing.B) {
			db := loadPreset(b, size)
			sum := map[string]latency{}
			variant := func(name string, cold bool, maxRuns int, run func(ctx context.Context, conn *pgx.Conn, q search.Criteria) error) {
				b.Run(name, func(b *testing.B) {
					l := measure(b, db, queries, cold, maxRuns, run)
					sum[name] = l
					b.ReportMetric(l.p50, "p50-ms")
					b.ReportMetric(l.p95, "p95-ms")
				})
			}
			sql := func(ctx context.Context, conn *pgx.Conn, q search.Criteria) error {
				_, err := search.New(conn, quietLogger()).Rank(ctx, search.Investors, "", search.Request{Criteria: q, Limit: 15})
				return err
			}
			naive := func(ctx context.Context, conn *pgx.Conn, q search.Criteria) error {
				_, err := search.NaiveInvestors(ctx, conn, q, 15)
				return err
			}
			variant("sql-warm", false, 0, sql)
			variant("sql-cold", true, 0, sql)
			variant("naive-warm", false, naiveRuns, naive)
			variant("naive-cold", true, naiveRuns, naive)

			fmt.Printf("\ninvestor search, %s investors (%d queries in turn)\n", size, len(queries))
			fmt.Printf("  %-6s %12s %12s %12s %12s %14s\n", "", "sql p50", "sql p95", "naive p50", "naive p95", "naive/sql p95")
			for _, v := range []string{"warm", "cold"} {
				s, n := sum["sql-"+v], sum["naive-"+v]
				fmt.Printf("  %-6s %9.1f ms %9.1f ms %9.1f ms %9.1f ms %13.1fx\n", v, s.p50, s.p95, n.p50, n.p95, n.p95/s.p95)
			}
		})
	}
}

type latency struct{ p50, p95 float64 }

// measure runs b.N searches (at most maxRuns when positive) and returns their latency percentiles in ms.
func measure(b *testing.B, db *pgtest.DB, queries []search.Criteria, cold bool, maxRuns int,
	run func(ctx context.Context, conn *pgx.Conn, q search.Criteria) error) latency {
	ctx := context.Background()
	n := b.N
	if maxRuns > 0 && n > maxRuns {
		n = maxRuns
	}
	var warm *pgx.Conn
	if !cold {
		warm = connect(b, db)
		defer warm.Close(ctx)
		for _, q := range queries {
			if err := run(ctx, warm, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	times := make([]float64, 0, n)
	b.ResetTimer()
	for i := 0; i < n; i++ {
		q := queries[i%len(queries)]
		conn := warm
		if cold {
			b.StopTimer()
			conn = connect(b, db)
			if _, err := conn.Exec(ctx, "discard all"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start := time.Now()
		if err := run(ctx, conn, q); err != nil {
			b.Fatal(err)
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		if cold {
			b.StopTimer()
			conn.Close(ctx)
			b.StartTimer()
		}
	}
	b.StopTimer()
	return latency{p50: percentile(times, 0.50), p95: percentile(times, 0.95)}
}

func connect(b *testing.B, db *pgtest.DB) *pgx.Conn {
	b.Helper()
	conn, err := pgx.Connect(context.Background(), db.PostgresURL())
	if err != nil {
		b.Fatal(err)
	}
	return conn
}

// percentile is the nearest-rank percentile of xs (0 for none).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p*float64(len(s))+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
