package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"watcher"
	"watcher/config"
)

// userAgent identifies the webhook requests.
const userAgent = "watcher-alerts/0.1"

// Webhook formats.
const (
	FormatJSON  = "json"  // the alert's fields
	FormatSlack = "slack" // {"text": …}, for Slack and Mattermost incoming webhooks
	FormatTeams = "teams" // an Adaptive Card message, for Microsoft Teams workflows
)

// Webhook POSTs each alert as JSON to a URL.
type Webhook struct {
	name   string
	url    string
	format string
	token  string
	client *http.Client
}

// NewWebhook returns a webhook channel. token, when not empty, is sent as
// a bearer token. client should have a timeout.
func NewWebhook(c config.Channel, token string, client *http.Client) (*Webhook, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("url must be an absolute http or https URL")
	}
	format := c.Format
	switch format {
	case "":
		format = FormatJSON
	case FormatJSON, FormatSlack, FormatTeams:
	default:
		return nil, fmt.Errorf("unknown format %q (want json, slack or teams)", c.Format)
	}
	if client == nil {
		client = &http.Client{Timeout: defaultSendTimeout}
	}
	return &Webhook{name: c.Name, url: c.URL, format: format, token: token, client: client}, nil
}

// Name implements Channel.
func (w *Webhook) Name() string { return w.name }

// Send implements Channel: any answer but 2xx is an error. Errors never
// contain the URL, which for Slack and Teams is itself the secret.
func (w *Webhook) Send(ctx context.Context, a watcher.Alert) error {
	body, err := w.payload(a)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.name, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.name, redact(err))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", userAgent)
	if w.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.name, redact(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s: %s: %s", w.name, resp.Status, oneLine(string(snippet)))
	}
	if resp.Request != nil && resp.Request.Method != http.MethodPost {
		// A 301, 302 or 303 made the client follow with a GET and no
		// body: the 2xx is some page's, and the alert was not posted.
		return fmt.Errorf("webhook %s: the POST was redirected and followed as a %s, so the alert was not delivered; set the webhook's current URL", w.name, resp.Request.Method)
	}
	return nil
}

// redact drops the URL from a *url.Error.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// jsonAlert is the json format: the alert's fields.
type jsonAlert struct {
	Key      string    `json:"key"`
	Kind     string    `json:"kind"`
	Audience string    `json:"audience"`
	Subject  string    `json:"subject"`
	Body     string    `json:"body"`
	Item     string    `json:"item,omitempty"`
	Source   string    `json:"source,omitempty"`
	URL      string    `json:"url,omitempty"`
	Deadline string    `json:"deadline,omitempty"` // 2006-01-02
	Created  time.Time `json:"created"`
}

func (w *Webhook) payload(a watcher.Alert) ([]byte, error) {
	switch w.format {
	case FormatSlack:
		return json.Marshal(map[string]string{"text": "*" + slackEscape(a.Subject) + "*\n\n" + slackEscape(a.Body)})
	case FormatTeams:
		return json.Marshal(teamsCard(a))
	}
	j := jsonAlert{
		Key: a.Key, Kind: string(a.Kind), Audience: string(a.Audience),
		Subject: a.Subject, Body: a.Body, Item: a.ItemKey, Source: a.SourceID, URL: a.URL,
		Created: a.Created,
	}
	if !a.Deadline.IsZero() {
		j.Deadline = a.Deadline.Format(time.DateOnly)
	}
	return json.Marshal(j)
}

// slackEscaper escapes the three characters Slack's mrkdwn reserves.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string { return slackEscaper.Replace(s) }

// teamsCard is a message with one Adaptive Card (schema 1.4), the payload
// Teams workflows ("Post to a channel when a webhook request is received")
// accept: the subject as a heading, the body as wrapped text, and a button
// to the item.
func teamsCard(a watcher.Alert) map[string]any {
	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard",
		"version": "1.4",
		"body": []map[string]any{
			{"type": "TextBlock", "text": a.Subject, "weight": "Bolder", "size": "Medium", "wrap": true},
			{"type": "TextBlock", "text": a.Body, "wrap": true},
		},
	}
	if a.URL != "" {
		card["actions"] = []map[string]any{{"type": "Action.OpenUrl", "title": "Åpne", "url": a.URL}}
	}
	return map[string]any{
		"type": "message",
		"attachments": []map[string]any{{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content":     card,
		}},
	}
}
