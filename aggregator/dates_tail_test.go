package aggregator

import (
	"slices"
	"strings"
	"testing"
)

// FuzzDateTail checks that offsetRe and abbrevRe find in dateTail what
// they find in the whole trimmed date: EntryTime asks only the tail.
func FuzzDateTail(f *testing.F) {
	for _, s := range []string{
		"Tue, 14 Apr 2026 12:00:00 +0100",
		"2026-04-14T12:00:00+01:00",
		"2026-04-14T12:00:00Z",
		"Mon, 13 Apr 2026 10:30:00 GMT",
		"الثلاثاء 14 أبريل 2026 12:00 CET",
		"Lun, 15 Avr 2024 09:00:00 ſ",
		"14 ماي 2026 K",
		"Tue, 14 Apr 2026 12:00:00 ABCDEF",
		"12:00 x1cet",
		"Tue, 14 Apr 2026 12:00:00 KKKKK",
		"Tue, 14 Apr 2026 12:00:00 āKKKKK",
		"Tue, 14 Apr 2026 12:00:00 aſſſſ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		raw = strings.TrimSpace(raw)
		tail := dateTail(raw)
		if a, b := offsetRe.MatchString(raw), offsetRe.MatchString(tail); a != b {
			t.Fatalf("offsetRe on %+q: %v, on its tail %+q: %v", raw, a, tail, b)
		}
		if a, b := abbrevRe.FindStringSubmatch(raw), abbrevRe.FindStringSubmatch(tail); !slices.Equal(a, b) {
			t.Fatalf("abbrevRe on %+q: %q, on its tail %+q: %q", raw, a, tail, b)
		}
	})
}
