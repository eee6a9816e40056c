package crawlers

import (
	"slices"
	"testing"
)

func TestLabelledValues(t *testing.T) {
	lines := []string{
		"Om seminaret",
		"Tid: 12. oktober 2026 kl. 10",
		"TID :  kl. 12",
		"Tid:", "Sted: Oslo", // a bare label followed by another label has no value
		"Tidspunkt: i morgen",     // not the label "tid"
		"Tid", "13. oktober 2026", // a <dt> without a colon
		"Tid:", // the last line: nothing follows
	}
	got := LabelledValues(lines, []string{"tid"}, []string{"tid", "sted"})
	want := []string{"12. oktober 2026 kl. 10", "kl. 12", "13. oktober 2026"}
	if !slices.Equal(got, want) {
		t.Errorf("LabelledValues = %q, want %q", got, want)
	}
	if got := LabelledValues(lines, []string{"sted"}, nil); !slices.Equal(got, []string{"Oslo"}) {
		t.Errorf("place = %q", got)
	}
}
