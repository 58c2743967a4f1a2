package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestHostileEdges attacks the running service at its two HTTP edges: an
// outlet that points its feed at an internal service, and clients that
// hold connections or sneak gzip past a refusal. (Storage faults are in
// storage/safety_test.go, stale pid files in pidcheck_test.go.)
func TestHostileEdges(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		internalHits.Add(1)
		w.Write([]byte(`<rss version="2.0"><channel><title>admin</title></channel></rss>`))
	}))
	defer internal.Close()
	iu, _ := url.Parse(internal.URL)
	outlet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-loopback-ip":
			http.Redirect(w, r, internal.URL+"/admin", http.StatusFound)
		case "/to-localhost":
			http.Redirect(w, r, "http://localhost:"+iu.Port()+"/admin", http.StatusMovedPermanently)
		}
	}))
	defer outlet.Close()

	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf(`listen: 127.0.0.1:0
database: %s
sources:
  - {name: to-loopback-ip, url: "%[2]s/to-loopback-ip"}
  - {name: to-localhost, url: "%[2]s/to-localhost"}
`, filepath.Join(dir, "db"), outlet.URL))
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", func() bool { return get(t, base+"/readyz").StatusCode == http.StatusOK })

	t.Run("outlet redirects its feed into the loopback network", func(t *testing.T) {
		if n := internalHits.Load(); n != 0 {
			t.Errorf("the internal service was fetched %d times", n)
		}
		rows := sourceRows(t, base)
		for _, name := range []string{"to-loopback-ip", "to-localhost"} {
			if rows[name].State != "failing" {
				t.Errorf("%s: %+v, want failing", name, rows[name])
			}
		}
		for _, page := range []string{"/sources", "/sources.json"} {
			body := string(readAll(t, get(t, base+page).Body))
			if strings.Contains(body, ":"+iu.Port()) || strings.Contains(body, "dial") {
				t.Errorf("%s shows the internal address or dial details:\n%s", page, body)
			}
			if !strings.Contains(body, "refused: private network address") {
				t.Errorf("%s does not say why:\n%s", page, body)
			}
		}
	})

	clients := []struct {
		name    string
		request string
		trickle bool
		check   func(t *testing.T, status string, closedAfter time.Duration)
	}{
		{"client refuses gzip with a zero weight written q=0.0",
			"GET /feed.atom HTTP/1.1\r\nHost: x\r\nAccept-Encoding: deflate, gzip;q=0.0\r\nConnection: close\r\n\r\n", false,
			func(t *testing.T, status string, _ time.Duration) {
				if !strings.HasPrefix(status, "HTTP/1.1 200") || strings.Contains(status, "Content-Encoding: gzip") {
					t.Errorf("answer:\n%s", status)
				}
			}},
		{"client announces a 50 MB request body",
			"POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n", false,
			func(t *testing.T, status string, _ time.Duration) {
				if !strings.HasPrefix(status, "HTTP/1.1 413") {
					t.Errorf("answer:\n%s", status)
				}
			}},
		{"client trickles a request body to hold the connection (slow POST)",
			"POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", true,
			func(t *testing.T, _ string, closedAfter time.Duration) {
				if closedAfter > 12*time.Second {
					t.Errorf("connection held for %s", closedAfter)
				}
			}},
	}
	t.Run("clients", func(t *testing.T) {
		for _, tc := range clients {
			t.Run(tc.name, func(t *testing.T) {
				if tc.trickle && testing.Short() {
					t.Skip("waits for the read timeout")
				}
				t.Parallel()
				conn, err := net.Dial("tcp", svc.Addr())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				start := time.Now()
				io.WriteString(conn, tc.request)
				if tc.trickle {
					go func() {
						for range 200 {
							time.Sleep(100 * time.Millisecond)
							if _, err := conn.Write([]byte("x")); err != nil {
								return
							}
						}
					}()
				}
				conn.SetReadDeadline(time.Now().Add(20 * time.Second))
				answer, _ := io.ReadAll(conn)
				tc.check(t, string(answer), time.Since(start))
			})
		}
	})
}
