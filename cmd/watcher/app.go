package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"watcher/config"
	"watcher/crawlers"
	"watcher/state"

	// The site adapters register their kinds.
	_ "watcher/crawlers/intl"
	_ "watcher/crawlers/norway"
)

var errUsage = errors.New("usage")

// Main is one invocation of the command: its output streams, the common
// flags and what it opened.
type Main struct {
	Stdout, Stderr io.Writer
	Now            func() time.Time
	Getenv         func(string) string

	ConfigPath string
	DBPath     string
	LogFormat  string
	LogLevel   string

	Log    *slog.Logger
	Config *config.Config
	Store  *state.Store

	prof profiles // --cpuprofile, --memprofile
}

// NewMain returns a Main writing to the given streams.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Stdout: stdout, Stderr: stderr, Now: time.Now, Getenv: os.Getenv}
}

// Run dispatches to the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage(m.Stdout)
		if len(args) == 0 {
			return fmt.Errorf("%w: no command given", errUsage)
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, m, args[1:])
		}
	}
	m.usage(m.Stderr)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "watcher: monitors the sources of the field of human trafficking and drafts the quarterly digest.")
	fmt.Fprintln(w, "\nUsage: watcher <command> [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery command but version takes --config FILE (default: the embedded configuration) and --db FILE.")
	fmt.Fprintln(w, "Run `watcher <command> -h` for its flags.")
}

// Close releases what the command opened.
func (m *Main) Close() {
	if err := m.prof.stop(); err != nil {
		fmt.Fprintln(m.Stderr, "watcher:", err)
	}
	if m.Store != nil {
		if err := m.Store.Close(); err != nil {
			fmt.Fprintln(m.Stderr, "watcher: closing the database:", err)
		}
		m.Store = nil
	}
}

// flags returns a flag set with the common flags bound to m.
func (m *Main) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("watcher "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.ConfigPath, "config", "", "configuration file (default: the embedded config/sources.yaml)")
	fs.StringVar(&m.DBPath, "db", "", "database file (default: "+state.DefaultPath()+")")
	fs.StringVar(&m.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&m.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&m.prof.cpuFile, "cpuprofile", "", "write a CPU profile of the command to this file (for measuring; see BENCHMARKS.md)")
	fs.StringVar(&m.prof.memFile, "memprofile", "", "write a heap profile at the end of the command to this file (for measuring)")
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: watcher %s [flags] %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and sets up logging; a flag error is a usage error.
func (m *Main) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := m.setupLog(); err != nil {
		return err
	}
	return m.prof.start()
}

func (m *Main) setupLog() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(m.LogLevel)); err != nil {
		return fmt.Errorf("%w: --log-level %q: want debug, info, warn or error", errUsage, m.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch m.LogFormat {
	case "text":
		m.Log = slog.New(slog.NewTextHandler(m.Stderr, opts))
	case "json":
		m.Log = slog.New(slog.NewJSONHandler(m.Stderr, opts))
	default:
		return fmt.Errorf("%w: --log-format %q: want text or json", errUsage, m.LogFormat)
	}
	slog.SetDefault(m.Log)
	return nil
}

// loadConfig reads the configuration and checks its kinds.
func (m *Main) loadConfig() error {
	cfg, err := config.Load(m.ConfigPath)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if err := cfg.CheckKinds(crawlers.KindNames()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	m.Config = cfg
	return nil
}

// openStore opens the database and says where it is.
func (m *Main) openStore(readOnly bool) error {
	path := m.DBPath
	if path == "" {
		path = state.DefaultPath()
	}
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no database at %s yet: run `watcher run` first, or name one with --db", path)
		}
	}
	st, err := state.Open(path, state.Options{Timeout: time.Second, ReadOnly: readOnly, Now: m.Now})
	if err != nil {
		return err
	}
	m.Store = st
	m.Log.Info("database", slog.String("path", st.Path()))
	return nil
}

// isTerminal reports whether w is an interactive terminal, not a pipe, a
// file or the journal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	if os.Getenv("INVOCATION_ID") != "" || os.Getenv("JOURNAL_STREAM") != "" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
