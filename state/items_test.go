package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
)

func TestApplyBatchNewThenUnchanged(t *testing.T) {
	s := openTest(t)
	a, b := hearing(), hearing()
	b.Key, b.URL = "regjeringen:1", "https://www.regjeringen.no/no/dokumenter/horing/id1/"

	res := mustApply(t, s, SourceBatch{SourceID: "regjeringen-horinger", Seen: t0, Items: []watcher.Item{a, b}})
	if !slices.Equal(res.New, []string{a.Key, b.Key}) || len(res.Changed)+len(res.ChangedItems)+len(res.Unchanged)+len(res.Changes) != 0 {
		t.Fatalf("first batch: %+v", res)
	}
	got := mustItem(t, s, a.Key)
	if !got.FirstSeen.Equal(t0) || !got.LastSeen.Equal(t0) || got.Changes != 0 {
		t.Errorf("new item: first %v last %v changes %d", got.FirstSeen, got.LastSeen, got.Changes)
	}

	before := txID(t, s)
	res = mustApply(t, s, SourceBatch{SourceID: "regjeringen-horinger", Seen: t0.Add(24 * time.Hour), Items: []watcher.Item{a, b}})
	if !slices.Equal(res.Unchanged, []string{a.Key, b.Key}) || len(res.New)+len(res.Changed)+len(res.ChangedItems) != 0 {
		t.Fatalf("second batch: %+v", res)
	}
	if after := txID(t, s); after != before {
		t.Errorf("unchanged batch committed a transaction: tx id %d → %d", before, after)
	}
	if got := mustItem(t, s, a.Key); !got.LastSeen.Equal(t0) {
		t.Errorf("unchanged sighting moved LastSeen to %v", got.LastSeen)
	}
}

func TestApplyBatchRecordsExactlyTheChangedField(t *testing.T) {
	seen2 := t0.Add(48 * time.Hour)
	tests := map[string]struct {
		edit     func(*watcher.Item)
		field    string
		old, new string
	}{
		"title":   {func(it *watcher.Item) { it.Title = "Ny tittel" }, "title", "Høring om endringer i straffeloven", "Ny tittel"},
		"summary": {func(it *watcher.Item) { it.Summary = "Ny ingress." }, "summary", "Departementet sender på høring forslag om endringer.", "Ny ingress."},
		"published": {func(it *watcher.Item) { it.Published = day(2026, 2, 21) }, "published",
			"2026-02-20T00:00:00Z", "2026-02-21T00:00:00Z"},
		"deadline": {func(it *watcher.Item) { it.Deadline = day(2026, 9, 1) }, "deadline", "2026-08-07T00:00:00Z", "2026-09-01T00:00:00Z"},
		"status":   {func(it *watcher.Item) { it.Status = watcher.StatusDeadlinePassed }, "status", "open", "deadline_passed"},
		"attachments": {func(it *watcher.Item) {
			it.Attachments = append(slices.Clone(it.Attachments), watcher.Attachment{Name: "Lovutkast", URL: "https://x/utkast.pdf"})
		}, "attachments",
			"Høringsnotat <https://www.regjeringen.no/contentassets/a/notat.pdf>",
			"Høringsnotat <https://www.regjeringen.no/contentassets/a/notat.pdf>; Lovutkast <https://x/utkast.pdf>"},
		"url":  {func(it *watcher.Item) { it.URL = "https://www.regjeringen.no/nn/id3167072/" }, "url", "https://www.regjeringen.no/no/dokumenter/horing/id3167072/", "https://www.regjeringen.no/nn/id3167072/"},
		"kind": {func(it *watcher.Item) { it.Kind = watcher.KindReport }, "kind", "hearing", "report"},
		"event": {func(it *watcher.Item) {
			it.Event = &watcher.Event{Start: day(2026, 5, 4), Place: "Oslo"}
		}, "event", "", "2026-05-04T00:00:00Z, Oslo"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := openTest(t)
			it := hearing()
			mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: t0, Items: []watcher.Item{it}})
			tc.edit(&it)
			res := mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: seen2, Items: []watcher.Item{it}})
			want := watcher.Change{Key: it.Key, Field: tc.field, Old: tc.old, New: tc.new, At: seen2}
			if !slices.Equal(res.Changed, []string{it.Key}) || len(res.Changes) != 1 || res.Changes[0] != want {
				t.Fatalf("result %+v, want one change %+v", res, want)
			}
			hist, err := s.History(it.Key)
			if err != nil || len(hist) != 1 || !hist[0].At.Equal(seen2) || hist[0].Field != tc.field || hist[0].Old != tc.old || hist[0].New != tc.new {
				t.Fatalf("History = %+v, %v", hist, err)
			}
			got := mustItem(t, s, it.Key)
			if got.Changes != 1 || !got.FirstSeen.Equal(t0) || !got.LastSeen.Equal(seen2) {
				t.Errorf("item changes %d first %v last %v", got.Changes, got.FirstSeen, got.LastSeen)
			}
			// The result hands back the item as stored, so that no caller
			// has to read it again.
			if len(res.ChangedItems) != 1 {
				t.Fatalf("%d changed items, want 1", len(res.ChangedItems))
			}
			if j, k := mustJSON(t, res.ChangedItems[0]), mustJSON(t, got); j != k {
				t.Errorf("changed item as handed back:\n%s\nas stored:\n%s", j, k)
			}
		})
	}
}

func TestApplyBatchURLChangeKeepsOldURLAsAlternative(t *testing.T) {
	s := openTest(t)
	it := hearing()
	old := it.URL
	mustApply(t, s, SourceBatch{SourceID: it.SourceID, Items: []watcher.Item{it}})
	it.URL = "https://www.regjeringen.no/nn/id3167072/"
	it.AltURLs = []string{"https://example.org/mirror"}
	mustApply(t, s, SourceBatch{SourceID: it.SourceID, Items: []watcher.Item{it}})
	got := mustItem(t, s, it.Key)
	if got.URL != it.URL || !slices.Equal(got.AltURLs, []string{old, "https://example.org/mirror"}) {
		t.Errorf("URL %q alt %q", got.URL, got.AltURLs)
	}
}

func TestApplyBatchUntrackedFields(t *testing.T) {
	tests := map[string]struct {
		edit      func(*watcher.Item)
		wantWrite bool
		check     func(*watcher.Item) bool
	}{
		"text is updated silently": {
			func(it *watcher.Item) { it.Text = "Revised page text." }, true,
			func(it *watcher.Item) bool { return it.Text == "Revised page text." },
		},
		"a new alternative URL is added silently": {
			func(it *watcher.Item) { it.AltURLs = []string{"https://www.regjeringen.no/en/id3167072/"} }, true,
			func(it *watcher.Item) bool {
				return slices.Equal(it.AltURLs, []string{"https://www.regjeringen.no/en/id3167072/"})
			},
		},
		"attachment renamed, same URLs": {
			func(it *watcher.Item) {
				it.Attachments = []watcher.Attachment{{Name: "Notat", URL: it.Attachments[0].URL}}
			}, true,
			func(it *watcher.Item) bool { return it.Attachments[0].Name == "Notat" },
		},
		"relevance alone writes nothing": {
			func(it *watcher.Item) { it.Relevance = watcher.Relevance{Score: 9, Relevant: true} }, false,
			func(it *watcher.Item) bool { return it.Relevance.Score == 0 },
		},
		"first and last seen in the sighting are ignored": {
			func(it *watcher.Item) { it.FirstSeen, it.LastSeen, it.Changes = day(2001, 1, 1), day(2001, 1, 2), 7 }, false,
			func(it *watcher.Item) bool { return it.FirstSeen.Equal(t0) && it.Changes == 0 },
		},
		"same deadline in another zone is the same instant": {
			func(it *watcher.Item) { it.Deadline = it.Deadline.In(time.FixedZone("CET", 3600)) }, false,
			func(it *watcher.Item) bool { return it.Deadline.Equal(day(2026, 8, 7)) },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := openTest(t)
			it := hearing()
			mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: t0, Items: []watcher.Item{it}})
			before := txID(t, s)
			tc.edit(&it)
			res := mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: t0.Add(time.Hour), Items: []watcher.Item{it}})
			if len(res.Changes) != 0 || !slices.Equal(res.Unchanged, []string{it.Key}) {
				t.Fatalf("result %+v, want unchanged without changes", res)
			}
			if wrote := txID(t, s) != before; wrote != tc.wantWrite {
				t.Errorf("wrote = %v, want %v", wrote, tc.wantWrite)
			}
			got := mustItem(t, s, it.Key)
			if !tc.check(&got) {
				t.Errorf("stored item not as expected: %+v", got)
			}
			if hist, _ := s.History(it.Key); len(hist) != 0 {
				t.Errorf("history %+v, want none", hist)
			}
		})
	}
}

func TestApplyBatchPartialSightingKeepsStoredValues(t *testing.T) {
	s := openTest(t)
	full := hearing()
	full.Event = &watcher.Event{Start: day(2026, 5, 4), Place: "Oslo"}
	full.Meta = map[string]string{"DC.type": "Høring", "og:locale": "nb_NO"}
	mustApply(t, s, SourceBatch{SourceID: full.SourceID, Items: []watcher.Item{full}})

	// A listing entry: the key, title and URL only.
	partial := watcher.Item{Key: full.Key, SourceID: full.SourceID, URL: full.URL, Title: full.Title}
	before := txID(t, s)
	res := mustApply(t, s, SourceBatch{SourceID: full.SourceID, Items: []watcher.Item{partial}})
	if len(res.Changes) != 0 || txID(t, s) != before {
		t.Fatalf("partial sighting changed the store: %+v", res)
	}

	// A sighting that knows only part of the event and one meta key.
	partial.Event = &watcher.Event{SignupURL: "https://example.org/signup"}
	partial.Meta = map[string]string{"og:locale": "nn_NO"}
	res = mustApply(t, s, SourceBatch{SourceID: full.SourceID, Items: []watcher.Item{partial}})
	if len(res.Changes) != 1 || res.Changes[0].Field != "event" {
		t.Fatalf("changes %+v, want the event", res.Changes)
	}
	got := mustItem(t, s, full.Key)
	wantEvent := watcher.Event{Start: day(2026, 5, 4), Place: "Oslo", SignupURL: "https://example.org/signup"}
	if got.Summary != full.Summary || !got.Deadline.Equal(full.Deadline) || len(got.Attachments) != 1 ||
		got.Status != full.Status || got.Text != full.Text || got.Event == nil || !eventEqual(got.Event, &wantEvent) ||
		got.Meta["DC.type"] != "Høring" || got.Meta["og:locale"] != "nn_NO" {
		t.Errorf("partial sighting lost stored values: %+v (event %+v)", got, got.Event)
	}
}

func TestApplyBatchDeadlineMovedMovesIndex(t *testing.T) {
	s := openTest(t)
	it := hearing()
	mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: t0, Items: []watcher.Item{it}})
	it.Deadline = day(2026, 9, 15)
	res := mustApply(t, s, SourceBatch{SourceID: it.SourceID, Seen: t0.Add(time.Hour), Items: []watcher.Item{it}})
	if len(res.Changes) != 1 || res.Changes[0].Old != "2026-08-07T00:00:00Z" || res.Changes[0].New != "2026-09-15T00:00:00Z" {
		t.Fatalf("changes %+v", res.Changes)
	}
	for _, tc := range []struct {
		from, to time.Time
		want     int
	}{
		{day(2026, 8, 1), day(2026, 9, 1), 0}, // the old deadline's month
		{day(2026, 9, 1), day(2026, 10, 1), 1},
		{day(2026, 9, 15), day(2026, 9, 16), 1}, // from is inclusive
		{day(2026, 9, 1), day(2026, 9, 15), 0},  // to is exclusive
		{time.Time{}, time.Time{}, 1},
	} {
		got, err := s.Deadlines(tc.from, tc.to)
		if err != nil || len(got) != tc.want {
			t.Errorf("Deadlines(%v, %v) = %d items, %v; want %d", tc.from, tc.to, len(got), err, tc.want)
		}
	}
	// Removing the deadline is not possible by omission (partial sighting),
	// so the index keeps exactly one entry; Check verifies the counts.
	_ = s.Close()
	if err := Check(s.Path()); err != nil {
		t.Fatalf("Check after moving the deadline: %v", err)
	}
}

func TestApplyBatchPublishedChangeMovesDateIndex(t *testing.T) {
	s := openTest(t)
	it := hearing()
	it.Published = day(2026, 3, 30) // Q1
	mustApply(t, s, SourceBatch{SourceID: it.SourceID, Items: []watcher.Item{it}})
	it.Published = day(2026, 4, 2) // Q2
	mustApply(t, s, SourceBatch{SourceID: it.SourceID, Items: []watcher.Item{it}})
	q1, err := s.Items(Query{From: day(2026, 1, 1), To: day(2026, 4, 1)})
	if err != nil || len(q1) != 0 {
		t.Errorf("Q1 = %v, %v; want nothing", keysOf(q1), err)
	}
	q2, err := s.Items(Query{From: day(2026, 4, 1), To: day(2026, 7, 1)})
	if err != nil || !slices.Equal(keysOf(q2), []string{it.Key}) {
		t.Errorf("Q2 = %v, %v; want the item", keysOf(q2), err)
	}
}

func TestApplyBatchMergesDuplicateKeys(t *testing.T) {
	s := openTest(t)
	listing := watcher.Item{Key: "k", URL: "https://a/k", Title: "Listing title", Summary: "From the listing"}
	page := watcher.Item{Key: "k", Title: "Page title", Deadline: day(2026, 6, 1)}
	res := mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{listing, page}})
	if !slices.Equal(res.New, []string{"k"}) {
		t.Fatalf("result %+v", res)
	}
	got := mustItem(t, s, "k")
	if got.Title != "Page title" || got.Summary != "From the listing" || got.URL != "https://a/k" ||
		!got.Deadline.Equal(day(2026, 6, 1)) || got.SourceID != "src" {
		t.Errorf("merged item %+v", got)
	}
	if listing.Title != "Listing title" {
		t.Error("ApplyBatch modified the caller's item")
	}
}

func TestApplyBatchRejectsBadKeys(t *testing.T) {
	s := openTest(t)
	for name, key := range map[string]string{"empty": "", "nul": "a\x00b"} {
		_, err := s.ApplyBatch(SourceBatch{SourceID: "politiet", Items: []watcher.Item{{Key: "ok"}, {Key: key, URL: "https://x/"}}})
		if err == nil || !strings.Contains(err.Error(), "politiet") {
			t.Errorf("%s key: error %v, want one naming the source", name, err)
		}
	}
	if n, _ := s.Count(); n != 0 {
		t.Errorf("a refused batch stored %d items", n)
	}
}

func TestApplyBatchIsAllOrNothing(t *testing.T) {
	s := openTest(t)
	// The validator error happens inside the transaction, after the items.
	_, err := s.ApplyBatch(SourceBatch{
		SourceID:   "src",
		Items:      []watcher.Item{{Key: "a", Title: "A"}, {Key: "b", Title: "B"}},
		Validators: []watcher.Validator{{URL: ""}},
	})
	if err == nil {
		t.Fatal("want an error for a validator without URL")
	}
	if n, _ := s.Count(); n != 0 {
		t.Errorf("failed batch left %d items", n)
	}
}

func TestApplyBatchStoresValidatorsAndHealth(t *testing.T) {
	s := openTest(t)
	v := watcher.Validator{URL: "https://www.regjeringen.no/no/dokument/hoyringar/", ETag: `"abc"`, FetchedAt: t0}
	h := watcher.Health{State: watcher.HealthHealthy, LastRun: t0}
	mustApply(t, s, SourceBatch{SourceID: "src", Validators: []watcher.Validator{v}, Health: &h})
	if got, ok := s.Validator(v.URL); !ok || got.ETag != v.ETag {
		t.Errorf("Validator = %+v, %v", got, ok)
	}
	if got, ok, err := s.Health("src"); err != nil || !ok || got.State != watcher.HealthHealthy || got.SourceID != "src" {
		t.Errorf("Health = %+v, %v, %v", got, ok, err)
	}
	// The same validator again, without health: nothing to write.
	before := txID(t, s)
	mustApply(t, s, SourceBatch{SourceID: "src", Validators: []watcher.Validator{v}})
	if txID(t, s) != before {
		t.Error("an unchanged validator was rewritten")
	}
}

func TestApplyBatchScore(t *testing.T) {
	s := openTest(t)
	var scored []string
	score := func(it *watcher.Item) {
		scored = append(scored, it.Key)
		it.Relevance = watcher.Relevance{Score: float64(len(it.Title)), Relevant: true}
	}
	a, b := watcher.Item{Key: "a", Title: "A"}, watcher.Item{Key: "b", Title: "B"}
	mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{a, b}, Score: score})
	b.Title = "Bee"
	mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{a, b}, Score: score})
	if !slices.Equal(scored, []string{"a", "b", "b"}) {
		t.Errorf("scored %v, want new a, b then changed b", scored)
	}
	if got := mustItem(t, s, "b"); got.Relevance.Score != 3 {
		t.Errorf("relevance %+v", got.Relevance)
	}
}

func TestItemsQuery(t *testing.T) {
	s := openTest(t)
	// Published items in 2026Q1 and Q2, and one undated item first seen in Q2.
	items := []watcher.Item{
		{Key: "jan", SourceID: "a", Title: "Jan", Published: day(2026, 1, 10)},
		{Key: "mar", SourceID: "b", Title: "Mar", Published: day(2026, 3, 31), Deadline: day(2026, 5, 1)},
		{Key: "apr", SourceID: "a", Title: "Apr", Published: day(2026, 4, 1), Deadline: day(2026, 6, 1)},
		{Key: "old", SourceID: "b", Title: "Old", Published: day(1969, 7, 20)},
	}
	mustApply(t, s, SourceBatch{SourceID: "x", Seen: day(2026, 4, 2), Items: items})
	mustApply(t, s, SourceBatch{SourceID: "b", Seen: day(2026, 5, 5), Items: []watcher.Item{{Key: "undated", Title: "Undated"}}})

	tests := map[string]struct {
		q    Query
		want []string
	}{
		"all, by date":             {Query{}, []string{"old", "jan", "mar", "apr", "undated"}},
		"all, newest first":        {Query{Newest: true}, []string{"undated", "apr", "mar", "jan", "old"}},
		"Q1":                       {Query{From: day(2026, 1, 1), To: day(2026, 4, 1)}, []string{"jan", "mar"}},
		"Q2 finds undated by seen": {Query{From: day(2026, 4, 1), To: day(2026, 7, 1)}, []string{"apr", "undated"}},
		"Q2 newest first":          {Query{From: day(2026, 4, 1), To: day(2026, 7, 1), Newest: true}, []string{"undated", "apr"}},
		"open start":               {Query{To: day(2026, 1, 11)}, []string{"old", "jan"}},
		"source":                   {Query{Source: "a"}, []string{"jan", "apr"}},
		"source in range":          {Query{Source: "b", From: day(2026, 1, 1)}, []string{"mar", "undated"}},
		"with deadline":            {Query{HasDeadline: true}, []string{"mar", "apr"}},
		"seen from":                {Query{SeenFrom: day(2026, 5, 1)}, []string{"undated"}},
		"seen before":              {Query{SeenBefore: day(2026, 5, 1)}, []string{"old", "jan", "mar", "apr"}},
		"seen after, before":       {Query{SeenFrom: day(2026, 4, 2).Add(time.Nanosecond), SeenBefore: day(2026, 5, 6)}, []string{"undated"}},
		"seen in an empty gap":     {Query{SeenFrom: day(2026, 4, 2).Add(time.Nanosecond), SeenBefore: day(2026, 5, 5)}, nil},
		"limit":                    {Query{Limit: 2}, []string{"old", "jan"}},
		"limit, newest":            {Query{Limit: 2, Newest: true}, []string{"undated", "apr"}},
		"limit after sort":         {Query{Source: "a", Limit: 1, Newest: true}, []string{"apr"}},
		"deadline and source":      {Query{HasDeadline: true, Source: "b"}, []string{"mar"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := s.Items(tc.q)
			if err != nil || !slices.Equal(keysOf(got), tc.want) {
				t.Errorf("Items(%+v) = %v, %v; want %v", tc.q, keysOf(got), err, tc.want)
			}
		})
	}
	// The items were stored with the batch's source where they named none.
	if it := mustItem(t, s, "undated"); it.SourceID != "b" {
		t.Errorf("undated item's source %q", it.SourceID)
	}
}

func TestRescore(t *testing.T) {
	s := openTest(t)
	var items []watcher.Item
	for i := range rescoreBatch + 10 { // more than one batch
		items = append(items, watcher.Item{Key: fmt.Sprintf("k%05d", i), Title: "T"})
	}
	mustApply(t, s, SourceBatch{SourceID: "src", Items: items})
	calls := 0
	n, err := s.Rescore(func(it *watcher.Item) bool {
		calls++
		if strings.HasSuffix(it.Key, "0") {
			it.Relevance.Score = 1
			it.Published = day(2026, 1, 1) // moves its by_date entry
			return true
		}
		return false
	})
	want := (rescoreBatch + 10 + 9) / 10
	if err != nil || n != want || calls != len(items) {
		t.Fatalf("Rescore = %d, %v after %d calls; want %d rewritten, %d calls", n, err, calls, want, len(items))
	}
	got, err := s.Items(Query{From: day(2026, 1, 1), To: day(2026, 1, 2)})
	if err != nil || len(got) != want {
		t.Errorf("rescored items by new date: %d, %v", len(got), err)
	}
	_, err = s.Rescore(func(it *watcher.Item) bool { it.Key = "other"; return true })
	if err == nil {
		t.Error("Rescore accepted a changed key")
	}
	_ = s.Close()
	if err := Check(s.Path()); err != nil {
		t.Errorf("Check after Rescore: %v", err)
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		{}, // year 1: clamped to the minimum
		time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC),
		day(1969, 12, 31),
		time.Unix(0, 0),
		day(2026, 1, 1),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), // clamped to the maximum
	}
	for i := 1; i < len(times); i++ {
		a, b := timeKey(times[i-1]), timeKey(times[i])
		if string(a) > string(b) {
			t.Errorf("key of %v sorts after key of %v", times[i-1], times[i])
		}
	}
	if got := keyTime(timeKey(day(1969, 12, 31))); !got.Equal(day(1969, 12, 31)) {
		t.Errorf("round trip gave %v", got)
	}
}

func TestItemNotFound(t *testing.T) {
	s := openTest(t)
	if _, ok, err := s.Item("nope"); ok || err != nil {
		t.Errorf("Item(nope) = %v, %v", ok, err)
	}
	if err := s.MarkSent("nope", "email", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkSent(nope) = %v, want ErrNotFound", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
