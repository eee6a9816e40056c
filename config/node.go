package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// positions remembers where each field of a parsed file stood, so that
// Validate and CheckKinds can name the line of a problem found after
// decoding.
type positions struct {
	lines map[string]int  // field path → line
	bad   map[string]bool // field paths whose value could not be decoded
	ids   []string        // source ids in file order
}

func newPositions() *positions {
	return &positions{lines: map[string]int{}, bad: map[string]bool{}}
}

// line returns the line of path, or of its nearest ancestor that has one
// (a missing field is reported at the line of the mapping that lacks it).
func (p *positions) line(path string) int {
	if p == nil {
		return 0
	}
	for {
		if l, ok := p.lines[path]; ok {
			return l
		}
		if path == "" {
			return 0
		}
		path = parent(path)
	}
}

// has reports whether path itself has a recorded line.
func (p *positions) has(path string) bool {
	if p == nil {
		return false
	}
	_, ok := p.lines[path]
	return ok
}

// isBad reports whether path or one of its ancestors failed to decode: its
// value is a default or zero, and a second error about it would mislead.
func (p *positions) isBad(path string) bool {
	if p == nil {
		return false
	}
	for {
		if p.bad[path] {
			return true
		}
		if path == "" {
			return false
		}
		path = parent(path)
	}
}

// sourceIndex returns the index of source i (with that id) in the file, or
// -1 if it is not from the file. Sources may have been filtered since.
func (p *positions) sourceIndex(i int, id string) int {
	if p == nil {
		return -1
	}
	if i < len(p.ids) && p.ids[i] == id {
		return i
	}
	if id == "" {
		return -1
	}
	return slices.Index(p.ids, id)
}

// parent strips the last component of a field path: "a.b[2]" → "a.b",
// "a.b" → "a", "a" → "".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// decoder walks a yaml.Node tree strictly: unknown and duplicate keys, wrong
// types and bad formats become Errors with the file, line and field.
type decoder struct {
	file string
	errs Errors
	pos  *positions
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, pos: newPositions()}
}

func (d *decoder) errorf(line int, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Field: path, Msg: fmt.Sprintf(format, args...)})
}

// fail reports a value that could not be decoded and marks its path bad.
func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errorf(n.Line, path, format, args...)
	d.pos.bad[path] = true
}

func (d *decoder) setLine(path string, line int) {
	if _, ok := d.pos.lines[path]; !ok && line > 0 {
		d.pos.lines[path] = line
	}
}

// document parses data as one YAML document and returns its root node
// (nil for an empty document).
func (d *decoder) document(data []byte) (root *yaml.Node) {
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		d.errorf(line, "", "invalid UTF-8: save the file as UTF-8")
		return nil
	}
	defer func() {
		// The YAML parser is third-party code fed with user input: a panic in
		// it must become an error, not a crash.
		if r := recover(); r != nil {
			d.errorf(0, "", "cannot parse YAML: %v", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		d.syntaxError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(extra.Line, "", "a second YAML document starts here (a configuration is one document: remove the \"---\")")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(err)
		return nil
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0]
	}
	return nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (d *decoder) syntaxError(err error) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		d.errorf(line, "", "invalid YAML: %s", m[2])
		return
	}
	d.errorf(0, "", "invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!bool":
			return n.Value
		case "!!int", "!!float":
			return "the number " + n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}

// field is one known key of a mapping and its value.
type field struct {
	key  string
	line int
	val  *yaml.Node
}

// mapping checks that n is a mapping whose keys are all in valid (any key
// when valid is nil), reports unknown and duplicate keys, expands merge
// keys ("<<: *anchor"), and returns the known fields. A null node is an
// empty mapping. ok is false when n is not a mapping at all.
func (d *decoder) mapping(n *yaml.Node, path string, valid []string) (fields []field, ok bool) {
	n = resolve(n)
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		what := "settings"
		if path != "" {
			what = "keys"
		}
		d.fail(n, path, "expected a mapping of %s, got %s", what, describe(n))
		return nil, false
	}
	d.setLine(path, n.Line)
	seen := map[string]bool{}
	visited := map[*yaml.Node]bool{}
	d.collect(n, path, valid, seen, visited, &fields)
	return fields, true
}

// collect adds the pairs of mapping n to fields, skipping keys already seen
// (an explicit key wins over a merged one, an earlier merge over a later).
func (d *decoder) collect(n *yaml.Node, path string, valid []string, seen map[string]bool, visited map[*yaml.Node]bool, fields *[]field) {
	if visited[n] {
		return // a merge that was merged already, or one that contains itself
	}
	visited[n] = true
	own := map[string]int{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			d.errorf(n.Content[i].Line, path, "a key must be a plain word, got %s", describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key, line := k.Value, n.Content[i].Line // the line of the key as written, not of an anchor it names
		if first, dup := own[key]; dup {
			d.errorf(line, path, "duplicate key %q (first at line %d)", key, first)
			d.pos.bad[join(path, key)] = true
			continue
		}
		own[key] = line
		if valid != nil && !slices.Contains(valid, key) {
			d.errorf(line, path, "%s", unknownKey(key, valid))
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		d.setLine(join(path, key), line)
		*fields = append(*fields, field{key: key, line: line, val: v})
	}
	for _, m := range merges {
		d.merge(m, path, valid, seen, visited, fields)
	}
}

func (d *decoder) merge(m *yaml.Node, path string, valid []string, seen map[string]bool, visited map[*yaml.Node]bool, fields *[]field) {
	m = resolve(m)
	switch {
	case m != nil && m.Kind == yaml.MappingNode:
		d.collect(m, path, valid, seen, visited, fields)
	case m != nil && m.Kind == yaml.SequenceNode:
		for _, item := range m.Content {
			item = resolve(item)
			if item == nil || item.Kind != yaml.MappingNode {
				d.errorf(m.Line, path, "a merge key (<<) takes a mapping or a list of mappings")
				continue
			}
			d.collect(item, path, valid, seen, visited, fields)
		}
	default:
		line := 0
		if m != nil {
			line = m.Line
		}
		d.errorf(line, path, "a merge key (<<) takes a mapping or a list of mappings")
	}
}

func unknownKey(key string, valid []string) string {
	msg := fmt.Sprintf("unknown key %q (valid keys: %s", key, strings.Join(valid, ", "))
	if s := suggest(key, valid); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + ")"
}

// scalar resolves n and checks that it is a scalar. ok is false for null
// (the key is present but empty: the default stays) and for non-scalars
// (reported).
func (d *decoder) scalar(n *yaml.Node, path, want string) (*yaml.Node, bool) {
	n = resolve(n)
	if isNull(n) {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "expected %s, got %s", want, describe(n))
		return nil, false
	}
	return n, true
}

func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	s, ok := d.scalar(n, path, "a string")
	if !ok {
		return "", false
	}
	return s.Value, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.scalar(n, path, "true or false")
	if !ok {
		return false, false
	}
	var b bool
	if s.ShortTag() != "!!bool" || s.Decode(&b) != nil {
		d.fail(s, path, "expected true or false, got %s", describe(s))
		return false, false
	}
	return b, true
}

func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	s, ok := d.scalar(n, path, "a whole number")
	if !ok {
		return 0, false
	}
	var v int64
	if s.ShortTag() != "!!int" || s.Decode(&v) != nil || v != int64(int(v)) {
		d.fail(s, path, "expected a whole number, got %s", describe(s))
		return 0, false
	}
	return int(v), true
}

func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	s, ok := d.scalar(n, path, "a number")
	if !ok {
		return 0, false
	}
	var v float64
	tag := s.ShortTag()
	if (tag != "!!int" && tag != "!!float") || s.Decode(&v) != nil {
		d.fail(s, path, "expected a number, got %s", describe(s))
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		d.fail(s, path, "expected a finite number, got %s", s.Value)
		return 0, false
	}
	return v, true
}

// duration reads a Go duration string ("2s", "500ms", "1m30s"). A bare
// number is refused (seconds or nanoseconds?) except 0, which needs no unit.
func (d *decoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := d.scalar(n, path, "a duration")
	if !ok {
		return 0, false
	}
	switch s.ShortTag() {
	case "!!int", "!!float":
		if v, err := strconv.ParseFloat(strings.ReplaceAll(s.Value, "_", ""), 64); err == nil && v == 0 {
			return 0, true
		}
		d.fail(s, path, "bad duration %s: write it with a unit, e.g. \"%ss\" or \"500ms\" (units: ms, s, m, h)", s.Value, s.Value)
		return 0, false
	case "!!str":
		v, err := time.ParseDuration(strings.TrimSpace(s.Value))
		if err != nil {
			d.fail(s, path, "bad duration %q (write e.g. \"2s\", \"500ms\", \"1m30s\"; units: ms, s, m, h)", s.Value)
			return 0, false
		}
		return v, true
	}
	d.fail(s, path, "expected a duration such as \"2s\" or \"500ms\", got %s", describe(s))
	return 0, false
}

var sizeRE = regexp.MustCompile(`^([0-9]+)\s*([A-Za-z]*)$`)

var sizeUnits = map[string]int64{
	"":    1,
	"b":   1,
	"kb":  1000,
	"mb":  1000 * 1000,
	"gb":  1000 * 1000 * 1000,
	"kib": 1 << 10,
	"mib": 1 << 20,
	"gib": 1 << 30,
}

// size reads a byte count: a whole number of bytes, or a number with a unit
// (B, KB, MB, GB in powers of 1000; KiB, MiB, GiB in powers of 1024).
func (d *decoder) size(n *yaml.Node, path string) (int64, bool) {
	s, ok := d.scalar(n, path, "a size")
	if !ok {
		return 0, false
	}
	if s.ShortTag() == "!!int" {
		var v int64
		if s.Decode(&v) == nil {
			return v, true
		}
	}
	if v, ok := parseSize(s.Value); ok && s.ShortTag() == "!!str" {
		return v, true
	}
	d.fail(s, path, "bad size %q (write bytes as a whole number, or e.g. \"10MiB\", \"512KiB\", \"10MB\")", s.Value)
	return 0, false
}

func parseSize(s string) (int64, bool) {
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || v > math.MaxInt64/unit {
		return 0, false
	}
	return v * unit, true
}

// list checks that n is a sequence and returns its items (nil for null).
func (d *decoder) list(n *yaml.Node, path, want string) ([]*yaml.Node, bool) {
	n = resolve(n)
	if isNull(n) {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "expected a list of %s, got %s (write [a, b] or one \"- a\" per line)", want, describe(n))
		return nil, false
	}
	return n.Content, true
}

// listOf reads the list n with one reader per item, after recording each
// item's line under its indexed path. ok is as for list.
func listOf[T any](d *decoder, n *yaml.Node, path, want string, read func(item *yaml.Node, path string) T) ([]T, bool) {
	items, ok := d.list(n, path, want)
	if !ok {
		return nil, false
	}
	out := make([]T, 0, len(items))
	for i, item := range items {
		p := index(path, i)
		d.setLine(p, item.Line)
		out = append(out, read(item, p))
	}
	return out, true
}

// scalarList is listOf for scalar items: an empty item is an error, and a
// bad one stands as the zero value.
func scalarList[T any](d *decoder, n *yaml.Node, path, want string, read func(*yaml.Node, string) (T, bool)) ([]T, bool) {
	return listOf(d, n, path, want, func(item *yaml.Node, p string) T {
		v, ok := read(item, p)
		if !ok && isNull(resolve(item)) {
			d.fail(item, p, "empty list item")
		}
		return v
	})
}

func (d *decoder) strList(n *yaml.Node, path string) ([]string, bool) {
	return scalarList(d, n, path, "strings", d.str)
}

func (d *decoder) intList(n *yaml.Node, path string) ([]int, bool) {
	return scalarList(d, n, path, "whole numbers", d.integer)
}

// Typed setters: assign only when the value is present and well-formed, so
// that defaults survive empty keys and errors.

func (d *decoder) setStr(dst *string, f field, path string) {
	if v, ok := d.str(f.val, path); ok {
		*dst = v
	}
}

// setNamed is setStr for a named string type (watcher.Region, DocKind).
// Methods cannot take type parameters, hence a function.
func setNamed[T ~string](d *decoder, dst *T, f field, path string) {
	if v, ok := d.str(f.val, path); ok {
		*dst = T(v)
	}
}

func (d *decoder) setBool(dst *bool, f field, path string) {
	if v, ok := d.boolean(f.val, path); ok {
		*dst = v
	}
}

func (d *decoder) setInt(dst *int, f field, path string) {
	if v, ok := d.integer(f.val, path); ok {
		*dst = v
	}
}

func (d *decoder) setDuration(dst *time.Duration, f field, path string) {
	if v, ok := d.duration(f.val, path); ok {
		*dst = v
	}
}

func (d *decoder) setStrList(dst *[]string, f field, path string) {
	if v, ok := d.strList(f.val, path); ok {
		*dst = v
	}
}
