// Package alerts decides which alerts are due after a run, renders them in
// Norwegian, delivers them by e-mail, webhook or console, and writes the
// iCalendar file of open consultation deadlines.
//
// # Planning
//
// Plan is pure: it takes the run's new items, recorded changes, the open
// consultations, source health changes and the clock, and returns alerts
// with stable keys. Planning twice returns the same keys, and the store
// enqueues a key only once, so a rerun, a second run on the same day or a
// crash before delivery never produces a second message:
//
//	new:<item key>                                 a new relevant consultation
//	reminder:<item key>:<deadline date>:<days>     a reminder, one per threshold
//	moved:<item key>:<old date>:<new date>         a relevant deadline moved
//	status:<item key>:<old status>:<new status>    a relevant consultation's status changed
//	health:<source id>:<state>:<unix time>         a source's health changed (admin)
//
// A reminder threshold of d days is due when the deadline is d days away or
// less but has not passed. When several are due at once (a run was missed,
// or the hearing was found late), only the most urgent is sent; the others
// are returned with AudienceNone, which the store records as known without
// delivering anywhere. The same happens to every reminder that is due in
// the run that announces the consultation as new or its deadline as moved:
// that alert already states the deadline and the days left. Because the
// deadline date is part of the key, a moved deadline gets reminders of its
// own. No reminder is planned once the deadline has passed, nor for a
// consultation the site has closed.
//
// # Delivery
//
// Delivery is at least once per alert and channel, through the store's
// outbox: EnqueueAlerts records each alert with one outbox entry per
// channel before anything is sent; Deliver sends each pending entry and
// then marks it sent (removing it) or failed (keeping it, with the error
// and the number of attempts). A channel that fails is retried on the next
// run, so an alert is never lost. A crash after a channel accepted a
// message but before MarkSent was written repeats that one message once on
// the next run; nothing else is ever sent twice. E-mails carry a
// Message-ID derived from the alert key and channel, so a mail client can
// recognise such a repeat.
//
// Within one run, a channel that fails is not tried again for the rest of
// the run (its other alerts stay pending, untouched), and the entries with
// the fewest failed attempts are tried first, so one alert a channel keeps
// refusing cannot hold back the others.
package alerts
