// Package norway holds the site adapters for Norwegian sources that need
// code rather than configuration:
//
//   - "regjeringen-hearings": the hearings listing of regjeringen.no
//     (/no/dokument/hoyringar/id1763/), paged to the watermark, with each new
//     or changed hearing's own page read for deadline, status, reference,
//     attachments, consultees and the response form.
//   - "regjeringen-feed": regjeringen.no's RSS generator feeds, with items
//     keyed by the numeric page id so that one page seen in several feeds or
//     under /no/, /nn/ and /en/ is one item.
//   - "stortinget": committee hearings from the open data API of Stortinget
//     (data.stortinget.no).
//
// Extractors (ParseHearingListing, ParseHearingPage, ParseArticlePage,
// ParseSessions, ParseStortingetHearings) are pure functions of a body and
// a base URL; each site format is mapped to watcher.Item in one function.
// The kinds take every URL from the source configuration, so a test or a
// replay can point them anywhere.
package norway
