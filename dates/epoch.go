package dates

import (
	"fmt"
	"strings"
	"time"
)

// Epoch converts Unix seconds (Europol's "published") to a UTC time.
func Epoch(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// MSDate reads a Microsoft JSON date such as "/Date(1761550200000+0100)/"
// (Stortinget): milliseconds since the Unix epoch, with an optional offset
// that only says which zone the value was shown in. Escaped slashes
// ("\/Date(…)\/") are accepted. The result is in UTC.
func MSDate(s string) (time.Time, error) {
	in := s
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, `\`)
	s = strings.TrimPrefix(s, "/")
	s = strings.TrimSuffix(s, "/")
	s = strings.TrimSuffix(s, `\`)
	rest, ok := strings.CutPrefix(s, "Date(")
	if !ok || !strings.HasSuffix(rest, ")") {
		return time.Time{}, fmt.Errorf("dates: parse ms date %q: %w", in, ErrNoDate)
	}
	rest = rest[:len(rest)-1]
	ms, n, ok := readInt(rest)
	if !ok {
		return time.Time{}, fmt.Errorf("dates: parse ms date %q: %w", in, ErrNoDate)
	}
	if off := rest[n:]; off != "" && !validOffset(off) {
		return time.Time{}, fmt.Errorf("dates: parse ms date %q: bad offset: %w", in, ErrNoDate)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// readInt reads an optionally negative decimal integer of at most 15 digits
// (enough for any millisecond time within ±30,000 years).
func readInt(s string) (v int64, n int, ok bool) {
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, n = true, 1
	}
	start := n
	for n < len(s) && isDigit(s[n]) {
		if n-start >= 15 {
			return 0, 0, false
		}
		v = v*10 + int64(s[n]-'0')
		n++
	}
	if n == start {
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, n, true
}

// validOffset accepts "+0100" and "-0530".
func validOffset(s string) bool {
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		return false
	}
	for i := 1; i < 5; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s[1:3] <= "14" && s[3:5] <= "59"
}
