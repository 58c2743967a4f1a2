package main

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/server"
)

// TestRemovedSourceKeepsItsTitle attacks the items of a source removed from
// the config being credited to its internal name ("— hespress-ar").
func TestRemovedSourceKeepsItsTitle(t *testing.T) {
	_, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml")
	dir := t.TempDir()
	db := filepath.Join(dir, "nashra.db")
	before := fmt.Sprintf(`database: %s
base_url: http://nashra.test
sources:
  - {name: hespress-ar, title: هسبريس, url: "%[2]s/hespress-ar.xml", language: ar}
  - {name: le360-fr, title: Le360, url: "%[2]s/le360-fr.xml", language: fr}
`, db, feeds.URL)
	p, _ := testPipeline(t, dir, before)
	p.scheduler.RunOnce(t.Context())

	after, err := config.Parse("after.yaml", []byte(fmt.Sprintf(`database: %s
base_url: http://nashra.test
sources:
  - {name: le360-fr, title: Le360, url: "%s/le360-fr.xml", language: fr}
`, db, feeds.URL)))
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(server.New(after, p.store, nil, nil).Handler())
	defer web.Close()
	for _, path := range []string{"/ticker.txt", "/feed.rss", "/feed.atom", "/feed.json", "/"} {
		t.Run(path, func(t *testing.T) {
			body := string(readAll(t, get(t, web.URL+path).Body))
			if !strings.Contains(body, "هسبريس") {
				t.Errorf("%s lacks the removed source's title:\n%.2000s", path, body)
			}
			if strings.Contains(body, "— hespress-ar") || strings.Contains(body, ">hespress-ar<") {
				t.Errorf("%s credits the internal name:\n%.2000s", path, body)
			}
		})
	}
}
