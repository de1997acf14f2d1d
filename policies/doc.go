// Package policies renders who may do what in the database — row-level security policies, table and
// column grants, and function execute rights — into policies/POLICIES.md.
//
// The migrations under supabase/migrations are the only source of truth. POLICIES.md is a readable view
// of their effect, generated from the catalog of a freshly migrated database; a golden test fails when
// the file and the migrations disagree, so a reviewer sees every access change in the diff.
// Regenerate with `make policies`.
package policies
