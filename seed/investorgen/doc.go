// Package investorgen generates believable, deterministic investor data for 0Bullshit (business
// angels, VC funds, the people who work at those funds, and service companies for startups) and
// bulk-loads it into the Supabase schema with COPY.
//
// # Determinism
//
// Every row is a pure function of (seed, counts, AsOf, kind, index): each row draws from its own
// PCG stream seeded from those values, so the same inputs always produce byte-identical rows, in the
// same order, whatever else runs. The only state shared between rows is what has to be: fund names
// are unique case-insensitively and LinkedIn company slugs are unique, so funds and companies get a
// small sequential pre-pass (names only) when the Generator is built; everything else is generated
// on demand and streamed to the database without materialising the data set.
//
// # Presets
//
// "Investors" are angels + funds + fund employees; companies are service providers and are counted
// separately:
//
//	demo:   1,500 angels +   300 funds +   1,200 employees =     3,000 investors,    400 companies
//	100k:  56,000 angels + 8,800 funds +  35,200 employees =   100,000 investors,  4,000 companies
//	1m:   560,000 angels + 88,000 funds + 352,000 employees = 1,000,000 investors, 20,000 companies
//
// Each fund has between 2 and 6 employees; the per-fund sizes are drawn at random and then nudged so
// the employee total is exact.
//
// # Reference data
//
// Countries, cities and sectors come from Go tables (geo.go, sectors.go) that mirror
// public.countries and public.sectors; Load checks them against the database before writing and a
// test does the same against the migrations.
package investorgen
