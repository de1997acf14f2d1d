package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/seed/investorgen"
	"github.com/zerobullshit/backend/sidecar/localstack"
)

// demoSeed is the generator seed of the demo investor set: the same rows on every machine.
const demoSeed = 42

func init() {
	postBuildHooks = append(postBuildHooks, loadDemoInvestors)
}

// loadDemoInvestors fills the investor tables with the generated demo set when they are empty, so a
// developer's database has investors to search right after `make db-up`.
func loadDemoInvestors(ctx context.Context, conn *pgx.Conn, _ *localstack.BuildReport) error {
	counts, err := investorgen.LookupPreset(investorgen.PresetDemo)
	if err != nil {
		return fmt.Errorf("demo preset: %w", err)
	}
	stats, err := investorgen.Load(ctx, conn, counts, investorgen.Options{
		Seed: demoSeed, SkipIfNotEmpty: true, Source: "demo", Logger: log,
	})
	if err != nil {
		return fmt.Errorf("loading the demo investors: %w", err)
	}
	if !stats.Skipped {
		log.Info("demo investors loaded", "rows", stats.Rows(), "took", stats.Duration.Round(1e6))
	}
	return nil
}
