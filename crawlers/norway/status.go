package norway

import (
	"strings"

	"watcher"
	"watcher/crawlers"
)

// HearingStatus maps regjeringen.no's status text, in bokmål or nynorsk and
// with or without its "Status:" label, to watcher.Status. It reports false
// for a text it does not know (the caller keeps the raw text and reports the
// drift).
func HearingStatus(raw string) (watcher.Status, bool) {
	s := strings.ToLower(crawlers.CleanText(raw))
	s = strings.TrimPrefix(s, "status:")
	s = strings.TrimSpace(strings.TrimSuffix(s, "."))
	switch s {
	case "på høring", "på høyring":
		return watcher.StatusOpen, true
	case "under behandling", "under handsaming":
		return watcher.StatusDeadlinePassed, true
	case "ferdigbehandlet", "ferdigbehandla", "ferdighandsama":
		return watcher.StatusConcluded, true
	}
	return watcher.StatusNone, false
}

// isNynorsk reports whether a label is the nynorsk form (Høyring,
// Høyringsfrist, På høyring).
func isNynorsk(label string) bool {
	return strings.Contains(strings.ToLower(label), "høyring")
}

// isDeadlineLabel reports whether a label names the hearing deadline, in
// bokmål or nynorsk.
func isDeadlineLabel(label string) bool {
	l := strings.ToLower(crawlers.CleanText(label))
	return strings.HasPrefix(l, "høringsfrist") || strings.HasPrefix(l, "høyringsfrist")
}
