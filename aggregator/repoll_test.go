package aggregator

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// handed records how many items each SavePoll was handed: what the poller
// normalised and asked the real store to decide.
type handed struct {
	archive.Store
	items []int
}

func (h *handed) SavePoll(ctx context.Context, source string, st archive.SourceState, items []news.Item) (archive.PollCounts, error) {
	h.items = append(h.items, len(items))
	return h.Store.SavePoll(ctx, source, st, items)
}

func repollFeed(buildDate, itemsXML string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link>
<lastBuildDate>` + buildDate + `</lastBuildDate>` + itemsXML + `</channel></rss>`
}

const (
	repollItems = `<item><title>واحد</title><link>https://x.ma/1</link><guid>https://x.ma/?p=1</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate><description>&lt;p&gt;نص أول&lt;/p&gt;</description></item>
<item><title>اثنان</title><link>https://x.ma/2</link><guid>https://x.ma/?p=2</guid><pubDate>Tue, 14 Apr 2026 14:04:07 +0000</pubDate></item>`
	repollEdited = `<item><title>واحد، معدل</title><link>https://x.ma/1</link><guid>https://x.ma/?p=1</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate><description>&lt;p&gt;نص أول&lt;/p&gt;</description></item>
<item><title>اثنان</title><link>https://x.ma/2</link><guid>https://x.ma/?p=2</guid><pubDate>Tue, 14 Apr 2026 14:04:07 +0000</pubDate></item>`
	repollThird  = `<item><title>ثلاثة</title><link>https://x.ma/3</link><guid>https://x.ma/?p=3</guid><pubDate>Tue, 14 Apr 2026 15:20:07 +0000</pubDate></item>`
	repollFuture = `<item><title>غدا</title><link>https://x.ma/9</link><guid>https://x.ma/?p=9</guid><pubDate>Wed, 15 Apr 2026 15:04:07 +0000</pubDate></item>`
)

// A re-poll whose items are the last poll's, under a new lastBuildDate and
// without validators, hands the store nothing to decide: the items are known
// unchanged from the document's digest. Whatever changes an item (an edit, a
// new entry, the source's settings, a date whose placement depends on the
// clock) goes the full way, and the knowledge survives a restart.
func TestRepollOfUnchangedItems(t *testing.T) {
	cases := []struct {
		name string
		// first and second are the item XML of the two polls; reopen
		// restarts the store between them; lang is the source's language at
		// the second poll.
		first, second string
		reopen        bool
		lang          string
		wantHanded    int // items handed to SavePoll by the second poll
		wantCounts    archive.PollCounts
		wantTitle     string // the stored title of https://x.ma/1
	}{
		{name: "only the channel date changes", first: repollItems, second: repollItems,
			wantHanded: 0, wantCounts: archive.PollCounts{Unchanged: 2}, wantTitle: "واحد"},
		{name: "restart between the polls", first: repollItems, second: repollItems, reopen: true,
			wantHanded: 0, wantCounts: archive.PollCounts{Unchanged: 2}, wantTitle: "واحد"},
		{name: "a title edited lands", first: repollItems, second: repollEdited,
			wantHanded: 2, wantCounts: archive.PollCounts{Updated: 1, Unchanged: 1}, wantTitle: "واحد، معدل"},
		{name: "a new entry is stored", first: repollItems, second: repollThird + repollItems,
			wantHanded: 3, wantCounts: archive.PollCounts{New: 1, Unchanged: 2}, wantTitle: "واحد"},
		{name: "the source's language changed in the config", first: repollItems, second: repollItems, lang: "fr",
			wantHanded: 2, wantCounts: archive.PollCounts{Updated: 2}, wantTitle: "واحد"},
		{name: "a future-dated entry is placed again", first: repollFuture + repollItems, second: repollFuture + repollItems,
			wantHanded: 3, wantCounts: archive.PollCounts{Unchanged: 3}, wantTitle: "واحد"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			feed := &switchable{}
			srv := httptest.NewServer(feed)
			defer srv.Close()
			path := filepath.Join(t.TempDir(), "p.db")
			open := func() *archive.Archive {
				a, err := archive.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				return a
			}
			store := open()
			h := &handed{Store: store}
			p := &Poller{Store: h, Fetcher: NewFetcher(2*time.Second, 1<<20, 2, "t"),
				Now: func() time.Time { return time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC) }}
			src := &config.Source{Name: "x", URL: srv.URL, Location: time.UTC, Language: "ar"}

			feed.set(200, "", repollFeed("Tue, 14 Apr 2026 15:10:00 +0000", c.first))
			if r := p.Poll(t.Context(), src, time.Time{}, false); r.Err != nil || r.Counts.New == 0 {
				t.Fatalf("first poll %+v", r)
			}
			if c.reopen {
				store.Close()
				h.Store = open()
			}
			if c.lang != "" {
				src.Language = c.lang
			}
			feed.set(200, "", repollFeed("Tue, 14 Apr 2026 15:25:00 +0000", c.second))
			r := p.Poll(t.Context(), src, time.Time{}, false)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := h.items[len(h.items)-1]; got != c.wantHanded {
				t.Errorf("second poll handed %d items to the store, want %d", got, c.wantHanded)
			}
			if r.Counts != c.wantCounts {
				t.Errorf("counts %+v, want %+v", r.Counts, c.wantCounts)
			}
			if r.Items != c.wantCounts.New+c.wantCounts.Updated+c.wantCounts.Unchanged {
				t.Errorf("items %d, want %d", r.Items, c.wantCounts.New+c.wantCounts.Updated+c.wantCounts.Unchanged)
			}
			got, err := h.Store.Newest(archive.Query{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			title := ""
			for _, it := range got {
				if it.Link == "https://x.ma/1" {
					title = it.Title
				}
			}
			if title != c.wantTitle {
				t.Errorf("stored title %q, want %q", title, c.wantTitle)
			}
		})
	}
}

// The digest changes with every field normalisation reads, and with nothing
// else of the document.
func TestDocumentDigest(t *testing.T) {
	base := func() (*feeds.Document, *config.Source, string) {
		pub := time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC)
		return &feeds.Document{Title: "t", Language: "ar", TTL: 5, Entries: []feeds.Entry{{
				GUID: "g", Link: "https://x.ma/1", Title: "واحد", Summary: "s", Content: "c", Author: "a",
				Categories: []string{"c1"}, Image: "https://x.ma/i.jpg", Published: "p", PublishedParsed: &pub,
			}}}, &config.Source{Name: "x", URL: "https://x.ma/feed", Language: "ar", Location: time.UTC},
			"https://x.ma/feed"
	}
	d0, s0, u0 := base()
	want := DocumentDigest(d0, s0, u0)
	cases := []struct {
		name    string
		change  func(*feeds.Document, *config.Source, *string)
		changes bool
	}{
		{"channel title", func(d *feeds.Document, _ *config.Source, _ *string) { d.Title = "u" }, false},
		{"channel ttl", func(d *feeds.Document, _ *config.Source, _ *string) { d.TTL = 9 }, false},
		{"entry title", func(d *feeds.Document, _ *config.Source, _ *string) { d.Entries[0].Title = "اثنان" }, true},
		{"summary moved into content", func(d *feeds.Document, _ *config.Source, _ *string) {
			d.Entries[0].Summary, d.Entries[0].Content = "", "s"+d.Entries[0].Content
		}, true},
		{"title becomes html", func(d *feeds.Document, _ *config.Source, _ *string) { d.Entries[0].Types.Title = feeds.TextHTML }, true},
		{"parsed date", func(d *feeds.Document, _ *config.Source, _ *string) { d.Entries[0].PublishedParsed = nil }, true},
		{"categories", func(d *feeds.Document, _ *config.Source, _ *string) { d.Entries[0].Categories = []string{"c", "1"} }, true},
		{"an entry added", func(d *feeds.Document, _ *config.Source, _ *string) {
			d.Entries = append(d.Entries, feeds.Entry{GUID: "h"})
		}, true},
		{"document language", func(d *feeds.Document, _ *config.Source, _ *string) { d.Language = "fr" }, true},
		{"fetched from elsewhere", func(_ *feeds.Document, _ *config.Source, u *string) { *u = "https://y.ma/feed" }, true},
		{"source time zone", func(_ *feeds.Document, s *config.Source, _ *string) { s.Location = time.FixedZone("X", 3600) }, true},
		{"source categories", func(_ *feeds.Document, s *config.Source, _ *string) { s.Categories = []string{"sport"} }, true},
		{"source max_items", func(_ *feeds.Document, s *config.Source, _ *string) { s.MaxItems = 1 }, true},
		{"source turned proxy", func(_ *feeds.Document, s *config.Source, _ *string) { yes := true; s.Proxy = &yes }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, s, u := base()
			c.change(d, s, &u)
			if got := DocumentDigest(d, s, u); (got != want) != c.changes {
				t.Errorf("digest changed: %v, want %v", got != want, c.changes)
			}
		})
	}
}
