package server

import (
	"encoding/json"
	"regexp"
	"testing"
)

var (
	rssSelf  = regexp.MustCompile(`<atom:link href="([^"]*)" rel="self"`)
	atomSelf = regexp.MustCompile(`<link href="([^"]*)" rel="self"`)
)

// A feed's self link must be the URL it is served at ("Self reference
// doesn't match document location"): the first output's aliases under
// /feeds/ redirect to its one canonical URL.
func TestSelfLinkMatchesTheURLServed(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct {
		scenario, path, redirect string
	}{
		{"canonical rss of the first output", "/feed.rss", ""},
		{"canonical atom of the first output", "/feed.atom", ""},
		{"canonical json of the first output", "/feed.json", ""},
		{"first output's rss under its name", "/feeds/all.rss", "http://nashra.test/feed.rss"},
		{"first output's atom under its name", "/feeds/all.atom", "http://nashra.test/feed.atom"},
		{"first output's json under its name", "/feeds/all.json", "http://nashra.test/feed.json"},
		{"first output's text under its name", "/feeds/all.txt", "http://nashra.test/ticker.txt"},
		{"first output's page under its name", "/feeds/all", "http://nashra.test/"},
		{"another output's rss", "/feeds/fr.rss", ""},
		{"another output's atom", "/feeds/fr.atom", ""},
		{"another output's json", "/feeds/fr.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			rec := serve(s, "GET", tt.path)
			if tt.redirect != "" {
				if rec.Code != 301 || rec.Header().Get("Location") != tt.redirect {
					t.Fatalf("%d Location %q, want 301 to %s", rec.Code, rec.Header().Get("Location"), tt.redirect)
				}
				return
			}
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			var self string
			body := rec.Body.String()
			switch {
			case rssSelf.MatchString(body):
				self = rssSelf.FindStringSubmatch(body)[1]
			case atomSelf.MatchString(body):
				self = atomSelf.FindStringSubmatch(body)[1]
			default:
				var doc struct {
					FeedURL string `json:"feed_url"`
				}
				json.Unmarshal(rec.Body.Bytes(), &doc)
				self = doc.FeedURL
			}
			if want := "http://nashra.test" + tt.path; self != want {
				t.Errorf("self link %q, served at %s", self, want)
			}
		})
	}
}
