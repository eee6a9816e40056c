package config

import (
	"errors"
	"io/fs"
	"testing"
)

// noFiles stands in for the file system: fuzzed input must not make the
// test read whatever path it names.
func noFiles(string) ([]byte, error) { return nil, fs.ErrNotExist }

// checkErrorList asserts the contract of every failed parse: an Errors
// list of problems, each naming the file, in line order, with a message.
func checkErrorList(t *testing.T, name string, err error) {
	t.Helper()
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not Errors: %v", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty Errors list returned as an error")
	}
	for i, e := range list {
		if e.File != name || e.Msg == "" || e.Line < 0 {
			t.Fatalf("malformed error %#v", e)
		}
		if i > 0 && lineKey(e.Line) < lineKey(list[i-1].Line) && e.File == list[i-1].File {
			t.Fatalf("errors not in line order:\n%v", err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(DefaultSources())
	f.Add([]byte(head))
	f.Add([]byte(head + "  - &a\n    <<: *a\n    id: x\n"))
	f.Add([]byte(head + "alerts:\n  channels:\n    - {name: m, type: smtp, password: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.yaml"
		cfg, err := parse(name, data, noFiles)
		if err != nil {
			if cfg != nil {
				t.Fatal("config returned along with an error")
			}
			checkErrorList(t, name, err)
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("a parsed config does not validate again: %v", err)
		}
		_ = cfg.CheckKinds([]string{"feed"})
		_ = cfg.UserAgentString()
	})
}

func FuzzParseTopics(f *testing.F) {
	f.Add(DefaultTopics())
	f.Add([]byte("threshold: 3\nterms: [{term: a, weight: 1}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "topics.yaml"
		p, err := ParseTopics(name, data)
		if err != nil {
			checkErrorList(t, name, err)
			return
		}
		if p.Threshold <= 0 || len(p.Terms) == 0 {
			t.Fatalf("accepted a profile without threshold or terms: %+v", p)
		}
	})
}
