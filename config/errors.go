package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Error is one problem in a configuration file: where it is and what would
// be valid instead. Line is 0 when the place is unknown (a Config built in
// code rather than parsed).
type Error struct {
	File  string // as given to Parse ("config/sources.yaml", "(embedded) config/sources.yaml")
	Line  int    // 1-based
	Field string // path of the field: "sources[3].kind", "alerts.channels[0].to[1]"; empty for the file as a whole
	Msg   string
	Err   error // underlying error, if any (a file that could not be read)
}

// Error formats the problem as "file:line: field: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one configuration, one per line when
// printed, in file order and by line within a file.
type Errors []*Error

// Error joins the problems, one per line.
func (l Errors) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is look at each problem.
func (l Errors) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// err returns l as an error, or nil when it is empty.
func (l Errors) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// sorted returns the problems in a stable order: files in the order they
// first appear, lines ascending within a file, duplicates dropped.
func (l Errors) sorted() Errors {
	fileOrder := map[string]int{}
	for _, e := range l {
		if _, ok := fileOrder[e.File]; !ok {
			fileOrder[e.File] = len(fileOrder)
		}
	}
	out := make(Errors, 0, len(l))
	seen := map[string]bool{}
	for _, e := range l {
		k := e.Error()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		fi, fj := fileOrder[out[i].File], fileOrder[out[j].File]
		if fi != fj {
			return fi < fj
		}
		return lineKey(out[i].Line) < lineKey(out[j].Line)
	})
	return out
}

// lineKey sorts problems without a line after those with one.
func lineKey(line int) int {
	if line <= 0 {
		return int(^uint(0) >> 1)
	}
	return line
}

// oneOf describes the valid values of an enumeration, with a suggestion
// when got looks like a misspelling of one of them.
func oneOf(what, got string, valid []string) string {
	msg := fmt.Sprintf("unknown %s %q (valid: %s", what, got, strings.Join(valid, ", "))
	if s := suggest(got, valid); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + ")"
}

// separators are dropped before names are compared: "max-pages" and
// "Max Pages" are both "maxpages".
var separators = strings.NewReplacer("_", "", "-", "", " ", "")

// suggest returns the candidate closest to got, or "" when none is close
// enough to be a likely misspelling.
func suggest(got string, candidates []string) string {
	norm := func(s string) string { return separators.Replace(strings.ToLower(s)) }
	g := norm(got)
	if g == "" {
		return ""
	}
	best, bestDist := "", 0
	for _, c := range candidates {
		if norm(c) == g {
			return c
		}
		d := EditDistance(g, norm(c))
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, len([]rune(g))/3)
	if best != "" && bestDist <= limit {
		return best
	}
	return ""
}

// EditDistance is the Levenshtein distance between a and b, in runes: the
// measure behind every "did you mean …?" hint.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
