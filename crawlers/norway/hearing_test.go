package norway

import (
	"slices"
	"strings"
	"testing"

	"watcher"
)

func TestParseHearingPageReal(t *testing.T) {
	p, problems := ParseHearingPage(readTestdata(t, "real/hearing_id3167072.html"), realHearingURL, osloLoc)
	if len(problems) > 0 {
		t.Errorf("problems on the real page: %q", problems)
	}
	if p.ID != "3167072" || p.URL != realHearingURL {
		t.Errorf("id/url = %q/%q", p.ID, p.URL)
	}
	if want := "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland"; p.Title != want {
		t.Errorf("title = %q, want %q", p.Title, want)
	}
	if !strings.HasPrefix(p.Summary, "Denne høringen gjelder innføring av forbud mot eksport") {
		t.Errorf("summary = %q", p.Summary)
	}
	if !p.Deadline.Equal(day(t, "2026-08-07")) || p.DeadlineFromProse {
		t.Errorf("deadline = %v (prose %v), want 2026-08-07 structured", p.Deadline, p.DeadlineFromProse)
	}
	if p.Status != watcher.StatusOpen || p.StatusRaw != "På høring" {
		t.Errorf("status = %q/%q, want open/På høring", p.Status, p.StatusRaw)
	}
	if !slices.Equal(p.Ministries, []string{"Klima- og miljødepartementet"}) {
		t.Errorf("ministries = %q", p.Ministries)
	}
	if !p.Published.Equal(day(t, "2026-07-03")) {
		t.Errorf("published = %v, want 2026-07-03", p.Published)
	}
	if p.Updated.IsZero() || p.Updated.UTC().Format("2006-01-02T15:04:05") != "2026-07-03T14:00:55" {
		t.Errorf("updated = %v, want 2026-07-03 14:00:55 UTC", p.Updated)
	}
	if p.TypeRaw != "Høring" || p.DCType != "Horing" || p.Language != "nb" {
		t.Errorf("type/dc/lang = %q/%q/%q", p.TypeRaw, p.DCType, p.Language)
	}
	if p.Reference != "26/2371" {
		t.Errorf("reference = %q, want 26/2371", p.Reference)
	}
	wantAtt := []watcher.Attachment{{
		Name: "Høringsnotat - Avskogingsforordningen – eksport til tredjeland - 03.07.2026.pdf",
		URL:  "https://www.regjeringen.no/contentassets/b04cfc23c69343ef800ce6a45f8cc456/horingsnotat-avskogingsforordningen-eksport-til-tredjeland-03.07.2026.pdf",
	}}
	if !slices.Equal(p.Attachments, wantAtt) {
		t.Errorf("attachments = %+v, want %+v", p.Attachments, wantAtt)
	}
	if p.Consultees != 135 {
		t.Errorf("consultees = %d, want 135", p.Consultees)
	}
	if want := "https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H3167072/"; p.ResponseURL != want {
		t.Errorf("response url = %q, want %q", p.ResponseURL, want)
	}
	for k, want := range map[string]string{
		"DC.Type": "Horing", "DC.Date": "2026-07-03", "DC.Creator": "Klima- og miljødepartementet",
		"DC.Language": "nb-NO", "og:url": realHearingURL, "ld.type": "WebPage",
	} {
		if p.Meta[k] != want {
			t.Errorf("meta[%s] = %q, want %q", k, p.Meta[k], want)
		}
	}
	if p.Event != nil {
		t.Errorf("a hearing page got an event: %+v", p.Event)
	}
	if !strings.Contains(p.Text, "Fristen for å gi innspill er 7. august 2026") {
		t.Errorf("text lacks the hearing letter: %q", p.Text)
	}
	if strings.Contains(p.Text, "Apotekerforeningen") || strings.Contains(p.Text, "Høring om avskogingsforordningen") {
		t.Errorf("text holds the consultee list or the related items")
	}
}

func TestParseHearingPageNynorsk(t *testing.T) {
	// A copy of the real page with the nynorsk labels (see testdata/README.md).
	p, problems := ParseHearingPage(readTestdata(t, "hearing_nynorsk.html"), realHearingURL, osloLoc)
	if len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
	if !p.Deadline.Equal(day(t, "2026-08-14")) || p.DeadlineFromProse {
		t.Errorf("deadline = %v (prose %v), want 2026-08-14 from Høyringsfrist", p.Deadline, p.DeadlineFromProse)
	}
	if p.DeadlineRaw != "Høyringsfrist: 14.08.2026" {
		t.Errorf("deadline raw = %q", p.DeadlineRaw)
	}
	if p.Status != watcher.StatusOpen || p.StatusRaw != "På høyring" {
		t.Errorf("status = %q/%q, want open/På høyring", p.Status, p.StatusRaw)
	}
	if p.Language != "nn" || p.TypeRaw != "Høyring" {
		t.Errorf("lang/type = %q/%q, want nn/Høyring", p.Language, p.TypeRaw)
	}
}

func TestParseHearingPageProseDeadline(t *testing.T) {
	base := "https://www.regjeringen.no/no/dokumenter/horing-forslag-til-endringer-i-utlendingsforskriften/id689012/"
	p, problems := ParseHearingPage(readTestdata(t, "hearing_old_prose.html"), base, osloLoc)
	if len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
	if !p.Deadline.Equal(day(t, "2012-09-07")) || !p.DeadlineFromProse {
		t.Errorf("deadline = %v (prose %v), want 2012-09-07 from the letter", p.Deadline, p.DeadlineFromProse)
	}
	if p.Status != watcher.StatusConcluded || p.StatusRaw != "Ferdigbehandlet" {
		t.Errorf("status = %q/%q", p.Status, p.StatusRaw)
	}
	if p.ID != "689012" {
		t.Errorf("id = %q: the related item's id leaked in?", p.ID)
	}
	if p.Reference != "201204567" {
		t.Errorf("reference = %q, want 201204567 from the letter", p.Reference)
	}
	wantAtt := []watcher.Attachment{
		{Name: "Høringsbrev", URL: "https://www.regjeringen.no/contentassets/3f1e2d4c5b6a79880123456789abcdef/horingsbrev.pdf"},
		{Name: "Høringsnotat", URL: "https://www.regjeringen.no/contentassets/3f1e2d4c5b6a79880123456789abcdef/horingsnotat.pdf"},
	}
	if !slices.Equal(p.Attachments, wantAtt) {
		t.Errorf("attachments = %+v, want %+v", p.Attachments, wantAtt)
	}
	if p.Consultees != 5 {
		t.Errorf("consultees = %d, want 5 (four lines split at <br> and one paragraph)", p.Consultees)
	}
	if p.ResponseURL != "" {
		t.Errorf("response url = %q on a page without one", p.ResponseURL)
	}
	if !slices.Equal(p.Ministries, []string{"Justis- og beredskapsdepartementet"}) {
		t.Errorf("ministries = %q", p.Ministries)
	}
}

// TestParseHearingPageAttachmentFragment checks that a document linked
// twice, once with a fragment (a page anchor in the PDF), is one
// attachment: the adapter's own link resolution kept fragments, so the
// same file was listed twice.
func TestParseHearingPageAttachmentFragment(t *testing.T) {
	page := `<html lang="nb"><body>
<div id="horingsnotater">
<a href="/contentassets/abc/horingsnotat.pdf" title="Høringsnotat">Høringsnotat</a>
<a href="/contentassets/abc/horingsnotat.pdf#page=4">kapittel 4</a>
<a href="https://www.regjeringen.no/contentassets/abc/liste.pdf#view=fit">Liste</a>
</div></body></html>`
	p, _ := ParseHearingPage([]byte(page), "https://www.regjeringen.no/no/dokumenter/x/id3100000/", osloLoc)
	want := []watcher.Attachment{
		{Name: "Høringsnotat", URL: "https://www.regjeringen.no/contentassets/abc/horingsnotat.pdf"},
		{Name: "Liste", URL: "https://www.regjeringen.no/contentassets/abc/liste.pdf"},
	}
	if !slices.Equal(p.Attachments, want) {
		t.Errorf("attachments = %+v, want %+v", p.Attachments, want)
	}
}

func TestParseHearingPageMissingFields(t *testing.T) {
	page := `<html lang="nb"><head><meta name="DC.Date" content="2026-01-05"></head><body>
<header class="article-header"><h1>Høring uten frist</h1></header>
<div class="article-body"><div id="horingsbrev"><p>Vi ber om innspill.</p></div></div></body></html>`
	p, problems := ParseHearingPage([]byte(page), "https://www.regjeringen.no/no/dokumenter/x/id3100000/", osloLoc)
	if p.ID != "3100000" || p.Title != "Høring uten frist" {
		t.Errorf("id/title = %q/%q", p.ID, p.Title)
	}
	for _, want := range []string{"page: no status", "page: no deadline"} {
		if !containsPrefix(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
	}
}
