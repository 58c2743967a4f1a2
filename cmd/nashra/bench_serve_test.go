package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeLoad measures /feed.atom (100 items) under wrk while polling
// runs every second against sources that keep publishing, against a plain
// net/http handler that writes the same bytes, in the same run, alternating
// the two to spread the machine's noise. Run with NASHRA_WRK=1 (needs wrk).
func TestServeLoad(t *testing.T) {
	if os.Getenv("NASHRA_WRK") == "" {
		t.Skip("set NASHRA_WRK=1 to run the wrk load test")
	}
	need(t, "wrk")
	feeds := &growingFeeds{count: map[string]int{}, epoch: time.Now().Add(-time.Hour)}
	feedSrv := httptestServer(t, feeds)
	dir := t.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "listen: 127.0.0.1:0\ndatabase: %s\nschedule: '@every 1s'\nsources:\n", filepath.Join(dir, "db"))
	for i := range 20 {
		fmt.Fprintf(&yaml, "  - {name: s%d, url: \"%s/s%d\", language: ar}\n", i, feedSrv, i)
	}
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(yaml.String()), 0o600)
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", func() bool { return get(t, base+"/readyz").StatusCode == 200 })

	// The static handler serves the bytes nashra serves at that moment: the
	// snapshot is taken again before each of its runs, as polling changes them.
	type snap struct {
		body []byte
		etag string
	}
	var current atomic.Pointer[snap]
	snapshot := func() string {
		resp := get(t, base+"/feed.atom")
		current.Store(&snap{readAll(t, resp.Body), resp.Header.Get("ETag")})
		return resp.Header.Get("ETag")
	}
	// Warm up until the ticker is full (100 items with their summaries).
	prev := 0
	for range 30 {
		snapshot()
		if n := len(current.Load().body); n > 0 && n == prev {
			break
		} else {
			prev = n
		}
		time.Sleep(time.Second)
	}
	// The plain handler writes the same bytes and, like any decent static
	// server, answers a matching If-None-Match with 304.
	static := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := current.Load()
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("ETag", c.etag)
		if r.Header.Get("If-None-Match") == c.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(c.body)
	})}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go static.Serve(ln)
	defer static.Close()
	staticURL := "http://" + ln.Addr().String() + "/feed.atom"

	type stat struct{ rps, p99 float64 }
	run := func(url string, header ...string) stat {
		args := []string{"-t2", "-c32", "-d6s", "--latency"}
		for _, h := range header {
			args = append(args, "-H", h)
		}
		out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
		if err != nil {
			t.Fatalf("wrk: %v\n%s", err, out)
		}
		if os.Getenv("NASHRA_WRK_VERBOSE") != "" {
			t.Logf("%s\n%s", url, out)
		}
		return stat{rps: wrkNumber(t, out, `Requests/sec:\s+([\d.]+)`), p99: wrkLatency(t, out, `99%\s+([\d.]+)(us|ms|s)`)}
	}
	var nashra, plain, nashra304, plain304 []stat
	for range 3 {
		snapshot()
		plain = append(plain, run(staticURL))
		nashra = append(nashra, run(base+"/feed.atom"))
	}
	// Conditional requests: sources stop publishing (polls go on and find
	// nothing new), so the ETag a reader holds stays current.
	feeds.frozen.Store(true)
	time.Sleep(2 * time.Second)
	for range 2 {
		etag := snapshot()
		plain304 = append(plain304, run(staticURL, "If-None-Match: "+etag))
		nashra304 = append(nashra304, run(base+"/feed.atom", "If-None-Match: "+etag))
	}
	mean := func(s []stat) stat {
		var m stat
		for _, x := range s {
			m.rps += x.rps / float64(len(s))
			m.p99 += x.p99 / float64(len(s))
		}
		return m
	}
	n, p, n3, p3 := mean(nashra), mean(plain), mean(nashra304), mean(plain304)
	polls := feeds.requests.Load()
	t.Logf("feed of %d bytes; %d polls answered during the run", len(current.Load().body), polls)
	t.Logf("200: nashra %.0f req/s (p99 %.2f ms), static %.0f req/s (p99 %.2f ms): ratio %.2f", n.rps, n.p99, p.rps, p.p99, n.rps/p.rps)
	t.Logf("304 (If-None-Match): nashra %.0f req/s (p99 %.2f ms), static %.0f req/s (p99 %.2f ms): ratio %.2f", n3.rps, n3.p99, p3.rps, p3.p99, n3.rps/p3.rps)
	for i := range nashra {
		t.Logf("  run %d: nashra %.0f / static %.0f", i+1, nashra[i].rps, plain[i].rps)
	}
	metrics := string(readAll(t, get(t, base+"/metrics").Body))
	for _, l := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(l, "nashra_render_duration_seconds_sum") || strings.HasPrefix(l, "nashra_render_duration_seconds_count") || strings.HasPrefix(l, "nashra_items_stored") {
			t.Log(l)
		}
	}
}

func httptestServer(t *testing.T, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func wrkNumber(t *testing.T, out []byte, pattern string) float64 {
	m := regexp.MustCompile(pattern).FindSubmatch(out)
	if m == nil {
		t.Fatalf("wrk output lacks %s:\n%s", pattern, out)
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// wrkLatency reads a latency in milliseconds.
func wrkLatency(t *testing.T, out []byte, pattern string) float64 {
	m := regexp.MustCompile(pattern).FindSubmatch(out)
	if m == nil {
		t.Fatalf("wrk output lacks %s:\n%s", pattern, out)
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	switch string(m[2]) {
	case "us":
		return v / 1000
	case "s":
		return v * 1000
	}
	return v
}
