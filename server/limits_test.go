package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startHTTP serves h the way the service does (s.HTTPServer's limits) on a
// real loopback listener.
func startHTTP(t *testing.T, srv *http.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedWithin reads from conn until the server closes it, and reports how
// long that took (false if it is still open after limit).
func closedWithin(conn net.Conn, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return time.Since(start), false
	}
	return time.Since(start), true
}

// TestHTTPLimitsCutSlowAndLargeBodies: nashra reads no request bodies, so a
// client that sends its headers and then trickles a body, or announces a
// large one, must not hold a connection.
func TestHTTPLimitsCutSlowAndLargeBodies(t *testing.T) {
	s, _ := newTestServer(t)
	srv := s.HTTPServer()
	if srv.ReadTimeout <= 0 || srv.ReadTimeout > 30*time.Second || srv.ReadHeaderTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("the service's server has unbounded reads: %+v", srv)
	}
	readTimeout := srv.ReadTimeout
	addr := startHTTP(t, srv)

	cases := []struct {
		name    string
		request string
		trickle bool   // then send one body byte every 200ms
		status  string // the status line the server must answer with ("" for none)
	}{
		{"trickled body after the headers (slow POST)",
			"POST /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", true, ""},
		{"trickled body on a GET",
			"GET /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", true, ""},
		{"trickled chunked body",
			"POST /feed.rss HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", true, ""},
		{"announced body over the limit is refused at once",
			fmt.Sprintf("POST /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", 50<<20), false, "HTTP/1.1 413"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.request); err != nil {
				t.Fatal(err)
			}
			if tc.status != "" {
				conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err != nil || !strings.HasPrefix(line, tc.status) {
					t.Fatalf("status line %q (%v), want %s", line, err, tc.status)
				}
			}
			if tc.trickle {
				go func() {
					for range 1000 {
						time.Sleep(200 * time.Millisecond)
						if _, err := conn.Write([]byte("1")); err != nil {
							return
						}
					}
				}()
			}
			if took, ok := closedWithin(conn, readTimeout+5*time.Second); !ok {
				t.Fatalf("connection still open after %s (ReadTimeout %s)", took.Round(time.Millisecond), readTimeout)
			}
		})
	}
}

// TestHTTPLimitsLetAStreamExtendItsDeadlines: a long-lived response (a live
// event stream) outlives ReadTimeout and WriteTimeout by extending its own
// deadlines with http.ResponseController; the limits must not cut it.
func TestHTTPLimitsLetAStreamExtendItsDeadlines(t *testing.T) {
	s, _ := newTestServer(t)
	srv := s.HTTPServer()
	srv.ReadTimeout, srv.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 6 {
			if err := rc.SetReadDeadline(time.Time{}); err != nil {
				t.Errorf("SetReadDeadline: %v", err)
			}
			if err := rc.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
				t.Errorf("SetWriteDeadline: %v", err)
			}
			fmt.Fprintf(w, "data: %d\n\n", i)
			rc.Flush()
			select {
			case <-r.Context().Done():
				t.Errorf("the stream's context was cancelled after %d events", i)
				return
			case <-time.After(150 * time.Millisecond):
			}
		}
	})
	addr := startHTTP(t, srv)
	resp, err := http.Get("http://" + addr + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || strings.Count(string(body), "data: ") != 6 {
		t.Fatalf("stream cut: %q, %v", body, err)
	}
}
