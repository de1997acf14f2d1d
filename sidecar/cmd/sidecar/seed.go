package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/seed/investorgen"
)

// runSeed implements "sidecar seed".
func runSeed(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", investorgen.PresetDemo, "data set size: "+strings.Join(investorgen.Presets(), ", "))
	seed := fs.Int64("seed", 42, "random seed: the same seed, preset and --as-of give the same data")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $DATABASE_URL)")
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) the data is current at; data_updated_at spreads over the two years before it (default today, UTC)")
	truncate := fs.Bool("truncate", false, "empty the investor tables first (angel_investors, investment_funds, fund_employees, companies)")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the investor tables already hold data (for make db-up)")
	indexes := fs.String("indexes", "auto", "secondary indexes during the load: auto (rebuild for big tables), keep or rebuild")
	progress := fs.String("progress", "auto", "progress display: auto (a bar on a terminal, else log lines), bar, log or none")
	verbose := fs.Bool("v", false, "log per-table timings")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sidecar seed [flags]\n\nLoads generated angels, funds, fund employees and service companies in one transaction.")
		fs.PrintDefaults()
	}
	if _, err := parseInterspersed(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sidecar seed: "+format+"\n", a...)
		return exitFailed
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sidecar seed: "+format+"\n", a...)
		return exitUsage
	}

	counts, err := investorgen.LookupPreset(*preset)
	if err != nil {
		return usageErr("%v", err)
	}
	opts := investorgen.Options{Seed: *seed, Truncate: *truncate, SkipIfNotEmpty: *ifEmpty, Logger: log, Source: "seed"}
	switch *indexes {
	case "auto":
		opts.Indexes = investorgen.IndexesAuto
	case "keep":
		opts.Indexes = investorgen.IndexesKeep
	case "rebuild":
		opts.Indexes = investorgen.IndexesRebuild
	default:
		return usageErr("--indexes must be auto, keep or rebuild, not %q", *indexes)
	}
	opts.AsOf = time.Now().UTC().Truncate(24 * time.Hour)
	if *asOf != "" {
		if opts.AsOf, err = time.Parse(time.DateOnly, *asOf); err != nil {
			return usageErr("--as-of %q is not a YYYY-MM-DD date", *asOf)
		}
	}
	switch *progress {
	case "auto":
		if f, ok := stderr.(*os.File); ok && isTerminal(f) {
			opts.Progress = stderr
		}
	case "bar":
		opts.Progress = stderr
	case "log":
	case "none":
		opts.LogEvery = -1
	default:
		return usageErr("--progress must be auto, bar, log or none, not %q", *progress)
	}
	if *truncate && *ifEmpty {
		return usageErr("--truncate and --if-empty contradict each other")
	}

	url, err := databaseURL(*dbURL)
	if err != nil {
		return usageErr("%v", err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fail("connect: %v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	stats, err := investorgen.Load(ctx, conn, counts, opts)
	if errors.Is(err, investorgen.ErrNotEmpty) {
		return fail("the investor tables already hold data: pass --truncate to replace it or --if-empty to keep it")
	}
	if err != nil {
		return fail("%v", err)
	}
	if stats.Skipped {
		return exitOK
	}
	for _, t := range stats.Tables {
		log.Debug("table", "name", t.Table, "rows", t.Rows, "seconds", t.Duration.Seconds(), "indexes_rebuilt", t.IndexesRebuilt)
	}
	return exitOK
}
