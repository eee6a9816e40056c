package web

import (
	"net/http"
	"strconv"

	"watcher/digest"
)

type previewPage struct {
	Period     digest.Period
	PeriodText string
	Provenance bool
	Unplaced   int
	Prev, Next string
}

// renderDigest drafts the period and renders it exactly as `watcher
// digest` does: digest.Load, digest.Build, digest.Render with the
// embedded template.
func (s *Server) renderDigest(r *http.Request, format string) ([]byte, digest.Period, error) {
	p, err := s.period(r)
	if err != nil {
		return nil, p, &errInput{code: "period"}
	}
	in, err := digest.Load(s.store, s.cfg, p, s.now())
	if err != nil {
		return nil, p, err
	}
	in.Provenance = wantProvenance(r)
	b, err := digest.Render(digest.Build(in), format, "")
	return b, p, err
}

func wantProvenance(r *http.Request) bool {
	v, _ := strconv.ParseBool(r.URL.Query().Get("provenance"))
	return v
}

// handlePreview shows the draft in a sandboxed frame, with downloads.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, "Ukjent periode", "Perioden skrives som 2023Q3 eller 2023-07-01..2023-09-30.")
		return
	}
	_, d, err := s.loadDraft(p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg := &previewPage{Period: p, PeriodText: d.PeriodText, Provenance: wantProvenance(r),
		Unplaced: len(d.Unplaced), Prev: shiftQuarter(p, -1, s.loc), Next: shiftQuarter(p, 1, s.loc)}
	s.render(w, r, http.StatusOK, "preview", s.newView(w, r, "Forhåndsvisning – "+d.PeriodText, "preview", pg))
}

// handlePreviewDocument serves the digest's HTML as its own document
// under a sandboxing CSP: no script runs in it, and only the preview page
// of this server may frame it.
func (s *Server) handlePreviewDocument(w http.ResponseWriter, r *http.Request) {
	b, _, err := s.renderDigest(r, "html")
	if err != nil {
		s.digestError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", previewCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// handleDownload sends the draft as a Markdown or HTML file.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	ctype := map[string]string{"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}[format]
	if ctype == "" {
		http.Error(w, "format må være md eller html", http.StatusBadRequest)
		return
	}
	b, p, err := s.renderDigest(r, format)
	if err != nil {
		s.digestError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="nyhetsbrev-`+safeFileName(p.Name)+"."+format+`"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func (s *Server) digestError(w http.ResponseWriter, r *http.Request, err error) {
	if _, ok := err.(*errInput); ok {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	s.serverError(w, r, err)
}

// safeFileName keeps letters, digits, '-' and '.' of a period name.
func safeFileName(s string) string {
	b := []byte(s)
	out := b[:0]
	for _, c := range b {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			out = append(out, c)
		}
	}
	return string(out)
}
