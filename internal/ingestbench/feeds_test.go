package main

import (
	"bytes"
	"compress/gzip"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// The generated feeds are what the benchmark claims: 50 items a feed with
// distinct ids and links, categories, varied ~300-character summaries that
// do not compress away, and a channel date that alone changes between
// versions.
func TestGeneratedFeeds(t *testing.T) {
	c := newCorpus()
	now := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	guids, links, summaries := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var all bytes.Buffer
	for i := range 4 {
		f := c.generate(feedSpec{index: i, items: itemsPerFeed, newest: now, step: 7 * time.Minute})
		doc, err := gofeed.NewParser().Parse(bytes.NewReader(f.body(now, 0)))
		if err != nil {
			t.Fatalf("feed %d: %v", i, err)
		}
		if len(doc.Items) != itemsPerFeed {
			t.Fatalf("feed %d: %d items, want %d", i, len(doc.Items), itemsPerFeed)
		}
		if want := []string{"ar", "fr"}[i%2]; doc.Language != want {
			t.Errorf("feed %d: language %q, want %q", i, doc.Language, want)
		}
		for _, it := range doc.Items {
			guids[it.GUID], links[it.Link], summaries[it.Description] = true, true, true
			if len(it.Categories) == 0 || it.PublishedParsed == nil {
				t.Errorf("feed %d item %s: categories %v, date %v", i, it.GUID, it.Categories, it.PublishedParsed)
			}
			if n := utf8.RuneCountInString(it.Description); n < summaryChars || n > 2*summaryChars+200 {
				t.Errorf("feed %d item %s: description of %d characters", i, it.GUID, n)
			}
			all.WriteString(it.Description)
		}
		if again := c.generate(feedSpec{index: i, items: itemsPerFeed, newest: now, step: 7 * time.Minute}); !bytes.Equal(again.body(now, 0), f.body(now, 0)) {
			t.Errorf("feed %d: not the same bytes when generated twice", i)
		}
		v1 := f.body(now, 1)
		if bytes.Equal(v1, f.body(now, 0)) || len(v1) != len(f.body(now, 0)) {
			t.Errorf("feed %d: version 1 should differ from version 0 in its channel date only", i)
		}
		doc1, err := gofeed.NewParser().Parse(bytes.NewReader(v1))
		if err != nil || doc1.UpdatedParsed == nil || doc1.UpdatedParsed.Equal(*doc.UpdatedParsed) {
			t.Errorf("feed %d: version 1's channel date %v, version 0's %v (%v)", i, doc1.UpdatedParsed, doc.UpdatedParsed, err)
		}
	}
	if n := 4 * itemsPerFeed; len(guids) != n || len(links) != n || len(summaries) != n {
		t.Errorf("distinct guids %d, links %d, summaries %d; want %d each", len(guids), len(links), len(summaries), n)
	}
	// Varied text: gzip keeps about a quarter of it, near the third it keeps
	// of real news prose (the generated words have few syllables); a
	// repeated paragraph would shrink to a few percent.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(all.Bytes())
	zw.Close()
	if ratio := float64(z.Len()) / float64(all.Len()); ratio < 0.2 {
		t.Errorf("summaries compress to %.0f%%: too repetitive", ratio*100)
	}
}
