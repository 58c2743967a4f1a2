package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/internal/logbuf"
)

// TestRoundTally attacks the round summary: one line per round, not per source.
func TestRoundTally(t *testing.T) {
	fail := func(n string) aggregator.Result { return aggregator.Result{Source: n, Err: errors.New("refused")} }
	ok := func(n string) aggregator.Result { return aggregator.Result{Source: n} }
	cases := []struct {
		name     string
		polls    []aggregator.Result
		rounds   int // summaries returned
		lastFail int
	}{
		{"every source unreachable is one round", []aggregator.Result{fail("a"), fail("b"), fail("c")}, 1, 3},
		{"a round is not over while a source is unpolled", []aggregator.Result{fail("a"), fail("b"), fail("b")}, 0, 0},
		{"a second round counts afresh", []aggregator.Result{fail("a"), fail("b"), fail("c"), ok("a"), ok("b"), fail("c")}, 2, 1},
		{"a source of an older configuration is not counted", []aggregator.Result{fail("gone"), ok("a"), ok("b"), ok("c")}, 1, 0},
		{"a poll skipped for another reason (already being polled, handed over) is no poll", []aggregator.Result{{Source: "a", Status: aggregator.StatusSkipped}, ok("b"), ok("c")}, 0, 0},
		{"a source waiting out a Retry-After has had its turn, a failing one", []aggregator.Result{fail("a"), ok("b"), {Source: "c", Status: aggregator.StatusSkipped, Waiting: true, Failing: true}}, 1, 2},
		{"a source held back by a caching hint has had its turn, a well one", []aggregator.Result{ok("a"), ok("b"), {Source: "c", Status: aggregator.StatusSkipped, Waiting: true}}, 1, 0},
		// Seen from outside: a shutdown's cancelled poll ended its round
		// with "1 of 1 sources failed".
		{"a cancelled poll (a shutdown) is no poll", []aggregator.Result{ok("a"), ok("b"), {Source: "c", Err: fmt.Errorf("fetch: %w", context.Canceled)}}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := newRoundTally([]string{"a", "b", "c"})
			rounds, last := 0, 0
			for _, r := range c.polls {
				if f, total, done := rt.observe(r); done {
					rounds++
					last = f
					if total != 3 {
						t.Errorf("total %d", total)
					}
				}
			}
			if rounds != c.rounds || last != c.lastFail {
				t.Errorf("rounds %d (last %d failed), want %d (%d)", rounds, last, c.rounds, c.lastFail)
			}
		})
	}
	if got := roundSummary(20, 20, "http://localhost:8080"); got != "20 of 20 sources failed; see http://localhost:8080/sources" {
		t.Errorf("summary %q", got)
	}
}

// TestFirstRunAllUnreachable attacks a first run where no source answers:
// one summary line for the round naming /sources, and the URL to open at start.
func TestFirstRunAllUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // nothing listens there any more
	svc, logs := startRoundService(t, roundConfig(t, dead.URL, "a", "b", "c"))
	defer svc.Stop()
	eventually(t, "first round", svc.ready)
	eventually(t, "the round summary", func() bool {
		return strings.Contains(logs.String(), "3 of 3 sources failed; see http://news.example/sources")
	})
	if !strings.Contains(logs.String(), "open=http://news.example/") {
		t.Errorf("start-up does not log the URL to open:\n%s", logs.String())
	}
}

// TestRoundSummaryWithASourceWaiting attacks the round summary as an outside
// tester saw it fail: a source waiting out its server's Retry-After is
// skipped, and the round it never finished logged no summary at all, however
// many other sources failed. Its skip is its turn in the round, and a failing
// one (its server refused it).
func TestRoundSummaryWithASourceWaiting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>t</title><item><title>خبر</title><link>http://news.example/1</link></item></channel></rss>`)
		case "/retry":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	path := roundConfig(t, srv.URL, "good", "missing", "retry")
	// The first round polls every source: retry's server asks it to wait.
	if code, out, errb := nashra(t, "poll", "-config", path); code == 0 || !strings.Contains(out+errb, "2 failed") {
		t.Fatalf("first poll: exit %d\n%s%s", code, out, errb)
	}
	// A second poll skips retry, waiting; it has failed all the same (seen
	// from outside: "0 failed", exit 0, for sources all waiting or gone).
	if code, out, errb := nashra(t, "poll", "-config", path); code != 1 || !strings.Contains(out, "2 failed") || !strings.Contains(out, "server asked to wait until") {
		t.Errorf("second poll: exit %d\n%s%s", code, out, errb)
	}
	svc, logs := startRoundService(t, path)
	defer svc.Stop()
	eventually(t, "the round summary with a source waiting", func() bool {
		return strings.Contains(logs.String(), "2 of 3 sources failed; see http://news.example/sources")
	})
}

// roundConfig writes a configuration of sources named as the paths they
// are polled at under base, and returns its path.
func roundConfig(t *testing.T, base string, names ...string) string {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	var b strings.Builder
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nadmin_listen: 127.0.0.1:0\nbase_url: http://news.example\ndatabase: %s\nsources:\n", filepath.Join(dir, "db"))
	for _, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, url: \"%s/%s\"}\n", n, base, n)
	}
	writeConfig(t, path, b.String())
	return path
}

// startRoundService starts the service on path, logging into the buffer returned.
func startRoundService(t *testing.T, path string) (*service, *logbuf.Buffer) {
	logs := &logbuf.Buffer{}
	svc, err := startService(path, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return svc, logs
}
