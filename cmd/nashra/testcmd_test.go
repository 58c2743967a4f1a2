package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/nashra-ma/nashra/archive"
)

// TestTestCommand attacks `nashra test`: a source tried before it is added
// must show what polling would store and every repair, and never touch the
// database (the service may be running and holding it).
func TestTestCommand(t *testing.T) {
	cp1256, err := charmap.Windows1256.NewEncoder().Bytes(readFixture(t, "cp1256-ar.xml"))
	if err != nil {
		t.Fatal(err)
	}
	proxyFeed := []byte(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title><link>http://n.example/</link>
<item><title>Le train Al Boraq bat un record - Le360</title><link>http://n.example/a</link><pubDate>Tue, 14 Apr 2026 10:00:00 GMT</pubDate></item>
<item><title>   </title><link>http://n.example/b</link></item>
</channel></rss>`)
	// Seen from outside: a feed that says UTF-8 and is windows-1256 was
	// shown with "�" and no word of the bytes replaced.
	title1256, err := charmap.Windows1256.NewEncoder().Bytes([]byte("الحكومة تصادق على مشروع قانون المالية"))
	if err != nil {
		t.Fatal(err)
	}
	mislabelled := append(append([]byte(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Sharq</title><link>http://s.example/</link>
<item><title>`), title1256...), `</title><link>http://s.example/1</link><pubDate>Tue, 14 Apr 2026 10:00:00 GMT</pubDate></item></channel></rss>`...)
	docs := map[string]struct {
		ct   string
		body []byte
	}{
		"/hespress.xml":    {"application/rss+xml", readFixture(t, "hespress-ar.xml")},
		"/cp1256.xml":      {"text/xml; charset=windows-1256", cp1256},
		"/proxy.xml":       {"application/rss+xml", proxyFeed},
		"/page.html":       {"text/html; charset=utf-8", readFixture(t, "cloudflare.html")},
		"/mislabelled.xml": {"application/rss+xml", mislabelled},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", d.ct)
		w.Write(d.body)
	}))
	defer srv.Close()

	dir := t.TempDir()
	db := filepath.Join(dir, "nashra.db")
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`database: %s
retention: 87600h # the fixtures are dated April 2026
sources:
  - {name: hespress-ar, title: هسبريس, url: "%[2]s/hespress.xml", max_items: 3}
  - {name: sharq, url: "%[2]s/cp1256.xml"}
  - {name: gnews, url: "%[2]s/proxy.xml", proxy: true}
  - {name: mislabelled, url: "%[2]s/mislabelled.xml"}
`, db, srv.URL)), 0o600)

	cases := []struct {
		name    string
		arg     string
		code    int
		want    []string
		notWant []string
	}{
		{"configured source: items with Casablanca times, capped count", "hespress-ar", 0,
			[]string{"2026-04-14 16:04 +01:00", "برّادة يراجع معايير", "3 items", "capped: 1", "nothing stored"}, nil},
		{"charset only in the HTTP header is decoded and said", "sharq", 0,
			[]string{"charset: windows-1256", "«الحكومة»", "2026-04-14 14:40 +01:00"}, nil},
		{"proxy suffix stripped and untitled entry counted", "gnews", 0,
			[]string{"Le train Al Boraq bat un record\n", "proxy suffix stripped: 1", "untitled: 1"}, []string{"record - Le360"}},
		{"a URL not in the config", srv.URL + "/hespress.xml?from=cli", 0,
			[]string{"test: " + srv.URL, "برّادة يراجع معايير", "4 items"}, nil},
		{"an HTML page is not a feed", srv.URL + "/page.html", 1, []string{"not a feed"}, nil},
		{"bytes that are no charset the feed names are counted as replaced", "mislabelled", 0,
			[]string{"charset: unknown", fmt.Sprintf("invalid bytes replaced: %d (", highBytes(title1256)), "set the source's charset"}, nil},
		{"a name that is neither source nor URL", "nope", 2, []string{`"nope"`, "hespress-ar"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"test", c.arg, "-config", path}, &out, &errb)
			all := out.String() + errb.String()
			if code != c.code {
				t.Errorf("exit %d, want %d:\n%s", code, c.code, all)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(all, w) {
					t.Errorf("output has %q:\n%s", w, all)
				}
			}
		})
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("nashra test created the database (stat: %v)", err)
	}

	t.Run("works while the service holds the database", func(t *testing.T) {
		st, err := archive.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var out, errb bytes.Buffer
		if code := run([]string{"test", "hespress-ar", "-config", path}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
		}
		if n, _ := st.Count(); n != 0 {
			t.Errorf("the database holds %d items after nashra test", n)
		}
	})
}

func TestHelpListsTest(t *testing.T) {
	var out, errb bytes.Buffer
	run([]string{"help"}, &out, &errb)
	if !strings.Contains(out.String(), "test SOURCE|URL") {
		t.Errorf("help lacks test:\n%s", out.String())
	}
}

// `nashra test` names a failed source without its credentials. Seen from
// outside: a 404, a refused connection or a body too large printed the
// source's user, password and token in full.
func TestTestCommandFailureHidesCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			w.Write(bytes.Repeat([]byte("<rss>"), 400_000))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "c.yaml")
	writeConfig(t, cfgPath, fmt.Sprintf(`database: %s
max_body_mb: 1
sources:
  - {name: missing, url: "http://bob:PW2secret@%[2]s/gone?token=T2secret&client_secret=C6secret"}
  - {name: big, url: "http://bob:PW2secret@%[2]s/big?access_token=A3secret"}
  - {name: refused, url: "http://bob:PW2secret@127.0.0.1:1/x?token=T2secret"}
`, filepath.Join(dir, "db"), host))
	for _, name := range []string{"missing", "big", "refused"} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"test", "-config", cfgPath, name}, &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, errb.String())
			}
			all := out.String() + errb.String()
			for _, secret := range []string{"PW2secret", "T2secret", "C6secret", "A3secret", "bob:"} {
				if strings.Contains(all, secret) {
					t.Errorf("output shows %q:\n%s", secret, all)
				}
			}
			if !strings.Contains(errb.String(), "nashra test:") {
				t.Errorf("no error said: %s", errb.String())
			}
		})
	}
}

// highBytes counts the bytes of b past ASCII: in windows-1256 Arabic
// letters (0xC1–0xED) none is a UTF-8 continuation byte, so each is invalid
// UTF-8 alone.
func highBytes(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	return n
}

// Seen from outside at the fifth look: `nashra test URL` listed items that
// a poll then left out as older than retention, without a word. A URL
// given on the command line is read under the config's retention, as a
// configured source is.
func TestTestCommandURLKeepsRetention(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>t</title><link>http://n.example/</link>
<item><title>Ancien</title><link>http://n.example/old</link><pubDate>Tue, 14 Apr 2015 10:00:00 GMT</pubDate></item>
<item><title>Récent</title><link>http://n.example/new</link><pubDate>%s</pubDate></item>
</channel></rss>`, time.Now().Add(-time.Hour).UTC().Format(time.RFC1123))
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\nretention: 720h\nsources:\n  - {name: a, url: \"%s/a\"}\n", filepath.Join(dir, "db"), srv.URL))
	var out, errb bytes.Buffer
	if code := run([]string{"test", srv.URL + "/feed", "-config", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	if got := out.String(); !strings.Contains(got, "Récent") || strings.Contains(got, "Ancien") || !strings.Contains(got, "expired: 1") {
		t.Errorf("output:\n%s", got)
	}
}
