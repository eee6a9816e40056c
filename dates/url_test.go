package dates

import (
	"testing"
	"time"
)

func TestFromURL(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time
		prec Precision
	}{
		"wordpress day":      {in: "https://cbss.org/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionDay},
		"wordpress month":    {in: "https://example.org/2023/07/some-post/", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionMonth},
		"unodc month name":   {in: "https://www.unodc.org/unodc/en/press/releases/2023/July/unodc-report.html", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionMonth},
		"unodc month abbr":   {in: "https://www.unodc.org/unodc/en/frontpage/2023/Jul/story.html", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionMonth},
		"unodc lower":        {in: "/unodc/en/frontpage/2023/september/story.html", want: osloT(2023, 9, 1, 0, 0), prec: PrecisionMonth},
		"icat events":        {in: "https://icat.un.org/events/10-2023/annual-meeting", want: osloT(2023, 10, 1, 0, 0), prec: PrecisionMonth},
		"iso slug prefix":    {in: "https://example.org/news/2023-07-01-finland-takes-over", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionDay},
		"iso slug suffix":    {in: "https://example.org/news/report-2023-07-01", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionDay},
		"iso segment":        {in: "/archive/2023-07-01/", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionDay},
		"year month segment": {in: "/archive/2023-07", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionMonth},
		"year only":          {in: "https://example.org/publications/2023/report.pdf", want: osloT(2023, 1, 1, 0, 0), prec: PrecisionYear},
		"day beats month":    {in: "/2022/05/archive/2023/07/01/x", want: osloT(2023, 7, 1, 0, 0), prec: PrecisionDay},
		"query ignored":      {in: "https://example.org/news?date=2023/07/01", prec: PrecisionNone},
		"host year ignored":  {in: "https://2023.example.org/x", prec: PrecisionNone},
		"regjeringen id":     {in: "https://www.regjeringen.no/no/dokumenter/horing/id3167072/", prec: PrecisionNone},
		"frontex id":         {in: "https://www.frontex.europa.eu/media-centre/news/news-release/slug-J6yq05", prec: PrecisionNone},
		"invalid day":        {in: "/2023/02/30/post", want: osloT(2023, 2, 1, 0, 0), prec: PrecisionMonth},
		"invalid month":      {in: "/2023/13/01/post", want: osloT(2023, 1, 1, 0, 0), prec: PrecisionYear},
		"year out of range":  {in: "/1234/07/01/", prec: PrecisionNone},
		"long number":        {in: "/20230701/", prec: PrecisionNone},
		"iso invalid":        {in: "/news/2023-02-30-x", prec: PrecisionNone},
		"empty":              {in: "", prec: PrecisionNone},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, prec, ok := FromURL(tc.in)
			if ok != (tc.prec != PrecisionNone) || prec != tc.prec {
				t.Fatalf("FromURL(%q) = %v, %v, %v; want precision %v", tc.in, got, prec, ok, tc.prec)
			}
			if ok && !got.Equal(tc.want) {
				t.Errorf("FromURL(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPrecisionString(t *testing.T) {
	want := map[Precision]string{PrecisionNone: "none", PrecisionYear: "year", PrecisionMonth: "month", PrecisionDay: "day"}
	for p, s := range want {
		if p.String() != s {
			t.Errorf("%d.String() = %q, want %q", int(p), p.String(), s)
		}
	}
}
