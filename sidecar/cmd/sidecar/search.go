package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/zerobullshit/backend/sidecar/internal/search"
)

// runSearch implements "sidecar search investors|employees|companies".
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sidecar search: "+format+"\n", a...)
		return exitUsage
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		searchUsage(stderr, nil)
		return exitUsage
	}
	kind := search.Kind(args[0])
	if !kind.Valid() {
		return usageErr("unknown kind %q: want investors, employees or companies", args[0])
	}

	fs := flag.NewFlagSet("search "+string(kind), flag.ContinueOnError)
	fs.SetOutput(stderr)
	critJSON := fs.String("json", "", `criteria as JSON, e.g. '{"categories":["fintech"],"stage":"seed","country":"ES"}'`)
	query := fs.String("query", "", `free text, e.g. "climate fintech in LatAm" (same as "query" in --json)`)
	limit := fs.Int("limit", 15, "results per page (1-100; with --user the plan caps it)")
	offset := fs.Int("offset", 0, "results to skip")
	fundID := fs.String("fund-id", "", "the fund whose people to rank (employees)")
	user := fs.String("user", "", "run as this user (uuid): charges credits, records the search, applies their feedback and plan")
	project := fs.String("project", "", "project id (with --user): its facts are the default criteria")
	requestID := fs.String("request-id", "", "idempotency key (with --user): the same key again replays the search")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $DATABASE_URL)")
	compact := fs.Bool("compact", false, "print the JSON on one line")
	fs.Usage = func() { searchUsage(stderr, fs) }
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}

	var crit search.Criteria
	if *critJSON != "" {
		dec := json.NewDecoder(strings.NewReader(*critJSON))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&crit); err != nil {
			return usageErr("--json: %v", err)
		}
	}
	if *query != "" {
		crit.Query = *query
	}
	if (*project != "" || *requestID != "") && *user == "" {
		return usageErr("--project and --request-id need --user (without it the search only ranks: nothing is charged or recorded)")
	}
	url, err := databaseURL(*dbURL)
	if err != nil {
		return usageErr("%v", err)
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar search: connecting: %v\n", err)
		return exitFailed
	}
	defer conn.Close(context.WithoutCancel(ctx))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	client := search.New(conn, log)
	req := search.Request{Criteria: crit, Limit: *limit, Offset: *offset, FundID: *fundID,
		ProjectID: *project, RequestID: *requestID}

	var resp *search.Response
	if *user != "" {
		resp, err = client.Search(ctx, kind, *user, req)
	} else {
		resp, err = client.Rank(ctx, kind, "", req)
	}
	if err != nil {
		var se *search.Error
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "sidecar search: %s\n", se.Message)
			if se.Hint != "" {
				fmt.Fprintf(stderr, "hint: %s\n", se.Hint)
			}
			if se.Code == "P0001" {
				return exitUsage
			}
			return exitFailed
		}
		fmt.Fprintf(stderr, "sidecar search: %v\n", err)
		return exitFailed
	}
	out := []byte(resp.Raw)
	if !*compact {
		var buf bytes.Buffer
		if err := json.Indent(&buf, resp.Raw, "", "  "); err == nil {
			out = buf.Bytes()
		}
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		return exitFailed
	}
	return exitOK
}

func searchUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `usage: sidecar search investors|employees|companies [flags]

Ranks against the configured database and prints the results as JSON: who (kind, name, headline, fund,
location, LinkedIn URL), a score 0-100, its components and the reasons. Without --user nothing is charged
or recorded; with --user the search runs as that user (plan cap, credits, search_results, feedback).

examples:
  sidecar search investors --json '{"categories":["fintech"],"stage":"seed","country":"ES"}' --limit 15
  sidecar search investors --query "climate fintech in LatAm"
  sidecar search employees --fund-id 6f1b...   (or --json '{"fund":"Kibo Ventures"}')
  sidecar search companies --json '{"services":["legal"],"country":"ES"}'

exit codes: 0 done, 1 failed, 2 bad usage or criteria the database refused.
`)
	if fs != nil {
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
	}
}
