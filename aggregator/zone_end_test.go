package aggregator

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The regular expressions offsetAtEnd and abbrevAtEnd stand for, as
// EntryTime asked them before (on the whole trimmed date): the oracle.
var (
	offsetRe = regexp.MustCompile(`(?i)(?:\dz|[+-]\d{2}:?\d{2})\s*$`)
	abbrevRe = regexp.MustCompile(`(?i)\b([a-z]{1,5})\s*$`)
	hourRe   = regexp.MustCompile(` ([+-])(\d{2})[ \t\n\f\r]*$`)
)

var zoneAtEndSeeds = []string{
	"Tue, 14 Apr 2026 12:00:00 +0100",
	"2026-04-14T12:00:00+01:00",
	"2026-04-14T12:00:00Z",
	"2026-04-14T12:00:00z \t",
	"Mon, 13 Apr 2026 10:30:00 GMT",
	"Mon, 13 Apr 2026 10:30:00 GMT\v",
	"الثلاثاء 14 أبريل 2026 12:00 CET",
	"Lun, 15 Avr 2024 09:00:00 ſ",
	"14 ماي 2026 K",
	"Tue, 14 Apr 2026 12:00:00 ABCDEF",
	"12:00 x1cet",
	"12:00 _cet",
	"12:00 éCET",
	"Tue, 14 Apr 2026 12:00:00 KKKKK",
	"Tue, 14 Apr 2026 12:00:00 āKKKKK",
	"Tue, 14 Apr 2026 12:00:00 aſſſſ",
	"Tue, 14 Apr 2026 12:00:00 Kst",
	"Tue, 14 Apr 2026 12:00:00 xKst",
	"12:00 +01:0",
	"12:00 +1:00",
	"12:00 -05:00\n",
	"Tue, 14 Apr 2026 12:00:00 XYZ",
	"Tue, 14 Apr 2026 12:00:00 Z",
	"12:00:00 +01",
	"2026-03-01 12:00:00 -05 ",
	"2026-03-01",
	"12:00:00 +15",
	"12:00:00\t+01",
	"\xffcet",
	"cet",
	"",
}

func TestZoneAtEnd(t *testing.T) {
	for _, raw := range zoneAtEndSeeds {
		checkZoneAtEnd(t, strings.TrimSpace(raw))
		checkZoneAtEnd(t, raw)
	}
}

// FuzzZoneAtEnd holds offsetAtEnd and abbrevAtEnd to the regular
// expressions they stand for.
func FuzzZoneAtEnd(f *testing.F) {
	for _, s := range zoneAtEndSeeds {
		f.Add(s)
	}
	f.Fuzz(checkZoneAtEnd)
}

func checkZoneAtEnd(t *testing.T, raw string) {
	if got, want := offsetAtEnd(raw), offsetRe.MatchString(raw); got != want {
		t.Fatalf("offsetAtEnd(%+q) = %v, the regexp says %v", raw, got, want)
	}
	var got []string
	if abbr, ok := abbrevAtEnd(raw); ok {
		got = []string{"", abbr}
	}
	want := abbrevRe.FindStringSubmatch(raw)
	if want != nil {
		want[0] = ""
	}
	if !slices.Equal(got, want) {
		t.Fatalf("abbrevAtEnd(%+q) = %q, the regexp finds %q", raw, got, want)
	}
	off, ok := hourOffsetAtEnd(raw)
	wantOff, wantOK := 0, false
	if m := hourRe.FindStringSubmatch(raw); m != nil {
		h, _ := strconv.Atoi(m[2])
		if wantOK = h <= 14; wantOK {
			wantOff = h * 3600
			if m[1] == "-" {
				wantOff = -wantOff
			}
		}
	}
	if off != wantOff || ok != wantOK {
		t.Fatalf("hourOffsetAtEnd(%+q) = %d, %v; the regexp says %d, %v", raw, off, ok, wantOff, wantOK)
	}
}

// BenchmarkEntryTime reads the two commonest shapes of a feed date, an
// offset and an abbreviation at the end, with gofeed's reading given.
func BenchmarkEntryTime(b *testing.B) {
	parsed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, raw := range []string{"Mon, 02 Jan 2026 03:04:05 +0100", "Mon, 02 Jan 2026 03:04:05 GMT"} {
		b.Run(raw[strings.LastIndexByte(raw, ' ')+1:], func(b *testing.B) {
			for b.Loop() {
				EntryTime(raw, &parsed, time.UTC)
			}
		})
	}
}
