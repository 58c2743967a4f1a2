package aggregator

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/internal/logbuf"
)

// A poll that waits for its host's per_host slot says how long it waited,
// apart from its fetch: a source behind a slow neighbour on one host is
// not itself slow (seen from outside: its duration held the wait, so a
// fast feed looked slow). The fetch time (the metric's) excludes the wait.
func TestPollSaysItsWaitForAHostSlot(t *testing.T) {
	const slow = 400 * time.Millisecond
	started := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			once.Do(func() { close(started) })
			time.Sleep(slow)
		}
		w.Write([]byte(goodFeed))
	}))
	defer srv.Close()
	p, _ := testPoller(t)
	p.Fetcher = NewFetcher(5*time.Second, 1<<20, 1, "t") // one request at a time to the host
	var logs logbuf.Buffer
	p.Log = slog.New(slog.NewTextHandler(&logs, nil))

	slowSrc := &config.Source{Name: "slow", URL: srv.URL + "/slow"}
	fastSrc := &config.Source{Name: "fast", URL: srv.URL + "/fast"}
	var wg sync.WaitGroup
	var fast Result
	wg.Go(func() { p.Poll(context.Background(), slowSrc, time.Now().Add(time.Hour), false) })
	<-started // the slow poll holds the host's one slot
	wg.Go(func() { fast = p.Poll(context.Background(), fastSrc, time.Now().Add(time.Hour), false) })
	wg.Wait()

	if fast.Err != nil {
		t.Fatal(fast.Err)
	}
	if fast.Waited < slow/2 {
		t.Errorf("fast poll waited %s for its slot, want about %s", fast.Waited, slow)
	}
	if fast.Fetch >= slow/2 {
		t.Errorf("fast poll's fetch took %s: the wait for the slot is counted in it", fast.Fetch)
	}
	if fast.Duration < fast.Waited+fast.Fetch {
		t.Errorf("duration %s shorter than waited %s + fetch %s", fast.Duration, fast.Waited, fast.Fetch)
	}
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "source=fast") {
			line = l
		}
	}
	if !strings.Contains(line, " waited=") {
		t.Errorf("the fast poll's line does not say it waited: %q", line)
	}
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "source=slow") && strings.Contains(l, "waited=") {
			t.Errorf("the slow poll waited for nobody, yet says so: %q", l)
		}
	}
}
