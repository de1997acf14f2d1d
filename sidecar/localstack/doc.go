// Package localstack runs a local, Supabase-compatible PostgreSQL for tests and development, without
// Docker.
//
// It drives the PostgreSQL server binaries directly (initdb and pg_ctl from BinDir, by default Debian's
// /usr/lib/postgresql/15/bin). When the process runs as root, the binaries run as the unprivileged
// "postgres" OS user, because initdb refuses to run as root. The cluster's bootstrap superuser is
// supabase_admin, with trust authentication on 127.0.0.1 only.
//
// A database is built the way `supabase db reset` builds one:
//
//  1. sql/local/supabase_roles.sql (cluster-wide roles) and sql/local/supabase_bootstrap.sql (schemas,
//     grants, auth and realtime stubs) as supabase_admin. They make a plain PostgreSQL look like a hosted
//     Supabase database and are never applied to a real Supabase project;
//  2. every supabase/migrations/<version>_<name>.sql in lexical order as role postgres, each file in one
//     transaction, recorded in supabase_migrations.schema_migrations;
//  3. supabase/seed.sql as postgres, recorded in supabase_migrations.seed_files;
//  4. optional post-build hooks (demo data).
//
// Tests use template databases: EnsureTemplate builds zb_tmpl_<hash of the SQL sources> once per cluster,
// and CreateFromTemplate clones it per test in tens of milliseconds. See the pgtest subpackage.
//
// Typical use:
//
//	c, err := localstack.Start(ctx, localstack.Options{Ephemeral: true})
//	...
//	defer c.Stop(ctx)
//	src, err := localstack.FindSource("")
//	report, err := localstack.Build(ctx, c, "app", src)
//	conn, err := pgx.Connect(ctx, c.URL("postgres", "app"))
//
// Durability: ephemeral clusters (tests) run with fsync, full_page_writes and synchronous_commit off.
// Persistent clusters (the developer CLI) keep fsync on and only turn synchronous_commit off; their data
// is disposable anyway (`localstack reset` rebuilds it). Both preload pg_stat_statements and track
// commit timestamps (track_commit_timestamp), which the benchmarks use.
package localstack
