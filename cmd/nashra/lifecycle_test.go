package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// gatedFeeds serves generated RSS feeds, /{name}?n: each answer lists
// items 1..n of that name, dated in the last hours. A closed gate holds every
// answer until it opens; the most requests ever under way at once for one
// path are recorded (a source polled twice at once shows as 2).
type gatedFeeds struct {
	mu       sync.Mutex
	items    map[string]int
	gate     chan struct{} // nil: open
	inflight map[string]int
	peak     map[string]int
	waiting  int
}

func newGatedFeeds(t *testing.T) (*gatedFeeds, *httptest.Server) {
	g := &gatedFeeds{items: map[string]int{}, inflight: map[string]int{}, peak: map[string]int{}}
	srv := httptest.NewServer(g)
	t.Cleanup(func() { g.open(); srv.Close() })
	return g, srv
}

func (g *gatedFeeds) setItems(name string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.items[name] = n
}

func (g *gatedFeeds) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gate == nil {
		g.gate = make(chan struct{})
	}
}

func (g *gatedFeeds) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
}

// held is how many requests wait at the closed gate.
func (g *gatedFeeds) held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting
}

func (g *gatedFeeds) peakOf(name string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak["/"+name]
}

func (g *gatedFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.inflight[r.URL.Path]++
	g.peak[r.URL.Path] = max(g.peak[r.URL.Path], g.inflight[r.URL.Path])
	gate := g.gate
	if gate != nil {
		g.waiting++
	}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inflight[r.URL.Path]--
		g.mu.Unlock()
	}()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
		}
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	g.mu.Lock()
	n := g.items[name]
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	writeFeed(w, name, n)
}

// writeFeed writes an RSS document of items 1..n of name, newest first.
func writeFeed(w io.Writer, name string, n int) {
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>`, name, name)
	now := time.Now()
	for i := n; i >= 1; i-- {
		fmt.Fprintf(w, "<item><title>Headline %d of %s about rain in Rabat</title><link>https://%s.example/%d.html</link><guid>%s-%d</guid><pubDate>%s</pubDate></item>\n",
			i, name, name, i, name, i, now.Add(-time.Duration(n-i+1)*time.Minute).Format(time.RFC1123Z))
	}
	io.WriteString(w, "</channel></rss>")
}

// timedGet is a GET that gives up after d; it returns 0 when no answer came.
func timedGet(url string, d time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A SIGHUP while a poll hangs: the reload and /readyz answer at once, the
// hanging poll is not cancelled but finishes and counts as a success, and
// the new scheduler never polls that source while the old one still does.
func TestReloadDuringLongPoll(t *testing.T) {
	g, feeds := newGatedFeeds(t)
	g.setItems("slow", 3)
	g.setItems("fast", 2)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	conf := func(title string) string {
		return fmt.Sprintf(`listen: 127.0.0.1:0
database: %s
title: %s
sources:
  - {name: slow, url: "%[3]s/slow", schedule: "@every 1s"}
  - {name: fast, url: "%[3]s/fast"}
`, filepath.Join(dir, "db"), title, feeds.URL)
	}
	writeConfig(t, path, conf("before"))
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", svc.ready) // /readyz may say 200 as soon as one source has items

	g.close()
	eventually(t, "a scheduled poll of slow hanging", func() bool { return g.held() > 0 })
	g.setItems("slow", 5) // what the hanging poll will get

	writeConfig(t, path, conf("after"))
	reloaded := make(chan error, 1)
	start := time.Now()
	go func() { reloaded <- svc.Reload() }()
	if code := timedGet(base+"/readyz", 2*time.Second); code != http.StatusOK {
		t.Errorf("/readyz during a reload with a poll under way: %d after %s (0: no answer)", code, time.Since(start).Round(time.Millisecond))
	}
	select {
	case err := <-reloaded:
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Reload took %s: it waited for a poll", d.Round(time.Millisecond))
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Reload waits for the hanging poll")
	}
	// The new scheduler ticks every second for slow; the old one still polls it.
	time.Sleep(2500 * time.Millisecond)
	g.open()
	eventually(t, "the hanging poll stored its items", func() bool { return sourceRows(t, base)["slow"].Items == 5 })
	if st := sourceRows(t, base)["slow"]; st.State != "ok" || st.Failures != 0 {
		t.Errorf("the poll under way at the reload counted as a failure: %+v", st)
	}
	if p := g.peakOf("slow"); p > 1 {
		t.Errorf("slow was polled %d times at once", p)
	}
}

// hubCounter counts the publish notifications a WebSub hub receives.
type hubCounter struct {
	mu sync.Mutex
	n  int
}

func (h *hubCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("hub.mode") == "publish" {
		h.mu.Lock()
		h.n++
		h.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *hubCounter) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// The README promises that everything but listen and database reloads: a
// new websub.hub is the one notified (and the old one no longer), since the
// feeds advertise it as soon as the reload is done.
func TestReloadSwitchesWebSubHub(t *testing.T) {
	g, feeds := newGatedFeeds(t)
	g.setItems("src", 2)
	hubA, hubB := &hubCounter{}, &hubCounter{}
	a, b := httptest.NewServer(hubA), httptest.NewServer(hubB)
	defer a.Close()
	defer b.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	conf := func(hub string) string {
		return fmt.Sprintf("listen: 127.0.0.1:0\ndatabase: %s\nwebsub: {hub: %q}\nsources:\n  - {name: src, url: \"%s/src\", schedule: \"@every 1s\"}\n",
			filepath.Join(dir, "db"), hub, feeds.URL)
	}
	writeConfig(t, path, conf(a.URL))
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", svc.ready) // /readyz may say 200 as soon as one source has items
	g.setItems("src", 3)
	eventually(t, "hub A told of the new item", func() bool { return hubA.count() > 0 })

	writeConfig(t, path, conf(b.URL))
	if err := svc.Reload(); err != nil {
		t.Fatal(err)
	}
	if link := get(t, base+"/feed.atom").Header.Get("Link"); !strings.Contains(link, b.URL) {
		t.Fatalf("feeds do not advertise the new hub: Link %q", link)
	}
	before := hubA.count()
	g.setItems("src", 4)
	eventually(t, "hub B told of the new item", func() bool { return hubB.count() > 0 })
	if n := hubA.count(); n != before {
		t.Errorf("the old hub got %d notifications after the reload", n-before)
	}
}

// A configuration the scheduler cannot be built from (it passed the loader,
// so this is a bug elsewhere) changes nothing: the running scheduler polls
// on, once per tick, with its configuration.
func TestReloadThatCannotBuildTheSchedulerChangesNothing(t *testing.T) {
	g, feeds := newGatedFeeds(t)
	g.setItems("tick", 2)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("listen: 127.0.0.1:0\ndatabase: %s\ntitle: before\nsources:\n  - {name: tick, url: \"%s/tick\", schedule: \"@every 1s\"}\n", filepath.Join(dir, "db"), feeds.URL))
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", svc.ready) // /readyz may say 200 as soon as one source has items

	bad, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bad.Title = "after"
	bad.Sources[0].Schedule = "not a schedule"
	if err := svc.apply(bad); err == nil {
		t.Fatal("apply of an unschedulable config succeeded")
	}
	if got := svc.config().Title; got != "before" {
		t.Errorf("config in force changed to %q", got)
	}
	g.setItems("tick", 3)
	eventually(t, "the old scheduler still polling", func() bool { return sourceRows(t, base)["tick"].Items == 3 })
	if st := sourceRows(t, base)["tick"]; st.State != "ok" {
		t.Errorf("tick after a refused reload: %+v", st)
	}
	if p := g.peakOf("tick"); p > 1 {
		t.Errorf("tick polled %d times at once (cron entries added twice?)", p)
	}
}
