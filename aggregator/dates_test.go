package aggregator

import (
	"testing"
	"time"
)

func TestEntryTime(t *testing.T) {
	casa, _ := time.LoadLocation("Africa/Casablanca")
	parsed := func(s string) *time.Time {
		for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.RFC3339, "2006-01-02 15:04:05"} {
			if p, err := time.Parse(layout, s); err == nil {
				return &p
			}
		}
		t.Fatalf("test date %q does not parse", s)
		return nil
	}
	tests := []struct {
		name   string
		raw    string
		parsed *time.Time
		want   string // UTC RFC 3339, "" for no date
	}{
		{"+0000", "Tue, 14 Apr 2026 15:04:07 +0000", parsed("Tue, 14 Apr 2026 15:04:07 +0000"), "2026-04-14T15:04:07Z"},
		{"+0100", "Tue, 14 Apr 2026 16:01:00 +0100", parsed("Tue, 14 Apr 2026 16:01:00 +0100"), "2026-04-14T15:01:00Z"},
		{"+0200 taken at face value", "Tue, 14 Apr 2026 17:20:00 +0200", parsed("Tue, 14 Apr 2026 17:20:00 +0200"), "2026-04-14T15:20:00Z"},
		{"GMT", "Tue, 14 Apr 2026 15:12:00 GMT", parsed("Tue, 14 Apr 2026 15:12:00 GMT"), "2026-04-14T15:12:00Z"},
		{"CET abbreviation is not UTC", "Tue, 14 Apr 2026 16:12:00 CET", parsed("Tue, 14 Apr 2026 16:12:00 CET"), "2026-04-14T15:12:00Z"},
		{"no zone is Casablanca wall clock (UTC+1 in April)", "2026-04-14 16:04:00", parsed("2026-04-14 16:04:00"), "2026-04-14T15:04:00Z"},
		{"no zone during Ramadan (UTC+0)", "2026-03-01 12:00:00", parsed("2026-03-01 12:00:00"), "2026-03-01T12:00:00Z"},
		{"French day and month names", "Lun, 15 Avr 2024 10:30:00 +0100", nil, "2024-04-15T09:30:00Z"},
		{"French long form, no zone", "mardi 14 avril 2026 - 16h04", nil, "2026-04-14T15:04:00Z"},
		// Seen from outside: "Mar" for mars was not read ("Mar" is mardi too).
		{"French Mar for mars", "Dim, 01 Mar 2026 12:00:00 +0100", nil, "2026-03-01T11:00:00Z"},
		{"French Mar for mars, no zone (Ramadan, UTC+0)", "Dim, 01 Mar 2026 12:00:00", nil, "2026-03-01T12:00:00Z"},
		{"French Mar for mardi, then a month", "Mar, 14 Avr 2026 10:30:00 +0100", nil, "2026-04-14T09:30:00Z"},
		{"French Mar for mardi and for mars", "Mar, 03 Mar 2026 10:30:00 +0100", nil, "2026-03-03T09:30:00Z"},
		{"French août", "3 août 2026 08:15", nil, "2026-08-03T07:15:00Z"},
		{"Moroccan Arabic ماي", "الخميس 14 ماي 2026 - 16:04", nil, "2026-05-14T15:04:00Z"},
		{"Moroccan Arabic شتنبر", "2 شتنبر 2026", nil, "2026-09-01T23:00:00Z"},
		{"Moroccan Arabic دجنبر with zone", "25 دجنبر 2025 10:00 +0100", nil, "2025-12-25T09:00:00Z"},
		{"Mashriqi Arabic أغسطس", "10 أغسطس 2026 09:30", nil, "2026-08-10T08:30:00Z"},
		{"Eastern Arabic digits", "١٤ أبريل ٢٠٢٦ ١٦:٠٤", nil, "2026-04-14T15:04:00Z"},
		{"numeric day-first", "14/04/2026 16:04", nil, "2026-04-14T15:04:00Z"},
		{"unix seconds", "1776179047", nil, "2026-04-14T15:04:07Z"},
		{"unix milliseconds", "1776179047000", nil, "2026-04-14T15:04:07Z"},
		{"impossible date", "31 avril 2026", nil, ""},
		{"garbage", "hier soir", nil, ""},
		{"empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := EntryTime(tt.raw, tt.parsed, casa)
			if tt.want == "" {
				if ok {
					t.Fatalf("EntryTime(%q) = %v, want no date", tt.raw, got)
				}
				return
			}
			if !ok || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("EntryTime(%q) = %v %v, want %s", tt.raw, got.Format(time.RFC3339), ok, tt.want)
			}
		})
	}
}

func TestEffectiveTime(t *testing.T) {
	now := time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)
	pub := now.Add(-time.Hour)
	upd := now.Add(-30 * time.Minute)
	future := now.Add(40 * time.Hour)
	tests := []struct {
		name           string
		published, upd time.Time
		want           time.Time
		from           string
	}{
		{"published wins", pub, upd, pub, "published"},
		{"updated when no published", time.Time{}, upd, upd, "updated"},
		{"first-seen when no date", time.Time{}, time.Time{}, now, "first-seen"},
		{"future published distrusted", future, time.Time{}, now, "first-seen"},
		{"future published, sane updated", future, upd, upd, "updated"},
		{"small clock skew believed", now.Add(5 * time.Minute), time.Time{}, now.Add(5 * time.Minute), "published"},
		// Seen from outside: year 0 and 1800 taken as published (shown
		// as -0001-12-31, Casablanca's local mean time).
		{"year 1 published distrusted", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), upd, upd, "updated"},
		{"1800 published and updated distrusted", time.Date(1800, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(1800, 5, 1, 0, 0, 0, 0, time.UTC), now, "first-seen"},
		{"1989 distrusted", time.Date(1989, 12, 31, 23, 0, 0, 0, time.UTC), time.Time{}, now, "first-seen"},
		{"an old date since 1990 believed", time.Date(1999, 3, 4, 0, 0, 0, 0, time.UTC), time.Time{}, time.Date(1999, 3, 4, 0, 0, 0, 0, time.UTC), "published"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, from := EffectiveTime(tt.published, tt.upd, now)
			if !got.Equal(tt.want) || from != tt.from {
				t.Errorf("got %v %s, want %v %s", got, from, tt.want, tt.from)
			}
		})
	}
}
