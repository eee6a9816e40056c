// Package dates reads the dates and deadlines that the watched sources
// publish, and writes dates in Norwegian bokmål for the editor.
//
// It is pure: no I/O, no wall clock. Every parsed instant is returned in
// UTC. A form without an offset is read in the source's zone (Options.Loc,
// default Europe/Oslo; the zone database is embedded), and a date without
// a time is midnight in that zone.
//
// # Forms read by Parse (and found in prose by Find)
//
//   - ISO and RFC 3339: 2006-01-02, 2006-01-02T15:04:05Z,
//     2006-01-02T15:04:05.999+02:00, 2006-01-02 15:04, and 2006/01/02.
//   - RFC 822/1123 with numeric offsets or zone names: "Thu, 17 Sep 2026
//     11:00:00 +0200", "Mon, 02 Jan 2006 15:04:05 GMT", "… CEST", "…
//     -0700 (MST)", two-digit years after a month name ("17 Sep 26"), and
//     the ANSIC and Unix date forms. Known zone names: UT, UTC, GMT, Z,
//     WET/WEST, BST, CET/CEST, MET/MEST, EET/EEST, MSK and the US zones.
//   - Numeric day-month-year: 02.01.2006, 2.1.2006, 02-01-2006 and
//     02.01.06. Two-digit years 00–69 are 20xx, 70–99 are 19xx.
//   - Slash dates 01/02/2006 only in the order the source declares
//     (Options.Order "dmy" or "mdy"). With no declared order a slash date
//     is read only when one of its first two numbers is above 12, which
//     leaves one reading; otherwise it is refused.
//   - Long dates with month names in bokmål, nynorsk, Swedish and English,
//     full or abbreviated, with or without a dot ("okt.", "des.", "Sept.",
//     "Mar"), in any case: "7. august 2026", "07. april 2022", "16 mars
//     2023", "24 July 2023", "29 APRIL 2024", "06. Mar 2014", "04. nov
//     2018", "July 24, 2023", "Jul 24, 2023", "3rd October 2023", "the 1st
//     of May 2023".
//   - An optional weekday before the date in bokmål, nynorsk (måndag,
//     tysdag, laurdag, sundag), Swedish or English, full or abbreviated.
//   - An optional time after the date: "kl. 14", "kl. 14:00", "kl 14.00",
//     "klokka 9.30", "klockan 10.00", "14:30", "at 2:30 pm", optionally
//     followed by a zone.
//
// Parse reads one whole string. Around the date it allows label words
// ending in a colon ("Dato:", "Publiceringsdatum:", "Sist endret:"), a few
// labels without a colon ("Published", "den"), brackets and trailing
// punctuation. Find returns the first complete date anywhere in prose
// ("Vienna (Austria), 24 July 2023 – …", "On 3 October 2023, …", "24.06.15
// | News"); in prose it requires a four-digit year after month names, and
// two-digit years only as dd.mm.yy, so that counts and version numbers are
// not read as dates. Impossible dates (31.02.2024) are refused, as are
// years outside 1900–2199.
//
// # Deadlines
//
// ParseDeadline reads structured labels ("Høringsfrist: 07.08.2026",
// "Høyringsfrist:", "Frist:", "Innspillsfrist:") and prose ("Høringsfristen
// er fredag 7. september 2012.", "Fristen for å gi innspill er 7. august
// 2026", "deadline for comments: 25 September 2023", "submit … by 25
// September 2023"). A deadline that was moved ("forlenget fra 1. mars til
// 15. mars 2024") ends at the later date. A year-less deadline takes its
// year from the publication date; see ParseDeadline. Numeric year-less
// forms ("06.11.") are not read.
//
// # Other sources of dates
//
// Epoch reads Unix seconds (Europol), MSDate reads "/Date(ms+0100)/"
// (Stortinget), and FromURL reads dates in URL paths with a Precision,
// as a fallback only.
//
// # Formatting
//
// Long ("6. november 2023"), DayMonth ("6. november"), MonthName,
// Period ("juli–september 2023"), Quarter (bounds of "2023Q3"), DaysUntil
// (calendar days in a zone) and Countdown ("om 7 dager") write what the
// editor reads.
package dates
