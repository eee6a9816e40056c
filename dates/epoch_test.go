package dates

import (
	"errors"
	"testing"
	"time"
)

func TestEpoch(t *testing.T) {
	got := Epoch(1700000000)
	if want := utc(2023, 11, 14, 22, 13, 20); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Epoch = %v, want %v in UTC", got, want)
	}
}

func TestMSDate(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time
		ok   bool
	}{
		"stortinget":      {in: "/Date(1761550200000+0100)/", want: utc(2025, 10, 27, 7, 30, 0), ok: true},
		"escaped":         {in: `\/Date(1761550200000+0100)\/`, want: utc(2025, 10, 27, 7, 30, 0), ok: true},
		"no offset":       {in: "/Date(0)/", want: utc(1970, 1, 1, 0, 0, 0), ok: true},
		"negative":        {in: "/Date(-86400000)/", want: utc(1969, 12, 31, 0, 0, 0), ok: true},
		"bare":            {in: "Date(1761550200000-0500)", want: utc(2025, 10, 27, 7, 30, 0), ok: true},
		"garbage":         {in: "/Date(abc)/", ok: false},
		"no digits":       {in: "/Date(+0100)/", ok: false},
		"bad offset":      {in: "/Date(1761550200000+01)/", ok: false},
		"not a ms date":   {in: "2025-10-27", ok: false},
		"unclosed":        {in: "/Date(1761550200000", ok: false},
		"too many digits": {in: "/Date(1234567890123456789)/", ok: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := MSDate(tc.in)
			if !tc.ok {
				if !errors.Is(err, ErrNoDate) {
					t.Errorf("MSDate(%q) = %v, %v; want ErrNoDate", tc.in, got, err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("MSDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
