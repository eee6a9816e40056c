package alerts

import (
	"bufio"
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
)

// quitDropper is an SMTP server that accepts every message and then
// drops the connection when the client says QUIT, as a busy relay may: the
// message is queued by then.
type quitDropper struct {
	addr     string
	mu       sync.Mutex
	accepted int
}

func startQuitDropper(t *testing.T) *quitDropper {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	q := &quitDropper{addr: l.Addr().String()}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go q.serve(conn)
		}
	}()
	return q
}

func (q *quitDropper) serve(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	say := func(line string) { _, _ = io.WriteString(conn, line+"\r\n") }
	say("220 localhost ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
		case "EHLO", "HELO":
			say("250 localhost")
		case "MAIL", "RCPT", "RSET", "NOOP":
			say("250 OK")
		case "DATA":
			say("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			q.mu.Lock()
			q.accepted++
			q.mu.Unlock()
			say("250 OK: queued")
		case "QUIT":
			return // no 221: the connection just ends
		default:
			say("502 not implemented")
		}
	}
}

func (q *quitDropper) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.accepted
}

// TestSMTPAcceptedIsSentWhateverQuitSays: once the server has answered
// 250 to the message, the message is delivered; a QUIT that fails after
// that must not leave the alert pending, or the next run sends the same
// e-mail again (and the one after, as long as the relay behaves so).
func TestSMTPAcceptedIsSentWhateverQuitSays(t *testing.T) {
	q := startQuitDropper(t)
	ch := smtpChannel(t, q.addr, config.Channel{StartTLS: StartTLSNone}, "", nil)
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"))
	defer st.Close()
	if _, err := st.EnqueueAlerts([]watcher.Alert{newHearingAlert(t)}, map[watcher.Audience][]string{watcher.AudienceEditor: {"epost"}}); err != nil {
		t.Fatal(err)
	}
	chans := map[string]Channel{"epost": ch}
	now := at(2023, 10, 30, 9)
	for day := range 2 {
		if _, _, err := Deliver(context.Background(), st, chans, now.AddDate(0, 0, day), quiet); err != nil {
			t.Fatal(err)
		}
	}
	if n := q.count(); n != 1 {
		t.Errorf("the server accepted the message %d times over two runs, want once", n)
	}
	if pending, _ := st.Pending(); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
}
