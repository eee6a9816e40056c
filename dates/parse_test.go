package dates

import (
	"errors"
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

// osloT is a wall-clock time in Europe/Oslo, as an instant in UTC.
func osloT(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, Oslo()).UTC()
}

func TestParse(t *testing.T) {
	tests := map[string]struct {
		in   string
		opt  Options
		want time.Time
	}{
		// ISO and RFC 3339.
		"iso date":             {in: "2006-01-02", want: osloT(2006, 1, 2, 0, 0)},
		"iso single digits":    {in: "2006-1-2", want: osloT(2006, 1, 2, 0, 0)},
		"rfc3339 utc":          {in: "2006-01-02T15:04:05Z", want: utc(2006, 1, 2, 15, 4, 5)},
		"rfc3339 offset":       {in: "2026-07-03T10:00:00+02:00", want: utc(2026, 7, 3, 8, 0, 0)},
		"rfc3339 negative":     {in: "2006-01-02T15:04:05-07:00", want: utc(2006, 1, 2, 22, 4, 5)},
		"rfc3339 fraction":     {in: "2025-09-18T10:35:21.5Z", want: time.Date(2025, 9, 18, 10, 35, 21, 500_000_000, time.UTC)},
		"frontex iso":          {in: "2025-09-18T10:35:21Z", want: utc(2025, 9, 18, 10, 35, 21)},
		"iso local no zone":    {in: "2026-07-03T10:00:00", want: osloT(2026, 7, 3, 10, 0)},
		"iso space time":       {in: "2026-07-03 10:00", want: osloT(2026, 7, 3, 10, 0)},
		"iso compact offset":   {in: "2026-07-03T10:00:00+0200", want: utc(2026, 7, 3, 8, 0, 0)},
		"ymd slash":            {in: "2023/07/01", want: osloT(2023, 7, 1, 0, 0)},
		"frontex listing date": {in: "2024-07-18", want: osloT(2024, 7, 18, 0, 0)},
		// RFC 822 / 1123.
		"rfc1123z regjeringen": {in: "Thu, 17 Sep 2026 11:00:00 +0200", want: utc(2026, 9, 17, 9, 0, 0)},
		"rfc1123 gmt":          {in: "Mon, 02 Jan 2006 15:04:05 GMT", want: utc(2006, 1, 2, 15, 4, 5)},
		"rfc1123 utc":          {in: "Mon, 02 Jan 2006 15:04:05 UTC", want: utc(2006, 1, 2, 15, 4, 5)},
		"rfc822 cest":          {in: "Thu, 17 Sep 2026 11:00:00 CEST", want: utc(2026, 9, 17, 9, 0, 0)},
		"rfc822 est":           {in: "Mon, 02 Jan 2006 15:04 EST", want: utc(2006, 1, 2, 20, 4, 0)},
		"rfc822 two-digit":     {in: "17 Sep 26 11:00 +0200", want: utc(2026, 9, 17, 9, 0, 0)},
		"rfc822 no weekday":    {in: "2 Jan 2006 15:04:05 -0700", want: utc(2006, 1, 2, 22, 4, 5)},
		"rfc822 no seconds":    {in: "Thu, 17 Sep 2026 11:00 +0200", want: utc(2026, 9, 17, 9, 0, 0)},
		"rfc822 zone comment":  {in: "Mon, 02 Jan 2006 15:04:05 -0700 (MST)", want: utc(2006, 1, 2, 22, 4, 5)},
		"ansic":                {in: "Mon Jan 2 15:04:05 2006", want: time.Date(2006, 1, 2, 15, 4, 5, 0, Oslo()).UTC()},
		"unix date":            {in: "Mon Jan 2 15:04:05 MST 2006", want: utc(2006, 1, 2, 22, 4, 5)},
		// Numeric day-month-year.
		"dotted":              {in: "02.01.2006", want: osloT(2006, 1, 2, 0, 0)},
		"dotted short":        {in: "2.1.2006", want: osloT(2006, 1, 2, 0, 0)},
		"two-digit year 20xx": {in: "02.01.06", want: osloT(2006, 1, 2, 0, 0)},
		"two-digit year 69":   {in: "31.12.69", want: osloT(2069, 12, 31, 0, 0)},
		"two-digit year 19xx": {in: "01.01.70", want: osloT(1970, 1, 1, 0, 0)},
		"fafo two-digit":      {in: "22.03.18", want: osloT(2018, 3, 22, 0, 0)},
		"coe legacy":          {in: "30.05.2012", want: osloT(2012, 5, 30, 0, 0)},
		"coe legacy short":    {in: "30.09.09", want: osloT(2009, 9, 30, 0, 0)},
		"dashed dmy":          {in: "24-06-2015", want: osloT(2015, 6, 24, 0, 0)},
		"dotted with time":    {in: "25.03.2020 kl. 14", want: osloT(2020, 3, 25, 14, 0)},
		"dotted colon time":   {in: "25.03.2020 14:30", want: osloT(2020, 3, 25, 14, 30)},
		// Labels and weekdays.
		"dato label":         {in: "Dato: 03.07.2026", want: osloT(2026, 7, 3, 0, 0)},
		"høringsfrist label": {in: "Høringsfrist: 07.08.2026", want: osloT(2026, 8, 7, 0, 0)},
		"two-word label":     {in: "Sist endret: 12.03.2024", want: osloT(2024, 3, 12, 0, 0)},
		"publiceringsdatum":  {in: "Publiceringsdatum: 16 mars 2023", want: osloT(2023, 3, 16, 0, 0)},
		"published no colon": {in: "Published October 17, 2022", want: osloT(2022, 10, 17, 0, 0)},
		"published colon":    {in: "Published: 17 October 2022", want: osloT(2022, 10, 17, 0, 0)},
		"padded":             {in: "  \t03.07.2026\n", want: osloT(2026, 7, 3, 0, 0)},
		"nbsp":               {in: "7.\u00a0august\u00a02026", want: osloT(2026, 8, 7, 0, 0)},
		"weekday nb":         {in: "fredag 14. august 2026", want: osloT(2026, 8, 14, 0, 0)},
		"weekday nb comma":   {in: "Fredag, 14. august 2026", want: osloT(2026, 8, 14, 0, 0)},
		"weekday nn måndag":  {in: "måndag 10. august 2026", want: osloT(2026, 8, 10, 0, 0)},
		"weekday nn tysdag":  {in: "tysdag 11. august 2026", want: osloT(2026, 8, 11, 0, 0)},
		"weekday nn laurdag": {in: "laurdag 15. august 2026", want: osloT(2026, 8, 15, 0, 0)},
		"weekday nn sundag":  {in: "Sundag 16. august 2026", want: osloT(2026, 8, 16, 0, 0)},
		"weekday nb lørdag":  {in: "LØRDAG 15. AUGUST 2026", want: osloT(2026, 8, 15, 0, 0)},
		"weekday sv":         {in: "torsdag 16 mars 2023", want: osloT(2023, 3, 16, 0, 0)},
		"weekday sv lördag":  {in: "lördag 18 mars 2023", want: osloT(2023, 3, 18, 0, 0)},
		"weekday en":         {in: "Friday, 24 July 2023", want: osloT(2023, 7, 24, 0, 0)},
		"den":                {in: "den 16 mars 2023", want: osloT(2023, 3, 16, 0, 0)},
		"bracketed":          {in: "(24.06.2015)", want: osloT(2015, 6, 24, 0, 0)},
		"trailing full stop": {in: "7. august 2026.", want: osloT(2026, 8, 7, 0, 0)},
		// Norwegian and Swedish long forms.
		"nb long":            {in: "7. august 2026", want: osloT(2026, 8, 7, 0, 0)},
		"nb long padded day": {in: "07. april 2022", want: osloT(2022, 4, 7, 0, 0)},
		"nb long kl hour":    {in: "25. mars 2020 kl. 14", want: osloT(2020, 3, 25, 14, 0)},
		"nb long kl colon":   {in: "25. mars 2020 kl. 14:00", want: osloT(2020, 3, 25, 14, 0)},
		"nb long kl no dot":  {in: "25. mars 2020 kl 14.00", want: osloT(2020, 3, 25, 14, 0)},
		"nb long klokka":     {in: "25. mars 2020 klokka 09.30", want: osloT(2020, 3, 25, 9, 30)},
		"nb long comma time": {in: "25. mars 2020, 14:15", want: osloT(2020, 3, 25, 14, 15)},
		"nb upper":           {in: "7. AUGUST 2026", want: osloT(2026, 8, 7, 0, 0)},
		"nb desember":        {in: "1. desember 2023", want: osloT(2023, 12, 1, 0, 0)},
		"nb okt dot":         {in: "3. okt. 2023", want: osloT(2023, 10, 3, 0, 0)},
		"nb des dot":         {in: "24. des. 2023", want: osloT(2023, 12, 24, 0, 0)},
		"nb mai":             {in: "17. mai 2024", want: osloT(2024, 5, 17, 0, 0)},
		"sv":                 {in: "16 mars 2023", want: osloT(2023, 3, 16, 0, 0)},
		"sv maj":             {in: "2 maj 2023", want: osloT(2023, 5, 2, 0, 0)},
		"sv augusti":         {in: "21 augusti 2023", want: osloT(2023, 8, 21, 0, 0)},
		"sv januari":         {in: "9 januari 2024", want: osloT(2024, 1, 9, 0, 0)},
		"sv klockan":         {in: "9 januari 2024 klockan 10.00", want: osloT(2024, 1, 9, 10, 0)},
		"dfø mixed mar":      {in: "06. Mar 2014", want: osloT(2014, 3, 6, 0, 0)},
		"dfø mixed nov":      {in: "04. nov 2018", want: osloT(2018, 11, 4, 0, 0)},
		// English.
		"en dmy":          {in: "24 July 2023", want: osloT(2023, 7, 24, 0, 0)},
		"en dmy lower":    {in: "24 july 2023", want: osloT(2023, 7, 24, 0, 0)},
		"en dmy upper":    {in: "29 APRIL 2024", want: osloT(2024, 4, 29, 0, 0)},
		"en coe":          {in: "24 September 2024", want: osloT(2024, 9, 24, 0, 0)},
		"en mdy":          {in: "July 24, 2023", want: osloT(2023, 7, 24, 0, 0)},
		"en mdy abbr":     {in: "Jul 24, 2023", want: osloT(2023, 7, 24, 0, 0)},
		"en mdy no comma": {in: "Jul 24 2023", want: osloT(2023, 7, 24, 0, 0)},
		"en sept dot":     {in: "Sept. 5, 2023", want: osloT(2023, 9, 5, 0, 0)},
		"en mar":          {in: "Mar 5, 2024", want: osloT(2024, 3, 5, 0, 0)},
		"en ordinal":      {in: "3rd October 2023", want: osloT(2023, 10, 3, 0, 0)},
		"en ordinal of":   {in: "the 1st of May 2023", want: osloT(2023, 5, 1, 0, 0)},
		"en mdy ordinal":  {in: "October 3rd, 2023", want: osloT(2023, 10, 3, 0, 0)},
		"en pm":           {in: "July 24, 2023 at 2:30 pm", want: osloT(2023, 7, 24, 14, 30)},
		"en am twelve":    {in: "July 24, 2023, 12:05 AM", want: osloT(2023, 7, 24, 0, 5)},
		// Slashes.
		"slash day>12":         {in: "24/06/2015", want: osloT(2015, 6, 24, 0, 0)},
		"slash month-first>12": {in: "06/24/2015", want: osloT(2015, 6, 24, 0, 0)},
		"slash dmy explicit":   {in: "01/02/2006", opt: Options{Order: "dmy"}, want: osloT(2006, 2, 1, 0, 0)},
		"slash mdy explicit":   {in: "01/02/2006", opt: Options{Order: "mdy"}, want: osloT(2006, 1, 2, 0, 0)},
		// Options.
		"layout":               {in: "20060102", opt: Options{Layout: "20060102"}, want: osloT(2006, 1, 2, 0, 0)},
		"layout falls through": {in: "02.01.2006", opt: Options{Layout: "20060102"}, want: osloT(2006, 1, 2, 0, 0)},
		"loc":                  {in: "2. januar 2006", opt: Options{Loc: time.UTC}, want: utc(2006, 1, 2, 0, 0, 0)},
		"leap day":             {in: "29.02.2024", want: osloT(2024, 2, 29, 0, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in, tc.opt)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tc.in, err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("Parse(%q) = %v, want %v", tc.in, got, tc.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("Parse(%q) location = %v, want UTC", tc.in, got.Location())
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct {
		in  string
		opt Options
	}{
		"empty":                  {in: ""},
		"spaces":                 {in: "   "},
		"garbage":                {in: "not a date"},
		"impossible 31 feb":      {in: "31.02.2024"},
		"not a leap year":        {in: "29.02.2023"},
		"month 13":               {in: "12.13.2024"},
		"day zero":               {in: "0. mars 2024"},
		"day 32":                 {in: "32 July 2023"},
		"hour 25":                {in: "25.03.2020 kl. 25"},
		"minute 60":              {in: "2023-07-01T10:60:00Z"},
		"ambiguous slash":        {in: "01/02/2006"},
		"both over 12 slash":     {in: "13/14/2006"},
		"no year":                {in: "7. august"},
		"month year":             {in: "July 2023"},
		"year only":              {in: "2023"},
		"prose around":           {in: "Høringsfristen er 7. august 2026 og ikke senere"},
		"trailing words":         {in: "24.06.15 | News"},
		"iso invalid":            {in: "2023-02-30"},
		"mixed separators":       {in: "02.01-2006"},
		"version number":         {in: "1.2.2024.5"},
		"three-digit year":       {in: "02.01.206"},
		"year out of range":      {in: "02.01.0001"},
		"13 pm":                  {in: "July 24, 2023 13:00 pm"},
		"unknown month":          {in: "7. smarch 2026"},
		"two-digit year english": {in: "Jul 24, 23"},
		"layout without year":    {in: "02.01", opt: Options{Layout: "02.01"}},
		"unclosed comment":       {in: "Mon, 02 Jan 2006 15:04:05 -0700 (MST"},
		"time range":             {in: "25.03.2020 kl. 10:00-12:00"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in, tc.opt)
			if !errors.Is(err, ErrNoDate) {
				t.Errorf("Parse(%q) = %v, %v; want ErrNoDate", tc.in, got, err)
			}
		})
	}
}

func TestFind(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time
		ok   bool
	}{
		"unodc dateline":      {in: "Vienna (Austria), 24 July 2023 – The United Nations Office…", want: osloT(2023, 7, 24, 0, 0), ok: true},
		"icat":                {in: "On 3 October 2023, ICAT held its annual meeting.", want: osloT(2023, 10, 3, 0, 0), ok: true},
		"norden":              {in: "24.06.15 | News", want: osloT(2015, 6, 24, 0, 0), ok: true},
		"nspm":                {in: "Sidan uppdaterad. Publiceringsdatum: 16 mars 2023", want: osloT(2023, 3, 16, 0, 0), ok: true},
		"coe listing":         {in: "EN FR GRETA publishes its report 24 September 2024 Strasbourg", want: osloT(2024, 9, 24, 0, 0), ok: true},
		"cbss published":      {in: "Published October 17, 2022 by the Secretariat", want: osloT(2022, 10, 17, 0, 0), ok: true},
		"with time":           {in: "Møtet er 25. mars 2020 kl. 14 i Oslo.", want: osloT(2020, 3, 25, 14, 0), ok: true},
		"skips year-less":     {in: "Fra 6. november til 7. desember 2023.", want: osloT(2023, 12, 7, 0, 0), ok: true},
		"skips invalid":       {in: "31.02.2024 eller 01.03.2024", want: osloT(2024, 3, 1, 0, 0), ok: true},
		"skips ip":            {in: "host 10.10.10.10 on 02.01.2006", want: osloT(2006, 1, 2, 0, 0), ok: true},
		"skips version":       {in: "v1.2.15 released 2023-07-01", want: osloT(2023, 7, 1, 0, 0), ok: true},
		"no short-year prose": {in: "7 August 26 participants", ok: false},
		"none":                {in: "Ingen dato her, bare 2023 og 14 personer.", ok: false},
		"month year only":     {in: "in July 2023 the report", ok: false},
		"slash unambiguous":   {in: "Dato 24/06/2015 (oppdatert)", want: osloT(2015, 6, 24, 0, 0), ok: true},
		"slash ambiguous":     {in: "Dato 01/02/2006", ok: false},
		"rfc3339 in text":     {in: "updated 2025-09-18T10:35:21Z by the system", want: utc(2025, 9, 18, 10, 35, 21), ok: true},
		"empty":               {in: "", ok: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := Find(tc.in, Options{})
			if ok != tc.ok || (ok && !got.Equal(tc.want)) {
				t.Errorf("Find(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
