// Command watcher crawls the sources of the field of human trafficking,
// keeps what they publish in a local database, alerts on hearings and
// deadlines, and drafts the quarterly newsletter.
//
// Usage: watcher <command> [flags]. Run `watcher help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses, decided only in main.
const (
	exitOK        = 0
	exitFailure   = 1 // the command could not do its job (config, database, I/O)
	exitUsage     = 2 // bad flags or arguments
	exitPartial   = 3 // run: some sources failed; the others were stored
	exitInterrupt = 130
)

// errPartial marks a run in which some sources failed.
var errPartial = errors.New("some sources failed")

// command is one subcommand: it parses its flags and runs.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, m *Main, args []string) error
}

func commands() []command {
	return []command{
		{"run", "crawl the sources once, store what is new, send due alerts", cmdRun},
		{"items", "list stored items", cmdItems},
		{"check", "show what one source yields now, field by field", cmdCheck},
		{"sources", "list and validate the configured sources and their health", cmdSources},
		{"deadlines", "open consultations, soonest first (--ics FILE for a calendar)", cmdDeadlines},
		{"digest", "draft the quarterly newsletter (Markdown or HTML)", cmdDigest},
		{"decide", "record an editor decision: include, exclude, move, rewrite an item", cmdDecide},
		{"rescore", "recompute relevance after the topic profile changed", cmdRescore},
		{"backup", "write a consistent copy of the database to a file", cmdBackup},
		{"serve", "run daily on a schedule and serve the review UI", cmdServe},
		{"version", "print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain(os.Stdout, os.Stderr)
	err := m.Run(ctx, os.Args[1:])
	// Decided before stop, which cancels ctx and would make every
	// failure look like an interrupt.
	code := exitCode(ctx, err, m.Stderr)
	stop()
	m.Close()
	os.Exit(code)
}

func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "watcher:", err)
		return exitUsage
	case errors.Is(err, errPartial):
		fmt.Fprintln(stderr, "watcher:", err)
		return exitPartial
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "watcher: interrupted:", err)
		return exitInterrupt
	default:
		fmt.Fprintln(stderr, "watcher:", err)
		return exitFailure
	}
}
