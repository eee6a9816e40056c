package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Names under which the embedded defaults appear in messages.
const (
	EmbeddedSources = "(embedded) config/sources.yaml"
	EmbeddedTopics  = "(embedded) config/topics.yaml"
)

var (
	//go:embed sources.yaml
	embeddedSources []byte
	//go:embed topics.yaml
	embeddedTopics []byte
)

// DefaultSources returns the embedded config/sources.yaml.
func DefaultSources() []byte { return slices.Clone(embeddedSources) }

// DefaultTopics returns the embedded config/topics.yaml.
func DefaultTopics() []byte { return slices.Clone(embeddedTopics) }

// Default parses and validates the embedded configuration.
func Default() (*Config, error) {
	return Parse(EmbeddedSources, embeddedSources)
}

// Load reads, parses and validates the configuration file at path; an
// empty path means the embedded default. A file that cannot be read gives
// a wrapped fs error (errors.Is(err, fs.ErrNotExist)); any other problem an
// Errors list, as from Parse.
func Load(path string) (*Config, error) {
	if path == "" {
		return Default()
	}
	data, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a configuration from data; name is the file it came from and
// prefixes every message. Keys left out take their defaults. The topic
// profile is read from topics_file (relative to name's directory) or, when
// that is empty, from the embedded topics.yaml. Parse then runs Validate.
//
// On any problem Parse returns a nil Config and an Errors list holding
// every problem found (syntax, unknown keys, types, formats, validation),
// in file and line order.
func Parse(name string, data []byte) (*Config, error) {
	return parse(name, data, readFile)
}

// parse is Parse with the topics file read through read.
func parse(name string, data []byte, read func(string) ([]byte, error)) (*Config, error) {
	d := newDecoder(name)
	root := d.document(data)
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	c := d.decodeConfig(root)
	c.File = name
	c.pos = d.pos
	errs := d.errs
	errs = append(errs, c.validate()...)
	errs = append(errs, c.loadTopics(read)...) // the topics file's errors after this file's
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return c, nil
}

// loadTopics fills c.Topics from topics_file or the embedded profile.
func (c *Config) loadTopics(read func(string) ([]byte, error)) Errors {
	name, data := EmbeddedTopics, embeddedTopics
	if c.TopicsFile != "" {
		name = c.TopicsFile
		if !filepath.IsAbs(name) {
			name = filepath.Join(filepath.Dir(c.File), name)
		}
		var err error
		data, err = read(name)
		if err != nil {
			return Errors{{File: c.File, Line: c.pos.line("topics_file"), Field: "topics_file",
				Msg: fmt.Sprintf("cannot read the topic profile: %v (the path is relative to this file's directory)", err), Err: err}}
		}
	}
	c.topicsPath = name
	p, err := ParseTopics(name, data)
	if err != nil {
		var list Errors
		if errors.As(err, &list) {
			return list
		}
		return Errors{{File: name, Msg: err.Error(), Err: err}}
	}
	c.Topics = p
	return nil
}

// maxFileSize caps what Load and topics_file read: a configuration is a
// few kilobytes, and a path such as /dev/zero must fail, not fill memory.
const maxFileSize = 4 << 20

var errNotRegular = errors.New("not a regular file")

// readFile reads a regular file of at most maxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, errNotRegular)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxFileSize>>20)
	}
	return data, nil
}
