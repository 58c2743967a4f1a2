package aggregator

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

var tallyNow = time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)

func entryAt(i int, title string, at time.Time) feeds.Entry {
	return feeds.Entry{GUID: fmt.Sprintf("g-%d", i), Link: fmt.Sprintf("https://x.ma/%d", i), Title: title, PublishedParsed: &at}
}

// TestNormaliseTally: entries left out or distrusted used to vanish without a
// count (untitled, repeated keys, future dates clamped) and a document of any
// size was stored whole (a 200k-item feed took minutes and 250 MB).
func TestNormaliseTally(t *testing.T) {
	many := func(n int) []feeds.Entry {
		var es []feeds.Entry
		for i := range n {
			// Oldest first, as some feeds order them: the newest are at the end.
			es = append(es, entryAt(i, fmt.Sprintf("t%d", i), tallyNow.Add(-time.Duration(n-i)*time.Minute)))
		}
		return es
	}
	tests := []struct {
		name      string
		entries   []feeds.Entry
		maxItems  int
		retention time.Duration
		want      Tally
		wantItems int
		first     string // the title kept first, in document order ("" to skip)
	}{
		{"untitled entries are counted", []feeds.Entry{entryAt(1, "a", tallyNow), entryAt(2, "", tallyNow), entryAt(3, "  <b></b> ", tallyNow)}, 0, 0, Tally{Untitled: 2}, 1, ""},
		{"a repeated key is counted", []feeds.Entry{entryAt(1, "a", tallyNow), entryAt(1, "a again", tallyNow)}, 0, 0, Tally{Repeated: 1}, 1, ""},
		{"future dates are counted", []feeds.Entry{entryAt(1, "a", tallyNow.Add(48*time.Hour)), entryAt(2, "b", tallyNow.Add(5*time.Minute))}, 0, 0, Tally{FutureDated: 1}, 2, ""},
		{"the default cap keeps the 1000 newest", many(1005), 0, 0, Tally{Capped: 5}, 1000, "t5"},
		{"a source's max_items", many(10), 3, 0, Tally{Capped: 7}, 3, "t7"},
		{"under the cap nothing is dropped", many(10), 10, 0, Tally{}, 10, "t0"},
		// Seen from outside: with retention 1h, a poll stored a feed's four
		// days of items and showed them until the hourly pass pruned them.
		{"entries older than retention are counted and left out", many(10), 0, 5*time.Minute + 30*time.Second, Tally{Expired: 5}, 5, "t5"},
		{"an undated entry is never older than retention", []feeds.Entry{{GUID: "g", Link: "https://x.ma/1", Title: "a"}}, 0, time.Hour, Tally{}, 1, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &config.Source{Name: "s", MaxItems: tt.maxItems, Retention: tt.retention}
			items, tally := NormaliseTally(&feeds.Document{Entries: tt.entries}, src, "https://x.ma/feed", tallyNow)
			if tally != tt.want || len(items) != tt.wantItems {
				t.Fatalf("tally = %+v, items = %d; want %+v, %d", tally, len(items), tt.want, tt.wantItems)
			}
			if tt.first != "" && items[0].Title != tt.first {
				t.Errorf("first kept = %q, want %q (document order, oldest dropped)", items[0].Title, tt.first)
			}
		})
	}
}

// TestEntriesWithoutGUIDSharingALink: a live blog or an outlet that points
// every item at its home page, without GUIDs, used to keep one item of many
// (the others were dropped as repeated keys).
func TestEntriesWithoutGUIDSharingALink(t *testing.T) {
	home := "https://x.ma/"
	at := func(m int) *time.Time { v := tallyNow.Add(time.Duration(-m) * time.Minute); return &v }
	doc := &feeds.Document{Entries: []feeds.Entry{
		{Link: home, Title: "Premier titre", PublishedParsed: at(1)},
		{Link: home, Title: "Deuxième titre", PublishedParsed: at(2)},
		{Link: home + "#c3", Title: "Troisième titre", PublishedParsed: at(3)},
		{Link: "https://x.ma/article-4", Title: "Quatrième", PublishedParsed: at(4)},
	}}
	items, tally := NormaliseTally(doc, &config.Source{Name: "s"}, "https://x.ma/feed", tallyNow)
	if len(items) != 4 || tally.Repeated != 0 {
		t.Fatalf("%d items, tally %+v; want 4 items, none repeated", len(items), tally)
	}
	if items[3].Identity != "link:https://x.ma/article-4" {
		t.Errorf("an item with its own link keeps the link identity, got %q", items[3].Identity)
	}
	again, _ := NormaliseTally(doc, &config.Source{Name: "s"}, "https://x.ma/feed", tallyNow.Add(time.Hour))
	for i := range items {
		if items[i].Key != again[i].Key {
			t.Errorf("item %d: key changed between polls (%s, %s)", i, items[i].Key, again[i].Key)
		}
	}
}

// TestOversizedFields: one source's fields of a megabyte each (seen from
// outside: 1 MiB links) made every output a megabyte an item. The item is
// kept; a link or image address too long for any reader is dropped, a GUID
// that long is kept as its digest, an author cut.
func TestOversizedFields(t *testing.T) {
	huge := strings.Repeat("Z", 1<<20)
	at := tallyNow.Add(-time.Hour)
	tests := []struct {
		name  string
		entry feeds.Entry
		check func(t *testing.T, it news.Item)
	}{
		{"a link of a megabyte is dropped with its fragment", feeds.Entry{GUID: "g", Link: "https://x.ma/a?q=" + huge + "#" + huge, Title: "t", PublishedParsed: &at},
			func(t *testing.T, it news.Item) {
				if it.Link != "" || it.Anchor != "" {
					t.Errorf("link %d bytes, anchor %d bytes", len(it.Link), len(it.Anchor))
				}
			}},
		{"an image of a megabyte is dropped", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Image: "https://x.ma/i.jpg?" + huge, Title: "t", PublishedParsed: &at},
			func(t *testing.T, it news.Item) {
				if it.Image != "" || it.Link != "https://x.ma/a" {
					t.Errorf("image %d bytes, link %q", len(it.Image), it.Link)
				}
			}},
		{"a GUID of a megabyte is kept as its digest", feeds.Entry{GUID: "id-" + huge, Link: "https://x.ma/a", Title: "t", PublishedParsed: &at},
			func(t *testing.T, it news.Item) {
				if len(it.GUID) > MaxURLBytes || !strings.HasPrefix(it.GUID, "sha256:") || len(it.Identity) > MaxURLBytes+16 {
					t.Errorf("GUID %d bytes (%.20q), identity %d bytes", len(it.GUID), it.GUID, len(it.Identity))
				}
				other := normaliseEntry(&feeds.Entry{GUID: "id-" + huge[1:] + "Y", Link: "https://x.ma/a", Title: "t", PublishedParsed: &at}, "s", nil, time.UTC, false, tallyNow)
				if other.Key == it.Key {
					t.Errorf("two GUIDs of a megabyte that differ in their last byte share a key")
				}
			}},
		{"a GUID at the cap is kept whole", feeds.Entry{GUID: strings.Repeat("g", MaxURLBytes), Link: "https://x.ma/a", Title: "t", PublishedParsed: &at},
			func(t *testing.T, it news.Item) {
				if it.GUID != strings.Repeat("g", MaxURLBytes) {
					t.Errorf("GUID changed: %.20q", it.GUID)
				}
			}},
		{"an author of a megabyte is cut", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Author: huge, Title: "t", PublishedParsed: &at},
			func(t *testing.T, it news.Item) {
				if len(it.Author) > maxAuthorBytes {
					t.Errorf("author %d bytes", len(it.Author))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, _ := NormaliseTally(&feeds.Document{Entries: []feeds.Entry{tt.entry}}, &config.Source{Name: "s"}, "https://x.ma/feed", tallyNow)
			if len(items) != 1 || items[0].Title != "t" {
				t.Fatalf("items %+v, want the entry kept", items)
			}
			tt.check(t, items[0])
		})
	}
}

// TestLongMarkupBeforeText: a title or summary whose text stands after a
// long attribute was cut inside the tag, and the text was lost (seen from
// outside: a title behind a 2,100-byte href went untitled, a summary after
// a 40 KB inline image was dropped). The caps bound the text, not the markup.
func TestLongMarkupBeforeText(t *testing.T) {
	at := tallyNow.Add(-time.Hour)
	longHref := `<a href="http://x.ma/` + strings.Repeat("y", 2100) + `">Headline behind a long anchor</a>`
	inlineImage := `<img src="data:image/png;base64,` + strings.Repeat("A", 40<<10) + `"><p>The real summary of the article.</p>`
	tests := []struct {
		name                  string
		entry                 feeds.Entry
		wantTitle, wantSummry string
	}{
		{"a title behind a long attribute", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Title: longHref, PublishedParsed: &at, Types: feeds.TextTypes{Title: feeds.TextHTML}},
			"Headline behind a long anchor", ""},
		{"a guessed title behind a long attribute", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Title: longHref, PublishedParsed: &at},
			"Headline behind a long anchor", ""},
		{"a summary after an inline image", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Title: "t", Summary: inlineImage, PublishedParsed: &at, Types: feeds.TextTypes{Summary: feeds.TextHTML}},
			"t", "The real summary of the article."},
		{"long text is still cut", feeds.Entry{GUID: "g", Link: "https://x.ma/a", Title: "<b>" + strings.Repeat("كلمة ", 1000) + "</b>", PublishedParsed: &at, Types: feeds.TextTypes{Title: feeds.TextHTML}},
			strings.TrimSpace(truncateBytes(strings.Repeat("كلمة ", 1000), maxTitleBytes)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, tally := NormaliseTally(&feeds.Document{Entries: []feeds.Entry{tt.entry}}, &config.Source{Name: "s"}, "https://x.ma/feed", tallyNow)
			if len(items) != 1 {
				t.Fatalf("no item (tally %+v)", tally)
			}
			if items[0].Title != tt.wantTitle {
				t.Errorf("title %.80q, want %.80q", items[0].Title, tt.wantTitle)
			}
			if tt.wantSummry != "" && items[0].Summary != tt.wantSummry {
				t.Errorf("summary %.80q, want %q", items[0].Summary, tt.wantSummry)
			}
		})
	}
}

// TestDatesNotBelieved: seen from outside, an Atom entry updated in 2099
// was republished with that date (readers sorting by it pin the item on
// top), and a date of 1989 was counted as future-dated.
func TestDatesNotBelieved(t *testing.T) {
	now := tallyNow
	future, old, fine := now.Add(1000*24*time.Hour), time.Date(1989, 12, 31, 10, 0, 0, 0, time.UTC), now.Add(-time.Hour)
	tests := []struct {
		name        string
		entry       feeds.Entry
		wantUpdated time.Time
		wantFrom    string
		want        Tally
	}{
		{"updated in the future, no published", feeds.Entry{GUID: "a", Title: "a", Updated: "x", UpdatedParsed: &future}, time.Time{}, "first-seen", Tally{FutureDated: 1}},
		{"published now, updated in the future", feeds.Entry{GUID: "b", Title: "b", Published: "x", PublishedParsed: &fine, Updated: "x", UpdatedParsed: &future}, time.Time{}, "published", Tally{}},
		{"published before 1990 is not future-dated", feeds.Entry{GUID: "c", Title: "c", Published: "x", PublishedParsed: &old}, time.Time{}, "first-seen", Tally{}},
		{"updated before 1990 is not published", feeds.Entry{GUID: "d", Title: "d", Published: "x", PublishedParsed: &fine, Updated: "x", UpdatedParsed: &old}, time.Time{}, "published", Tally{}},
		{"a believable update is kept", feeds.Entry{GUID: "e", Title: "e", Published: "x", PublishedParsed: &fine, Updated: "x", UpdatedParsed: &fine}, fine, "published", Tally{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, tally := NormaliseTally(&feeds.Document{Entries: []feeds.Entry{tt.entry}}, &config.Source{Name: "s"}, "https://x.ma/feed", now)
			if len(items) != 1 || tally != tt.want {
				t.Fatalf("%d items, tally %+v; want 1, %+v", len(items), tally, tt.want)
			}
			if it := items[0]; !it.Updated.Equal(tt.wantUpdated) || it.TimeFrom != tt.wantFrom {
				t.Errorf("updated %s, time from %s; want %s, %s", it.Updated, it.TimeFrom, tt.wantUpdated, tt.wantFrom)
			}
		})
	}
}
