package aggregator

import (
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/internal/logbuf"
)

// A poll waiting for its host's per_host slot holds no worker: sources of
// another host are fetched meanwhile. Seen from outside: with per_host 1,
// four workers all sat waiting for one slow host's slot, and a fast source
// of another host started 12.5 s late; its log line showed none of it.
func TestAWaitForAHostHoldsNoWorker(t *testing.T) {
	const slow = 400 * time.Millisecond
	slowSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(slow)
		w.Write([]byte(goodFeed))
	}))
	defer slowSrv.Close()
	fastSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(goodFeed)) }))
	defer fastSrv.Close()

	store, err := archive.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var y strings.Builder
	y.WriteString("workers: 2\nper_host: 1\nsources:\n")
	for i := range 3 {
		fmt.Fprintf(&y, "  - {name: slow%d, url: \"%s/f%d\"}\n", i, slowSrv.URL, i)
	}
	fmt.Fprintf(&y, "  - {name: fast, url: \"%s/f\"}\n", fastSrv.URL)
	cfg, err := config.Parse("s.yaml", []byte(y.String()))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	done := map[string]time.Duration{}
	start := time.Now()
	poller := &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t"),
		OnPoll: func(r Result) {
			mu.Lock()
			defer mu.Unlock()
			done[r.Source] = time.Since(start)
		}}
	sched, err := NewScheduler(cfg, poller, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sched.RunOnce(t.Context()) {
		if r.Err != nil || r.Status == StatusSkipped {
			t.Fatalf("%s: %s, %v", r.Source, r.Status, r.Err)
		}
	}
	if done["fast"] >= done["slow0"] {
		t.Errorf("the fast host's source was done %s after the round began, behind the slow host's queue (%v)", done["fast"].Round(time.Millisecond), done)
	}
	if last := done["slow2"]; last < 3*slow {
		t.Errorf("the slow host's three polls were done by %s: per_host 1 was not kept (want ≥ %s)", last, 3*slow)
	}
}

// Once the scheduler stops (shutdown, or a reload retiring it), a poll
// still waiting for its host's slot begins no fetch when the slot frees,
// and says it did not happen. Seen from outside: such polls were fetched
// after SIGTERM (and after a reload removed their source), or vanished
// from the log.
func TestAStoppedSchedulerStartsNoFetch(t *testing.T) {
	logs, asked := stopWhileFetching(t, []string{"a", "b"}) // a is being fetched; b waits for the host's one slot
	if asked["/b"] != 0 {
		t.Errorf("b was fetched %d times after the scheduler stopped", asked["/b"])
	}
	if !strings.Contains(logs, `level=INFO msg="polls skipped" why="scheduler stopped" count=1 sources=b`) {
		t.Errorf("b's poll that did not happen is not said:\n%s", logs)
	}
}

// A round's polls that did not happen when the scheduler stopped are said
// in one line, counted, the first ten named: those waiting for their host
// and those never started. Seen from outside: a SIGTERM during a round of
// 1,000 sources logged 895 lines, one a source.
func TestAStoppedRoundSaysItsSkippedPollsOnce(t *testing.T) {
	var names []string
	for i := range 30 {
		names = append(names, fmt.Sprintf("s%02d", i))
	}
	out, _ := stopWhileFetching(t, names) // s00 is being fetched; the others wait for the host, or were never started
	if n := strings.Count(out, `msg="poll skipped"`); n != 0 {
		t.Errorf("%d per-source skip lines at INFO, want none:\n%s", n, out)
	}
	want := `level=INFO msg="polls skipped" why="scheduler stopped" count=29 sources="s01, s02, s03, s04, s05, s06, s07, s08, s09, s10 and 19 more"`
	if strings.Count(out, `msg="polls skipped"`) != 1 || !strings.Contains(out, want) {
		t.Errorf("want one line\n%s\ngot:\n%s", want, out)
	}
}

// stopWhileFetching runs a round of the sources named, all on one host
// (per_host 1, two workers, each fetch 300 ms), stops the scheduler once
// the first fetch has begun, and returns its log and the requests each
// path got.
func stopWhileFetching(t *testing.T, names []string) (string, map[string]int) {
	var mu sync.Mutex
	asked := map[string]int{}
	first := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		once.Do(func() { close(first) })
		time.Sleep(300 * time.Millisecond)
		w.Write([]byte(goodFeed))
	}))
	defer srv.Close()
	store, err := archive.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	y := "workers: 2\nper_host: 1\nsources:\n"
	for _, n := range names {
		y += fmt.Sprintf("  - {name: %s, url: \"%s/%s\"}\n", n, srv.URL, n)
	}
	cfg, err := config.Parse("s.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var logs logbuf.Buffer
	poller := &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t")}
	poller.Log = slog.New(slog.NewTextHandler(&logs, nil))
	sched, err := NewScheduler(cfg, poller, poller.Log)
	if err != nil {
		t.Fatal(err)
	}
	sched.Start()
	<-first
	if !sched.Stop(5 * time.Second) {
		t.Fatal("polls did not return")
	}
	mu.Lock()
	defer mu.Unlock()
	return logs.String(), maps.Clone(asked)
}
