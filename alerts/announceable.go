package alerts

import "watcher"

// Announceable reports whether a new item can give rise to an alert at
// all: a new consultation or a deadline reminder, both only for an item
// that is relevant or that the editor included. Plan reads nothing else
// of PlanInput.New, so a caller may keep only the announceable new items
// of a large run instead of every one.
func Announceable(it *watcher.Item, included map[string]bool) bool {
	return (it.Relevance.Relevant || included[it.Key]) && it.IsConsultation()
}
