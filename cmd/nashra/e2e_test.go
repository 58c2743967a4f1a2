package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/server"
)

// feedServer serves fixture feeds with validators, answers conditional
// requests with 304 and records what each request sent.
type feedServer struct {
	mu       sync.Mutex
	files    map[string][]byte
	requests []seenRequest
}

type seenRequest struct {
	path, ifNoneMatch, ifModifiedSince, userAgent, acceptEncoding string
}

func newFeedServer(t *testing.T, names ...string) (*feedServer, *httptest.Server) {
	fs := &feedServer{files: map[string][]byte{}}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		fs.files["/"+n] = b
	}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	return fs, srv
}

func (fs *feedServer) set(path string, body []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files[path] = body
}

func (fs *feedServer) take() []seenRequest {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	r := fs.requests
	fs.requests = nil
	return r
}

func (fs *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.requests = append(fs.requests, seenRequest{r.URL.Path, r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), r.Header.Get("User-Agent"), r.Header.Get("Accept-Encoding")})
	body, ok := fs.files[r.URL.Path]
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:6]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", "Tue, 14 Apr 2026 15:00:00 GMT")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if strings.HasSuffix(r.URL.Path, ".json") {
		w.Header().Set("Content-Type", "application/feed+json")
	} else {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	}
	w.Write(body)
}

// fetchTime is the fixtures' reference clock: Tue 14 Apr 2026, 16:30 in Casablanca.
var fetchTime = time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)

// testPipeline writes yaml as a config file in dir, loads it and wires the
// pipeline on the fixtures' reference clock; the database closes with the test.
func testPipeline(t *testing.T, dir, yaml string) (*pipeline, *config.Config) {
	t.Helper()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPipeline(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.store.Close() })
	p.poller.Now = func() time.Time { return fetchTime }
	return p, cfg
}

// e2eYAML is the end-to-end test's configuration: five fixture sources, one dead.
func e2eYAML(dir, feedURL string) string {
	return fmt.Sprintf(`database: %s
base_url: http://nashra.test
workers: 1
sources:
  - {name: hespress-ar, title: هسبريس, url: %[2]s/hespress-ar.xml, language: ar}
  - {name: le360-fr, title: Le360, url: %[2]s/le360-fr.xml, language: fr}
  - {name: le360-fr-economie, title: Le360 Économie, url: %[2]s/le360-fr-economie.xml, language: fr}
  - {name: goud, title: كود, url: %[2]s/goud-ar.feed.json, language: ar}
  - {name: moroccoworldnews, title: Morocco World News, url: %[2]s/moroccoworldnews-en.xml, language: en}
  - {name: down, title: Down, url: "http://127.0.0.1:1/feed"}
outputs:
  - {name: all, title: نشرة}
  - {name: fr, title: Nashra FR, languages: [fr]}
`, filepath.Join(dir, "nashra.db"), feedURL)
}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	req.Header.Set("Accept-Encoding", "identity") // see gzip ourselves
	if len(header) > 0 && header[0] == "Accept-Encoding" {
		req.Header.Set("Accept-Encoding", header[1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEndToEnd(t *testing.T) {
	fs, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml", "le360-fr-economie.xml", "goud-ar.feed.json", "moroccoworldnews-en.xml")
	dir := t.TempDir()
	p, cfg := testPipeline(t, dir, e2eYAML(dir, feeds.URL))
	web := httptest.NewServer(server.New(cfg, p.store, nil, nil).Handler())
	defer web.Close()

	// First poll: everything is new, the dead source fails alone.
	results := p.scheduler.RunOnce(t.Context())
	want := map[string]struct {
		status string
		new    int
	}{
		"hespress-ar": {aggregator.StatusNew, 4}, "le360-fr": {aggregator.StatusNew, 3},
		"le360-fr-economie": {aggregator.StatusUnchanged, 0}, "goud": {aggregator.StatusNew, 2},
		"moroccoworldnews": {aggregator.StatusNew, 2}, "down": {aggregator.StatusFailed, 0},
	}
	for _, r := range results {
		w := want[r.Source]
		if r.Status != w.status || r.Counts.New != w.new {
			t.Errorf("poll %s = %s new=%d (%v), want %s new=%d", r.Source, r.Status, r.Counts.New, r.Err, w.status, w.new)
		}
	}
	for _, req := range fs.take() {
		if req.ifNoneMatch != "" || !strings.HasPrefix(req.userAgent, "nashra/") || !strings.Contains(req.acceptEncoding, "gzip") {
			t.Errorf("first request %+v: want no validators, nashra UA, gzip accepted", req)
		}
	}

	// The ticker: 11 distinct items, newest first, Casablanca times, outlets named.
	txt := string(readAll(t, get(t, web.URL+"/ticker.txt").Body))
	lines := strings.Split(strings.TrimSpace(txt), "\n")
	if lines[0] != "الثلاثاء 14 أبريل 2026" { // the day's name heads its lines
		t.Errorf("ticker.txt starts %q, want the day's name", lines[0])
	}
	lines = lines[1:]
	wantLines := []string{
		"16:30 Morocco to Host Africa Investment Forum in Rabat on April 16 — Morocco World News", // future date → first-seen
		"16:04 برّادة يراجع معايير اختيار مؤسسات الريادة الـ2500 — هسبريس",
		"15:18 Bulletin d'alerte: averses orageuses et fortes rafales de vent — Le360",
		"15:08 نشرة إنذارية: زخات رعدية قوية — كود",
		"15:03 السباق على البرلمان يبدأ مبكرا — هسبريس",
		"14:26 ONCF: le trafic voyageurs progresse de 7% au premier trimestre — Le360 + Le360 Économie", // same URL in the section feed
		"13:20 بورصة الدار البيضاء تنهي التداولات على وقع الارتفاع — كود",                               // date_modified only
		"13:12 “الكاف” يحدد موعد قرعة دوري أبطال إفريقيا — هسبريس",
		"12:35 ONCF Passenger Traffic Up 7% in First Quarter of 2026 — Morocco World News",
		"11:40 Tanger Med: un record de conteneurs en mars — Le360 + Le360 Économie",
		"10:04 خبير: الأنفلونزا الموسمية قد تميت الفئات الهشة مناعيا — هسبريس",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Fatalf("ticker.txt =\n%s\nwant\n%s", txt, strings.Join(wantLines, "\n"))
	}

	// The three feeds carry the same 11 items in the same order, with Arabic and French intact.
	for _, path := range []string{"/feed.rss", "/feed.atom", "/feed.json"} {
		resp := get(t, web.URL+path)
		body := readAll(t, resp.Body)
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: gofeed: %v", path, err)
		}
		if len(f.Items) != len(wantLines) {
			t.Fatalf("%s: %d items, want %d", path, len(f.Items), len(wantLines))
		}
		if f.Items[1].Title != "برّادة يراجع معايير اختيار مؤسسات الريادة الـ2500" || f.Items[2].Title != "Bulletin d'alerte: averses orageuses et fortes rafales de vent" {
			t.Errorf("%s: titles %q / %q", path, f.Items[1].Title, f.Items[2].Title)
		}
		if path != "/feed.json" {
			if err := xml.Unmarshal(body, new(struct{})); err != nil {
				t.Errorf("%s: encoding/xml: %v", path, err)
			}
		} else if !json.Valid(body) {
			t.Errorf("%s: invalid JSON", path)
		}
		if f.Items[9].Link != "https://fr.le360.ma/economie/tanger-med_F8G9H2J3K4L5M6N7P8Q9R2S3TA/" {
			t.Errorf("%s: canonical link %q", path, f.Items[9].Link)
		}
	}

	// The French output holds only French items.
	fr := readAll(t, get(t, web.URL+"/feeds/fr.json").Body)
	var frDoc struct {
		Items []struct{ Language string } `json:"items"`
	}
	json.Unmarshal(fr, &frDoc)
	if len(frDoc.Items) != 3 {
		t.Errorf("fr output: %d items, want 3", len(frDoc.Items))
	}

	// Second poll of unchanged feeds: conditional GETs, 304s, nothing added.
	atomResp := get(t, web.URL+"/feed.atom")
	etag := atomResp.Header.Get("ETag")
	results = p.scheduler.RunOnce(t.Context())
	for _, r := range results {
		if r.Source != "down" && (r.Status != aggregator.StatusNotModified || r.HTTP != http.StatusNotModified) {
			t.Errorf("re-poll %s = %s %d, want not-modified 304", r.Source, r.Status, r.HTTP)
		}
	}
	for _, req := range fs.take() {
		if req.ifNoneMatch == "" || req.ifModifiedSince == "" {
			t.Errorf("re-poll of %s sent no validators: %+v", req.path, req)
		}
	}
	if n, _ := p.store.Count(); n != 11 {
		t.Fatalf("after re-poll %d items stored, want 11", n)
	}
	if r := get(t, web.URL+"/feed.atom", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged store: conditional feed request = %d, want 304", r.StatusCode)
	}

	// A changed feed adds only its new item.
	changed := bytes.Replace(readFixture(t, "hespress-ar.xml"), []byte("<item>"), []byte(`<item>
<title>نشرة إنذارية جديدة</title><link>https://www.hespress.com/new-1201860.html</link>
<pubDate>Tue, 14 Apr 2026 15:20:00 +0000</pubDate><guid isPermaLink="false">https://www.hespress.com/?p=1201860</guid></item>
<item>`), 1)
	fs.set("/hespress-ar.xml", changed)
	results = p.scheduler.RunOnce(t.Context())
	for _, r := range results {
		switch {
		case r.Source == "hespress-ar" && (r.Counts.New != 1 || r.Counts.Unchanged != 4):
			t.Errorf("changed feed: %+v, want 1 new 4 unchanged", r.Counts)
		case r.Source != "hespress-ar" && r.Source != "down" && r.Status != aggregator.StatusNotModified:
			t.Errorf("%s: %s, want not-modified", r.Source, r.Status)
		}
	}
	if n, _ := p.store.Count(); n != 12 {
		t.Errorf("after change %d items stored, want 12", n)
	}
	r2 := get(t, web.URL+"/feed.atom", "If-None-Match", etag)
	if r2.StatusCode != http.StatusOK || r2.Header.Get("ETag") == etag {
		t.Errorf("after a change: status %d etag %s (old %s), want 200 and a new etag", r2.StatusCode, r2.Header.Get("ETag"), etag)
	}

	// The dead source is shown failing; the others are healthy.
	var rows []struct {
		Name     string `json:"name"`
		Healthy  bool   `json:"healthy"`
		Failures int    `json:"failures"`
		Error    string `json:"error"`
		Items    int    `json:"items"`
	}
	if err := json.Unmarshal(readAll(t, get(t, web.URL+"/sources.json").Body), &rows); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if (row.Name == "down") == row.Healthy {
			t.Errorf("source %s healthy=%v", row.Name, row.Healthy)
		}
		if row.Name == "down" && (row.Failures != 3 || row.Error == "") {
			t.Errorf("down: %+v, want 3 failures and an error", row)
		}
		if row.Name == "hespress-ar" && row.Items != 5 {
			t.Errorf("hespress-ar items = %d, want 5", row.Items)
		}
	}

	// The HTML ticker: right-to-left, autodiscovery, escaped text.
	page := string(readAll(t, get(t, web.URL+"/", "Accept-Encoding", "gzip").Body))
	if !strings.HasPrefix(page, "\x1f\x8b") {
		t.Fatal("HTML not gzipped when asked")
	}
	zr, _ := gzip.NewReader(strings.NewReader(page))
	page = string(readAll(t, zr))
	for _, want := range []string{`<html lang="ar" dir="rtl">`, `rel="alternate" type="application/atom+xml"`, `href="http://nashra.test/feed.atom"`,
		`<time datetime="2026-04-14T16:04:07&#43;01:00">16:04</time>`, `<h2 dir="auto">الثلاثاء 14 أبريل 2026</h2>`, `— هسبريس`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
}

func readFixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
