package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

func newTestServer(t testing.TB, items ...news.Item) (*Server, *archive.Archive) {
	t.Helper()
	return newTestServerOn(t, testStore(t), items...)
}

// newTestServerOn is newTestServer over a given store.
func newTestServerOn(t testing.TB, store *archive.Archive, items ...news.Item) (*Server, *archive.Archive) {
	t.Helper()
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: hespress-ar, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
outputs:
  - {name: all, title: نشرة}
  - {name: fr, title: Nashra FR, languages: [fr]}
`)
	if len(items) > 0 {
		if _, err := store.SavePoll(context.Background(), items[0].Source, archive.SourceState{}, items); err != nil {
			t.Fatal(err)
		}
	}
	return New(cfg, store, nil, nil), store
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func serve(s *Server, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// The same instant, 12:00Z, reads 12:00 during Ramadan (Morocco on UTC+0)
// and 13:00 in April (UTC+1): times come from the embedded tz database.
func TestTickerTimesFollowMoroccoZone(t *testing.T) {
	s, _ := newTestServer(t,
		news.Item{Key: "ramadan", Source: "hespress-ar", Title: "رمضان", Language: "ar", Time: at("2026-03-01T12:00:00Z"), Changed: at("2026-03-01T12:00:00Z")},
		news.Item{Key: "april", Source: "hespress-ar", Title: "أبريل", Language: "ar", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")},
		news.Item{Key: "switch-before", Source: "hespress-ar", Title: "قبل", Language: "ar", Time: at("2026-03-21T22:55:00Z"), Changed: at("2026-03-21T22:55:00Z")},
		news.Item{Key: "switch-after", Source: "hespress-ar", Title: "بعد", Language: "ar", Time: at("2026-03-22T07:11:00Z"), Changed: at("2026-03-22T07:11:00Z")},
	)
	rec := serve(s, "GET", "/ticker.txt")
	want := "الثلاثاء 14 أبريل 2026\n13:00 أبريل — هسبريس\n\nالأحد 22 مارس 2026\n08:11 بعد — هسبريس\n\nالسبت 21 مارس 2026\n22:55 قبل — هسبريس\n\nالأحد 1 مارس 2026\n12:00 رمضان — هسبريس\n"
	if got := rec.Body.String(); got != want {
		t.Fatalf("ticker.txt =\n%s\nwant\n%s", got, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestFeedHTTPSemantics(t *testing.T) {
	s, store := newTestServer(t, news.Item{Key: "a", Source: "le360-fr", Title: "Titre é", Language: "fr", Link: "https://fr.le360.ma/a", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:05:00Z")})
	s.started = at("2026-04-14T11:00:00Z") // a process that started before its newest item changed
	types := map[string]string{
		"/feed.rss": "application/rss+xml; charset=utf-8", "/feed.atom": "application/atom+xml; charset=utf-8",
		"/feed.json": "application/feed+json; charset=utf-8", "/": "text/html; charset=utf-8",
		"/feeds/fr.rss": "application/rss+xml; charset=utf-8", "/feeds/fr": "text/html; charset=utf-8",
	}
	for path, ct := range types {
		t.Run(path, func(t *testing.T) {
			rec := serve(s, "GET", path)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != ct {
				t.Fatalf("%d %q, want 200 %q", rec.Code, rec.Header().Get("Content-Type"), ct)
			}
			if !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=") || rec.Header().Get("ETag") == "" {
				t.Errorf("headers %v", rec.Header())
			}
			if lm := rec.Header().Get("Last-Modified"); lm != "Tue, 14 Apr 2026 12:05:00 GMT" {
				t.Errorf("Last-Modified = %q", lm)
			}
		})
	}

	first := serve(s, "GET", "/feed.atom")
	etag := first.Header().Get("ETag")
	tests := []struct {
		name   string
		method string
		header []string
		code   int
		body   bool
	}{
		{"matching etag", "GET", []string{"If-None-Match", etag}, 304, false},
		{"strong form of the weak etag", "GET", []string{"If-None-Match", strings.TrimPrefix(etag, "W/")}, 304, false},
		{"one of several etags", "GET", []string{"If-None-Match", `"x", ` + etag}, 304, false},
		{"other etag", "GET", []string{"If-None-Match", `"nope"`}, 200, true},
		{"etag wins over date", "GET", []string{"If-None-Match", `"nope"`, "If-Modified-Since", "Wed, 15 Apr 2026 00:00:00 GMT"}, 200, true},
		{"not modified since", "GET", []string{"If-Modified-Since", "Tue, 14 Apr 2026 12:05:00 GMT"}, 304, false},
		{"modified since", "GET", []string{"If-Modified-Since", "Tue, 14 Apr 2026 12:00:00 GMT"}, 200, true},
		{"HEAD", "HEAD", nil, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(s, tt.method, "/feed.atom", tt.header...)
			if rec.Code != tt.code || (rec.Body.Len() > 0) != tt.body {
				t.Errorf("%s: %d with %d bytes, want %d body=%v", tt.name, rec.Code, rec.Body.Len(), tt.code, tt.body)
			}
		})
	}
	head := serve(s, "HEAD", "/feed.atom")
	if head.Header().Get("Content-Length") != first.Header().Get("Content-Length") {
		t.Errorf("HEAD Content-Length %q, GET %q", head.Header().Get("Content-Length"), first.Header().Get("Content-Length"))
	}

	gz := serve(s, "GET", "/feed.atom", "Accept-Encoding", "br, gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip headers %v", gz.Header())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, first.Body.Bytes()) {
		t.Error("gzip body differs from plain body")
	}
	if serve(s, "GET", "/feed.atom", "Accept-Encoding", "gzip;q=0").Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}

	// Rendered bytes are reused until the data changes, then re-rendered.
	before := s.cache.entries[cacheKey{"all", formatAtom}]
	serve(s, "GET", "/feed.atom")
	if s.cache.entries[cacheKey{"all", formatAtom}] != before {
		t.Error("re-rendered without a change")
	}
	store.SavePoll(context.Background(), "le360-fr", archive.SourceState{}, []news.Item{{Key: "b", Source: "le360-fr", Title: "Nouveau", Language: "fr", Time: at("2026-04-14T13:00:00Z"), Changed: at("2026-04-14T13:00:00Z")}})
	after := serve(s, "GET", "/feed.atom", "If-None-Match", etag)
	if after.Code != 200 || !strings.Contains(after.Body.String(), "Nouveau") {
		t.Errorf("after a change: %d, new item present=%v", after.Code, strings.Contains(after.Body.String(), "Nouveau"))
	}
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/healthz", 200},
		{"GET", "/readyz", 200},
		{"GET", "/sources", 200},
		{"GET", "/sources.json", 200},
		{"GET", "/sources.opml", 200},
		{"GET", "/feeds/nope.rss", 404},
		{"GET", "/feeds/fr.exe", 404},
		{"GET", "/nothing", 404},
		{"POST", "/feed.rss", 405},
	}
	for _, tt := range tests {
		if rec := serve(s, tt.method, tt.path); rec.Code != tt.code {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, tt.code)
		}
	}
	notReady := New(s.config(), s.store, nil, func() bool { return false })
	rec := httptest.NewRecorder()
	notReady.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz before first round = %d", rec.Code)
	}
}

func TestHTMLEscapesSourceText(t *testing.T) {
	s, _ := newTestServer(t, news.Item{Key: "x", Source: "hespress-ar", Title: `<script>alert("x")</script> عنوان`, Link: "javascript:alert(1)", Language: "ar", Time: at("2026-04-14T12:00:00Z")})
	body := serve(s, "GET", "/").Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `href="javascript:`) {
		t.Fatalf("unsafe HTML:\n%s", body)
	}
	// The line keeps the page's direction (one time column); its text reads in its own.
	if !strings.Contains(body, `<li id="item-x" lang="ar">`) || !strings.Contains(body, `<span class="h" dir="auto">`) {
		t.Error("line lacks lang, or its text lacks dir=auto")
	}
}

func TestHTMLLinksTheOtherOutputs(t *testing.T) {
	s, _ := newTestServer(t)
	home := serve(s, "GET", "/").Body.String()
	if !strings.Contains(home, `<a href="http://nashra.test/feeds/fr" dir="auto" lang="fr">Nashra FR</a>`) {
		t.Errorf("default page does not link the fr output:\n%s", home)
	}
	fr := serve(s, "GET", "/feeds/fr").Body.String()
	if !strings.Contains(fr, `<a href="http://nashra.test/" dir="auto">نشرة</a>`) || !strings.Contains(fr, `<html lang="fr" dir="ltr">`) {
		t.Errorf("fr page:\n%s", fr)
	}
}

// testConfig parses a configuration written in a test.
func testConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// testStore opens a bbolt file in the test's directory, closed when it ends.
func testStore(t testing.TB, opts ...archive.Option) *archive.Archive {
	t.Helper()
	store, err := archive.Open(filepath.Join(t.TempDir(), "t.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}
