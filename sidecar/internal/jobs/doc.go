// Package jobs runs the sidecar's durable background work on River (github.com/riverqueue/river),
// a Postgres job queue: jobs are rows in schema river, inserted in the same transaction as the
// change that causes them (SQL triggers go through private.enqueue_job), picked up at once through
// LISTEN/NOTIFY with polling as the fallback, retried with backoff, and rescued when a worker dies.
//
// River's schema is part of the Supabase migrations (RiverMigrations generates those files), so
// `supabase db reset` and the local stack create exactly what the workers need.
package jobs
