package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// runJudge prints the judge's decision for one message: `sidecar judge [--json] "text"`. It uses the
// offline judge, so it needs no network and no database.
func runJudge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("judge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print only the JSON decision (default: JSON plus a one-line summary on stderr)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: sidecar judge [--json] "message text"`)
		fs.PrintDefaults()
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	text := strings.Join(positional, " ")
	if len(positional) == 0 {
		fs.Usage()
		return exitUsage
	}
	j, err := judge.NewOffline(judge.DefaultConfig())
	if err != nil {
		fmt.Fprintf(stderr, "sidecar judge: %v\n", err)
		return exitFailed
	}
	d, err := j.Decide(ctx, judge.Input{Text: text})
	if err != nil {
		fmt.Fprintf(stderr, "sidecar judge: %v\n", err)
		return exitFailed
	}
	out, err := judge.FormatJSON(d)
	if err != nil {
		fmt.Fprintf(stderr, "sidecar judge: %v\n", err)
		return exitFailed
	}
	fmt.Fprintln(stdout, string(out))
	if !*asJSON {
		fmt.Fprintf(stderr, "%s (%.2f), language %s, spam %.2f, mode %s\n", d.Intent, d.Confidence, d.Language, d.SpamScore, d.Mode)
	}
	return exitOK
}
