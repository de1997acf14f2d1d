package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// outcome of writing one record.
type outcome int

const (
	unchanged outcome = iota
	inserted
	updated
)

// writer upserts records of one kind with statements built for the columns the file has.
type writer struct {
	kind   Kind
	table  string
	cols   []column // written columns, in parameter order
	source string

	upsert string // angels, employees, funds: one statement does insert-or-update
	// companies are matched in Go (LinkedIn page, else name) and then inserted or updated by id.
	insert      string
	update      string // all columns
	updateNoURL string // all but linkedin_url (row without a LinkedIn page matched by name)
	colsNoURL   []column
}

func newWriter(kind Kind, h *header, source string) *writer {
	w := &writer{kind: kind, table: "public." + kind.table(), source: source}
	for _, c := range columnsByKind[kind] {
		if h.hasAny(c.fields) {
			w.cols = append(w.cols, c)
		}
	}
	switch kind {
	case Angels, Employees:
		w.upsert = w.upsertSQL("(linkedin_url)")
	case Funds:
		w.upsert = w.upsertSQL("((lower(name)))")
	case Companies:
		w.insert = w.insertSQL() + " returning true"
		w.update = updateSQL(w.table, w.cols)
		for _, c := range w.cols {
			if c.name != "linkedin_url" {
				w.colsNoURL = append(w.colsNoURL, c)
			}
		}
		w.updateNoURL = updateSQL(w.table, w.colsNoURL)
	}
	return w
}

func (w *writer) insertSQL() string {
	names := make([]string, 0, len(w.cols)+1)
	params := make([]string, 0, len(w.cols)+1)
	for i, c := range w.cols {
		names = append(names, c.name)
		params = append(params, fmt.Sprintf("$%d%s", i+1, c.cast))
	}
	names = append(names, "source")
	params = append(params, fmt.Sprintf("$%d", len(w.cols)+1))
	return fmt.Sprintf("insert into %s as t (%s) values (%s)", w.table, strings.Join(names, ", "), strings.Join(params, ", "))
}

// upsertSQL inserts, or updates the conflicting row only when a written value differs; it returns
// true for an insert, false for an update and no row when nothing changed.
func (w *writer) upsertSQL(conflict string) string {
	var set, old, new []string
	for _, c := range w.cols {
		if c.name == "linkedin_url" && conflict == "(linkedin_url)" {
			continue
		}
		set = append(set, c.name+" = excluded."+c.name)
		old = append(old, "t."+c.name)
		new = append(new, "excluded."+c.name)
	}
	set = append(set, "source = excluded.source", "data_updated_at = now()")
	return fmt.Sprintf("%s on conflict %s do update set %s where (%s) is distinct from (%s) returning (xmax = 0)",
		w.insertSQL(), conflict, strings.Join(set, ", "), strings.Join(old, ", "), strings.Join(new, ", "))
}

// updateSQL updates row $1 with cols ($2...) when a value differs; source is the last parameter.
func updateSQL(table string, cols []column) string {
	var set, old, new []string
	for i, c := range cols {
		p := fmt.Sprintf("$%d%s", i+2, c.cast)
		set = append(set, c.name+" = "+p)
		old = append(old, "t."+c.name)
		new = append(new, p)
	}
	set = append(set, fmt.Sprintf("source = $%d", len(cols)+2), "data_updated_at = now()")
	return fmt.Sprintf("update %s t set %s where t.id = $1 and (%s) is distinct from (%s) returning false",
		table, strings.Join(set, ", "), strings.Join(old, ", "), strings.Join(new, ", "))
}

// statement is one SQL call for one record.
type statement struct {
	sql  string
	args []any
}

func (w *writer) args(rec *record, cols []column) []any {
	args := make([]any, 0, len(cols)+1)
	for _, c := range cols {
		args = append(args, rec.values[c.name])
	}
	return append(args, w.source)
}

// existingCompany is a company already in the table that a record may match.
type existingCompany struct {
	id   [16]byte
	url  string
	name string // lower-cased
}

// plan decides the statement for each record. For companies it looks up existing rows by LinkedIn
// page and name; a name shared by several companies without a page to tell them apart is a
// rejection.
func (w *writer) plan(ctx context.Context, tx pgx.Tx, recs []*record) ([]statement, map[int]string, error) {
	stmts := make([]statement, len(recs))
	if w.kind != Companies {
		for i, r := range recs {
			stmts[i] = statement{w.upsert, w.args(r, w.cols)}
		}
		return stmts, nil, nil
	}
	var urls, names []string
	for _, r := range recs {
		if u, _ := r.values["linkedin_url"].(string); u != "" {
			urls = append(urls, u)
		}
		names = append(names, strings.ToLower(r.values["name"].(string)))
	}
	rows, err := tx.Query(ctx, `select id, coalesce(linkedin_url, ''), lower(name) from public.companies
		where linkedin_url = any($1) or lower(name) = any($2)`, urls, names)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: look up companies: %w", err)
	}
	var found []existingCompany
	var e existingCompany
	if _, err := pgx.ForEachRow(rows, []any{&e.id, &e.url, &e.name}, func() error {
		found = append(found, e)
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("importer: look up companies: %w", err)
	}
	rejected := map[int]string{}
	for i, r := range recs {
		u, _ := r.values["linkedin_url"].(string)
		name := strings.ToLower(r.values["name"].(string))
		var byURL, byName []existingCompany
		for _, c := range found {
			if u != "" && c.url == u {
				byURL = append(byURL, c)
			}
			if c.name == name && (u == "" || c.url == "") {
				byName = append(byName, c)
			}
		}
		switch {
		case len(byURL) == 1:
			stmts[i] = statement{w.update, append([]any{byURL[0].id}, w.args(r, w.cols)...)}
		case len(byName) == 1 && u != "":
			stmts[i] = statement{w.update, append([]any{byName[0].id}, w.args(r, w.cols)...)}
		case len(byName) == 1:
			stmts[i] = statement{w.updateNoURL, append([]any{byName[0].id}, w.args(r, w.colsNoURL)...)}
		case len(byName) > 1 && u == "":
			rejected[i] = fmt.Sprintf("ambiguous: %d companies named '%s' already exist; add their LinkedIn page to tell them apart", len(byName), r.values["name"])
		default:
			stmts[i] = statement{w.insert, w.args(r, w.cols)}
		}
	}
	return stmts, rejected, nil
}

func scanOutcome(row pgx.Row, out *outcome) error {
	var ins bool
	switch err := row.Scan(&ins); {
	case errors.Is(err, pgx.ErrNoRows):
		*out = unchanged
	case err != nil:
		return err
	case ins:
		*out = inserted
	default:
		*out = updated
	}
	return nil
}

// write stores a batch in one transaction and returns each record's outcome, or a rejection reason
// for the records the database refused. If any statement fails, the batch is rolled back and
// replayed one record at a time behind savepoints so that only the bad records are rejected.
func (w *writer) write(ctx context.Context, db DB, recs []*record) ([]outcome, map[int]string, error) {
	outs, rejected, err := w.writeFast(ctx, db, recs)
	var pgErr *pgconn.PgError
	if err == nil || !errors.As(err, &pgErr) {
		return outs, rejected, err
	}
	return w.writeSlow(ctx, db, recs)
}

func (w *writer) writeFast(ctx context.Context, db DB, recs []*record) ([]outcome, map[int]string, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	stmts, rejected, err := w.plan(ctx, tx, recs)
	if err != nil {
		return nil, nil, err
	}
	outs := make([]outcome, len(recs))
	b := &pgx.Batch{}
	for i := range recs {
		if _, skip := rejected[i]; skip {
			continue
		}
		b.Queue(stmts[i].sql, stmts[i].args...).QueryRow(func(row pgx.Row) error { return scanOutcome(row, &outs[i]) })
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("importer: commit: %w", err)
	}
	return outs, rejected, nil
}

func (w *writer) writeSlow(ctx context.Context, db DB, recs []*record) ([]outcome, map[int]string, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	outs := make([]outcome, len(recs))
	rejected := map[int]string{}
	for i, r := range recs {
		sp, err := tx.Begin(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("importer: savepoint: %w", err)
		}
		// Plan again inside the savepoint: earlier records of the batch may have created the row.
		stmts, rej, err := w.plan(ctx, sp, []*record{r})
		if err != nil {
			return nil, nil, err
		}
		if reason, bad := rej[0]; bad {
			rejected[i] = reason
			_ = sp.Rollback(ctx)
			continue
		}
		err = scanOutcome(sp.QueryRow(ctx, stmts[0].sql, stmts[0].args...), &outs[i])
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr):
			rejected[i] = dbReason(pgErr)
			if rbErr := sp.Rollback(ctx); rbErr != nil {
				return nil, nil, fmt.Errorf("importer: rollback to savepoint: %w", rbErr)
			}
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("importer: write line %d: %w", r.line, err)
		}
		if err := sp.Commit(ctx); err != nil {
			return nil, nil, fmt.Errorf("importer: release savepoint: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("importer: commit: %w", err)
	}
	return outs, rejected, nil
}

// dbReason explains a database refusal in the report's words.
func dbReason(e *pgconn.PgError) string {
	switch {
	case e.Code == "23505" && strings.HasSuffix(e.ConstraintName, "_linkedin_url_key"):
		return "LinkedIn URL already belongs to another row"
	case e.Code == "23505" && e.ConstraintName == "investment_funds_name_key":
		return "a fund with this name already exists"
	case e.Code == "23503" && strings.HasSuffix(e.ConstraintName, "_country_fkey"):
		return "unknown country"
	case e.Code == "23503" && e.ConstraintName == "fund_employees_fund_id_fkey":
		return "the fund no longer exists"
	case e.ConstraintName != "":
		return fmt.Sprintf("rejected by the database: %s (%s)", e.Message, e.ConstraintName)
	}
	return "rejected by the database: " + e.Message
}
