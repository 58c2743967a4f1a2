package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/server"
)

// The interoperability suite: nashra's outputs read by consumers nobody here
// wrote. Each check skips when its tool is absent (a plain `go test ./...` on
// a fresh machine); .ci/run installs them (python3-feedparser, newsboat, jing,
// sqlite3) so that in CI every check runs.

// reference is what an output's JSON Feed says it holds; every other
// consumer must read the same items from the RSS and Atom of that output.
type reference struct {
	ID, Title, URL, Author string
	Published              time.Time
}

type interopService struct {
	base    string
	feeds   *feedServer
	pipe    *pipeline
	outputs []string
}

func startInterop(t *testing.T) *interopService {
	t.Helper()
	fs, feedSrv := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml", "goud-ar.feed.json", "moroccoworldnews-en.xml")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dir := t.TempDir()
	yaml := fmt.Sprintf(`database: %s
base_url: %s
sources:
  - {name: hespress-ar, title: هسبريس, url: %[3]s/hespress-ar.xml, language: ar}
  - {name: le360-fr, title: Le360, url: %[3]s/le360-fr.xml, language: fr}
  - {name: goud, title: كود, url: %[3]s/goud-ar.feed.json, language: ar}
  - {name: moroccoworldnews, title: Morocco World News, url: %[3]s/moroccoworldnews-en.xml, language: en}
outputs:
  - {name: all, title: نشرة — أخبار المغرب, description: كل الأخبار}
  - {name: ar, title: نشرة — الأخبار بالعربية, languages: [ar]}
  - {name: fr, title: Nashra — l'actualité en français, languages: [fr], description: Le fil en français}
`, filepath.Join(dir, "db"), base, feedSrv.URL)
	p, cfg := testPipeline(t, dir, yaml)
	web := &http.Server{Handler: server.New(cfg, p.store, nil, nil).Handler()}
	go web.Serve(ln)
	t.Cleanup(func() { web.Close() })
	p.scheduler.RunOnce(t.Context())
	return &interopService{base: base, feeds: fs, pipe: p, outputs: []string{"all", "ar", "fr"}}
}

// feedURL is the public URL of an output in a format.
func (s *interopService) feedURL(output, ext string) string {
	if output == "all" {
		return s.base + "/feed." + ext
	}
	return s.base + "/feeds/" + output + "." + ext
}

func (s *interopService) reference(t *testing.T, output string) []reference {
	t.Helper()
	var doc struct {
		Items []struct {
			ID, Title, URL string
			Published      time.Time `json:"date_published"`
			Authors        []struct{ Name string }
		} `json:"items"`
	}
	if err := json.Unmarshal(readAll(t, get(t, s.feedURL(output, "json")).Body), &doc); err != nil {
		t.Fatal(err)
	}
	var refs []reference
	for _, it := range doc.Items {
		refs = append(refs, reference{ID: it.ID, Title: it.Title, URL: it.URL, Author: it.Authors[0].Name, Published: it.Published})
	}
	return refs
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (.ci/run installs it)", tool)
		}
	}
}

// feedparserScript prints what Python's feedparser reads from each URL.
const feedparserScript = `
import json, sys, calendar, feedparser
out = []
for url in sys.argv[1:]:
    d = feedparser.parse(url)
    out.append({"url": url, "bozo": int(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
        "language": d.feed.get("language", ""), "title": d.feed.get("title", ""),
        "entries": [{"id": e.get("id", ""), "title": e.get("title", ""), "link": e.get("link", ""),
                     "author": e.get("author", ""),
                     "published": calendar.timegm(e.published_parsed) if e.get("published_parsed") else 0}
                    for e in d.entries]})
json.dump(out, sys.stdout, ensure_ascii=False)
`

func TestInteropFeedparser(t *testing.T) {
	need(t, "/usr/bin/python3")
	if exec.Command("/usr/bin/python3", "-c", "import feedparser").Run() != nil {
		t.Skip("python3-feedparser not installed (.ci/run installs it)")
	}
	s := startInterop(t)
	var urls []string
	for _, o := range s.outputs {
		urls = append(urls, s.feedURL(o, "rss"), s.feedURL(o, "atom"))
	}
	out, err := exec.Command("/usr/bin/python3", append([]string{"-c", feedparserScript}, urls...)...).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var results []struct {
		URL, Error, Version, Language, Title string
		Bozo                                 int
		Entries                              []struct {
			ID, Title, Link, Author string
			Published               int64
		}
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantLang := map[string]string{"ar": "ar", "fr": "fr"}
	checked := 0
	for i, r := range results {
		output := s.outputs[i/2]
		refs := s.reference(t, output)
		if r.Bozo != 0 {
			t.Errorf("%s: bozo (%s)", r.URL, r.Error)
		}
		if r.Language != wantLang[output] {
			t.Errorf("%s: language %q, want %q", r.URL, r.Language, wantLang[output])
		}
		if len(r.Entries) != len(refs) {
			t.Errorf("%s: %d entries, want %d", r.URL, len(r.Entries), len(refs))
			continue
		}
		for j, e := range r.Entries {
			ref := refs[j]
			if e.ID != ref.ID || e.Title != ref.Title || e.Link != ref.URL || e.Published != ref.Published.Unix() {
				t.Errorf("%s entry %d: %+v\n  want id=%s title=%q link=%s published=%d", r.URL, j, e, ref.ID, ref.Title, ref.URL, ref.Published.Unix())
			}
			if e.Author != ref.Author { // kept as written: the byline, else the outlet
				t.Errorf("%s entry %d: author %q, want %q", r.URL, j, e.Author, ref.Author)
			}
		}
		checked++
	}
	t.Logf("feedparser read %d feeds (RSS and Atom of %d outputs) with bozo=0", checked, len(s.outputs))
}

// newsboatReload runs one non-interactive reload of url into cache.
func newsboatReload(t *testing.T, dir, url string) []reference {
	t.Helper()
	urls := filepath.Join(dir, "urls")
	os.WriteFile(urls, []byte(url+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "config"), nil, 0o600)
	cache := filepath.Join(dir, "cache.db")
	cmd := exec.Command("newsboat", "-u", urls, "-c", cache, "-C", filepath.Join(dir, "config"), "-x", "reload")
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("newsboat reload %s: %v\n%s", url, err, out)
	}
	out, err := exec.Command("sqlite3", "-json", cache, "SELECT guid, title, url, author, pubDate FROM rss_item ORDER BY pubDate DESC, id").Output()
	if err != nil {
		t.Fatalf("sqlite3: %v", err)
	}
	var rows []struct {
		GUID, Title, URL, Author string
		PubDate                  int64
	}
	if len(bytes.TrimSpace(out)) > 0 {
		if err := json.Unmarshal(out, &rows); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	var refs []reference
	for _, r := range rows {
		refs = append(refs, reference{ID: r.GUID, Title: r.Title, URL: r.URL, Author: r.Author, Published: time.Unix(r.PubDate, 0)})
	}
	return refs
}

func TestInteropNewsboat(t *testing.T) {
	need(t, "newsboat", "sqlite3")
	s := startInterop(t)
	type run struct{ output, ext, dir string }
	var runs []run
	for _, o := range s.outputs {
		for _, ext := range []string{"rss", "atom"} { // newsboat 2.21 reads no JSON Feed
			runs = append(runs, run{o, ext, t.TempDir()})
		}
	}
	check := func(r run, got []reference) {
		t.Helper()
		refs := s.reference(t, r.output)
		if len(got) != len(refs) {
			t.Errorf("%s.%s: newsboat holds %d items, want %d", r.output, r.ext, len(got), len(refs))
			return
		}
		ids := map[string]bool{}
		for _, g := range got {
			if ids[g.ID] {
				t.Errorf("%s.%s: %s twice", r.output, r.ext, g.ID)
			}
			ids[g.ID] = true
		}
		for _, ref := range refs {
			i := slices.IndexFunc(got, func(g reference) bool { return g.ID == ref.ID })
			if i < 0 {
				t.Errorf("%s.%s: %s (%s) missing", r.output, r.ext, ref.ID, ref.Title)
				continue
			}
			g := got[i]
			if g.Title != ref.Title || g.URL != ref.URL || g.Author != ref.Author || !g.Published.Equal(ref.Published) {
				t.Errorf("%s.%s: %+v, want %+v", r.output, r.ext, g, ref)
			}
		}
	}
	for _, r := range runs {
		check(r, newsboatReload(t, r.dir, s.feedURL(r.output, r.ext)))
	}

	// New items arrive: a second reload adds exactly them (ids are stable).
	before := map[string]int{}
	for _, o := range s.outputs {
		before[o] = len(s.reference(t, o))
	}
	s.feeds.set("/hespress-ar.xml", bytes.Replace(readFixture(t, "hespress-ar.xml"), []byte("<item>"), []byte(`<item><title>خبر جديد عن الانتخابات الجماعية</title>
<link>https://www.hespress.com/new-1201870.html</link><pubDate>Tue, 14 Apr 2026 15:25:00 +0000</pubDate><guid isPermaLink="false">https://www.hespress.com/?p=1201870</guid></item>
<item>`), 1))
	s.feeds.set("/le360-fr.xml", bytes.Replace(readFixture(t, "le360-fr.xml"), []byte("<item>"), []byte(`<item><title><![CDATA[Élections : le calendrier est fixé]]></title><link>https://fr.le360.ma/politique/elections_X1Y2Z3/</link><guid isPermaLink="false">X1Y2Z3</guid><pubDate>Tue, 14 Apr 2026 15:26:00 +0000</pubDate></item>
<item>`), 1))
	s.pipe.scheduler.RunOnce(t.Context())
	wantNew := map[string]int{"all": 2, "ar": 1, "fr": 1}
	for _, r := range runs {
		got := newsboatReload(t, r.dir, s.feedURL(r.output, r.ext))
		if len(got) != before[r.output]+wantNew[r.output] {
			t.Errorf("%s.%s after new items: %d, want %d + %d", r.output, r.ext, len(got), before[r.output], wantNew[r.output])
		}
		check(r, got)
	}
	t.Logf("newsboat read %d feeds twice; the second reload added only the new items", len(runs))
}

func TestInteropAtomSchema(t *testing.T) {
	need(t, "jing")
	s := startInterop(t)
	schema, _ := filepath.Abs("../../interop/testdata/atom.rnc")
	for _, o := range s.outputs {
		file := filepath.Join(t.TempDir(), o+".atom")
		os.WriteFile(file, readAll(t, get(t, s.feedURL(o, "atom")).Body), 0o600)
		out, err := exec.Command("jing", "-c", schema, file).Output()
		if err != nil {
			t.Errorf("%s.atom is not valid against RFC 4287's schema: %v\n%s", o, err, out)
		}
	}
	// The schema is not a rubber stamp: an entry without an id is refused.
	file := filepath.Join(t.TempDir(), "broken.atom")
	body := readAll(t, get(t, s.feedURL("all", "atom")).Body)
	i := bytes.Index(body, []byte("<entry"))
	j := bytes.Index(body[i:], []byte("<id>"))
	k := bytes.Index(body[i+j:], []byte("</id>"))
	os.WriteFile(file, append(append([]byte(nil), body[:i+j]...), body[i+j+k+5:]...), 0o600)
	if exec.Command("jing", "-c", schema, file).Run() == nil {
		t.Error("jing accepted an entry without an id")
	}
}

// TestJSONFeedSpec checks the JSON Feed 1.1 rules no consumer here enforces
// (Debian's feedparser 6.0 and newsboat 2.21 read no JSON Feed).
func TestJSONFeedSpec(t *testing.T) {
	s := startInterop(t)
	for _, o := range s.outputs {
		var doc map[string]any
		resp := get(t, s.feedURL(o, "json"))
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/feed+json") {
			t.Errorf("%s.json Content-Type %q", o, ct)
		}
		if err := json.Unmarshal(readAll(t, resp.Body), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["version"] != "https://jsonfeed.org/version/1.1" || doc["title"] == "" || doc["feed_url"] != s.feedURL(o, "json") {
			t.Errorf("%s.json top level: version=%v title=%v feed_url=%v", o, doc["version"], doc["title"], doc["feed_url"])
		}
		for _, raw := range doc["items"].([]any) {
			it := raw.(map[string]any)
			id, _ := it["id"].(string)
			if !strings.HasPrefix(id, "tag:") || (it["content_text"] == nil && it["content_html"] == nil) {
				t.Errorf("%s.json item lacks id or content: %v", o, it)
			}
			if d, ok := it["date_published"].(string); !ok {
				t.Errorf("%s.json item without date: %v", o, it)
			} else if _, err := time.Parse(time.RFC3339, d); err != nil {
				t.Errorf("%s.json date %q is not RFC 3339", o, d)
			}
			authors, _ := it["authors"].([]any)
			if len(authors) == 0 || authors[0].(map[string]any)["name"] == "" {
				t.Errorf("%s.json item without an author name: %v", o, it)
			}
		}
	}
}
