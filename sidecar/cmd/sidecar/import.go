package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/seed/importer"
)

// runImport implements "sidecar import".
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kindFlag := fs.String("kind", "", "what the files hold: angels, funds, employees or companies (required)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $DATABASE_URL)")
	rejected := fs.String("rejected", "", "write rejected rows (original columns + reason) to this CSV file (one input file only)")
	writeRejected := fs.Bool("write-rejected", false, "write rejected rows of each FILE to FILE.rejected.csv")
	asJSON := fs.Bool("json", false, "print the report as JSON (an array when there are several files)")
	lenient := fs.Bool("lenient", false, "drop unknown sectors/stages/countries and malformed contact fields instead of rejecting the row")
	source := fs.String("source", "import", "value stored in the source column")
	batch := fs.Int("batch-size", 500, "rows per transaction")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sidecar import --kind KIND [flags] FILE...\n\nImports CSV exports; import funds before employees.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sidecar import: "+format+"\n", a...)
		return exitUsage
	}
	if *kindFlag == "" {
		return usageErr("--kind is required (angels, funds, employees or companies)")
	}
	kind, err := importer.ParseKind(*kindFlag)
	if err != nil {
		return usageErr("%v", err)
	}
	if len(files) == 0 {
		return usageErr("no file to import")
	}
	if *rejected != "" && len(files) > 1 {
		return usageErr("--rejected takes one input file; use --write-rejected for several")
	}
	url, err := databaseURL(*dbURL)
	if err != nil {
		return usageErr("%v", err)
	}

	log := slog.New(slog.NewTextHandler(stderr, nil))
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar import: connect: %v\n", err)
		return exitFailed
	}
	defer conn.Close(context.WithoutCancel(ctx))

	code := exitOK
	var reports []*importer.Report
	for _, file := range files {
		opts := importer.Options{Lenient: *lenient, Source: *source, BatchSize: *batch, Logger: log, RejectedPath: *rejected}
		if *writeRejected && opts.RejectedPath == "" {
			opts.RejectedPath = importer.DefaultRejectedPath(file)
		}
		rep, err := importer.ImportFile(ctx, conn, kind, file, opts)
		if err != nil {
			fmt.Fprintf(stderr, "sidecar import: %v\n", err)
			code = exitFailed
			if rep == nil {
				continue
			}
		}
		if rep.Rejected > 0 && code == exitOK {
			code = exitRejected
		}
		reports = append(reports, rep)
		if !*asJSON {
			fmt.Fprint(stdout, rep.Text())
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		var v any = reports
		if len(reports) == 1 {
			v = reports[0]
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "sidecar import: %v\n", err)
			return exitFailed
		}
	}
	return code
}
