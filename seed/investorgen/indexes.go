package investorgen

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

var errCannotDrop = errors.New("investorgen: cannot drop indexes")

// indexDef is a secondary index as the database itself defines it (pg_get_indexdef), so recreating
// it yields exactly the index the migration created.
type indexDef struct {
	Name string // schema-qualified
	Def  string
}

// secondaryIndexes lists the indexes of public.<table> that back no constraint and enforce no
// uniqueness: the ones that are safe to drop during a bulk load.
func secondaryIndexes(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, table string) ([]indexDef, error) {
	rows, err := q.Query(ctx, `
		select format('%I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid)
		from pg_index i
		join pg_class c on c.oid = i.indexrelid
		join pg_namespace n on n.oid = c.relnamespace
		where i.indrelid = format('public.%I', $1::text)::regclass
		  and not i.indisunique and not i.indisprimary and not i.indisexclusion
		  and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
		order by c.relname`, table)
	if err != nil {
		return nil, fmt.Errorf("investorgen: list indexes of %s: %w", table, err)
	}
	defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indexDef, error) {
		var d indexDef
		err := r.Scan(&d.Name, &d.Def)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("investorgen: list indexes of %s: %w", table, err)
	}
	return defs, nil
}

// dropIndexes drops the secondary indexes of table inside tx and returns their definitions. When
// the role may not drop them (not the owner) and required is false, it leaves them alone and
// returns nil: the caller then simply loads with the indexes in place.
func dropIndexes(ctx context.Context, tx pgx.Tx, table string, required bool) ([]indexDef, error) {
	defs, err := secondaryIndexes(ctx, tx, table)
	if err != nil {
		return nil, err
	}
	if len(defs) == 0 {
		return nil, nil
	}
	sp, err := tx.Begin(ctx) // savepoint: a failed DROP must not poison the load
	if err != nil {
		return nil, fmt.Errorf("investorgen: savepoint: %w", err)
	}
	for _, d := range defs {
		if _, err := sp.Exec(ctx, "drop index "+d.Name); err != nil {
			_ = sp.Rollback(ctx)
			if required {
				return nil, fmt.Errorf("%w %s: %w", errCannotDrop, d.Name, err)
			}
			return nil, nil
		}
	}
	if err := sp.Commit(ctx); err != nil {
		return nil, fmt.Errorf("investorgen: release savepoint: %w", err)
	}
	// Index builds are faster with more memory; the setting ends with the transaction.
	if _, err := tx.Exec(ctx, "set local maintenance_work_mem = '256MB'"); err != nil {
		return nil, fmt.Errorf("investorgen: set maintenance_work_mem: %w", err)
	}
	return defs, nil
}

func recreateIndexes(ctx context.Context, tx pgx.Tx, defs []indexDef) error {
	for _, d := range defs {
		if _, err := tx.Exec(ctx, d.Def); err != nil {
			return fmt.Errorf("investorgen: recreate %s: %w", d.Name, err)
		}
	}
	return nil
}
