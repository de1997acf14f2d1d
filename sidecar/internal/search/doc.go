// Package search is the sidecar's typed client for investor matching: angels and funds (with their best
// people), the people of one fund, and service companies, ranked by SQL functions in the database
// (supabase/migrations/20261125110000_investor_search.sql).
//
// # Two ways to search
//
// Client.Search runs a search for a user, exactly as the frontend's RPC does: the project must belong to
// the user (and be complete enough for an investor search), the page is capped by the user's plan, the
// search is charged once per request id, recorded in search_results and announced with a search_progress
// broadcast. It calls private.search_investors / search_fund_employees / search_companies.
//
// Client.Rank only ranks (private.rank_investors / rank_fund_employees / rank_companies): nothing is
// charged or recorded. Operators, the CLI ("sidecar search"), the evaluation set and the benchmarks use it.
//
// Every result carries a score 0-100, the points of each component (sector, stage, geography, check size,
// quality, freshness, kind mix, text) and the reasons (which sectors matched strongly or generally, stage
// exact or adjacent, geography city/country/region/global, check size fits/below/above), so the chat agent
// and the UI can say why an investor fits. Results never contain e-mail addresses or phone numbers.
//
// # Weights
//
// Every number the ranking uses lives in public.search_weights and public.search_stage_mix; Weights reads
// them. The naive baseline (NaiveInvestors), used only by the benchmarks and the evaluation, loads every
// candidate row into Go and scores it with the same weights, the way the prototype tried to.
//
// # Errors
//
// SQL errors come back as *Error with the SQLSTATE the database raised and the HTTP status PostgREST would
// give it: ErrInvalid (P0001, 400; the hint says what to fix), ErrNotEnoughCredits (PT402), ErrNotFound
// (PT404) and ErrForbidden (42501). Test with errors.Is.
package search
