// Package digest drafts the quarterly newsletter: it selects a period's
// items, places them in the newsletter's sections, writes a first version
// of each entry's sentences in Norwegian, and renders the draft as
// Markdown or as one self-contained HTML file.
//
// Load reads what a draft needs from the store (the period's items
// through the date index, never a full scan); Build is pure and turns that
// Input into a Draft; Render writes it with the embedded templates (or a
// --template file). The CLI and the review UI call the same three, so
// they show the same draft.
//
// # Selection
//
// An item is in the draft when it is dated in [From, To) (Item.Date: its
// publication date, or when it was first seen if it has none) and scored
// relevant, or when the editor included it (from any period); an item the
// editor excluded never is. The same document found several times is one
// entry with all its links: one key is one item already; items the editor
// marked SameAs another join it; and items from different sources with
// the same title (compared in lower case, letters and digits only) on the
// same day (in the configured zone) are joined. Of a joined document the
// primary item (whose title, kind and link lead) is one not marked SameAs,
// then the best scored, then one with an ingress, then the first seen.
// Its decision merges its items' decisions: each field from the first
// that sets it, primary first; include wins over exclude.
//
// # Placement
//
// The editor's section wins. Otherwise an entry goes to the first
// rule-filled section (neither editor nor highlights) whose rules all
// match its primary item: region (the item's, else its source's), kind
// (the item's, else its source's doc_kind, else other) and min_score.
// An entry no section takes is listed under Draft.Unplaced ("Ikke
// plassert") for the editor to place. A decision naming a section that is
// not configured (a notes heading, a manual entry) makes an extra
// editor's section of that title, placed after "aktiviteter" in the order
// the editor wrote them.
//
// "Verdt å merke seg" (the highlights section) holds the editor's picks
// when there are any, all of them; otherwise the MaxHighlights
// best-scored bills and white papers, plans, regulations and NOUs among
// the entries the rules placed (ties: the older first), moved there from
// their own section.
//
// A section that groups by organisation has one group per organisation
// (the item's, else its source's): the configured organisations in their
// order, then the others in Norwegian alphabetical order. Within a section
// or group, entries the editor gave a position come first in that order,
// then the others by date, oldest first.
//
// # Sentences
//
// Each entry has a heading (the item's title) and one to three sentences
// in the newsletter's patterns; "se her" links the document:
//
//	hearing      <Departement> sendte i august på høring forslag om …, se her. Høringsfrist er 3. november.
//	report       <Organisasjon> publiserte i september rapporten «…», se her.
//	plan, bill   Regjeringen la i oktober frem …, se her.
//	event        <Tittel> arrangeres 14.–15. november i Riga, se her. Påmelding: <lenke>.
//	news         <Organisasjon> meldte i september at <the ingress's first sentence>, se her. <Up to two more.>
//
// A hearing always states its deadline ("Høringsfristen er ikke
// oppgitt." when it is unknown); a date outside the period's year carries
// its year. What was sent on hearing comes from the title without its
// "Høring –" ("forslag om …", "framlegg om …", "NOU 2023: 5 …"); a title
// that starts with another capitalised word is quoted. An organisation
// named with its parent ("GRETA/Europarådet") is named by the body in a
// sentence ("GRETA publiserte …"). An event's sign-up address is printed
// when it is short, else linked from "Meld deg på her.". A text not in
// Norwegian is quoted, not paraphrased. The
// editor's heading and text replace the draft; in the editor's text a
// Markdown link "[label](https://…)" is a link, else the first "se her"
// links the document, else a "Se her." is added that does. Only http and
// https addresses are ever linked.
//
// # Beyond the newsletter
//
// "Åpne høringer" lists the consultations still open when the period
// ends: a deadline at or after To (Load looks a year ahead), published
// before To, not concluded, relevant or included and not excluded;
// soonest deadline first. "Kilder" lists every configured source with the
// checks the period's runs made of it (and how many failed), its last
// successful check by the end of the period, the items it yielded in the
// period and how many made the draft, and its health now in Norwegian, so
// that an empty section can be trusted. A draft with no item at all says
// which sources were checked. Each entry keeps its provenance (source,
// first seen, address), printed only when Input.Provenance is set.
//
// # Notes
//
// A notes file (ParseNotes) is Markdown whose "## " headings name
// sections by id or title; see ParseNotes for its form. StoreNotes keeps
// its entries as the period's manual decisions (keys "manual:notes-…"),
// replacing those of the previous notes file, so the review UI edits the
// same records.
//
// # Rendering
//
// Markdown is written with text/template and escapes crawled text that
// would read as markup (emphasis, code, brackets, HTML, entities, and a
// line's leading #, >, -, + or "1."). HTML is written with html/template,
// which escapes all crawled text and refuses unsafe addresses; the page
// has lang="nb", inline CSS with a print style, and only simple tags, so
// that it can be pasted into an e-mail. The closing block from the
// configuration is read as paragraphs with [label](url) links.
package digest
