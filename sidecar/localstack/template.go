package localstack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TemplatePrefix starts the name of every template database built by EnsureTemplate.
const TemplatePrefix = "zb_tmpl_"

// TemplateName is the template database for src: zb_tmpl_<first 12 hex digits of src.Hash()>.
func TemplateName(src Source) (string, error) {
	h, err := src.Hash()
	if err != nil {
		return "", err
	}
	return TemplatePrefix + h[:12], nil
}

// EnsureTemplate makes sure the cluster has a template database built from src (bootstrap, migrations,
// seed; no hooks) and returns its name. The first caller builds it; concurrent callers, in this or other
// processes, wait on an advisory lock and reuse it. Templates of other source hashes that nobody is
// connected to are dropped.
func EnsureTemplate(ctx context.Context, c *Cluster, src Source) (string, error) {
	name, err := TemplateName(src)
	if err != nil {
		return "", fmt.Errorf("template: %w", err)
	}
	admin, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	if _, err := admin.Exec(ctx, "select pg_advisory_lock($1)", lockTemplate); err != nil {
		return "", fmt.Errorf("template %s: locking: %w", name, err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", lockTemplate)

	var exists, isTemplate bool
	err = admin.QueryRow(ctx, "select true, datistemplate from pg_database where datname = $1", name).Scan(&exists, &isTemplate)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	if !exists || !isTemplate {
		if exists {
			// A build that did not finish (it is marked as a template only at the end).
			c.log.Warn("dropping unfinished template", "db", name)
			if err := dropDatabase(ctx, admin, name, true); err != nil {
				return "", fmt.Errorf("template %s: %w", name, err)
			}
		}
		t0 := time.Now()
		if _, err := Build(ctx, c, name, src); err != nil {
			return "", fmt.Errorf("template %s: %w", name, err)
		}
		if _, err := admin.Exec(ctx, fmt.Sprintf("alter database %s is_template true", pgx.Identifier{name}.Sanitize())); err != nil {
			return "", fmt.Errorf("template %s: %w", name, err)
		}
		c.log.Info("template built", "db", name, "took", time.Since(t0).Round(time.Millisecond))
	}
	dropStaleTemplates(ctx, c, admin, name)
	return name, nil
}

func dropStaleTemplates(ctx context.Context, c *Cluster, admin *pgx.Conn, keep string) {
	rows, err := admin.Query(ctx, `
select d.datname from pg_database d
 where d.datname like 'zb\_tmpl\_%' and d.datname <> $1
   and not exists (select from pg_stat_activity a where a.datname = d.datname)`, keep)
	if err != nil {
		return
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, db := range stale {
		if err := dropDatabase(ctx, admin, db, false); err != nil {
			c.log.Warn("could not drop stale template", "db", db, "err", err)
			continue
		}
		c.log.Info("dropped stale template", "db", db)
	}
}

// CreateFromTemplate creates database name as a copy of template tmpl, owned by postgres. It retries for
// a few seconds while the template is in use by another session.
func CreateFromTemplate(ctx context.Context, c *Cluster, tmpl, name string) error {
	admin, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return fmt.Errorf("creating %s from %s: %w", name, tmpl, err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	create := fmt.Sprintf("create database %s template %s owner postgres strategy file_copy",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{tmpl}.Sanitize())
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err = admin.Exec(ctx, create)
		var pg *pgconn.PgError
		if err == nil || !errors.As(err, &pg) || pg.Code != "55006" || time.Now().After(deadline) {
			break
		}
		// 55006: source database is being accessed by other users.
		select {
		case <-ctx.Done():
			return fmt.Errorf("creating %s from %s: %w", name, tmpl, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("creating %s from %s: %w", name, tmpl, err)
	}
	// Database-level privileges are not copied from the template.
	if _, err := admin.Exec(ctx, fmt.Sprintf("grant create on database %s to supabase_auth_admin", pgx.Identifier{name}.Sanitize())); err != nil {
		return fmt.Errorf("creating %s from %s: %w", name, tmpl, err)
	}
	return nil
}

// DropDatabase drops database name, disconnecting its sessions (DROP DATABASE ... WITH (FORCE)).
// Dropping a database that does not exist is not an error.
func DropDatabase(ctx context.Context, c *Cluster, name string) error {
	admin, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return fmt.Errorf("dropping %s: %w", name, err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	return dropDatabase(ctx, admin, name, true)
}

func dropDatabase(ctx context.Context, admin *pgx.Conn, name string, force bool) error {
	id := pgx.Identifier{name}.Sanitize()
	var isTemplate bool
	err := admin.QueryRow(ctx, "select datistemplate from pg_database where datname = $1", name).Scan(&isTemplate)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("dropping %s: %w", name, err)
	}
	if isTemplate {
		if _, err := admin.Exec(ctx, "alter database "+id+" is_template false"); err != nil {
			return fmt.Errorf("dropping %s: %w", name, err)
		}
	}
	drop := "drop database if exists " + id
	if force {
		drop += " with (force)"
	}
	if _, err := admin.Exec(ctx, drop); err != nil {
		if isTemplate {
			_, _ = admin.Exec(ctx, "alter database "+id+" is_template true")
		}
		return fmt.Errorf("dropping %s: %w", name, err)
	}
	return nil
}
