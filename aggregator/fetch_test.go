package aggregator

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchConditionalAndGzip(t *testing.T) {
	var gotUA, gotINM, gotIMS, gotAE string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotINM, gotIMS, gotAE = r.UserAgent(), r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), r.Header.Get("Accept-Encoding")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified) // no validators repeated
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 14 Apr 2026 15:00:00 GMT")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("<rss>مرحبا</rss>"))
		zw.Close()
	}))
	defer srv.Close()
	f := NewFetcher(5*time.Second, 1<<20, 2, "nashra-test/1")

	resp, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<rss>مرحبا</rss>" || resp.ETag != `"v1"` || !strings.Contains(gotAE, "gzip") || gotUA != "nashra-test/1" {
		t.Fatalf("body %q etag %q accept-encoding %q ua %q", resp.Body, resp.ETag, gotAE, gotUA)
	}
	resp, err = f.Fetch(t.Context(), FetchRequest{URL: srv.URL, ETag: resp.ETag, LastModified: resp.LastModified, UserAgent: "custom/2"})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.NotModified || gotINM != `"v1"` || gotIMS == "" || gotUA != "custom/2" {
		t.Fatalf("304 round: %+v sent INM=%q IMS=%q UA=%q", resp, gotINM, gotIMS, gotUA)
	}
	if resp.ETag != `"v1"` || resp.LastModified != "Tue, 14 Apr 2026 15:00:00 GMT" {
		t.Errorf("a 304 without validators lost the old ones: %q %q", resp.ETag, resp.LastModified)
	}
}

func TestFetchLimits(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 4096)
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) { w.Write(big) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, _ *http.Request) {
		// 1 MiB of zeros compresses to about 1 KiB: the cap must apply after decoding.
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(make([]byte, 1<<20))
		zw.Close()
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	// Seen from outside: a permanent move to a 3 MiB address was stored as
	// the source's address, shown on /sources and fetched at every poll.
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/big?q="+strings.Repeat("x", MaxURLBytes), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for range 50 {
			w.Write([]byte(" "))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(time.Second, 2048, 2, "t")

	tests := []struct {
		path string
		want func(error) bool
	}{
		{"/big", func(err error) bool { return errors.Is(err, ErrBodyTooLarge) }},
		{"/bomb", func(err error) bool { return errors.Is(err, ErrBodyTooLarge) }},
		{"/gone", func(err error) bool { var he *HTTPError; return errors.As(err, &he) && he.Code == 410 }},
		{"/loop", func(err error) bool { return err != nil && strings.Contains(err.Error(), "redirects") }},
		{"/long", func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "redirect to an address longer than 4 KiB") && len(err.Error()) < 1024
		}},
		{"/slow", func(err error) bool { return err != nil }},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			_, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + tt.path})
			if !tt.want(err) {
				t.Errorf("err = %v", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestFetchPermanentRedirect(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/tmp", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<rss/>")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(time.Second, 1<<20, 2, "t")
	resp, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + "/old"})
	if err != nil || resp.MovedTo != srv.URL+"/new" {
		t.Fatalf("301: moved to %q, err %v", resp.MovedTo, err)
	}
	resp, err = f.Fetch(t.Context(), FetchRequest{URL: srv.URL + "/tmp"})
	if err != nil || resp.MovedTo != "" {
		t.Fatalf("302: moved to %q, err %v", resp.MovedTo, err)
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	var now, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := now.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		now.Add(-1)
	}))
	defer srv.Close()
	f := NewFetcher(time.Second, 1<<20, 2, "t")
	done := make(chan struct{})
	for range 6 {
		go func() {
			f.Fetch(t.Context(), FetchRequest{URL: srv.URL})
			done <- struct{}{}
		}()
	}
	for range 6 {
		<-done
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrency against one host = %d, want ≤ 2", p)
	}
}
