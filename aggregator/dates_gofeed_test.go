package aggregator

import (
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/feeds"
)

// TestEntryTimeThroughGofeed reads dates as a poll does, gofeed first:
// seen from outside, a date in CET, WEST, CEST, EST or PST was placed off by
// its zone's offset, which gofeed had applied and EntryTime applied again,
// and a bare "+01" was read as local time or as UTC depending on the
// layout gofeed matched.
func TestEntryTimeThroughGofeed(t *testing.T) {
	casablanca, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		raw  string
		want time.Time
	}{
		{"Sun, 01 Mar 2026 12:00:00 CET", utc("2026-03-01T11:00:00Z")},
		{"Sun, 01 Mar 2026 12:00:00 EST", utc("2026-03-01T17:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 WEST", utc("2026-06-01T11:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 WET", utc("2026-06-01T12:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 CEST", utc("2026-06-01T10:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 PST", utc("2026-06-01T20:00:00Z")},
		{"Mon, 01 Jun 2026 03:00:00 PM CET", utc("2026-06-01T14:00:00Z")},
		{"Mon, 01 Jun 2026 12:30:00 AM CET", utc("2026-05-31T23:30:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 GMT", utc("2026-06-01T12:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 +0100", utc("2026-06-01T11:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 +01", utc("2026-06-01T11:00:00Z")},
		{"2026-03-01 12:00:00 +01", utc("2026-03-01T11:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 +12", utc("2026-06-01T00:00:00Z")},
		{"2026-06-01 12:00:00 -05", utc("2026-06-01T17:00:00Z")},
		// Seen from outside at the third look: zones and 12-hour clocks in
		// dates gofeed does not read (French and Arabic months, ISO with a
		// bare hour) were ignored. Casablanca is at +01:00 in December.
		{"Lun, 07 Déc 2026 05:00:00 EST", utc("2026-12-07T10:00:00Z")},
		{"Lun, 07 Déc 2026 02:00:00 PST", utc("2026-12-07T10:00:00Z")},
		{"Lun, 07 Déc 2026 10:00:00 WET", utc("2026-12-07T10:00:00Z")},
		{"Lun, 07 Déc 2026 10:00:00 CEST", utc("2026-12-07T08:00:00Z")},
		{"Lun, 07 Déc 2026 05:00:00 -05", utc("2026-12-07T10:00:00Z")},
		{"الاثنين 7 دجنبر 2026 05:00:00 -05", utc("2026-12-07T10:00:00Z")},
		{"Dec 7, 2026 1:30 PM", utc("2026-12-07T12:30:00Z")},
		{"Dec 7, 2026 12:30 AM", utc("2026-12-06T23:30:00Z")},
		{"Lun, 07 Déc 2026 01:00:00 PM +0000", utc("2026-12-07T13:00:00Z")},
		{"07 décembre 2026 01:00 PM", utc("2026-12-07T12:00:00Z")},
		{"07 décembre 2026 12:10 am", utc("2026-12-06T23:10:00Z")},
		{"7 دجنبر 2026 01:00 PM", utc("2026-12-07T12:00:00Z")},
		{"7 دجنبر 2026 01:00 م", utc("2026-12-07T12:00:00Z")},
		{"7 دجنبر 2026 11:00 ص", utc("2026-12-07T10:00:00Z")},
		{"2026-12-07 12:30 AM", utc("2026-12-06T23:30:00Z")},
		{"2026-12-07T10:00:00+01", utc("2026-12-07T09:00:00Z")},
		{"2026-12-07T08:00:00-05", utc("2026-12-07T13:00:00Z")},
		{"mardi 8 décembre 2026 à 10h00 (heure de New York, EST)", utc("2026-12-08T15:00:00Z")},
		// Seen from outside at the fourth look: Morocco's "GMT+1", written
		// out, read as GMT; evening written in Arabic; a Hijri date before
		// the Gregorian one; hour-only times, "1er", slashed ISO dates, a
		// day-month-year with dashes, two-digit years; French "est".
		{"7 décembre 2026 10:30 GMT+1", utc("2026-12-07T09:30:00Z")},
		{"Lundi 7 décembre 2026 - 10:30 (GMT+1)", utc("2026-12-07T09:30:00Z")},
		{"07/12/2026 10:30 GMT+01:00", utc("2026-12-07T09:30:00Z")},
		{"07 décembre 2026 10:30:00 UTC+1", utc("2026-12-07T09:30:00Z")},
		{"Mon, 07 Dec 2026 10:30:00 GMT+1", utc("2026-12-07T09:30:00Z")},
		{"Mon, 07 Dec 2026 10:30:00 UTC+0100", utc("2026-12-07T09:30:00Z")},
		{"2026-12-07T10:30:00 GMT+1", utc("2026-12-07T09:30:00Z")},
		{"7 Dec 2026 10:30 GMT-0500", utc("2026-12-07T15:30:00Z")},
		{"الاثنين 07 دجنبر 2026 - 04:30 مساءً", utc("2026-12-07T15:30:00Z")},
		{"الاثنين 07 دجنبر 2026 - 09:30 صباحا", utc("2026-12-07T08:30:00Z")},
		{"الاثنين 5 رجب 1448 الموافق 7 دجنبر 2026 - 10:30", utc("2026-12-07T09:30:00Z")},
		{"Publié le lundi 7 décembre 2026 à 10h", utc("2026-12-07T09:00:00Z")},
		{"Publié le 1er décembre 2026 à 10h30", utc("2026-12-01T09:30:00Z")},
		{"07-12-2026 10:30", utc("2026-12-07T09:30:00Z")},
		{"2026/12/07 10:30", utc("2026-12-07T09:30:00Z")},
		{"Lun, 07 Déc 26 10:30:00 +0100", utc("2026-12-07T09:30:00Z")},
		{"Lundi 7 décembre 2026 10:30 est", utc("2026-12-07T09:30:00Z")},
		// Seen from outside at the fifth look: numbers after a date without a
		// year taken for a two-digit year; day/month read month-first
		// by gofeed; two-digit numeric years; an offset inside the date; a
		// time range's end taken for an offset; Arabic night, afternoon
		// and GMT written out.
		{"Mon Dec 07 2026 09:30:00 GMT+0000 (UTC)", utc("2026-12-07T09:30:00Z")},
		{"Mon Dec 07 2026 10:30:00 GMT+0100 (CET)", utc("2026-12-07T09:30:00Z")},
		{"07/12/2026 10:30 AM", utc("2026-12-07T09:30:00Z")},
		{"06/12/2026 10:30 PM", utc("2026-12-06T21:30:00Z")},
		{"07/12/2026 10:30:00 GMT", utc("2026-12-07T10:30:00Z")},
		{"07/12/26 10:30", utc("2026-12-07T09:30:00Z")},
		{"07-12-26 10:30", utc("2026-12-07T09:30:00Z")},
		{"Dimanche 6 décembre 2026, 10:30-12:00", utc("2026-12-06T09:30:00Z")},
		{"06/12/2026 10:30-12:00", utc("2026-12-06T09:30:00Z")},
		{"6 دجنبر 2026 - 10:30 ليلا", utc("2026-12-06T21:30:00Z")},
		{"6 دجنبر 2026 - 3:15 بعد الظهر", utc("2026-12-06T14:15:00Z")},
		{"7 دجنبر 2026 - 10:30 بتوقيت غرينتش", utc("2026-12-07T10:30:00Z")},
		// No zone, or one nobody knows: the source's wall clock (Casablanca, +01:00 in June).
		{"Mon, 01 Jun 2026 12:00:00", utc("2026-06-01T11:00:00Z")},
		{"Mon, 01 Jun 2026 12:00:00 XYZ", utc("2026-06-01T11:00:00Z")},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			doc, err := feeds.Decode([]byte(`<rss version="2.0"><channel><title>t</title><item><title>a</title><link>http://x.ma/1</link><pubDate>`+tt.raw+`</pubDate></item></channel></rss>`), "", "")
			if err != nil {
				t.Fatal(err)
			}
			e := doc.Entries[0]
			got, ok := EntryTime(e.Published, e.PublishedParsed, casablanca)
			if !ok || !got.Equal(tt.want) {
				t.Errorf("EntryTime = %s (%v), want %s (gofeed read %v)", got.UTC(), ok, tt.want, e.PublishedParsed)
			}
		})
	}
}

// TestResolved holds the reading of a zone gofeed may or may not have
// applied (a gofeed before 1.4 read every abbreviation as UTC).
func TestResolved(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 6, 6, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		raw    string
		parsed time.Time
		off    int
		want   time.Time
	}{
		{"applied by gofeed", "Sat, 06 Jun 2026 12:30:00 CET", at(11, 30), 3600, at(11, 30)},
		{"read as UTC by gofeed", "Sat, 06 Jun 2026 12:30:00 CET", at(12, 30), 3600, at(11, 30)},
		{"a French Saturday is no AM", "Sam, 06 Jun 2026 12:30:00 CET", at(12, 30), 3600, at(11, 30)},
		{"PM after the clock, read as UTC", "Sat, 06 Jun 2026 3:30:00 PM EST", at(15, 30), -5 * 3600, at(20, 30)},
		{"PM after the clock, applied", "Sat, 06 Jun 2026 3:30:00 PM EST", at(20, 30), -5 * 3600, at(20, 30)},
		{"no clock: gofeed trusted", "Sat, 06 Jun 2026 CET", at(0, 0), 3600, at(0, 0)},
		{"a zero offset changes nothing", "Sat, 06 Jun 2026 12:30:00 GMT", at(12, 30), 0, at(12, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolved(tt.raw, tt.parsed, tt.off); !got.Equal(tt.want) {
				t.Errorf("resolved = %s, want %s", got, tt.want)
			}
		})
	}
}

// FuzzParseLocalised reads any text as a date: it never panics, and a date
// it reads (not a Unix time) has a year of its own, 1900–2099, and a clock
// and offset in range.
func FuzzParseLocalised(f *testing.F) {
	for _, s := range []string{"Lun, 07 Déc 2026 05:00:00 EST", "2026-12-07T10:00:00+01", "7 دجنبر 2026 01:00 م", "Dec 7, 2026 12:30 AM",
		"mardi 14 avril 2026 - 16h04", "14/04/2026 16:04", "Dim, 01 Mar 2026 12:00:00 +0100", " -05", "12:00 pm", "2026-13-40 25:61"} {
		f.Add(s)
	}
	casablanca, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := parseLocalised(raw, casablanca)
		if !ok || unixRe.MatchString(digitFold.Replace(strings.ToLower(strings.TrimSpace(raw)))) {
			return
		}
		if y := got.Year(); y < 1899 || y > 2100 {
			t.Fatalf("parseLocalised(%q) = %s: year out of range", raw, got)
		}
	})
}

// TestDatesWithoutAYear: seen from outside at the fifth look, a day and a
// month followed by any number ("10 heures", "15 commentaires") took it
// for a two-digit year, and the item was stored in 2010 or dropped as
// expired. A date without a year is not read: first-seen places it.
func TestDatesWithoutAYear(t *testing.T) {
	for _, raw := range []string{"Lundi 7 décembre, 10 heures", "7 décembre, 15 commentaires", "الإثنين 7 دجنبر, 10 صباحا", "5 دجنبر, 22 تعليق", "7 déc. 10.30"} {
		if got, ok := parseLocalised(raw, time.UTC); ok {
			t.Errorf("parseLocalised(%q) = %s, want no date", raw, got)
		}
	}
}

// FuzzMayHoldNumDate holds the cheap test to the expression it stands
// before: every string numDateRe matches passes it.
func FuzzMayHoldNumDate(f *testing.F) {
	for _, s := range []string{"07/12/2026 10:30", "x-07/12/2026", "2026-12-07T10:00:00+01:00", "123/12/2026", "1.2.26", "Mon, 07 Dec 2026 10:30:00 +0100", "_07/12/26"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if numDateRe.MatchString(s) && !mayHoldNumDate(s) {
			t.Fatalf("numDateRe matches %q, mayHoldNumDate says no", s)
		}
	})
}
