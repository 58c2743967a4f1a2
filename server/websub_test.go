package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// hubStub records publish notifications; it fails the first failures requests.
type hubStub struct {
	mu       sync.Mutex
	failures int
	got      []string
	calls    int
}

func (h *hubStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if h.failures > 0 {
		h.failures--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodPost || r.FormValue("hub.mode") != "publish" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	h.got = append(h.got, r.FormValue("hub.url"))
	w.WriteHeader(http.StatusNoContent)
}

func (h *hubStub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls
}

func (h *hubStub) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.got
	h.got = nil
	sort.Strings(g)
	return g
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWebSubAdvertisesAndPublishes(t *testing.T) {
	hub := &hubStub{failures: 2}
	hubSrv := httptest.NewServer(hub)
	defer hubSrv.Close()
	s, store := newTestServer(t, news.Item{Key: "a", Source: "le360-fr", Title: "Un", Language: "fr", Time: at("2026-04-14T12:00:00Z")})
	s.config().WebSub.Hub = hubSrv.URL

	// Every feed advertises the hub and itself, in the document and in Link.
	for path, want := range map[string]string{
		"/feed.rss":      `<atom:link href="` + hubSrv.URL + `" rel="hub"></atom:link>`,
		"/feed.atom":     `<link href="` + hubSrv.URL + `" rel="hub"></link>`,
		"/feeds/fr.json": `"url": "` + hubSrv.URL + `"`,
		"/ticker.txt":    "",
	} {
		rec := serve(s, "GET", path)
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s lacks %s", path, want)
		}
		self := "http://nashra.test" + path
		if link := rec.Header().Get("Link"); link != `<`+hubSrv.URL+`>; rel="hub", <`+self+`>; rel="self"` {
			t.Errorf("%s Link header = %q", path, link)
		}
	}

	n := s.NewNotifier()
	n.Debounce, n.Backoff = 10*time.Millisecond, 10*time.Millisecond
	ctx := t.Context()
	go n.Run(ctx)
	time.Sleep(50 * time.Millisecond) // baseline taken

	// A poll that changes both outputs: each format of each is announced,
	// through the hub's two failures; the text ticker too, which
	// advertises the hub (seen from outside: never announced).
	store.SavePoll(context.Background(), "le360-fr", archive.SourceState{}, []news.Item{{Key: "b", Source: "le360-fr", Title: "Deux", Language: "fr", Time: at("2026-04-14T13:00:00Z")}})
	n.Kick()
	want := []string{"http://nashra.test/feed.atom", "http://nashra.test/feed.json", "http://nashra.test/feed.rss",
		"http://nashra.test/feeds/fr.atom", "http://nashra.test/feeds/fr.json", "http://nashra.test/feeds/fr.rss", "http://nashra.test/feeds/fr.txt",
		"http://nashra.test/ticker.txt"}
	var got []string
	waitFor(t, "eight notifications", func() bool { got = append(got, hub.take()...); return len(got) >= len(want) })
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("published %v, want %v", got, want)
	}

	// A poll that changes only the Arabic items: the French output is not announced.
	store.SavePoll(context.Background(), "hespress-ar", archive.SourceState{}, []news.Item{{Key: "c", Source: "hespress-ar", Title: "ثلاثة", Language: "ar", Time: at("2026-04-14T14:00:00Z")}})
	n.Kick()
	got = nil
	waitFor(t, "four notifications", func() bool { got = append(got, hub.take()...); return len(got) >= 4 })
	time.Sleep(50 * time.Millisecond)
	got = append(got, hub.take()...)
	sort.Strings(got)
	if strings.Join(got, " ") != "http://nashra.test/feed.atom http://nashra.test/feed.json http://nashra.test/feed.rss http://nashra.test/ticker.txt" {
		t.Fatalf("published %v, want the default output only", got)
	}

	// A kick with nothing changed announces nothing.
	calls := hub.count()
	n.Kick()
	time.Sleep(100 * time.Millisecond)
	if hub.count() != calls {
		t.Errorf("unchanged outputs announced (%d calls)", hub.count()-calls)
	}
}

func TestKickNeverBlocks(t *testing.T) {
	s, _ := newTestServer(t)
	s.config().WebSub.Hub = "http://127.0.0.1:1/hub"
	n := s.NewNotifier()
	done := make(chan struct{})
	go func() {
		for range 1000 {
			n.Kick() // nobody is running the notifier
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Kick blocked")
	}
}

// Seen from outside: the hub's client followed any redirect, to a private
// address it was never given, and a 302 turned the publish into a GET that
// a hub answering 2xx would have logged as published. A configured hub is
// reached at its address only: a redirect is a failure that names it.
func TestWebSubFollowsNoRedirect(t *testing.T) {
	var inner, posts atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner.Add(1) }))
	defer target.Close()
	hubSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		http.Redirect(w, r, target.URL+"/meta-data/iam", http.StatusFound)
	}))
	defer hubSrv.Close()
	s, _ := newTestServer(t, news.Item{Key: "a", Source: "le360-fr", Title: "Un", Language: "fr", Time: at("2026-04-14T12:00:00Z")})
	s.config().WebSub.Hub = hubSrv.URL
	n := s.NewNotifier()
	err := n.post(t.Context(), url.Values{"hub.mode": {"publish"}, "hub.url": {"http://nashra.test/feed.rss"}})
	if err == nil || !strings.Contains(err.Error(), "redirect") || strings.HasPrefix(err.Error(), "Post") {
		t.Errorf("post through a redirect: %v, want a failure naming the redirect, not a post to its target", err)
	}
	if inner.Load() != 0 {
		t.Errorf("the redirect's target was requested %d times", inner.Load())
	}
	// A redirect is the configuration's to mend: not retried (seen from
	// outside at the fourth look: five tries, ~30 s, for every URL).
	n.Backoff = time.Millisecond
	before := posts.Load()
	n.publish(t.Context(), "http://nashra.test/feed.rss")
	if got := posts.Load() - before; got != 1 {
		t.Errorf("a redirecting hub was posted to %d times for one URL, want 1", got)
	}
}
