package server

import (
	"strings"
	"testing"
)

// Every response carries validators and a cache policy, so that readers and
// proxies can ask "changed?" and get a 304: the status pages, the sources
// OPML, outputs with no items yet and the icons included.
func TestEveryResponseHasValidators(t *testing.T) {
	s, _ := newTestServer(t) // an empty store: every output is empty
	tests := []struct {
		scenario, path, contentType string
	}{
		{"sources page", "/sources", "text/html; charset=utf-8"},
		{"sources json", "/sources.json", "application/json; charset=utf-8"},
		{"sources opml", "/sources.opml", "text/x-opml; charset=utf-8"},
		{"empty output as rss", "/feed.rss", "application/rss+xml; charset=utf-8"},
		{"empty output as atom", "/feeds/fr.atom", "application/atom+xml; charset=utf-8"},
		{"empty output as json", "/feed.json", "application/feed+json; charset=utf-8"},
		{"empty output page", "/", "text/html; charset=utf-8"},
		{"empty output text", "/ticker.txt", "text/plain; charset=utf-8"},
		{"favicon", "/favicon.ico", "image/x-icon"},
		{"svg icon", "/icon.svg", "image/svg+xml"},
		{"small png icon", "/icon-64.png", "image/png"},
		{"large png icon", "/icon-512.png", "image/png"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			first := serve(s, "GET", tt.path)
			h := first.Header()
			if first.Code != 200 || h.Get("Content-Type") != tt.contentType {
				t.Fatalf("%d %q, want 200 %q", first.Code, h.Get("Content-Type"), tt.contentType)
			}
			for _, name := range []string{"ETag", "Last-Modified", "Cache-Control"} {
				if h.Get(name) == "" {
					t.Errorf("no %s", name)
				}
			}
			if h.Get("Cache-Control") == "no-cache" || h.Get("Cache-Control") == "no-store" {
				t.Errorf("Cache-Control %q", h.Get("Cache-Control"))
			}
			again := serve(s, "GET", tt.path)
			if again.Header().Get("ETag") != h.Get("ETag") || again.Body.String() != first.Body.String() {
				t.Errorf("a second request with nothing changed got other bytes or ETag (%s → %s)", h.Get("ETag"), again.Header().Get("ETag"))
			}
			if h.Get("ETag") == "" {
				return
			}
			if rec := serve(s, "GET", tt.path, "If-None-Match", h.Get("ETag")); rec.Code != 304 {
				t.Errorf("If-None-Match its ETag: %d, want 304", rec.Code)
			}
		})
	}
}

// The icons the feeds name are the ones served.
func TestFeedIconsAreServed(t *testing.T) {
	s, _ := newTestServer(t)
	for _, feed := range []string{"/feed.rss", "/feed.atom", "/feed.json"} {
		body := serve(s, "GET", feed).Body.String()
		for _, icon := range []string{"/icon-64.png", "/icon-512.png"} {
			if feed == "/feed.rss" && icon == "/icon-512.png" {
				continue // RSS images are at most 144 px wide
			}
			if !strings.Contains(body, "http://nashra.test"+icon) {
				t.Errorf("%s does not name %s", feed, icon)
			}
			if rec := serve(s, "GET", icon); rec.Code != 200 || rec.Body.Len() == 0 {
				t.Errorf("%s: %d", icon, rec.Code)
			}
		}
	}
}
