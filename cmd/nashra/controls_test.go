package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Seen from outside: a JSON Feed titled "ansi\u001b[2J" had nashra test
// print the escape sequence raw to the operator's terminal, nashra add
// write it into the config as the source's title (check accepted it), and
// /ticker.txt then carry it on every line of that source. A feed's title is
// cleaned as its items' are; check refuses a control character in a title.
func TestControlCharactersInAFeedTitle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		fmt.Fprint(w, `{"version":"https://jsonfeed.org/version/1.1","title":"ansi\u001b[2J\u009b31m","items":[{"id":"1","url":"https://x.ma/1","title":"خبر","date_published":"2026-12-07T09:00:00+01:00"}]}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\nsources:\n  - {name: existing, url: \"%s/other.json\"}\n", filepath.Join(dir, "db"), srv.URL))

	code, out, errb := nashra(t, "-config", path, "test", srv.URL+"/feed.json")
	if code != 0 || strings.ContainsAny(out+errb, "\x1b\u009b") {
		t.Errorf("nashra test: exit %d, control characters printed: %q", code, out+errb)
	}
	code, out, errb = nashra(t, "-config", path, "add", srv.URL+"/feed.json", "-name", "ansi")
	cfg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || strings.ContainsAny(string(cfg), "\x1b\u009b") || strings.Contains(string(cfg), `\e`) || strings.Contains(string(cfg), `\x1b`) {
		t.Errorf("nashra add: exit %d, config:\n%s\n%s%s", code, cfg, out, errb)
	}

	writeConfig(t, path, fmt.Sprintf("database: %s\nsources:\n  - {name: a, title: \"ansi\\e[2J\", url: \"%s/feed.json\"}\n", filepath.Join(dir, "db"), srv.URL))
	if code, _, errb := nashra(t, "-config", path, "check"); code != 1 || !strings.Contains(errb, "sources[0].title") || !strings.Contains(errb, "control character") {
		t.Errorf("check accepted a control character in a title: exit %d, %q", code, errb)
	}
}

// Seen from outside: nashra add PAGE listed the feeds a page advertises
// with their titles raw, an OSC escape sequence included.
func TestAddListsAdvertisedFeedsWithoutControlCharacters(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" title=\"T\x1b]0;PWNED\x07 end\u009b2J\" href=\"/feed.xml\"></head><body>x</body></html>")
	})
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(readFixture(t, "hespress-ar.xml"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\n", filepath.Join(dir, "db")))
	code, out, errb := nashra(t, "-config", path, "add", srv.URL+"/page/", "-print")
	if code != 0 || strings.ContainsAny(out+errb, "\x1b\x07\u009b") {
		t.Errorf("exit %d, control characters printed: %q", code, out+errb)
	}
}
