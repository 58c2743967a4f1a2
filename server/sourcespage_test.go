package server

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// TestSourcesPageOrder attacks a failing source hidden among healthy ones.
func TestSourcesPageOrder(t *testing.T) {
	cases := []struct {
		name string
		in   []string // states in config order
		want []string // names in page order
	}{
		{"failing after ok moves up", []string{"ok", "failing"}, []string{"s1", "s0"}},
		{"gone counts as failing", []string{"ok", "waiting", "gone"}, []string{"s2", "s0", "s1"}},
		{"config order kept within a group", []string{"failing", "ok", "failing", "ok"}, []string{"s0", "s2", "s1", "s3"}},
		{"disabled is not failing", []string{"disabled", "failing"}, []string{"s1", "s0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := make([]sourceStatus, len(c.in))
			for i, st := range c.in {
				rows[i] = sourceStatus{Name: fmt.Sprintf("s%d", i), State: st}
			}
			var got []string
			for _, r := range failingFirst(rows) {
				got = append(got, r.Name)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("order %v, want %v", got, c.want)
			}
		})
	}
}

// TestSourcesPageTotalsZoneAndLastNew attacks the page a person reads: no
// totals, zoneless times, and "+12" still shown after a 304 brought nothing.
func TestSourcesPageTotalsZoneAndLastNew(t *testing.T) {
	s, store := newTestServer(t)
	first := at("2026-04-14T12:00:00Z")
	var items []news.Item
	for i := range 12 {
		when := first.Add(-time.Duration(i) * time.Minute)
		items = append(items, news.Item{Key: fmt.Sprintf("k%d", i), Source: "hespress-ar", Title: fmt.Sprintf("خبر %d", i),
			Link: fmt.Sprintf("https://www.hespress.com/%d", i), Language: "ar", Time: when, Changed: when})
	}
	ctx := context.Background()
	st := archive.SourceState{ConfiguredURL: "https://www.hespress.com/feed", URL: "https://www.hespress.com/feed", LastAttempt: first, LastSuccess: first, Status: 200}
	if _, err := store.SavePoll(ctx, "hespress-ar", st, items); err != nil {
		t.Fatal(err)
	}
	// An hour later: 304, the poller copies the old state forward.
	later := first.Add(3600e9)
	st, _, _ = store.State("hespress-ar")
	st.LastAttempt, st.LastSuccess, st.Status = later, later, 304
	if err := store.SaveState("hespress-ar", st); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveState("le360-fr", archive.SourceState{ConfiguredURL: "https://fr.le360.ma/feed", LastAttempt: later, Failures: 2, Error: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(serve(s, "GET", "/sources").Body.String())
	for _, want := range []string{
		"2 sources, 1 failing, 12 items",
		"2026-04-14 14:00 +01:00", // 13:00Z in April, Casablanca on UTC+1
		"Africa/Casablanca",
		"+12 on 2026-04-14 13:00 +01:00",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/sources lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "12 (+12)") {
		t.Errorf("/sources shows 12 (+12) after a 304:\n%s", page)
	}
	if strings.Index(page, "le360-fr") > strings.Index(page, "hespress-ar") {
		t.Errorf("the failing source is not listed first")
	}
}
