package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
)

// hookServer records the requests a webhook makes.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []hookRequest
	status   int
}

type hookRequest struct {
	method, path, contentType, auth string
	body                            []byte
}

func startHook(t *testing.T, status int) *hookServer {
	t.Helper()
	h := &hookServer{status: status}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.requests = append(h.requests, hookRequest{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), body})
		status := h.status
		h.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "invalid_payload\n")
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) last(t *testing.T) hookRequest {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.requests) != 1 {
		t.Fatalf("%d requests, want 1", len(h.requests))
	}
	return h.requests[0]
}

func webhook(t *testing.T, url, format, token string) *Webhook {
	t.Helper()
	w, err := NewWebhook(config.Channel{Name: "hook", Type: "webhook", URL: url, Format: format}, token, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWebhookPayloads(t *testing.T) {
	a := newHearingAlert(t)
	tests := map[string]struct {
		format string
		check  func(t *testing.T, body []byte)
	}{
		"json": {"", func(t *testing.T, body []byte) {
			var got map[string]any
			mustUnmarshal(t, body, &got)
			want := map[string]any{
				"key": "new:regjeringen:3167072", "kind": "new_hearing", "audience": "editor",
				"subject": a.Subject, "body": a.Body, "item": "regjeringen:3167072",
				"source": "regjeringen-horinger", "url": a.URL, "deadline": "2023-11-06",
				"created": a.Created.Format(time.RFC3339Nano),
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %v, want %v", k, got[k], v)
				}
			}
			if len(got) != len(want) {
				t.Errorf("fields %v", got)
			}
		}},
		"slack": {"slack", func(t *testing.T, body []byte) {
			var got map[string]string
			mustUnmarshal(t, body, &got)
			if len(got) != 1 || !strings.HasPrefix(got["text"], "*Ny høring: Høring – særlige tiltak") ||
				!strings.Contains(got["text"], "*\n\n"+strings.SplitN(a.Body, "\n", 2)[0]) ||
				!strings.Contains(got["text"], "Høringsfrist 6. november 2023 (om 7 dager).") {
				t.Errorf("slack payload %q", got)
			}
		}},
		"teams": {"teams", func(t *testing.T, body []byte) {
			var got struct {
				Type        string `json:"type"`
				Attachments []struct {
					ContentType string `json:"contentType"`
					Content     struct {
						Type    string `json:"type"`
						Version string `json:"version"`
						Body    []struct {
							Type, Text, Weight string
							Wrap               bool
						} `json:"body"`
						Actions []struct{ Type, Title, URL string } `json:"actions"`
					} `json:"content"`
				} `json:"attachments"`
			}
			mustUnmarshal(t, body, &got)
			if got.Type != "message" || len(got.Attachments) != 1 {
				t.Fatalf("teams payload %s", body)
			}
			att := got.Attachments[0]
			card := att.Content
			if att.ContentType != "application/vnd.microsoft.card.adaptive" || card.Type != "AdaptiveCard" || card.Version == "" {
				t.Errorf("card %+v", att)
			}
			if len(card.Body) != 2 || card.Body[0].Text != a.Subject || card.Body[0].Weight != "Bolder" ||
				card.Body[1].Text != a.Body || !card.Body[1].Wrap {
				t.Errorf("card body %+v", card.Body)
			}
			if len(card.Actions) != 1 || card.Actions[0].URL != a.URL || card.Actions[0].Type != "Action.OpenUrl" {
				t.Errorf("card actions %+v", card.Actions)
			}
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := startHook(t, http.StatusOK)
			if err := webhook(t, h.URL+"/hooks/abc", tc.format, "s3cret").Send(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			req := h.last(t)
			if req.method != http.MethodPost || req.path != "/hooks/abc" || req.auth != "Bearer s3cret" ||
				!strings.HasPrefix(req.contentType, "application/json") {
				t.Errorf("request %s %s, content type %q, auth %q", req.method, req.path, req.contentType, req.auth)
			}
			tc.check(t, req.body)
		})
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}

func TestSlackEscapes(t *testing.T) {
	h := startHook(t, http.StatusNoContent)
	a := watcher.Alert{Subject: "A & B <c>", Body: "x > y"}
	if err := webhook(t, h.URL, FormatSlack, "").Send(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	mustUnmarshal(t, h.last(t).body, &got)
	if got["text"] != "*A &amp; B &lt;c&gt;*\n\nx &gt; y" {
		t.Errorf("text %q", got["text"])
	}
	if h.last(t).auth != "" {
		t.Error("authorization sent without a token")
	}
}

func TestWebhookErrors(t *testing.T) {
	a := newHearingAlert(t)
	h := startHook(t, http.StatusBadRequest)
	secretURL := h.URL + "/services/T000/B000/SECRETPART"
	err := webhook(t, secretURL, FormatSlack, "").Send(context.Background(), a)
	if err == nil || !strings.Contains(err.Error(), "400 Bad Request: invalid_payload") {
		t.Errorf("error %v", err)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	w, _ := NewWebhook(config.Channel{Name: "hook", URL: slow.URL + "/SECRETPART"}, "", &http.Client{Timeout: 50 * time.Millisecond})
	err = w.Send(context.Background(), a)
	if err == nil || strings.Contains(err.Error(), "SECRETPART") {
		t.Errorf("timeout error %v: want an error without the URL", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := webhook(t, secretURL, "", "").Send(ctx, a); err == nil || strings.Contains(err.Error(), "SECRETPART") {
		t.Errorf("cancelled: %v", err)
	}

	for url, format := range map[string]string{"ftp://x/y": "", "/relative": "", "https://x/": "xml"} {
		if _, err := NewWebhook(config.Channel{Name: "h", URL: url, Format: format}, "", nil); err == nil {
			t.Errorf("NewWebhook(%q, %q) accepted", url, format)
		}
	}
}

func TestNewChannels(t *testing.T) {
	env := map[string]string{"SMTP_PASSWORD": "pw", "HOOK_TOKEN": "tok"}
	getenv := func(k string) string { return env[k] }
	var console bytes.Buffer
	good := []config.Channel{
		{Name: "epost", Type: "smtp", Host: "smtp.example.org", Username: "u", PasswordEnv: "SMTP_PASSWORD",
			From: "watcher@example.org", To: []string{"kom@example.org", "postmottak@example.org"}},
		{Name: "teams", Type: "webhook", URL: "https://example.org/hook", Format: "teams", TokenEnv: "HOOK_TOKEN"},
		{Name: "logg", Type: "console"},
	}
	chans, err := NewChannels(good, getenv, &console, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if len(chans) != 3 || chans["epost"].Name() != "epost" || chans["teams"].Name() != "teams" || chans["logg"].Name() != "logg" {
		t.Fatalf("channels %v", chans)
	}
	if s := chans["epost"].(*SMTP); s.password != "pw" || len(s.to) != 2 || s.startTLS != StartTLSRequired {
		t.Errorf("smtp %+v", s)
	}
	if w := chans["teams"].(*Webhook); w.token != "tok" || w.format != FormatTeams {
		t.Errorf("webhook %+v", w)
	}
	if err := chans["logg"].Send(context.Background(), watcher.Alert{Subject: "S", Body: "B"}); err != nil || console.String() != "── S ──\nB\n" {
		t.Errorf("console wrote %q (%v) to the given writer", console.String(), err)
	}

	bad := map[string]struct {
		ch   config.Channel
		want string
	}{
		"unset password variable": {config.Channel{Name: "e", Type: "smtp", Host: "h", PasswordEnv: "NOPE", Username: "u", From: "a@b.c", To: []string{"d@e.f"}}, "NOPE, which is unset"},
		"username without secret": {config.Channel{Name: "e", Type: "smtp", Host: "h", Username: "u", From: "a@b.c", To: []string{"d@e.f"}}, "environment only"},
		"unset token variable":    {config.Channel{Name: "w", Type: "webhook", URL: "https://x/", TokenEnv: "NOPE"}, "token_env"},
		"unknown type":            {config.Channel{Name: "x", Type: "pigeon"}, "unknown type"},
		"no name":                 {config.Channel{Type: "console"}, "no name"},
	}
	for name, tc := range bad {
		if _, err := NewChannels([]config.Channel{tc.ch}, getenv, nil, quiet); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
	if _, err := NewChannels([]config.Channel{good[2], good[2]}, getenv, nil, quiet); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate: %v", err)
	}
}

func TestConsole(t *testing.T) {
	var b bytes.Buffer
	c := NewConsole("logg", &b)
	a := newHearingAlert(t)
	if err := c.Send(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "── "+a.Subject+" ──\n"+a.Body+"\n"; got != want {
		t.Errorf("console wrote %q, want %q", got, want)
	}
}
