package digest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"watcher"
	"watcher/config"
)

// notesPrefix starts the keys of the decisions a notes file stores, so a
// new notes file can replace what the last one stored.
const notesPrefix = watcher.ManualPrefix + "notes-"

// FromNotes reports whether a decision's key is one a notes file stored
// (StoreNotes), which the next notes file replaces.
func FromNotes(key string) bool { return strings.HasPrefix(key, notesPrefix) }

// maxNotesBytes caps a notes file.
const maxNotesBytes = 1 << 20

// maxSlug caps the heading part of a notes entry's key.
const maxSlug = 60

// Notes is the editor's notes file for a period: Markdown whose "## "
// headings name sections and whose entries fill them.
type Notes struct {
	Sections []NoteSection
}

// NoteSection is one "## " heading of the notes and its entries.
type NoteSection struct {
	Heading string
	Line    int
	Entries []NoteEntry
}

// NoteEntry is one entry the editor wrote: a "### " heading and the text
// under it, or one "- " list item, or the text before a section's first
// "### ".
type NoteEntry struct {
	Heading string
	Text    string // paragraphs separated by a blank line; [label](url) links kept
	URL     string // a line holding only an address, else the text's first link
	Line    int
}

// ParseNotes reads a notes file:
//
//	# Anything (a title line, ignored)
//
//	## Egne publikasjoner          ← a section, by title or id, any case
//
//	### Statusrapport 2023         ← an entry with a bold heading
//	Koordineringsenheten publiserte i september sin årlige statusrapport,
//	[se her](https://…).
//
//	## Hovedaktiviteter i perioden
//
//	- Fagdag om arbeidsutnyttelse i Bergen 14. september.   ← one entry per item
//	- Nordisk møte i København.
//
//	## Nytt fra samarbeidspartnerne  ← an unknown heading: an extra section
//
// A line holding only an address (https://…) is the entry's link. Text
// before the first "## " heading, other than a "# " title, is an error.
func ParseNotes(r io.Reader) (*Notes, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxNotesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("digest: read notes: %w", err)
	}
	if len(data) > maxNotesBytes {
		return nil, fmt.Errorf("digest: notes: larger than %d bytes", maxNotesBytes)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("digest: notes: not UTF-8 text")
	}
	p := &notesParser{n: &Notes{}}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 64<<10), maxNotesBytes)
	for sc.Scan() {
		p.line++
		if err := p.feed(strings.TrimRight(sc.Text(), " \t\r")); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("digest: read notes: %w", err)
	}
	p.endEntry()
	return p.n, nil
}

type notesParser struct {
	n     *Notes
	line  int
	sec   *NoteSection
	entry *NoteEntry
	text  []string // the current entry's lines; "" separates paragraphs
	list  bool     // the current entry is a list item
}

func (p *notesParser) feed(line string) error {
	trim := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(trim, "### "):
		if p.sec == nil {
			return p.errorf("an entry heading (###) before the first section heading (##)")
		}
		p.endEntry()
		p.entry = &NoteEntry{Heading: clean(trim[4:]), Line: p.line}
	case strings.HasPrefix(trim, "## "):
		p.endEntry()
		p.n.Sections = append(p.n.Sections, NoteSection{Heading: clean(trim[3:]), Line: p.line})
		p.sec = &p.n.Sections[len(p.n.Sections)-1]
	case strings.HasPrefix(trim, "# ") || trim == "#":
		if p.sec != nil {
			return p.errorf("a title heading (#) inside a section; entries take ### and sections ##")
		}
	case p.sec == nil:
		if trim != "" {
			return p.errorf("text before the first section heading (## Egne publikasjoner) belongs to no section")
		}
	case trim == "":
		if p.entry != nil && p.list {
			p.endEntry()
		}
		p.text = append(p.text, "")
	case (strings.HasPrefix(trim, "- ") || strings.HasPrefix(trim, "* ")) && (p.entry == nil || p.list):
		p.endEntry()
		p.entry = &NoteEntry{Line: p.line}
		p.list = true
		p.text = append(p.text, trim[2:])
	case isBareURL(trim):
		p.open()
		if p.entry.URL == "" {
			p.entry.URL = strings.Trim(trim, "<>")
		} else {
			p.text = append(p.text, trim)
		}
	default:
		p.open()
		p.text = append(p.text, trim)
	}
	return nil
}

// open starts a heading-less entry for text that comes before any.
func (p *notesParser) open() {
	if p.entry == nil {
		p.entry = &NoteEntry{Line: p.line}
		p.text = p.text[:0]
	}
}

func (p *notesParser) endEntry() {
	defer func() { p.entry, p.text, p.list = nil, p.text[:0], false }()
	if p.entry == nil || p.sec == nil {
		return
	}
	e := *p.entry
	e.Text = strings.Join(paragraphs(strings.Join(p.text, "\n")), "\n\n")
	if e.URL == "" {
		spans, _ := parseLinks(e.Text)
		for _, s := range spans {
			if s.URL != "" {
				e.URL = s.URL
				break
			}
		}
	}
	if e.Heading == "" && e.Text == "" && e.URL == "" {
		return
	}
	p.sec.Entries = append(p.sec.Entries, e)
}

func (p *notesParser) errorf(format string, args ...any) error {
	return fmt.Errorf("digest: notes line %d: %s", p.line, fmt.Sprintf(format, args...))
}

// isBareURL reports whether a line holds only an http(s) address.
func isBareURL(s string) bool {
	s = strings.Trim(s, "<>")
	return !strings.ContainsAny(s, " \t") && safeURL(s) != ""
}

// Decisions returns the notes as the editor's manual entries for period:
// keys "manual:notes-<section>-<heading>", the section's id when the
// heading names a configured section (by id or title, in any case), else
// the heading itself (an extra section), and Order numbering the entries
// through the whole file, so that each section keeps the file's order and
// extra sections come in the order they were written.
func (n *Notes) Decisions(period string, sections []config.Section) []watcher.Decision {
	var out []watcher.Decision
	used := map[string]bool{}
	order := 0
	for _, s := range n.Sections {
		section := s.Heading
		if c := FindSection(sections, s.Heading); c != nil {
			section = c.ID
		}
		secSlug := cut(slug(section), maxSlug)
		for i, e := range s.Entries {
			order++
			name := cut(slug(e.Heading), maxSlug)
			if name == "" {
				name = strconv.Itoa(i + 1)
			}
			key := notesPrefix + secSlug + "-" + name
			for k := 2; used[key]; k++ {
				key = notesPrefix + secSlug + "-" + name + "-" + strconv.Itoa(k)
			}
			used[key] = true
			out = append(out, watcher.Decision{
				Period: period, Key: key, Section: section,
				Heading: e.Heading, Text: e.Text, URL: e.URL, Order: order,
			})
		}
	}
	return out
}

// cut shortens an ASCII slug to n bytes without a trailing hyphen.
func cut(s string, n int) string {
	if len(s) > n {
		s = strings.TrimRight(s[:n], "-")
	}
	return s
}
