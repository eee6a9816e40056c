package dates

import (
	"testing"
	"time"
)

func TestLong(t *testing.T) {
	tests := map[string]struct {
		in        time.Time
		loc       *time.Location
		long, day string
	}{
		"november":      {in: osloT(2023, 11, 6, 12, 0), long: "6. november 2023", day: "6. november"},
		"oslo midnight": {in: utc(2026, 8, 6, 22, 0, 0), long: "7. august 2026", day: "7. august"},
		"utc loc":       {in: utc(2026, 8, 6, 22, 0, 0), loc: time.UTC, long: "6. august 2026", day: "6. august"},
		"january":       {in: osloT(2024, 1, 1, 0, 0), long: "1. januar 2024", day: "1. januar"},
		"desember":      {in: osloT(2023, 12, 31, 23, 59), long: "31. desember 2023", day: "31. desember"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Long(tc.in, tc.loc); got != tc.long {
				t.Errorf("Long = %q, want %q", got, tc.long)
			}
			if got := DayMonth(tc.in, tc.loc); got != tc.day {
				t.Errorf("DayMonth = %q, want %q", got, tc.day)
			}
		})
	}
}

func TestMonthName(t *testing.T) {
	want := []string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}
	for i, w := range want {
		if got := MonthName(time.Month(i + 1)); got != w {
			t.Errorf("MonthName(%d) = %q, want %q", i+1, got, w)
		}
	}
	if got := MonthName(13); got != "" {
		t.Errorf("MonthName(13) = %q, want empty", got)
	}
}

func TestPeriod(t *testing.T) {
	q3from, q3to, err := Quarter("2023Q3", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		from, to time.Time
		want     string
	}{
		"one month":         {from: osloT(2024, 3, 1, 0, 0), to: osloT(2024, 3, 31, 0, 0), want: "mars 2024"},
		"same instant":      {from: osloT(2024, 3, 5, 0, 0), to: osloT(2024, 3, 5, 0, 0), want: "mars 2024"},
		"quarter inclusive": {from: osloT(2023, 7, 1, 0, 0), to: osloT(2023, 9, 30, 0, 0), want: "juli–september 2023"},
		"quarter exclusive": {from: q3from, to: q3to, want: "juli–september 2023"},
		"across new year":   {from: osloT(2023, 12, 1, 0, 0), to: osloT(2024, 2, 29, 0, 0), want: "desember 2023–februar 2024"},
		"reversed":          {from: osloT(2023, 9, 30, 0, 0), to: osloT(2023, 7, 1, 0, 0), want: "juli–september 2023"},
		"oslo not utc":      {from: utc(2023, 6, 30, 22, 0, 0), to: utc(2023, 9, 30, 21, 0, 0), want: "juli–september 2023"},
		"first day to noon": {from: osloT(2023, 7, 1, 0, 0), to: osloT(2023, 10, 1, 12, 0), want: "juli–oktober 2023"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Period(tc.from, tc.to, nil); got != tc.want {
				t.Errorf("Period = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestQuarter(t *testing.T) {
	tests := map[string]struct {
		in       string
		from, to time.Time
	}{
		"q3":      {in: "2023Q3", from: utc(2023, 6, 30, 22, 0, 0), to: utc(2023, 9, 30, 22, 0, 0)},
		"dash q3": {in: "2023-Q3", from: utc(2023, 6, 30, 22, 0, 0), to: utc(2023, 9, 30, 22, 0, 0)},
		"q1 dst":  {in: "2024q1", from: utc(2023, 12, 31, 23, 0, 0), to: utc(2024, 3, 31, 22, 0, 0)},
		"q4 wrap": {in: "2023Q4", from: utc(2023, 9, 30, 22, 0, 0), to: utc(2023, 12, 31, 23, 0, 0)},
		"q2":      {in: " 2024-Q2 ", from: utc(2024, 3, 31, 22, 0, 0), to: utc(2024, 6, 30, 22, 0, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			from, to, err := Quarter(tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !from.Equal(tc.from) || !to.Equal(tc.to) {
				t.Errorf("Quarter(%q) = %v, %v; want %v, %v", tc.in, from, to, tc.from, tc.to)
			}
		})
	}
	for _, bad := range []string{"", "2023", "2023Q5", "2023Q0", "2023-3", "23Q3", "2023QQ3", "2023Q3x", "abcdQ1"} {
		if _, _, err := Quarter(bad, nil); err == nil {
			t.Errorf("Quarter(%q) succeeded, want an error", bad)
		}
	}
}

func TestDaysUntil(t *testing.T) {
	tests := map[string]struct {
		now, deadline time.Time
		loc           *time.Location
		want          int
	}{
		"today":            {now: osloT(2026, 8, 7, 8, 0), deadline: osloT(2026, 8, 7, 0, 0), want: 0},
		"tomorrow":         {now: osloT(2026, 8, 6, 23, 59), deadline: osloT(2026, 8, 7, 0, 0), want: 1},
		"week":             {now: osloT(2026, 7, 31, 12, 0), deadline: osloT(2026, 8, 7, 0, 0), want: 7},
		"passed":           {now: osloT(2026, 8, 10, 0, 0), deadline: osloT(2026, 8, 7, 0, 0), want: -3},
		"over spring dst":  {now: osloT(2024, 3, 30, 12, 0), deadline: osloT(2024, 4, 1, 0, 0), want: 2},
		"over autumn dst":  {now: osloT(2024, 10, 26, 23, 30), deadline: osloT(2024, 10, 28, 0, 0), want: 2},
		"oslo day not utc": {now: utc(2026, 8, 6, 22, 30, 0), deadline: osloT(2026, 8, 7, 0, 0), want: 0},
		"utc loc":          {now: utc(2026, 8, 6, 22, 30, 0), deadline: osloT(2026, 8, 7, 0, 0), loc: time.UTC, want: 0},
		"year boundary":    {now: osloT(2023, 12, 31, 10, 0), deadline: osloT(2024, 1, 6, 0, 0), want: 6},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := DaysUntil(tc.now, tc.deadline, tc.loc); got != tc.want {
				t.Errorf("DaysUntil = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCountdown(t *testing.T) {
	tests := map[int]string{
		0: "i dag", 1: "i morgen", 2: "om 2 dager", 7: "om 7 dager",
		-1: "i går", -3: "for 3 dager siden",
	}
	for days, want := range tests {
		if got := Countdown(days); got != want {
			t.Errorf("Countdown(%d) = %q, want %q", days, got, want)
		}
	}
}

// TestDST checks that local forms land on the right instant on both sides
// of the Oslo clock changes.
func TestDST(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time
	}{
		"winter midnight":         {in: "15.01.2024", want: utc(2024, 1, 14, 23, 0, 0)},
		"summer midnight":         {in: "7. august 2026", want: utc(2026, 8, 6, 22, 0, 0)},
		"spring change day":       {in: "31.03.2024", want: utc(2024, 3, 30, 23, 0, 0)},
		"after spring change":     {in: "31.03.2024 kl. 12", want: utc(2024, 3, 31, 10, 0, 0)},
		"before autumn change":    {in: "27.10.2024 kl. 01:30", want: utc(2024, 10, 26, 23, 30, 0)},
		"after autumn change":     {in: "27.10.2024 kl. 12", want: utc(2024, 10, 27, 11, 0, 0)},
		"explicit offset wins":    {in: "2024-07-01T12:00:00+00:00", want: utc(2024, 7, 1, 12, 0, 0)},
		"rfc822 offset in summer": {in: "Thu, 17 Sep 2026 11:00:00 +0200", want: utc(2026, 9, 17, 9, 0, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in, Options{})
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("Parse(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestOsloLoads(t *testing.T) {
	if Oslo().String() != "Europe/Oslo" {
		t.Errorf("Oslo() = %v, want Europe/Oslo (embedded tzdata)", Oslo())
	}
}
