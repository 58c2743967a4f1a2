package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/server"
)

// TestHostileFieldSizes attacks every output with one source's oversized
// fields, as an outside tester did: items whose links were 1 MiB each made
// /feed.rss, /feed.atom, /feed.json and the HTML pages 1 MiB an item, and
// the service's memory grew with every poll. Each item is kept (its title
// is news), without what no reader can use: a link, an image, a GUID or an
// author of that size.
func TestHostileFieldSizes(t *testing.T) {
	huge := strings.Repeat("Z", 1<<20)
	var doc strings.Builder
	doc.WriteString(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://example.ma/</link>`)
	for i := range 4 {
		fmt.Fprintf(&doc, `<item><title>Titre numéro %d du flux</title><link>https://example.ma/a/%d?q=%s#%s</link><guid isPermaLink="false">id-%d-%s</guid>`+
			`<dc:creator>%s</dc:creator><media:content url="https://example.ma/i/%d.jpg?%s" medium="image"/><pubDate>Tue, 14 Apr 2026 12:0%d:00 GMT</pubDate></item>`,
			i, i, huge, huge, i, huge, huge, i, huge, i)
	}
	doc.WriteString(`</channel></rss>`)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(doc.String()))
	}))
	defer src.Close()

	dir := t.TempDir()
	p, cfg := testPipeline(t, dir, fmt.Sprintf("database: %s\nbase_url: http://nashra.test\nmax_body_mb: 32\noutputs: [{name: all, stories: false}]\nsources:\n  - {name: huge, url: %q, language: fr}\n",
		filepath.Join(dir, "db"), src.URL))
	for _, r := range p.scheduler.RunOnce(t.Context()) {
		if r.Err != nil {
			t.Fatalf("poll %s: %v", r.Source, r.Err)
		}
	}
	web := httptest.NewServer(server.New(cfg, p.store, nil, nil).Handler())
	defer web.Close()
	for _, page := range []string{"/feed.rss", "/feed.atom", "/feed.json", "/"} {
		body := string(readAll(t, get(t, web.URL+page).Body))
		if len(body) > 64<<10 {
			t.Errorf("%s: %d bytes for four items", page, len(body))
		}
		for i := range 4 {
			if !strings.Contains(body, fmt.Sprintf("Titre numéro %d du flux", i)) {
				t.Errorf("%s lacks item %d", page, i)
			}
		}
	}
}
