package alerts

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"watcher"
)

// cancelingChannel stands for a send that the run's stop cuts off: it
// cancels the run and returns the context's error, as SMTP and webhook
// sends do.
type cancelingChannel struct {
	name   string
	cancel context.CancelFunc
}

func (c *cancelingChannel) Name() string { return c.name }

func (c *cancelingChannel) Send(ctx context.Context, _ watcher.Alert) error {
	c.cancel()
	<-ctx.Done()
	return ctx.Err()
}

// TestDeliverStoppedIsNoFailedAttempt: a send cut off because the run
// was stopped (SIGTERM) is not a failure of the channel: the entry stays
// pending with no attempt counted and no error recorded against it.
func TestDeliverStoppedIsNoFailedAttempt(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"))
	defer st.Close()
	now := at(2023, 11, 1, 6)
	alerts := Plan(PlanInput{Now: now, New: []watcher.Item{hearing("regjeringen:a", "A", day(2023, 12, 20))}})
	if _, err := st.EnqueueAlerts(alerts, map[watcher.Audience][]string{watcher.AudienceEditor: {"epost"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, err := Deliver(ctx, st, map[string]Channel{"epost": &cancelingChannel{name: "epost", cancel: cancel}}, now, quiet)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want the stop", err)
	}
	pending, err := st.Pending()
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %+v (%v), want the one alert", pending, err)
	}
	if p := pending[0]; p.Attempts != 0 || p.LastError != "" {
		t.Errorf("a stopped send counted as a failed attempt: %+v", p)
	}
}
