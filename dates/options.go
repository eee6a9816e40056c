package dates

import (
	"errors"
	"time"

	// Embed the zone database so Europe/Oslo loads on hosts without tzdata.
	_ "time/tzdata"
)

// ErrNoDate is returned when a string holds no date in a supported form, or
// when the date it holds is impossible (31.02.2024).
var ErrNoDate = errors.New("dates: no date found")

// Options tell the parser how to read one source's dates.
type Options struct {
	// Loc is the source's time zone, used for forms without an offset.
	// Nil means Europe/Oslo.
	Loc *time.Location
	// Order resolves slash dates such as 01/02/2006: "dmy" or "mdy".
	// Empty means the order is unknown: a slash date is then read only when
	// one of its first two numbers is above 12. Dotted and dashed numeric
	// dates are always day-month-year.
	Order string
	// Layout is an optional Go time layout tried before the built-in forms.
	Layout string
}

// oslo is Europe/Oslo, or UTC if the zone database cannot be read.
var oslo = loadOslo()

func loadOslo() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}

// Oslo returns the Europe/Oslo location the package uses by default.
func Oslo() *time.Location { return oslo }

func orOslo(loc *time.Location) *time.Location {
	if loc == nil {
		return oslo
	}
	return loc
}

func (o Options) loc() *time.Location { return orOslo(o.Loc) }
