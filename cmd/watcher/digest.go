package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"watcher/dates"
	"watcher/digest"
)

func cmdDigest(_ context.Context, m *Main, args []string) error {
	fs := m.flags("digest", "")
	quarter := fs.String("quarter", "", "the quarter to draft: 2023Q3")
	from := fs.String("from", "", "first day of the period (2023-07-01); with --to, instead of --quarter")
	to := fs.String("to", "", "last day of the period, inclusive (2023-09-30)")
	format := fs.String("format", "md", "output format: md or html (html when -o ends in .html)")
	out := fs.String("o", "", "write the draft to this file (default: standard output)")
	notesFile := fs.String("notes", "", "Markdown notes whose ## headings fill the editor's sections; stored as the period's decisions")
	tmplFile := fs.String("template", "", "render with this template file instead of the embedded one")
	provenance := fs.Bool("provenance", false, "print each entry's source, first sighting and address")
	if err := m.parse(fs, args); err != nil {
		return flagHint(fs, err)
	}
	if fs.NArg() > 0 {
		if quarterForm.MatchString(fs.Arg(0)) {
			return fmt.Errorf("%w: digest takes no arguments (got %q); did you mean --quarter %s?", errUsage, fs.Arg(0), fs.Arg(0))
		}
		return fmt.Errorf("%w: digest takes no arguments (got %q)", errUsage, fs.Args())
	}
	if !flagGiven(fs, "format") && strings.EqualFold(filepath.Ext(*out), ".html") {
		*format = "html"
	}
	if *format != "md" && *format != "html" {
		return fmt.Errorf("%w: --format %q: want md or html", errUsage, *format)
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	p, err := digestPeriod(m, *quarter, *from, *to)
	if err != nil {
		return err
	}
	var tmpl string
	if *tmplFile != "" {
		b, err := os.ReadFile(*tmplFile)
		if err != nil {
			return fmt.Errorf("template: %w", err)
		}
		tmpl = string(b)
	}
	var notes *digest.Notes
	if *notesFile != "" {
		if notes, err = readNotes(*notesFile); err != nil {
			return err
		}
	}
	if err := m.openStore(notes == nil); err != nil {
		return err
	}
	if notes != nil {
		written, removed, err := digest.StoreNotes(m.Store, p.Name, notes, m.Config.Digest.Sections)
		if err != nil {
			return err
		}
		m.Log.Info("notes stored as decisions", slog.String("period", p.Name), slog.String("file", *notesFile),
			slog.Int("written", written), slog.Int("removed", removed))
	}
	in, err := digest.Load(m.Store, m.Config, p, m.Now())
	if err != nil {
		return err
	}
	in.Provenance = *provenance
	d := digest.Build(in)
	b, err := digest.Render(d, *format, tmpl)
	if err != nil {
		return err
	}
	logDraft(m.Log, p, d)
	if *out == "" {
		_, err = m.Stdout.Write(b)
		return err
	}
	if err := writeDraftFile(*out, b); err != nil {
		return err
	}
	m.Log.Info("draft written", slog.String("file", *out), slog.String("format", *format), slog.Int("bytes", len(b)))
	return nil
}

// digestPeriod reads --quarter, or --from and --to.
func digestPeriod(m *Main, quarter, from, to string) (digest.Period, error) {
	loc := m.Config.Location()
	switch {
	case quarter != "" && (from != "" || to != ""):
		return digest.Period{}, fmt.Errorf("%w: give --quarter or --from/--to, not both", errUsage)
	case quarter != "":
		p, err := digest.QuarterPeriod(quarter, loc)
		if err != nil {
			return p, fmt.Errorf("%w: --quarter %q: %s", errUsage, quarter, quarterHint(quarter))
		}
		return p, nil
	case from == "" || to == "":
		return digest.Period{}, fmt.Errorf("%w: give --quarter 2023Q3, or --from 2023-07-01 --to 2023-09-30", errUsage)
	}
	first, err := dates.Parse(from, dates.Options{Loc: loc})
	if err != nil {
		return digest.Period{}, fmt.Errorf("%w: --from %q: %v", errUsage, from, err)
	}
	last, err := dates.Parse(to, dates.Options{Loc: loc})
	if err != nil {
		return digest.Period{}, fmt.Errorf("%w: --to %q: %v", errUsage, to, err)
	}
	p, err := digest.RangePeriod(first, last, loc)
	if err != nil {
		return p, fmt.Errorf("%w: %v", errUsage, err)
	}
	return p, nil
}

// quarterForm is a quarter as the flags take it, with any digit after
// the Q: 2023Q3, 2023-q3.
var quarterForm = regexp.MustCompile(`^\d{4}-?[Qq]\d$`)

// quarterHint says what is wrong with a quarter the flags refused.
func quarterHint(q string) string {
	q = strings.TrimSpace(q)
	if quarterForm.MatchString(q) {
		if n := q[len(q)-1]; n < '1' || n > '4' {
			return fmt.Sprintf("there is no quarter %c: a year has Q1 (January–March) to Q4 (October–December)", n)
		}
		return "the year is out of range"
	}
	return "want a year and a quarter, as in 2023Q3 (July–September 2023)"
}

func readNotes(path string) (*digest.Notes, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	defer f.Close()
	n, err := digest.ParseNotes(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// logDraft says what the draft holds, for the log.
func logDraft(log *slog.Logger, p digest.Period, d *digest.Draft) {
	entries := 0
	for _, s := range d.Sections {
		entries += s.Len()
	}
	log.Info("draft", slog.String("period", p.Name), slog.String("months", d.PeriodText),
		slog.Int("entries", entries), slog.Int("open_hearings", len(d.OpenHearings)),
		slog.Int("unplaced", len(d.Unplaced)), slog.Bool("empty", d.Empty))
	if len(d.Unplaced) > 0 {
		log.Warn("some items fit no section; the draft lists them under \"Ikke plassert\"", slog.Int("count", len(d.Unplaced)))
	}
}

// writeDraftFile writes data to path through a temporary file in the
// same directory, so a reader never sees half a draft.
func writeDraftFile(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// flagGiven reports whether the flag was given on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
