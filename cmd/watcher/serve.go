package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"fmt"
	"io"

	"watcher/alerts"
	"watcher/config"
	"watcher/web"
)

func cmdServe(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("serve", "")
	addr := fs.String("addr", "", "listen address (default: serve.addr in the configuration, else "+config.DefaultAddr+"); "+
		"any address but loopback needs a token in the environment")
	noSchedule := fs.Bool("no-schedule", false, "serve the UI and endpoints only; crawl only when asked (\"kjør nå\", POST /run)")
	certFile := fs.String("tls-cert", "", "serve HTTPS with this certificate file (PEM)")
	keyFile := fs.String("tls-key", "", "the certificate's private key file (PEM)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments (got %q)", errUsage, fs.Args())
	}
	if (*certFile == "") != (*keyFile == "") {
		return fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	if *certFile != "" {
		if _, err := tls.LoadX509KeyPair(*certFile, *keyFile); err != nil {
			return fmt.Errorf("tls certificate: %w", err)
		}
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	listen := cmp.Or(*addr, m.Config.Serve.Addr, config.DefaultAddr)
	tokenEnv := cmp.Or(m.Config.Serve.TokenEnv, config.DefaultTokenEnv)
	token := m.Getenv(tokenEnv)
	// Refuse a bad address before taking the database lock.
	if err := web.CheckAddr(listen, token, tokenEnv); err != nil {
		return err
	}
	// And a channel whose secret is unset: every scheduled run would
	// otherwise keep its alerts pending with only a log line to say so.
	if _, err := alerts.NewChannels(m.Config.Alerts.Channels, m.Getenv, io.Discard, m.Log); err != nil {
		return err
	}
	if m.Config.ContactIsPlaceholder() {
		m.Log.Warn("the User-Agent carries the placeholder contact address; set `contact:` in your configuration so site owners can reach you")
	}
	if err := m.openStore(false); err != nil {
		return err
	}
	job := &Job{Main: m, Quiet: true}
	srv, err := web.New(web.Options{
		Config:     m.Config,
		Store:      m.Store,
		Run:        job.Run,
		Token:      token,
		Now:        m.Now,
		Log:        m.Log,
		Version:    version,
		NoSchedule: *noSchedule,
	})
	if err != nil {
		return err
	}
	return srv.Serve(ctx, listen, *certFile, *keyFile)
}
