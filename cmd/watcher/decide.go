package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"watcher"
	"watcher/config"
	"watcher/digest"
	"watcher/state"
)

// decideChanges are the flags that change a decision.
var decideChanges = []string{"include", "exclude", "section", "heading", "text", "url", "order", "same-as", "reason"}

func cmdDecide(_ context.Context, m *Main, args []string) error {
	fs := m.flags("decide", "--period 2023Q3 [--include|--exclude|--section ID|--heading TEXT|--text TEXT|--order N|--same-as ITEM|--reason TEXT|--clear] ITEM\n       watcher decide --period 2023Q3 --list\n\nITEM is an item's key (see watcher items), its address, or the site's id alone;\nthe editor's own entries take keys manual:<name>.")
	period := fs.String("period", "", "the digest period: 2023Q3, or 2023-07-01..2023-09-30 (required)")
	fs.Bool("include", false, "put the item in the digest whatever its relevance (--include=false: back to the rules)")
	fs.Bool("exclude", false, "keep the item out of the digest (--exclude=false: back to the rules)")
	fs.String("section", "", "place the entry in this section (id or title; \"\": back to the rules)")
	fs.String("heading", "", "replace the drafted heading (\"\": the drafted one again)")
	fs.String("text", "", "replace the drafted sentences; [label](https://…) links allowed, \"se her\" links the item (\"\": the draft again)")
	fs.String("url", "", "the link of a manual entry (manual:… keys only)")
	fs.Int("order", 0, "position within the section (0: by date)")
	fs.String("same-as", "", "the item this one is the same document as: they become one entry (\"\": separate again)")
	fs.String("reason", "", "why: kept with the decision")
	clearAll := fs.Bool("clear", false, "remove the decision altogether")
	list := fs.Bool("list", false, "print the period's decisions")
	asJSON := fs.Bool("json", false, "with --list: print one JSON array")
	keys, err := parseInterspersed(m, fs, args)
	if err != nil {
		return err
	}
	if *period == "" {
		return fmt.Errorf("%w: --period is required (e.g. --period 2023Q3)", errUsage)
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	p, err := digest.ParsePeriod(*period, m.Config.Location())
	if err != nil {
		if quarterForm.MatchString(strings.TrimSpace(*period)) {
			return fmt.Errorf("%w: --period %q: %s", errUsage, *period, quarterHint(*period))
		}
		return fmt.Errorf("%w: --period %q: want a quarter (2023Q3) or a range of days (2023-07-01..2023-09-30)", errUsage, *period)
	}
	changes := givenFlags(fs, decideChanges)
	if *list {
		if len(keys) > 0 || len(changes) > 0 || *clearAll {
			return fmt.Errorf("%w: --list takes no key and no other change", errUsage)
		}
		if err := m.openStore(true); err != nil {
			return err
		}
		ds, err := m.Store.Decisions(p.Name)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, ds)
		}
		printDecisions(m.Stdout, ds, m.Config.Location())
		return nil
	}
	if len(keys) != 1 {
		return fmt.Errorf("%w: give exactly one item: its key, address or id (got %d); see watcher items", errUsage, len(keys))
	}
	key := keys[0]
	switch {
	case *clearAll && len(changes) > 0:
		return fmt.Errorf("%w: --clear removes the whole decision; give it alone", errUsage)
	case !*clearAll && len(changes) == 0:
		return fmt.Errorf("%w: nothing to decide: give --include, --exclude, --section, --heading, --text, --order, --same-as, --reason or --clear", errUsage)
	}
	if err := m.openStore(false); err != nil {
		return err
	}
	if !strings.HasPrefix(key, watcher.ManualPrefix) {
		resolved, err := resolveItemKey(m, key)
		switch {
		case err == nil:
			key = resolved
		case !*clearAll:
			return err
		}
	}
	if *clearAll {
		if err := m.Store.DeleteDecision(p.Name, key); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s %s: decision removed\n", p.Name, key)
		return nil
	}
	ds, err := m.Store.Decisions(p.Name)
	if err != nil {
		return err
	}
	d := watcher.Decision{Period: p.Name, Key: key}
	if i := slices.IndexFunc(ds, func(x watcher.Decision) bool { return x.Key == key }); i >= 0 {
		d = ds[i]
	}
	if err := applyDecideFlags(m, fs, changes, &d, ds); err != nil {
		return err
	}
	d.At = m.Now()
	if decisionEmpty(&d) {
		if err := m.Store.DeleteDecision(p.Name, key); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s %s: back to the rules (decision removed)\n", p.Name, key)
		return nil
	}
	if err := m.Store.PutDecision(d); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s %s: %s\n", p.Name, key, describeDecision(&d))
	return nil
}

// parseInterspersed parses flags that may come before or after the
// arguments ("decide KEY --exclude" as well as "decide --exclude KEY").
func parseInterspersed(m *Main, fs *flag.FlagSet, args []string) ([]string, error) {
	if err := m.parse(fs, args); err != nil {
		return nil, flagHint(fs, err)
	}
	var rest []string
	for fs.NArg() > 0 {
		rest = append(rest, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, flagHint(fs, fmt.Errorf("%w: %v", errUsage, err))
		}
	}
	return rest, nil
}

// resolveItemKey finds the item the editor means by key: its key, or
// else its address (as copied from the browser or the draft), or the
// site's own id alone ("3167072" for "regjeringen:3167072"). An unknown
// key is a usage error that names the closest keys.
func resolveItemKey(m *Main, key string) (string, error) {
	if _, ok, err := m.Store.Item(key); err != nil || ok {
		return key, err
	}
	items, err := m.Store.Items(state.Query{})
	if err != nil {
		return "", err
	}
	var found []string
	for _, it := range items {
		if sameAddress(it.URL, key) || slices.ContainsFunc(it.AltURLs, func(u string) bool { return sameAddress(u, key) }) ||
			strings.HasSuffix(it.Key, ":"+key) {
			found = append(found, it.Key)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
	default:
		return "", fmt.Errorf("%w: %q fits several items: %s; give the key", errUsage, key, strings.Join(found, ", "))
	}
	msg := fmt.Sprintf("no item has the key %q", key)
	if near := nearKeys(items, key); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return "", fmt.Errorf("%w: %s (keys are listed by watcher items; an item's address or id works too; the editor's own entries take keys manual:<name>)", errUsage, msg)
}

// sameAddress compares two addresses without their scheme and trailing
// slash.
func sameAddress(a, b string) bool {
	norm := func(u string) string {
		u = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(u), "https://"), "http://")
		return strings.TrimSuffix(strings.TrimPrefix(u, "www."), "/")
	}
	return a != "" && strings.Contains(b, "/") && norm(a) == norm(b)
}

// nearKeys returns the item keys within two edits of key, the closest
// first, at most three.
func nearKeys(items []watcher.Item, key string) []string {
	type near struct {
		key  string
		dist int
	}
	var all []near
	for _, it := range items {
		if d := editDistance(it.Key, key, 2); d <= 2 {
			all = append(all, near{it.Key, d})
		}
	}
	slices.SortFunc(all, func(a, b near) int { return cmp.Or(cmp.Compare(a.dist, b.dist), strings.Compare(a.key, b.key)) })
	var out []string
	for _, n := range all[:min(len(all), 3)] {
		out = append(out, n.key)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or max+1 when it
// is larger than max (cheaply, when the lengths alone say so).
func editDistance(a, b string, max int) int {
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > max || -d > max {
		return max + 1
	}
	return min(config.EditDistance(a, b), max+1)
}

// flagHint adds a suggestion to the error of an unknown flag: "did you
// mean --exclude?".
func flagHint(fs *flag.FlagSet, err error) error {
	const prefix = "flag provided but not defined: -"
	msg := err.Error()
	i := strings.Index(msg, prefix)
	if i < 0 {
		return err
	}
	name := strings.TrimPrefix(msg[i+len(prefix):], "-")
	best, bestDist := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(f.Name, name, 2); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	if best == "" {
		return err
	}
	return fmt.Errorf("%w; did you mean --%s?", err, best)
}

// givenFlags returns those of names given on the command line.
func givenFlags(fs *flag.FlagSet, names []string) map[string]string {
	out := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(names, f.Name) {
			out[f.Name] = f.Value.String()
		}
	})
	return out
}

// applyDecideFlags checks the given changes against the store and the
// configuration and applies them to d. others are the period's decisions.
func applyDecideFlags(m *Main, fs *flag.FlagSet, changes map[string]string, d *watcher.Decision, others []watcher.Decision) error {
	manual := strings.HasPrefix(d.Key, watcher.ManualPrefix)
	if manual && !watcher.ManualKey(d.Key) {
		return fmt.Errorf("%w: a manual entry's key needs a name, as in manual:fagdag", errUsage)
	}
	inc, incGiven := changes["include"]
	exc, excGiven := changes["exclude"]
	if inc == "true" && exc == "true" {
		return fmt.Errorf("%w: --include and --exclude contradict each other", errUsage)
	}
	switch {
	case inc == "true":
		d.State = watcher.DecisionInclude
	case exc == "true":
		d.State = watcher.DecisionExclude
	case incGiven && d.State == watcher.DecisionInclude, excGiven && d.State == watcher.DecisionExclude:
		d.State = watcher.DecisionNone
	}
	if v, ok := changes["section"]; ok {
		section, err := decideSection(m, v, manual, others)
		if err != nil {
			return err
		}
		d.Section = section
	}
	if v, ok := changes["same-as"]; ok {
		if v != "" {
			resolved, err := resolveItemKey(m, v)
			if err != nil {
				return fmt.Errorf("--same-as: %w", err)
			}
			if v = resolved; v == d.Key {
				return fmt.Errorf("%w: --same-as names the item itself", errUsage)
			}
		}
		d.SameAs = v
	}
	if v, ok := changes["order"]; ok {
		n, _ := strconv.Atoi(v)
		if n < 0 {
			return fmt.Errorf("%w: --order must be 0 or more", errUsage)
		}
		d.Order = n
	}
	if v, ok := changes["url"]; ok {
		if !manual {
			return fmt.Errorf("%w: --url is for manual entries (keys manual:…); an item keeps its own address", errUsage)
		}
		if v != "" && !digest.Linkable(v) {
			return fmt.Errorf("%w: --url %q: want an http(s) address", errUsage, v)
		}
		d.URL = v
	}
	if v, ok := changes["heading"]; ok {
		d.Heading = strings.TrimSpace(v)
	}
	if v, ok := changes["text"]; ok {
		d.Text = strings.TrimSpace(v)
	}
	if v, ok := changes["reason"]; ok {
		d.Reason = strings.TrimSpace(v)
	}
	if manual && (d.Section == "" || d.Heading == "" && d.Text == "") && d.State != watcher.DecisionExclude {
		return fmt.Errorf("%w: a manual entry needs --section and a --heading or --text", errUsage)
	}
	return nil
}

// decideSection resolves --section: a configured section by id or title,
// an extra section the period's decisions already use, or (for a manual
// entry) a new extra section; "" hands the item back to the rules.
func decideSection(m *Main, v string, manual bool, others []watcher.Decision) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if s := digest.FindSection(m.Config.Digest.Sections, v); s != nil {
		return s.ID, nil
	}
	var ids []string
	for _, s := range m.Config.Digest.Sections {
		ids = append(ids, s.ID)
	}
	for _, o := range others {
		if o.Section != "" && strings.EqualFold(o.Section, v) {
			return o.Section, nil
		}
	}
	if manual {
		return v, nil
	}
	return "", fmt.Errorf("%w: --section %q: no such section (sections: %s; an extra section is made by a manual entry or the notes)",
		errUsage, v, strings.Join(ids, ", "))
}

// decisionEmpty reports whether d says nothing the rules would not.
func decisionEmpty(d *watcher.Decision) bool {
	return d.State == watcher.DecisionNone && d.Section == "" && d.Heading == "" && d.Text == "" &&
		d.URL == "" && d.Order == 0 && d.SameAs == "" && d.Reason == ""
}

// describeDecision says in one line what a decision does.
func describeDecision(d *watcher.Decision) string {
	var parts []string
	switch d.State {
	case watcher.DecisionInclude:
		parts = append(parts, "include")
	case watcher.DecisionExclude:
		parts = append(parts, "exclude")
	}
	if d.Section != "" {
		parts = append(parts, "section "+d.Section)
	}
	if d.Order > 0 {
		parts = append(parts, "order "+strconv.Itoa(d.Order))
	}
	if d.SameAs != "" {
		parts = append(parts, "same as "+d.SameAs)
	}
	if d.Heading != "" {
		parts = append(parts, fmt.Sprintf("heading %q", clip(d.Heading, 60)))
	}
	if d.Text != "" {
		parts = append(parts, fmt.Sprintf("text %q", clip(d.Text, 60)))
	}
	if d.URL != "" {
		parts = append(parts, "url "+d.URL)
	}
	if d.Reason != "" {
		parts = append(parts, fmt.Sprintf("reason %q", clip(d.Reason, 60)))
	}
	if len(parts) == 0 {
		return "no change from the rules"
	}
	return strings.Join(parts, ", ")
}

func printDecisions(w io.Writer, ds []watcher.Decision, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tDECISION\tAT")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Key, describeDecision(&d), stamp(d.At, loc))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d decisions\n", len(ds))
}
