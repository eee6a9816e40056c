package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"watcher/config"
	"watcher/state"
)

// backupAttempt is how long one attempt to take the database's lock lasts;
// --wait repeats attempts so that an interrupt is seen between them.
const backupAttempt = 500 * time.Millisecond

// cmdBackup writes a consistent copy of the database to FILE. bbolt
// allows one writer and no reader beside it, so while a `watcher run` is
// writing, --wait waits for it to finish; while `watcher serve` holds the
// database, --from-server fetches the copy from the server's /backup
// endpoint instead. Either way the copy is written beside FILE, checked
// with state.Check, and only then renamed to FILE.
func cmdBackup(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("backup", "FILE")
	wait := fs.Duration("wait", 0, "wait this long for another watcher process (a run) to release the database, e.g. 10m")
	fromServer := fs.String("from-server", "", "when watcher serve holds the database, fetch the copy from the /backup endpoint of the server at `URL` (e.g. http://127.0.0.1:8080; token from serve.token_env, default $"+config.DefaultTokenEnv+")")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: backup takes one argument, the file to write", errUsage)
	}
	if *wait < 0 {
		return fmt.Errorf("%w: --wait %v is negative", errUsage, *wait)
	}
	var server *url.URL
	if *fromServer != "" {
		u, err := backupURL(*fromServer)
		if err != nil {
			return fmt.Errorf("%w: --from-server: %v", errUsage, err)
		}
		server = u
	}
	dst := fs.Arg(0)
	path := m.DBPath
	if path == "" {
		path = state.DefaultPath()
	}
	if sameFile(dst, path) {
		return fmt.Errorf("backup to %s: that is the database itself", dst)
	}

	n, err := backupLocal(ctx, m, path, dst, *wait)
	source := path
	if errors.Is(err, state.ErrLocked) && server != nil {
		m.Log.Info("the database is in use; fetching the copy from the server",
			slog.String("path", path), slog.String("server", redact(server)))
		n, err = backupFromServer(ctx, m, server, serverTokenEnv(m), dst)
		source = redact(server)
	}
	if errors.Is(err, state.ErrLocked) {
		return fmt.Errorf("backup: %w; if a run holds it, retry with --wait 10m; if `watcher serve` holds it, add --from-server http://127.0.0.1:8080", err)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(m.Stdout, "backup of %s written to %s (%s, integrity check passed)\n", source, dst, byteSize(n))
	return nil
}

// backupLocal opens the database read-only, waiting up to wait for its
// lock, and writes the checked copy to dst.
func backupLocal(ctx context.Context, m *Main, path, dst string, wait time.Duration) (int64, error) {
	deadline := m.Now().Add(wait)
	logged := false
	var st *state.Store
	for {
		var err error
		st, err = state.Open(path, state.Options{Timeout: backupAttempt, ReadOnly: true, Now: m.Now, Logger: m.Log})
		if err == nil {
			break
		}
		if !errors.Is(err, state.ErrLocked) || !m.Now().Before(deadline) {
			return 0, err
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if !logged {
			m.Log.Info("waiting for the database", slog.String("path", path), slog.String("holder", err.Error()),
				slog.Duration("wait", wait))
			logged = true
		}
	}
	defer st.Close()
	m.Log.Info("database", slog.String("path", st.Path()))
	return writeChecked(dst, st.Backup)
}

// backupFromServer fetches the copy from the server's /backup endpoint.
func backupFromServer(ctx context.Context, m *Main, u *url.URL, tokenEnv, dst string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/octet-stream")
	if token := m.Getenv(tokenEnv); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// No overall timeout: a large database takes as long as it takes, and
	// an interrupt cancels ctx. The server must answer promptly, though.
	client := &http.Client{Transport: &http.Transport{
		ResponseHeaderTimeout: time.Minute,
	}}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", redact(u), err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		if m.Getenv(tokenEnv) == "" {
			return 0, fmt.Errorf("fetch %s: %s: the server wants its token; set %s", redact(u), resp.Status, tokenEnv)
		}
		return 0, fmt.Errorf("fetch %s: %s: the server refused the token in %s", redact(u), resp.Status, tokenEnv)
	case resp.StatusCode != http.StatusOK:
		return 0, fmt.Errorf("fetch %s: %s", redact(u), resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/octet-stream" {
		return 0, fmt.Errorf("fetch %s: the answer is %q, not a database file", redact(u), resp.Header.Get("Content-Type"))
	}
	return writeChecked(dst, func(w io.Writer) (int64, error) { return io.Copy(w, resp.Body) })
}

// writeChecked writes a copy with write to a temporary file beside dst,
// syncs it, verifies it with state.Check and renames it to dst, so that
// dst is never a partial or damaged copy.
func writeChecked(dst string, write func(io.Writer) (int64, error)) (n int64, err error) {
	dir := filepath.Dir(dst)
	f, err := os.CreateTemp(dir, filepath.Base(dst)+".tmp-*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if n, err = write(f); err != nil {
		return n, fmt.Errorf("write %s: %w", dst, err)
	}
	if err = f.Sync(); err != nil {
		return n, fmt.Errorf("write %s: %w", dst, err)
	}
	if err = f.Close(); err != nil {
		return n, fmt.Errorf("write %s: %w", dst, err)
	}
	if err = state.Check(tmp); err != nil {
		return n, fmt.Errorf("the copy failed its integrity check (nothing written to %s): %w", dst, err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return n, fmt.Errorf("write %s: %w", dst, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return n, nil
}

// serverTokenEnv names the variable the server's token is read from: the
// configuration's serve.token_env when the configuration loads, else the
// default. A broken configuration does not stop a backup.
func serverTokenEnv(m *Main) string {
	if cfg, err := config.Load(m.ConfigPath); err == nil && cfg.Serve.TokenEnv != "" {
		return cfg.Serve.TokenEnv
	}
	return config.DefaultTokenEnv
}

// backupURL turns the server's base URL into its /backup endpoint.
func backupURL(base string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", base)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/backup"
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// redact drops user information from a URL for messages.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
