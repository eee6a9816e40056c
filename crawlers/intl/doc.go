// Package intl holds the site adapters for the international sources:
// Europol, Frontex, the Council of the Baltic Sea States, UNODC, the
// Council of Europe (GRETA), the Commission's Home Affairs site,
// OSCE/ODIHR, ICAT and Sweden's NSPM. Each registers a kind under its
// name in init; importing the package for its side effect makes them
// available to the runner:
//
//	import _ "watcher/crawlers/intl"
//
// Every adapter has the same shape. Pure extractors read a body (and the
// URL it came from) into the site's own records (EuropolListing,
// CoEListing, FrontexListing…); one mapping function per format turns
// those into watcher.Items; Crawl fetches the configured entry points
// conditionally, keys the items by the site's own id where it has one, and
// reads a new item's own page or JSON (when the source sets follow_items)
// for what the listing lacks: the day of a month-only date, the text, type
// and tags, and the when and where of an event. Known items are never
// fetched again; they carry forward what was read for them before.
//
// sources.example.yaml shows one configuration block per site.
package intl
