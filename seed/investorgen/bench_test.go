package investorgen

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

var benchIndexes = flag.String("investorgen.indexes", "auto", "index handling for the load benchmarks: auto, keep or rebuild")

// BenchmarkGenerate measures pure generation (no database), rows in the proportions of the presets.
func BenchmarkGenerate(b *testing.B) {
	c, _ := LookupPreset(Preset100k)
	g, err := New(1, c, time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	total := g.Rows()
	i := 0
	for b.Loop() {
		k := i % total
		switch {
		case k < c.Funds:
			g.Fund(k)
		case k < c.Funds+c.Employees:
			g.Employee(k - c.Funds)
		case k < c.Funds+c.Employees+c.Angels:
			g.Angel(k - c.Funds - c.Employees)
		default:
			g.Company(k - c.Funds - c.Employees - c.Angels)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkNew1M measures the sequential pre-pass (unique fund and company names) of the 1m preset.
func BenchmarkNew1M(b *testing.B) {
	c, _ := LookupPreset(Preset1M)
	for b.Loop() {
		if _, err := New(1, c, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad1M generates and loads the 1m preset (1,000,000 investors + 20,000 companies) into a
// fresh database and reports rows/s over the whole load (generation, COPY, indexes, ANALYZE,
// commit). Run it once: go test -run '^$' -bench Load1M -benchtime 1x ./seed/investorgen
// (-investorgen.indexes=keep|rebuild compares index handling).
func BenchmarkLoad1M(b *testing.B) { benchmarkLoad(b, Preset1M) }

// BenchmarkLoad100k is the same for the 100k preset.
func BenchmarkLoad100k(b *testing.B) { benchmarkLoad(b, Preset100k) }

func benchmarkLoad(b *testing.B, preset string) {
	counts, err := LookupPreset(preset)
	if err != nil {
		b.Fatal(err)
	}
	mode := map[string]IndexMode{"auto": IndexesAuto, "keep": IndexesKeep, "rebuild": IndexesRebuild}[*benchIndexes]
	var rows int64
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := pgtest.New(b).Pool
		b.StartTimer()
		stats, err := Load(context.Background(), db, counts, Options{Seed: int64(i), Indexes: mode, Logger: quiet, LogEvery: -1})
		if err != nil {
			b.Fatal(err)
		}
		rows += stats.Rows()
		spent += stats.Duration
		for _, ts := range stats.Tables {
			b.Logf("%-17s %8d rows in %6.2fs (%d indexes rebuilt in %.2fs)", ts.Table, ts.Rows, ts.Duration.Seconds(), ts.IndexesRebuilt, ts.IndexDuration.Seconds())
		}
	}
	b.ReportMetric(float64(rows)/spent.Seconds(), "rows/s")
	b.ReportMetric(spent.Seconds()/float64(b.N), "s/load")
}
