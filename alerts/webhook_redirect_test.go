package alerts

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWebhookRedirectToGetIsNotDelivered: a webhook URL that answers a
// POST with 302 (a moved or expired workflow, a login page) makes the
// client follow with a GET and no body. The 200 of that GET is not the
// alert delivered: it stays pending.
func TestWebhookRedirectToGetIsNotDelivered(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hook":
			http.Redirect(w, r, "/login", http.StatusFound)
		case "/login":
			io.WriteString(w, "<html>Sign in</html>")
		}
	}))
	defer srv.Close()
	w := webhook(t, srv.URL+"/hook", FormatJSON, "")
	err := w.Send(context.Background(), newHearingAlert(t))
	if err == nil {
		t.Fatal("a POST redirected to a GET counted as delivered")
	}
	if strings.Contains(err.Error(), srv.URL) {
		t.Errorf("error reveals the URL: %v", err)
	}

	// 307 and 308 repeat the POST with its body: that is a delivery.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hook":
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
		case "/new":
			if b, _ := io.ReadAll(r.Body); r.Method != http.MethodPost || len(b) == 0 {
				http.Error(w, "want the POST", http.StatusBadRequest)
			}
		}
	}))
	defer srv2.Close()
	if err := webhook(t, srv2.URL+"/hook", FormatJSON, "").Send(context.Background(), newHearingAlert(t)); err != nil {
		t.Errorf("308 to the new address: %v", err)
	}
}
