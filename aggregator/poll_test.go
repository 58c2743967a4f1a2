package aggregator

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
)

const goodFeed = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link>
<item><title>واحد</title><link>https://x.ma/1</link><guid>https://x.ma/?p=1</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate></item>
<item><title>اثنان</title><link>https://x.ma/2</link><guid>https://x.ma/?p=2</guid><pubDate>Tue, 14 Apr 2026 14:04:07 +0000</pubDate></item>
</channel></rss>`

// switchable serves whatever body is set, with an ETag per body.
type switchable struct {
	mu           sync.Mutex
	body         string
	status       int
	etag         string
	cacheControl string // sent when set
}

// cache sets the Cache-Control the answers carry ("" for none).
func (s *switchable) cache(cc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cacheControl = cc
}

func (s *switchable) set(status int, etag, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.etag, s.body = status, etag, body
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cacheControl != "" {
		w.Header().Set("Cache-Control", s.cacheControl)
	}
	if s.etag != "" {
		w.Header().Set("ETag", s.etag)
		if r.Header.Get("If-None-Match") == s.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(s.status)
	w.Write([]byte(s.body))
}

func testPoller(t *testing.T) (*Poller, *archive.Archive) {
	store, err := archive.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return &Poller{Store: store, Fetcher: NewFetcher(2*time.Second, 1<<20, 2, "t"),
		Now: func() time.Time { return time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC) }}, store
}

// A broken or non-feed answer changes no stored item and keeps the validators
// of the last good body, so the next poll fetches in full.
func TestPollFailureChangesNothing(t *testing.T) {
	feed := &switchable{}
	feed.set(200, `"good"`, goodFeed)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	p, store := testPoller(t)
	src := &config.Source{Name: "x", URL: srv.URL, Location: time.UTC}

	if r := p.Poll(t.Context(), src, time.Time{}, false); r.Status != StatusNew || r.Counts.New != 2 {
		t.Fatalf("first poll %+v", r)
	}
	before, _ := store.Newest(archive.Query{Limit: 10})

	broken := []struct{ name, body string }{
		{"cloudflare page", "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>"},
		{"empty body", ""},
		{"truncated", goodFeed[:len(goodFeed)/2]},
	}
	for i, b := range broken {
		t.Run(b.name, func(t *testing.T) {
			feed.set(200, `"bad"`, b.body)
			r := p.Poll(t.Context(), src, time.Time{}, false)
			if r.Status != StatusFailed || r.Err == nil {
				t.Fatalf("poll = %+v, want failure", r)
			}
			after, _ := store.Newest(archive.Query{Limit: 10})
			if len(after) != len(before) || after[0].Title != before[0].Title {
				t.Fatalf("stored items changed: %v", after)
			}
			st, _, _ := store.State("x")
			if st.ETag != `"good"` || st.Failures != i+1 || st.Error == "" || st.Items != 2 {
				t.Fatalf("state = %+v", st)
			}
		})
	}
	feed.set(200, `"good"`, goodFeed)
	r := p.Poll(t.Context(), src, time.Time{}, false)
	if r.Status != StatusNotModified {
		t.Fatalf("after failures, the good body's ETag answers 304: got %+v", r)
	}
	st, _, _ := store.State("x")
	if st.Failures != 0 || st.Error != "" {
		t.Errorf("recovery not recorded: %+v", st)
	}
}

func TestPollEmptyFeedIsNotDeletion(t *testing.T) {
	feed := &switchable{}
	feed.set(200, "", goodFeed)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	p, store := testPoller(t)
	src := &config.Source{Name: "x", URL: srv.URL}
	p.Poll(t.Context(), src, time.Time{}, false)
	feed.set(200, "", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link></channel></rss>`)
	if r := p.Poll(t.Context(), src, time.Time{}, false); r.Status != StatusUnchanged {
		t.Fatalf("empty feed poll = %+v", r)
	}
	if n, _ := store.Count(); n != 2 {
		t.Fatalf("%d items after an empty feed, want 2", n)
	}
}

func TestSchedulerStopCancelsHangingPolls(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	sched, store := slowScheduler(t, srv.URL)
	sched.Start()
	time.Sleep(100 * time.Millisecond) // the first round is now stuck in the fetch
	start := time.Now()
	sched.Stop(200 * time.Millisecond)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Stop took %s with a hanging poll", d)
	}
	st, _, _ := store.State("slow")
	if st.Failures != 1 {
		t.Errorf("cancelled poll not recorded as a failure: %+v", st)
	}
}

// A replica that stops leading hands polling over: its polls under way are
// cancelled at once and record nothing (no failure, no backoff for the next
// leader to inherit), unlike a shutdown's, which records the hanging source.
func TestSchedulerHandOverRecordsNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	sched, store := slowScheduler(t, srv.URL)
	results := make(chan Result, 1)
	sched.poller.OnPoll = func(r Result) { results <- r }
	sched.Resume() // never polled: due at once
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if !sched.HandOver() {
		t.Error("HandOver did not see the poll return")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("HandOver took %s", d)
	}
	// Not a failure of the source either: no error in metrics or the
	// round's summary (a deposed leader's WARN was seen from outside).
	if r := <-results; r.Status != StatusSkipped || r.Err != nil {
		t.Errorf("the poll a hand-over cancelled: status %q, err %v; want skipped, no error", r.Status, r.Err)
	}
	if st, found, _ := store.State("slow"); found {
		t.Errorf("a poll cancelled by a hand-over recorded %+v", st)
	}
}

// slowScheduler schedules one source, "slow", at url, over a bbolt store.
func slowScheduler(t *testing.T, url string) (*Scheduler, *archive.Archive) {
	t.Helper()
	store, err := archive.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg, err := config.Parse("s.yaml", []byte("timeout: 60s\nsources:\n  - {name: slow, url: \""+url+"\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	sched, err := NewScheduler(cfg, &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sched, store
}

// A poll that stored no new item but edited one says "updated", not
// "unchanged": an operator reading `nashra poll` or the polls metric must
// not be told nothing happened when a headline changed.
func TestPollResultNamesEdits(t *testing.T) {
	feed := &switchable{}
	feed.set(200, `"a"`, goodFeed)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	p, store := testPoller(t)
	src := &config.Source{Name: "x", URL: srv.URL, Location: time.UTC}
	if r := p.Poll(t.Context(), src, time.Time{}, false); r.Status != StatusNew {
		t.Fatalf("first poll %+v", r)
	}
	edited := strings.Replace(goodFeed, "<title>واحد</title>", "<title>واحد (محدث)</title>", 1)
	tests := []struct {
		name, etag, body string
		want             string
		new, updated     int
	}{
		{"same items", `"b"`, goodFeed, StatusUnchanged, 0, 0},
		{"one headline edited", `"c"`, edited, StatusUpdated, 0, 1},
		{"a new item wins over an edit", `"d"`, strings.Replace(edited, "<item><title>اثنان</title>",
			"<item><title>ثلاثة</title><link>https://x.ma/3</link><guid>https://x.ma/?p=3</guid><pubDate>Tue, 14 Apr 2026 15:14:07 +0000</pubDate></item><item><title>اثنان (محدث)</title>", 1), StatusNew, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			feed.set(200, tc.etag, tc.body)
			r := p.Poll(t.Context(), src, time.Time{}, false)
			if r.Status != tc.want || r.Counts.Updated != tc.updated || r.Counts.New != tc.new {
				t.Fatalf("poll = %s, counts %+v; want %s with %d new, %d updated", r.Status, r.Counts, tc.want, tc.new, tc.updated)
			}
		})
	}
	if n, _ := store.Count(); n != 3 {
		t.Fatalf("%d items stored, want 3", n)
	}
}

// An entry older than retention is not stored: it would be shown until the
// next retention pass (seen from outside: with retention 1h, a poll stored
// four days of a feed), and an item pruned while still in its feed is never
// stored again, whether or not its tombstone is still kept.
func TestPollLeavesOutEntriesOlderThanRetention(t *testing.T) {
	p, store := testPoller(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(goodFeed)) }))
	defer srv.Close()
	// goodFeed's items are 26 and 86 minutes old at the poller's now.
	src := &config.Source{Name: "x", URL: srv.URL, Retention: time.Hour}
	for round := range 2 { // the second poll reads the unchanged body's tally from the state
		r := p.Poll(t.Context(), src, time.Time{}, false)
		if r.Err != nil || r.Tally.Expired != 1 || r.Items != 1 {
			t.Fatalf("poll %d: %+v, want 1 item and 1 expired", round+1, r)
		}
	}
	st, _, _ := store.State("x")
	if st.Items != 1 || st.Expired != 1 {
		t.Errorf("state: %d items, %d expired; want 1 and 1", st.Items, st.Expired)
	}
}
