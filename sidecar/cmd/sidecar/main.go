// Command sidecar is the 0Bullshit Go sidecar.
//
//	sidecar seed   [flags]          load generated investor data (presets demo, 100k, 1m)
//	sidecar import [flags] FILE...  import the prototype's CSV exports
//	sidecar search KIND [flags]     rank investors, fund employees or companies (JSON)
//	sidecar serve  [flags]          run the service: HTTP API, webhooks, workers
//	sidecar judge  [--json] TEXT    the judge's decision for one message (offline, no network)
//	sidecar chat   [flags]          chat in the terminal as a user of the local stack
//	sidecar version                 the build's version and the migration it expects
//
// Exit codes: 0 done, 1 failed, 2 bad usage, 3 import finished but rejected some rows.
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitRejected = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "seed":
		return runSeed(ctx, args[1:], stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "search":
		return runSearch(ctx, args[1:], stdout, stderr)
	case "judge":
		return runJudge(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "chat":
		return runChat(ctx, args[1:], os.Stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "sidecar %s (migration %s)\n", version, cmp.Or(migrationVersion, "unset"))
		return exitOK
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "sidecar: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: sidecar <command> [flags]

commands:
  seed     load generated investor data: sidecar seed --preset demo|100k|1m [--seed 42]
  import   import prototype CSV exports: sidecar import --kind angels|funds|employees|companies FILE...
  search   rank investors, fund employees or companies as JSON: sidecar search investors --json '{"categories":["fintech"]}'
  serve    run the service (HTTP API, webhooks, workers); configuration from the environment (.env.example)
  judge    the judge's decision for one message, offline: sidecar judge [--json] "busco inversores seed"
  chat     chat in the terminal as the demo user of the local stack: sidecar chat [--script FILE] [--embedded]
  version  the build's version and the newest migration it expects (/readyz waits for it)

seed, import, search and chat read the database from --database-url, default $DATABASE_URL. "sidecar <command> -h" lists flags.
Exit codes: 0 done, 1 failed, 2 bad usage, 3 import finished but rejected some rows.
`)
}

// parseInterspersed parses flags that may come before or after the positional arguments
// ("import file.csv --json" as well as "import --json file.csv").
func parseInterspersed(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// databaseURL is the --database-url flag, else $DATABASE_URL.
func databaseURL(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u, nil
	}
	return "", fmt.Errorf("no database: pass --database-url or set DATABASE_URL")
}

// isTerminal reports whether f is a character device (an interactive terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
