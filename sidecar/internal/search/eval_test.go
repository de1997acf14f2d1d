package search_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/seed/investorgen"
	"github.com/zerobullshit/backend/sidecar/internal/search"
	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

// profile is a realistic startup and what its top 10 must look like.
type profile struct {
	name string
	crit search.Criteria
	// geo is the least a result's geography must be: "country" (same city or country), "region" (also
	// same region or a global investor) or "" (not checked).
	geo string
}

// evalProfiles: 33 startups across sectors, stages and markets. Big markets expect investors from the
// same country; small or niche ones accept the region.
var evalProfiles = []profile{
	{"Verdana Pay (B2B QR payments)", search.Criteria{Categories: []string{"fintech", "saas"}, Stage: "pre_seed", Country: "ES", City: "Madrid", FundingAskUSD: 400_000}, "country"},
	{"ClinicFlow (clinic scheduling)", search.Criteria{Categories: []string{"healthtech", "saas"}, Stage: "seed", Country: "ES", City: "Barcelona", FundingAskUSD: 1_200_000}, "country"},
	{"AulaViva (K-12 tutoring)", search.Criteria{Categories: []string{"edtech"}, Stage: "pre_seed", Country: "MX", City: "Mexico City", FundingAskUSD: 250_000}, "country"},
	{"GreenRoute (low-carbon freight)", search.Criteria{Categories: []string{"climate", "logistics"}, Stage: "seed", Country: "DE", City: "Berlin", FundingAskUSD: 2_000_000}, "country"},
	{"Lendly (SME lending)", search.Criteria{Categories: []string{"fintech"}, Stage: "series_a", Country: "GB", City: "London", FundingAskUSD: 8_000_000}, "country"},
	{"CodeGuard (code security)", search.Criteria{Categories: []string{"cybersecurity", "devtools"}, Stage: "series_a", Country: "US", City: "San Francisco", FundingAskUSD: 12_000_000}, "country"},
	{"Casa Digital (home-buying marketplace)", search.Criteria{Categories: []string{"proptech", "marketplace"}, Stage: "seed", Country: "PT", City: "Lisbon", FundingAskUSD: 800_000}, "country"},
	{"FarmSense (crop analytics)", search.Criteria{Categories: []string{"agritech", "ai"}, Stage: "pre_seed", Country: "AR", City: "Buenos Aires", FundingAskUSD: 300_000}, "country"},
	{"MediBot (clinical AI)", search.Criteria{Categories: []string{"healthtech", "ai"}, Stage: "series_b", Country: "US", City: "Boston", FundingAskUSD: 25_000_000}, "country"},
	{"ShopLocal (neighbourhood e-commerce)", search.Criteria{Categories: []string{"ecommerce", "consumer"}, Stage: "seed", Country: "CO", City: "Bogotá", FundingAskUSD: 600_000}, "country"},
	{"TalentHub (hiring SaaS)", search.Criteria{Categories: []string{"hrtech", "saas"}, Stage: "seed", Country: "CL", City: "Santiago", FundingAskUSD: 500_000}, "country"},
	{"PolicyPal (embedded insurance)", search.Criteria{Categories: []string{"insurtech"}, Stage: "pre_seed", Country: "IT", City: "Milan", FundingAskUSD: 350_000}, "country"},
	{"GameForge (indie game studio tools)", search.Criteria{Categories: []string{"gaming", "media"}, Stage: "seed", Country: "FR", City: "Paris", FundingAskUSD: 1_000_000}, "country"},
	{"ChainLedger (stablecoin payments)", search.Criteria{Categories: []string{"crypto", "fintech"}, Stage: "seed", Country: "GB", City: "London", FundingAskUSD: 1_500_000}, "country"},
	{"SolarGrid (community solar)", search.Criteria{Categories: []string{"energy", "climate"}, Stage: "series_a", Country: "ES", City: "Valencia", FundingAskUSD: 6_000_000}, "country"},
	{"FoodLoop (surplus food app)", search.Criteria{Categories: []string{"foodtech", "consumer"}, Stage: "pre_seed", Country: "ES", City: "Sevilla", FundingAskUSD: 200_000}, "country"},
	{"TravelMate (local tours marketplace)", search.Criteria{Categories: []string{"traveltech", "marketplace"}, Stage: "seed", Country: "MX", City: "Guadalajara", FundingAskUSD: 700_000}, "country"},
	{"LegalBot (contract review AI)", search.Criteria{Categories: []string{"legaltech", "ai"}, Stage: "pre_seed", Country: "ES", City: "Madrid", FundingAskUSD: 300_000}, "country"},
	{"GovStack (e-government SaaS)", search.Criteria{Categories: []string{"govtech", "saas"}, Stage: "seed", Country: "EE", City: "Tallinn", FundingAskUSD: 900_000}, "region"},
	{"RoboFab (factory robotics)", search.Criteria{Categories: []string{"deeptech", "hardware"}, Stage: "series_a", Country: "DE", City: "Munich", FundingAskUSD: 10_000_000}, "country"},
	{"BioGen (gene therapy platform)", search.Criteria{Categories: []string{"biotech"}, Stage: "series_b", Country: "US", FundingAskUSD: 30_000_000}, "country"},
	{"AdSmart (AI ad creative)", search.Criteria{Categories: []string{"martech", "ai"}, Stage: "seed", Country: "NL", City: "Amsterdam", FundingAskUSD: 1_000_000}, "region"},
	{"MobilityNow (e-scooter fleets)", search.Criteria{Categories: []string{"mobility", "climate"}, Stage: "series_b", Country: "FR", FundingAskUSD: 20_000_000}, "country"},
	{"SocialCircle (community app)", search.Criteria{Categories: []string{"social", "consumer"}, Stage: "idea", Country: "BR", City: "São Paulo", FundingAskUSD: 150_000}, "country"},
	{"DevPortal (API docs platform)", search.Criteria{Categories: []string{"devtools", "saas"}, Stage: "pre_seed", Country: "PT", City: "Porto", FundingAskUSD: 400_000}, "country"},
	{"SaludYa (telemedicine marketplace)", search.Criteria{Categories: []string{"healthtech", "marketplace"}, Stage: "seed", Country: "CO", City: "Medellín", FundingAskUSD: 800_000}, "country"},
	{"KidsLearn (learning games)", search.Criteria{Categories: []string{"edtech", "consumer"}, Stage: "seed", Country: "US", City: "New York", FundingAskUSD: 2_000_000}, "country"},
	{"Freightly (freight brokerage SaaS)", search.Criteria{Categories: []string{"logistics", "saas"}, Stage: "series_a", Country: "MX", City: "Monterrey", FundingAskUSD: 7_000_000}, "country"},
	{"NeoBank Andes (digital bank)", search.Criteria{Categories: []string{"fintech"}, Stage: "series_c", Country: "CL", FundingAskUSD: 40_000_000}, "region"},
	{"FactoryAI (industrial AI)", search.Criteria{Categories: []string{"ai", "hardware"}, Stage: "growth", Country: "US", FundingAskUSD: 60_000_000}, "country"},
	{"UruProp (rental management)", search.Criteria{Categories: []string{"proptech"}, Stage: "pre_seed", Country: "UY", City: "Montevideo", FundingAskUSD: 250_000}, "region"},
	{"Free text: climate fintech in LatAm", search.Criteria{Query: "climate fintech in LatAm", Stage: "seed"}, "region"},
	{"Free text (es): ángeles de salud digital en España", search.Criteria{Query: "business angels de salud digital en España, fase semilla"}, "country"},
}

// loadPreset loads a generated data set (investorgen preset) into a fresh database and prepares the search
// index as autovacuum would after a bulk load (visibility map for index-only scans, statistics).
func loadPreset(tb testing.TB, preset string) *pgtest.DB {
	tb.Helper()
	counts, err := investorgen.LookupPreset(preset)
	if err != nil {
		tb.Fatal(err)
	}
	db := pgtest.New(tb)
	start := time.Now()
	if _, err := investorgen.Load(context.Background(), db.Pool, counts,
		investorgen.Options{Seed: 42, AsOf: time.Now().UTC(), LogEvery: -1, Logger: quietLogger()}); err != nil {
		tb.Fatalf("loading %s: %v", preset, err)
	}
	if _, err := db.Pool.Exec(context.Background(), "vacuum analyze private.investor_docs, private.investor_doc_sectors"); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("preset %s (%d investors) loaded in %s", preset, counts.Investors(), time.Since(start).Round(time.Second))
	return db
}

// TestEvaluation loads the generated data (preset $SEARCH_EVAL_PRESET, default 100k) once and runs the
// evaluation set on it: the top-10 properties of 33 startup profiles, and the recall of the indexed
// search against exact scoring.
func TestEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("the evaluation loads a generated data set; skipped with -short")
	}
	preset := os.Getenv("SEARCH_EVAL_PRESET")
	if preset == "" {
		preset = investorgen.Preset100k
	}
	db := loadPreset(t, preset)
	t.Run("top10", func(t *testing.T) { evalTop10(t, db) })
	t.Run("recall", func(t *testing.T) { evalRecall(t, db) })
}

// evalTop10 runs every profile and checks the top 10: each result must match a project sector (strongly
// or generally), do the stage or an adjacent one, and be as close as the profile expects; each page must
// mix angels and funds unless the stage makes one kind rare. It reports the share of checks that hold and
// fails under the floor.
func evalTop10(t *testing.T, db *pgtest.DB) {
	c := search.New(db.Pool, nil)
	const floor = 0.90
	var checks, held int
	perProp := map[string][2]int{}
	note := func(prop string, ok bool) {
		v := perProp[prop]
		v[1]++
		if ok {
			v[0]++
		}
		perProp[prop] = v
		checks++
		if ok {
			held++
		}
	}
	for _, p := range evalProfiles {
		resp, err := c.Rank(t.Context(), search.Investors, "", search.Request{Criteria: p.crit, Limit: 10})
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if len(resp.Results) < 10 {
			t.Errorf("%s: only %d results", p.name, len(resp.Results))
		}
		kinds := map[string]int{}
		var misses []string
		for _, r := range resp.Results {
			kinds[r.Kind]++
			rs := r.Reasons
			sector := len(rs.SectorsStrong)+len(rs.SectorsGeneral) > 0
			stage := resp.Criteria.Stage == "" || rs.Stage == "exact" || rs.Stage == "adjacent"
			geo := true
			switch p.geo {
			case "country":
				geo = rs.Geography == "city" || rs.Geography == "country"
			case "region":
				geo = rs.Geography != "none"
			}
			note("sector", sector)
			note("stage", stage)
			if p.geo != "" {
				note("geography", geo)
			}
			if !sector || !stage || !geo {
				misses = append(misses, fmt.Sprintf("%s %q (%s/%s/%s)", r.Kind, r.Name, strings.Join(append(rs.SectorsStrong, rs.SectorsGeneral...), "+"), rs.Stage, rs.Geography))
			}
		}
		if len(misses) > 0 {
			t.Logf("%s: %d of 10 miss: %s", p.name, len(misses), strings.Join(misses, "; "))
		}
		// angels weighted up early, funds later: an early page has both kinds, a later one at least as many
		// funds as angels (unless the criteria ask for one kind only, as "business angels ..." does)
		if len(resp.Criteria.Kinds) != 1 {
			late := resp.Criteria.Stage != "" && resp.Criteria.Stage != "idea" && resp.Criteria.Stage != "pre_seed" && resp.Criteria.Stage != "seed"
			mixed := kinds[search.KindFund] > 0 && (kinds[search.KindAngel] > 0 || late) &&
				(!late || kinds[search.KindFund] >= kinds[search.KindAngel])
			note("mix", mixed)
			if !mixed {
				t.Logf("%s: page mix %v", p.name, kinds)
			}
		}
	}
	share := float64(held) / float64(checks)
	for _, prop := range []string{"sector", "stage", "geography", "mix"} {
		v := perProp[prop]
		t.Logf("evaluation: %-9s %4d/%4d = %.1f%%", prop, v[0], v[1], 100*float64(v[0])/float64(v[1]))
	}
	t.Logf("evaluation: %d profiles, %d of %d top-10 checks hold = %.1f%% (floor %.0f%%)", len(evalProfiles), held, checks, 100*share, 100*floor)
	if share < floor {
		t.Errorf("only %.1f%% of the top-10 checks hold, want at least %.0f%%", 100*share, 100*floor)
	}
}

// evalRecall compares the indexed search (bounded candidates) with the naive baseline, which scores every
// row of the project's sectors: how many of the exact top 10 the fast path finds. The stage mix is
// switched off (in a transaction rolled back at the end) so both are plain score orders.
func evalRecall(t *testing.T, db *pgtest.DB) {
	ctx := t.Context()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "update public.search_stage_mix set angel_max_share = 1, fund_max_share = 1"); err != nil {
		t.Fatal(err)
	}
	c := search.New(tx, nil)
	const floor = 0.90
	var found, total int
	for _, p := range evalProfiles {
		if p.crit.Query != "" {
			continue // the baseline does no text matching
		}
		resp, err := c.Rank(ctx, search.Investors, "", search.Request{Criteria: p.crit, Limit: 10})
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		exact, err := search.NaiveInvestors(ctx, tx, p.crit, 10)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		got := map[string]bool{}
		for _, r := range resp.Results {
			got[r.ID] = true
		}
		n := 0
		for _, h := range exact {
			if got[h.ID] {
				n++
			}
		}
		if n < len(exact) {
			t.Logf("%s: the indexed search finds %d of the exact top %d", p.name, n, len(exact))
		}
		found += n
		total += len(exact)
	}
	recall := float64(found) / float64(total)
	t.Logf("recall@10 of the indexed search against exact scoring: %d/%d = %.1f%% (floor %.0f%%)", found, total, 100*recall, 100*floor)
	if recall < floor {
		t.Errorf("recall@10 %.1f%%, want at least %.0f%%", 100*recall, 100*floor)
	}
}
