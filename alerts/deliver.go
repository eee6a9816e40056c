package alerts

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"watcher/state"
)

// warnAttempts is the number of failed attempts after which a pending
// alert is logged as an error rather than a warning.
const warnAttempts = 5

// Deliver sends every pending (alert, channel) entry of the outbox and
// marks each sent or failed at now. It returns how many were sent and how
// many were not (failed, or skipped because their channel failed earlier
// in this run, or is not configured). Entries that were not sent stay
// pending for the next run. err is set only when the store cannot be read
// or written, or ctx ends; delivery failures are counted and logged, not
// returned.
func Deliver(ctx context.Context, st *state.Store, chans map[string]Channel, now time.Time, log *slog.Logger) (sent, failed int, err error) {
	if log == nil {
		log = slog.Default()
	}
	pending, err := st.Pending()
	if err != nil {
		return 0, 0, fmt.Errorf("alerts: deliver: %w", err)
	}
	// Fewest failed attempts first: an alert a channel keeps refusing
	// must not hold back the others.
	slices.SortStableFunc(pending, func(a, b state.Pending) int { return cmp.Compare(a.Attempts, b.Attempts) })
	down := map[string]bool{} // channels that failed in this run
	for _, p := range pending {
		if err := ctx.Err(); err != nil {
			return sent, failed, fmt.Errorf("alerts: deliver: %w", err)
		}
		if down[p.Channel] {
			failed++
			continue
		}
		ch, ok := chans[p.Channel]
		var sendErr error
		if !ok {
			sendErr = fmt.Errorf("no channel named %q is configured", p.Channel)
		} else {
			sendErr = ch.Send(ctx, p.Alert)
		}
		if sendErr != nil && ctx.Err() != nil {
			// The run was stopped during the send: not the channel's
			// failure. The entry stays pending as it was.
			return sent, failed, fmt.Errorf("alerts: deliver: %w", ctx.Err())
		}
		if sendErr != nil {
			failed++
			down[p.Channel] = true
			level := slog.LevelWarn
			if p.Attempts+1 >= warnAttempts {
				level = slog.LevelError
			}
			log.Log(ctx, level, "alert not delivered; it stays pending",
				"alert", p.Alert.Key, "channel", p.Channel, "attempts", p.Attempts+1, "err", sendErr)
			if err := st.MarkFailed(p.Alert.Key, p.Channel, sendErr, now); err != nil {
				return sent, failed, fmt.Errorf("alerts: deliver: %w", err)
			}
			continue
		}
		if err := st.MarkSent(p.Alert.Key, p.Channel, now); err != nil {
			return sent, failed, fmt.Errorf("alerts: deliver: %w", err)
		}
		sent++
		log.Info("alert sent", "alert", p.Alert.Key, "channel", p.Channel, "kind", string(p.Alert.Kind))
	}
	return sent, failed, nil
}
