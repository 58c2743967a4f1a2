package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/internal/logbuf"
)

// sourceFarm serves one RSS feed per source name at /{name}, its items
// dated from a fixed base (a re-poll sees the same document), and counts
// the requests each path gets. A held path makes its first request wait
// until it is released; then it answers, or, for a path held with
// notModified, answers 304.
type sourceFarm struct {
	srv  *httptest.Server
	base time.Time

	mu       sync.Mutex
	items    map[string]int
	requests map[string]int
	held     map[string]chan struct{}
	answer   map[string]int // a held path's first answer: 304 (0: the feed)
	failing  map[string]int // a path that always answers this status (with Retry-After: 3600 for 429)
	arrived  chan string    // a held request came in
}

func newSourceFarm(t *testing.T, names []string, items int) *sourceFarm {
	f := &sourceFarm{base: time.Now().Add(-time.Hour).Truncate(time.Minute), items: map[string]int{},
		requests: map[string]int{}, held: map[string]chan struct{}{}, answer: map[string]int{}, failing: map[string]int{}, arrived: make(chan string, 16)}
	for _, n := range names {
		f.items[n] = items
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(func() {
		f.mu.Lock()
		for _, c := range f.held {
			close(c)
		}
		f.held = map[string]chan struct{}{}
		f.mu.Unlock()
		f.srv.Close()
	})
	return f
}

func (f *sourceFarm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	f.mu.Lock()
	f.requests[name]++
	hold, first := f.held[name], f.requests[name] == 1
	n, answer, failing := f.items[name], f.answer[name], f.failing[name]
	f.mu.Unlock()
	if failing != 0 {
		if failing == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "3600")
		}
		http.Error(w, "no", failing)
		return
	}
	if hold != nil && first {
		f.arrived <- name
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
		if answer == http.StatusNotModified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>`, name, name)
	for i := n; i >= 1; i-- {
		fmt.Fprintf(w, "<item><title>%s</title><link>https://%s.example/%d.html</link><guid>%s-%d</guid><pubDate>%s</pubDate></item>\n",
			headline(name, i), name, i, name, i, f.base.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	io.WriteString(w, "</channel></rss>")
}

// headline is item i of source name: every headline its own story.
func headline(name string, i int) string {
	words := []string{"Rabat", "Tanger", "Agadir", "Oujda", "Fès", "Meknès", "Safi", "Nador", "Laâyoune", "Errachidia"}
	things := []string{"port", "budget", "festival", "université", "tramway", "hôpital", "marché", "stade", "barrage", "aéroport"}
	return fmt.Sprintf("%s: le %s de %s, dossier %d de %s", name, things[i%len(things)], words[(i/len(things)+len(name))%len(words)], i, name)
}

func (f *sourceFarm) hold(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.held[name] = make(chan struct{})
}

// fail makes name answer status to every request.
func (f *sourceFarm) fail(name string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing[name] = status
}

// holdNotModified holds name's first request, then answers it 304.
func (f *sourceFarm) holdNotModified(name string) {
	f.hold(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer[name] = http.StatusNotModified
}

func (f *sourceFarm) release(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.held[name]; c != nil {
		close(c)
		delete(f.held, name)
	}
}

func (f *sourceFarm) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[name]
}

func (f *sourceFarm) add(name string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[name] += n
}

// clusterYAML is one replica's configuration: the same for every replica
// but for listen (and admin_listen), as the README asks.
func clusterYAML(endpoints []string, prefix, schedule string, f *sourceFarm, names []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `listen: 127.0.0.1:0
admin_listen: 127.0.0.1:0
base_url: http://nashra.test
schedule: "%s"
workers: 2
storage:
  engine: etcd
  endpoints: [%s]
  prefix: %s
  lease_ttl: 2s
  dial_timeout: 2s
sources:
`, schedule, strings.Join(endpoints, ", "), prefix)
	for _, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, url: \"%s/%s\", language: fr}\n", n, f.srv.URL, n)
	}
	b.WriteString("outputs:\n  - {name: all, stories: false}\n  - {name: stories}\n")
	return b.String()
}

// replica is one nashra service of a test's cluster.
type replica struct {
	name string
	svc  *service
	logs *logbuf.Buffer
	dead bool
}

func startClusterReplica(t *testing.T, name, yaml string) *replica {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &replica{name: name, logs: &logbuf.Buffer{}}
	svc, err := startService(path, slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("replica %s: %v", name, err)
	}
	r.svc = svc
	t.Cleanup(svc.Stop)
	return r
}

func (r *replica) url(path string) string { return "http://" + r.svc.Addr() + path }

func (r *replica) label() string { return r.name }

// node is a serving nashra, in this process (replica) or another (nashraProc).
type node interface {
	url(path string) string
	label() string
}

func (r *replica) leading() bool { return !r.dead && r.svc.cluster.Leading() }

// kill stops the replica as a crash would: its etcd connection closed
// without resigning (its lease must expire), its HTTP server gone.
func (r *replica) kill() {
	r.dead = true
	r.svc.pipe.etcd.Client().Close()
	r.svc.http.Close()
}

func leaderOf(t *testing.T, within time.Duration, rs ...*replica) *replica {
	t.Helper()
	var found *replica
	waitUntil(t, within, "a leader", func() bool {
		for _, r := range rs {
			if r.leading() {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// roundStored waits until the store holds want items and a state of every
// source attempted since since.
func roundStored(t *testing.T, within time.Duration, store archive.Store, names []string, since time.Time, want int) {
	t.Helper()
	waitUntil(t, within, fmt.Sprintf("a round of %d items stored", want), func() bool {
		n, err := store.Count()
		if err != nil || n != want {
			return false
		}
		states, err := store.States()
		if err != nil {
			return false
		}
		for _, name := range names {
			if st := states[name]; st.LastSuccess.Before(since) {
				return false
			}
		}
		return true
	})
}

// served is what a replica answers for a path: the body and its ETag.
type served struct {
	code       int
	body, etag string
}

func fetch(path string, r node) served {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.url(path), nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return served{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return served{code: resp.StatusCode, body: string(b), etag: resp.Header.Get("ETag")}
}

// allServe waits until every replica's /feed.atom holds each of want and
// returns how long the slowest took: how soon a commit reaches every
// replica's renders (the render throttle is a second).
func allServe[N node](t *testing.T, within time.Duration, rs []N, want []string) time.Duration {
	t.Helper()
	start := time.Now()
	slowest := time.Duration(0)
	for _, r := range rs {
		waitUntil(t, within, r.label()+" serving the new items", func() bool {
			body := fetch("/feed.atom", r).body
			for _, w := range want {
				if !strings.Contains(body, w) {
					return false
				}
			}
			return true
		})
		slowest = max(slowest, time.Since(start))
	}
	return slowest
}

// outputs are the documents every replica must serve byte for byte alike.
var outputs = []string{"/feed.rss", "/feed.atom", "/feed.json", "/", "/ticker.txt", "/feeds/all/embed",
	"/feeds/stories.atom", "/feeds/stories.json", "/feeds/stories"}

// sameEverywhere waits until every replica serves each output with the
// same bytes and ETag, holding every one of want; it returns how long that took.
func sameEverywhere[N node](t *testing.T, within time.Duration, rs []N, want []string) time.Duration {
	t.Helper()
	start := time.Now()
	var why string
	deadline := start.Add(within)
	for {
		why = differs(rs, want)
		if why == "" {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("replicas do not serve the same outputs within %s: %s", within, why)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func differs[N node](rs []N, want []string) string {
	for _, path := range outputs {
		first := fetch(path, rs[0])
		if first.code != 200 {
			return fmt.Sprintf("%s %s: %d", rs[0].label(), path, first.code)
		}
		for _, w := range want {
			if !strings.HasPrefix(path, "/feeds/") && !strings.Contains(first.body, w) {
				return fmt.Sprintf("%s %s lacks %q", rs[0].label(), path, w)
			}
		}
		for _, r := range rs[1:] {
			got := fetch(path, r)
			if got.body != first.body || got.etag != first.etag {
				return fmt.Sprintf("%s and %s serve %s differently (ETag %s / %s)", rs[0].label(), r.label(), path, first.etag, got.etag)
			}
		}
	}
	return ""
}

// freezer is a loopback TCP proxy to one address that can be frozen: it
// then passes no byte either way (connections stay open), as when the
// process on one side is paused.
type freezer struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	frozen chan struct{} // nil: flowing; closed when thawed
}

func newFreezer(t *testing.T, target string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, target: target}
	go f.accept()
	t.Cleanup(func() { f.thaw(); ln.Close() })
	return f
}

func (f *freezer) addr() string { return "http://" + f.ln.Addr().String() }

func (f *freezer) accept() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			u, err := net.Dial("tcp", f.target)
			if err != nil {
				c.Close()
				return
			}
			go f.pipe(u, c)
			f.pipe(c, u)
		}()
	}
}

// pipe copies from src to dst, holding what it read while frozen.
func (f *freezer) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			f.mu.Lock()
			wait := f.frozen
			f.mu.Unlock()
			if wait != nil {
				<-wait
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.frozen == nil {
		f.frozen = make(chan struct{})
	}
}

func (f *freezer) thaw() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.frozen != nil {
		close(f.frozen)
		f.frozen = nil
	}
}

// httpGetHeader is one header of a GET's answer.
func httpGetHeader(url, header string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return resp.Header.Get(header), nil
}
