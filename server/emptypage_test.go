package server

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

// TestEmptyPageSaysWhatFails attacks a first run with sources unreachable:
// the page said only "no news yet", and a cached copy would keep saying the
// old count (failed polls do not move the store's generation).
func TestEmptyPageSaysWhatFails(t *testing.T) {
	s, store := newTestServer(t)
	fail := func(name, url string) {
		t.Helper()
		if err := store.SaveState(name, archive.SourceState{ConfiguredURL: url, LastAttempt: time.Now(), Failures: 1, Error: "connection refused"}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		before  func()
		want    []string
		notWant []string
	}{
		{"nothing polled yet: no failure line", func() {}, []string{"no news yet"}, []string{"failing"}},
		{"one source fails", func() { fail("le360-fr", "https://fr.le360.ma/feed") }, []string{"1 of 2 sources failing", `href="http://nashra.test/sources"`}, nil},
		{"both fail: the cached page is not served", func() { fail("hespress-ar", "https://www.hespress.com/feed") }, []string{"2 of 2 sources failing"}, nil},
	}
	var etags []string
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.before()
			rec := serve(s, "GET", "/")
			body := html.UnescapeString(rec.Body.String())
			for _, w := range st.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q:\n%s", w, body)
				}
			}
			for _, w := range st.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			etags = append(etags, rec.Header().Get("ETag"))
		})
	}
	if etags[0] == etags[1] || etags[1] == etags[2] {
		t.Errorf("ETags did not change with the failure count: %v", etags)
	}
}
