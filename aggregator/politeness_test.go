package aggregator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
)

// clock is a settable test clock.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}
func (c *clock) set(t time.Time)     { c.t.Store(&t) }
func (c *clock) now() time.Time      { return *c.t.Load() }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }
func fixedJitter() float64           { return 0.5 }
func countingHandler(n *atomic.Int32, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { n.Add(1); h(w, r) }
}

func TestPollHonoursRetryAfter(t *testing.T) {
	tests := []struct {
		name       string
		code       int
		retryAfter func(now time.Time) string
		wait       time.Duration
	}{
		{"429 with seconds", http.StatusTooManyRequests, func(time.Time) string { return "7200" }, 2 * time.Hour},
		{"503 with an HTTP-date", http.StatusServiceUnavailable, func(now time.Time) string { return now.Add(3 * time.Hour).Format(http.TimeFormat) }, 3 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, store := testPoller(t)
			clk := newClock(time.Now().UTC().Truncate(time.Second))
			p.Now, p.Jitter = clk.now, fixedJitter
			var hits atomic.Int32
			srv := httptest.NewServer(countingHandler(&hits, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", tt.retryAfter(clk.now()))
				w.WriteHeader(tt.code)
			}))
			defer srv.Close()
			src := &config.Source{Name: "x", URL: srv.URL}

			r := p.Poll(t.Context(), src, clk.now().Add(10*time.Minute), true)
			if r.Status != StatusFailed || r.HTTP != tt.code {
				t.Fatalf("poll = %+v", r)
			}
			st, _, _ := store.State("x")
			if got := st.RetryAfter.Sub(clk.now()); got < tt.wait-time.Second || got > tt.wait+time.Second {
				t.Fatalf("RetryAfter in %s, want %s", got, tt.wait)
			}
			if st.NextCheck.Before(st.RetryAfter) {
				t.Errorf("next check %v before Retry-After %v", st.NextCheck, st.RetryAfter)
			}
			// Neither a scheduled tick nor a manual poll goes out before then.
			clk.add(tt.wait - time.Minute)
			for _, onSchedule := range []bool{true, false} {
				if r := p.Poll(t.Context(), src, clk.now().Add(10*time.Minute), onSchedule); r.Status != StatusSkipped || !r.Waiting || !r.Failing {
					t.Fatalf("poll before Retry-After (onSchedule=%v) = %+v, want skipped, waiting and failing", onSchedule, r)
				}
			}
			if hits.Load() != 1 {
				t.Fatalf("server hit %d times, want 1", hits.Load())
			}
			clk.add(2 * time.Minute)
			if r := p.Poll(t.Context(), src, clk.now().Add(10*time.Minute), false); r.Status == StatusSkipped {
				t.Fatalf("poll after Retry-After skipped: %s", r.Skip)
			}
		})
	}
}

func TestPollBacksOffOnFailures(t *testing.T) {
	p, store := testPoller(t)
	clk := newClock(time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC))
	p.Now, p.Jitter = clk.now, fixedJitter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	src := &config.Source{Name: "x", URL: srv.URL}
	var last time.Duration
	for i := 1; i <= 4; i++ {
		p.Poll(t.Context(), src, clk.now().Add(10*time.Minute), false)
		st, _, _ := store.State("x")
		wait := st.NextCheck.Sub(clk.now())
		if st.Failures != i || wait <= last {
			t.Fatalf("failure %d: failures=%d wait=%s (previous %s)", i, st.Failures, wait, last)
		}
		last = wait
		// A scheduled tick inside the backoff is skipped.
		if r := p.Poll(t.Context(), src, clk.now().Add(10*time.Minute), true); r.Status != StatusSkipped || !r.Waiting || !r.Failing {
			t.Fatalf("tick inside backoff = %+v, want skipped, waiting and failing", r)
		}
	}
	if want := time.Duration(float64(10*time.Minute) * 1.8 * 1.8 * 1.8 * 1.8); last < want-time.Second || last > want+time.Second {
		t.Errorf("after 4 failures wait %s, want %s", last, want)
	}
}

func TestPollHintsSetNextCheck(t *testing.T) {
	p, store := testPoller(t)
	clk := newClock(time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC))
	p.Now = clk.now
	body := strings.Replace(goodFeed, "<link>https://x.ma/</link>", "<link>https://x.ma/</link><ttl>45</ttl>", 1)
	maxAge := "600"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age="+maxAge)
		w.Write([]byte(body))
	}))
	defer srv.Close()
	src := &config.Source{Name: "x", URL: srv.URL}
	p.Poll(t.Context(), src, clk.now().Add(5*time.Minute), false)
	st, _, _ := store.State("x")
	if got := st.NextCheck.Sub(clk.now()); got != 45*time.Minute {
		t.Errorf("ttl 45 > max-age 10m > schedule 5m: next check in %s", got)
	}
	maxAge = "7200"
	p.Poll(t.Context(), src, clk.now().Add(5*time.Minute), false)
	st, _, _ = store.State("x")
	if got := st.NextCheck.Sub(clk.now()); got != 2*time.Hour {
		t.Errorf("max-age 2h: next check in %s", got)
	}
	// A tick inside the server's hint is skipped: the source's turn, and a well one.
	clk.add(time.Hour)
	if r := p.Poll(t.Context(), src, clk.now().Add(5*time.Minute), true); r.Status != StatusSkipped || !r.Waiting || r.Failing {
		t.Errorf("tick inside a caching hint = %+v, want skipped, waiting and not failing", r)
	}
}

func TestPollGoneStopsUntilURLChanges(t *testing.T) {
	p, store := testPoller(t)
	mux := http.NewServeMux()
	var goneHits atomic.Int32
	mux.HandleFunc("/gone", countingHandler(&goneHits, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) }))
	mux.HandleFunc("/new", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(goodFeed)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	src := &config.Source{Name: "x", URL: srv.URL + "/gone"}
	p.Poll(t.Context(), src, time.Time{}, false)
	st, _, _ := store.State("x")
	if !st.Gone || st.Status != 410 {
		t.Fatalf("state after 410 = %+v", st)
	}
	for range 3 {
		if r := p.Poll(t.Context(), src, time.Time{}, false); r.Status != StatusSkipped || !strings.Contains(r.Skip, "410") || !r.Waiting || !r.Failing {
			t.Fatalf("gone source polled: %+v", r)
		}
	}
	if goneHits.Load() != 1 {
		t.Errorf("gone URL hit %d times", goneHits.Load())
	}
	src.URL = srv.URL + "/new" // the user edits the config
	if r := p.Poll(t.Context(), src, time.Time{}, false); r.Status != StatusNew {
		t.Fatalf("after a URL change = %+v", r)
	}
}

func TestPollFollowsRedirects(t *testing.T) {
	p, store := testPoller(t)
	var oldHits, tmpHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/old", countingHandler(&oldHits, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	}))
	mux.HandleFunc("/tmp", countingHandler(&tmpHits, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
	}))
	mux.HandleFunc("/new", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(goodFeed)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	moved := &config.Source{Name: "moved", URL: srv.URL + "/old"}
	p.Poll(t.Context(), moved, time.Time{}, false)
	p.Poll(t.Context(), moved, time.Time{}, false)
	st, _, _ := store.State("moved")
	if st.URL != srv.URL+"/new" || st.ConfiguredURL != srv.URL+"/old" || oldHits.Load() != 1 {
		t.Errorf("301: state %+v, old URL hit %d times (want once)", st, oldHits.Load())
	}

	temp := &config.Source{Name: "temp", URL: srv.URL + "/tmp"}
	p.Poll(t.Context(), temp, time.Time{}, false)
	p.Poll(t.Context(), temp, time.Time{}, false)
	st, _, _ = store.State("temp")
	if st.URL != srv.URL+"/tmp" || tmpHits.Load() != 2 {
		t.Errorf("307: state URL %q, configured URL hit %d times (want twice)", st.URL, tmpHits.Load())
	}
}

// First-seen is fixed at the first store: a re-poll, a restart, or the feed
// re-dating the item never moves it in the ticker.
func TestPollTimesAreStable(t *testing.T) {
	p, store := testPoller(t)
	clk := newClock(time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC))
	p.Now = clk.now
	undated := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link>
<item><title>بلا تاريخ</title><link>https://x.ma/u</link></item>
<item><title>مؤرخ</title><link>https://x.ma/d</link><pubDate>Tue, 14 Apr 2026 10:00:00 +0000</pubDate></item></channel></rss>`
	body := undated
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(body)) }))
	defer srv.Close()
	src := &config.Source{Name: "x", URL: srv.URL}
	p.Poll(t.Context(), src, time.Time{}, false)
	first, _ := store.Newest(archive.Query{Limit: 10})

	clk.add(3 * time.Hour)
	body = strings.Replace(undated, "10:00:00", "17:00:00", 1) // the feed re-dates the item
	p.Poll(t.Context(), src, time.Time{}, false)
	again, _ := store.Newest(archive.Query{Limit: 10})
	for i := range first {
		if !again[i].Time.Equal(first[i].Time) || !again[i].FirstSeen.Equal(first[i].FirstSeen) {
			t.Errorf("%s moved: %v → %v (first seen %v → %v)", first[i].Title, first[i].Time, again[i].Time, first[i].FirstSeen, again[i].FirstSeen)
		}
	}
	if first[0].Title != "بلا تاريخ" || first[0].TimeFrom != "first-seen" || !first[0].Time.Equal(time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)) {
		t.Errorf("undated item: %+v", first[0])
	}
}
