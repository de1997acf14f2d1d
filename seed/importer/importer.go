package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// DB is what the importer needs: *pgxpool.Pool and *pgx.Conn both satisfy it.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Options tune an import. The zero value is strict, tags rows with source "import" and writes in
// batches of 500 rows.
type Options struct {
	// Lenient drops unknown sectors and stages, malformed optional contact fields (email, website,
	// phone, picture, a fund's or company's LinkedIn page) and unknown countries (keeping the location
	// text) instead of rejecting the row; each drop is reported as a warning.
	Lenient bool
	// Source is stored in the source column of written rows (default "import").
	Source string
	// BatchSize is how many rows go to the database per transaction (default 500).
	BatchSize int
	// RejectedPath, when set, receives the rejected rows as CSV: the original columns plus "reason".
	RejectedPath string
	Logger       *slog.Logger
}

// ImportFile imports one CSV export of the given kind. The error is for the file as a whole
// (unreadable, no usable header, database unreachable); rows are never errors, only rejections in
// the report.
func ImportFile(ctx context.Context, db DB, kind Kind, path string, opts Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	defer f.Close()
	return Import(ctx, db, kind, f, path, opts)
}

// Import reads a CSV export from r; name labels the report.
func Import(ctx context.Context, db DB, kind Kind, r io.Reader, name string, opts Options) (*Report, error) {
	if opts.Source == "" {
		opts.Source = "import"
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if _, err := ParseKind(string(kind)); err != nil {
		return nil, err
	}
	rep := &Report{File: name, Kind: kind, Rejections: []Rejection{}}

	cr, err := openCSV(r)
	if err != nil {
		return nil, err
	}
	names, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("importer: %s is empty", name)
	}
	if err != nil {
		return nil, fmt.Errorf("importer: read header of %s: %w", name, err)
	}
	names = slices.Clone(names)
	if len(names) > 0 {
		names[0] = strings.TrimPrefix(names[0], "\uFEFF")
	}
	h, err := readHeader(kind, names)
	if err != nil {
		return nil, err
	}
	rep.IgnoredColumns = h.ignored

	v, err := readVocab(ctx, db, kind == Employees)
	if err != nil {
		return nil, err
	}
	p := newParser(kind, v, opts.Lenient)
	w := newWriter(kind, h, opts.Source)

	var batch []*record
	var batchWarnings [][]Warning
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		outs, rejected, err := w.write(ctx, db, batch)
		if err != nil {
			return err
		}
		for i, rec := range batch {
			if reason, bad := rejected[i]; bad {
				rep.reject(Rejection{Line: rec.line, Reason: reason, Record: rec.raw})
				continue
			}
			rep.Warnings = append(rep.Warnings, batchWarnings[i]...)
			switch outs[i] {
			case inserted:
				rep.Inserted++
			case updated:
				rep.Updated++
			default:
				rep.Unchanged++
			}
		}
		batch, batchWarnings = batch[:0], batchWarnings[:0]
		return nil
	}

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Read++
			rep.reject(Rejection{Line: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("importer: read %s: %w", name, err)
		}
		if allBlank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		rep.Read++
		rc, warnings, rej := p.parse(&row{h: h, rec: rec, line: line})
		if rej != nil {
			rep.reject(Rejection{Line: line, Column: rej.column, Reason: rej.reason, Record: rec})
			continue
		}
		batch = append(batch, rc)
		batchWarnings = append(batchWarnings, warnings)
		if len(batch) >= opts.BatchSize {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	slices.SortStableFunc(rep.Rejections, func(a, b Rejection) int { return a.Line - b.Line })
	slices.SortStableFunc(rep.Warnings, func(a, b Warning) int { return a.Line - b.Line })

	if opts.RejectedPath != "" {
		if err := writeRejectedFile(opts.RejectedPath, names, rep.Rejections); err != nil {
			return rep, err
		}
		rep.RejectedFile = opts.RejectedPath
	}
	opts.Logger.Info("importer: imported", "file", name, "kind", string(kind), "read", rep.Read, "inserted", rep.Inserted,
		"updated", rep.Updated, "unchanged", rep.Unchanged, "rejected", rep.Rejected)
	return rep, nil
}

func allBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readVocab(ctx context.Context, db DB, withFunds bool) (*vocab, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	return loadVocab(ctx, tx, withFunds)
}

func writeRejectedFile(path string, hdr []string, rejections []Rejection) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("importer: rejected rows: %w", err)
	}
	if err := writeRejected(f, hdr, rejections); err != nil {
		f.Close()
		return fmt.Errorf("importer: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("importer: write %s: %w", path, err)
	}
	return nil
}
