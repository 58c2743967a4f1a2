package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/metrics"
	"github.com/nashra-ma/nashra/news"
)

func TestLinesToSend(t *testing.T) {
	t0 := at("2026-12-04T10:00:00Z")
	a := liveLine{ID: "item-a", HTML: "<li>a</li>", Changed: t0}
	b := liveLine{ID: "item-b", HTML: "<li>b</li>", Changed: t0.Add(time.Minute)}
	b2 := liveLine{ID: "item-b", HTML: "<li>b edited</li>", Changed: t0.Add(2 * time.Minute)}
	c := liveLine{ID: "item-c", HTML: "<li>c</li>", Changed: t0.Add(3 * time.Minute)}
	cases := []struct {
		name  string
		prev  map[string]string
		next  []liveLine // newest first
		since time.Time
		want  []string
	}{
		{"nothing changed sends nothing", linesByID([]liveLine{b, a}), []liveLine{b, a}, t0, nil},
		{"a new line is sent", linesByID([]liveLine{b, a}), []liveLine{c, b, a}, t0, []string{"<li>c</li>"}},
		{"an edited headline is sent again", linesByID([]liveLine{b, a}), []liveLine{b2, a}, t0, []string{"<li>b edited</li>"}},
		{"several go oldest first so the page ends newest first", linesByID([]liveLine{a}), []liveLine{c, b, a}, t0, []string{"<li>b</li>", "<li>c</li>"}},
		{"a line leaving the output is not announced", linesByID([]liveLine{b, a}), []liveLine{b}, t0, nil},
		{"resuming sends what changed after the cursor", nil, []liveLine{c, b2, a}, t0.Add(time.Minute), []string{"<li>b edited</li>", "<li>c</li>"}},
		{"resuming at the newest change sends nothing", nil, []liveLine{c, b, a}, c.Changed, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, ln := range linesToSend(tc.prev, tc.next, tc.since) {
				got = append(got, ln.HTML)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStreamCursor(t *testing.T) {
	cases := []struct {
		name, lastEventID, since string
		want                     int64
		ok                       bool
	}{
		{"a reconnecting EventSource's Last-Event-ID wins over the page's since", "200", "100", 200, true},
		{"the page's since on first connect", "", "100", 100, true},
		{"garbage Last-Event-ID falls back to since", "abc", "100", 100, true},
		{"negative cursor is ignored", "-5", "", 0, false},
		{"neither: only what changes from now", "", "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := streamCursor(tc.lastEventID, tc.since)
			if ok != tc.ok || (ok && got.UnixNano() != tc.want) {
				t.Errorf("got %v %v, want %d %v", got.UnixNano(), ok, tc.want, tc.ok)
			}
		})
	}
}

// sseEvent is one event as a client reads it (a comment is event "comment").
type sseEvent struct{ event, id, data string }

// openStream connects to url and sends every event and comment it reads on
// the returned channel, closed when the stream ends.
func openStream(t *testing.T, url string, header ...string) (*http.Response, <-chan sseEvent) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan sseEvent, 100)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev != (sseEvent{}) {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				ch <- sseEvent{event: "comment", data: line}
			case strings.HasPrefix(line, "event: "):
				ev.event = line[len("event: "):]
			case strings.HasPrefix(line, "id: "):
				ev.id = line[len("id: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			}
		}
	}()
	return resp, ch
}

// nextLine waits for the next "line" event, skipping comments and retry.
func nextLine(t *testing.T, ch <-chan sseEvent, within time.Duration) (sseEvent, bool) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return sseEvent{}, false
			}
			if ev.event == "line" {
				return ev, true
			}
		case <-deadline:
			return sseEvent{}, false
		}
	}
}

func liveItem(key, source, lang, title string, tm time.Time) news.Item {
	return news.Item{Key: key, Source: source, Language: lang, Identity: "guid:" + key, Title: title,
		Link: "https://example.ma/" + key, Time: tm, FirstSeen: tm, Changed: time.Now()} // Changed as the poller sets it
}

func save(t *testing.T, store *archive.Archive, items ...news.Item) {
	t.Helper()
	if _, err := store.SavePoll(context.Background(), items[0].Source, archive.SourceState{}, items); err != nil {
		t.Fatal(err)
	}
}

// TestLiveStream runs the stream in the service's own http.Server (its
// deadlines shortened so the test is quick) with metrics on, as the
// service runs it.
func TestLiveStream(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	first := liveItem("a1", "hespress-ar", "ar", "الخبر الأول", now.Add(-time.Hour))
	s, store := newTestServer(t, first)
	s.WithMetrics(metrics.New(func() float64 { return 0 }, func() float64 { return 0 }, func() float64 { return 0 }))
	s.streams.check = 20 * time.Millisecond
	s.streams.heartbit = 100 * time.Millisecond
	srv := s.HTTPServer()
	srv.ReadTimeout, srv.WriteTimeout = 300*time.Millisecond, 500*time.Millisecond
	base := "http://" + startHTTP(t, srv)

	t.Run("a line added after the deadlines passed still arrives, with heartbeats before it", func(t *testing.T) {
		resp, ch := openStream(t, base+"/feeds/fr/events")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("Content-Type %q", ct)
		}
		time.Sleep(1500 * time.Millisecond) // well past both ReadTimeout and WriteTimeout
		save(t, store, liveItem("f1", "le360-fr", "fr", "Nouvelle dépêche", now))
		ev, ok := nextLine(t, ch, 2*time.Second)
		if !ok {
			t.Fatal("no line event: the stream ended or stayed silent after the server's timeouts")
		}
		var d struct{ ID, Day, HTML string }
		if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.HTML, "Nouvelle dépêche") || !strings.HasPrefix(d.ID, "item-") || !strings.Contains(d.HTML, `id="`+d.ID+`"`) || d.Day == "" {
			t.Errorf("event %+v", d)
		}
		if ev.id == "" {
			t.Error("the batch's last event has no id to resume from")
		}
	})
	t.Run("heartbeat comments keep a quiet stream alive", func(t *testing.T) {
		_, ch := openStream(t, base+"/events")
		beats := 0
		deadline := time.After(700 * time.Millisecond)
	loop:
		for {
			select {
			case ev, ok := <-ch:
				if !ok {
					t.Fatal("stream ended")
				}
				if ev.event == "comment" {
					beats++
				}
			case <-deadline:
				break loop
			}
		}
		if beats < 3 {
			t.Errorf("%d heartbeats in 700ms at a 100ms interval", beats)
		}
	})
	t.Run("another output's lines are not announced", func(t *testing.T) {
		_, ch := openStream(t, base+"/feeds/fr/events")
		time.Sleep(100 * time.Millisecond)
		save(t, store, liveItem("a2", "hespress-ar", "ar", "خبر عربي", now))
		if ev, ok := nextLine(t, ch, 500*time.Millisecond); ok {
			t.Errorf("fr stream announced %s", ev.data)
		}
	})
	t.Run("Last-Event-ID resumes after the last line seen", func(t *testing.T) {
		cursor := time.Now()
		time.Sleep(10 * time.Millisecond)
		save(t, store, liveItem("f2", "le360-fr", "fr", "Manquée pendant la coupure", now))
		_, ch := openStream(t, base+"/feeds/fr/events", "Last-Event-ID", fmt.Sprint(cursor.UnixNano()))
		ev, ok := nextLine(t, ch, time.Second)
		if !ok || !strings.Contains(ev.data, "Manquée pendant la coupure") {
			t.Fatalf("resumed stream sent %+v %v", ev, ok)
		}
		if strings.Contains(ev.data, "Nouvelle dépêche") {
			t.Error("resumed stream repeated a line from before its cursor")
		}
	})
	t.Run("an unknown output is 404", func(t *testing.T) {
		resp, err := http.Get(base + "/feeds/nope/events")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

func TestLiveStreamLimitAndShutdown(t *testing.T) {
	s, _ := newTestServer(t)
	cfg := *s.config()
	cfg.Live.MaxStreams = 2
	s.SetConfig(&cfg)
	srv := s.HTTPServer()
	base := "http://" + startHTTP(t, srv)
	var chans []<-chan sseEvent
	for range 2 {
		resp, ch := openStream(t, base+"/events")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("stream within the limit: %d", resp.StatusCode)
		}
		chans = append(chans, ch)
	}
	resp, err := http.Get(base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("stream past live.max_streams: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with open streams: %v after %s", err, time.Since(start))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown took %s with open streams", d)
	}
	for i, ch := range chans {
		select {
		case _, ok := <-ch:
			for ok {
				_, ok = <-ch
			}
		case <-time.After(time.Second):
			t.Errorf("stream %d still open after shutdown", i)
		}
	}
}
