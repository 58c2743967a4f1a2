package aggregator

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/internal/logbuf"
)

// A poll that does not return when cancelled (a huge document being decoded
// does not look at its context) must not hold a shutdown: Stop gives up on
// it one cancelSettle after the grace, and says which source it left.
func TestSchedulerStopIsBoundedWhenAPollIgnoresCancellation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(goodFeed)) }))
	defer srv.Close()
	store, err := archive.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg, err := config.Parse("s.yaml", []byte("sources:\n  - {name: stuck, url: \""+srv.URL+"\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	poller := &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t"),
		OnPoll: func(Result) { close(entered); <-release }} // stands for work that ignores ctx
	var logs logbuf.Buffer
	sched, err := NewScheduler(cfg, poller, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sched.Start()
	<-entered
	const grace = 200 * time.Millisecond
	start := time.Now()
	stopped := make(chan bool, 1)
	go func() { stopped <- sched.Stop(grace) }()
	select {
	case all := <-stopped:
		if all {
			t.Error("Stop reported every poll returned")
		}
		if d := time.Since(start); d < grace || d > grace+cancelSettle+time.Second {
			t.Errorf("Stop took %s, want about %s", d.Round(time.Millisecond), grace+cancelSettle)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Stop waits without a limit for a poll that ignores cancellation")
	}
	for _, want := range []string{"cancelling polls still running at shutdown", "polls did not return after cancelling"} {
		line := lineWith(logs.String(), want)
		if line == "" || !strings.Contains(line, "sources=stuck") {
			t.Errorf("log line %q should name the source left: %q\nlog:\n%s", want, line, logs.String())
		}
	}
}

// lineWith is the first line of text that contains s ("" when none).
func lineWith(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
