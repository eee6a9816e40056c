package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestFlagHelp reads every command's -h: each flag line names at most one
// value placeholder (the flag package takes a `quoted` word of the usage
// text as the placeholder), and no flag states its default twice.
func TestFlagHelp(t *testing.T) {
	for _, c := range commands() {
		if c.name == "version" {
			continue // takes no flags
		}
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			m := NewMain(&out, &errOut)
			err := m.Run(context.Background(), []string{c.name, "-h"})
			m.Close()
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("%s -h: %v", c.name, err)
			}
			lines := strings.Split(errOut.String(), "\n")
			flags := 0
			for i, line := range lines {
				if !strings.HasPrefix(line, "  -") {
					continue
				}
				flags++
				if f := strings.Fields(line); len(f) > 2 {
					t.Errorf("%s: flag line %q has the placeholder %q", c.name, line, strings.Join(f[1:], " "))
				}
				if i+1 < len(lines) && strings.Count(lines[i+1], "(default") > 1 {
					t.Errorf("%s: %s states its default twice: %q", c.name, strings.TrimSpace(line), strings.TrimSpace(lines[i+1]))
				}
			}
			if flags == 0 {
				t.Errorf("%s -h lists no flags:\n%s", c.name, errOut.String())
			}
		})
	}
}
