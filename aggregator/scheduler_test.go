package aggregator

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
)

// A poll that does not return when cancelled (a huge document being decoded
// does not look at its context) must not hold a shutdown: Stop gives up on
// it one cancelSettle after the grace.
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
	sched, err := NewScheduler(cfg, poller, nil)
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
}
