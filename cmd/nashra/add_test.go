package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAddCommand attacks `nashra add`: a page URL not followed to its feed,
// a config rewritten (comments, order, quoting lost) instead of appended to,
// an entry that would not pass check, a duplicate or a bad name written anyway.
func TestAddCommand(t *testing.T) {
	mux := http.NewServeMux()
	serve := func(path, ct string, body []byte) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
		})
	}
	serve("/hespress.xml", "application/rss+xml", readFixture(t, "hespress-ar.xml"))
	serve("/news.rss", "application/rss+xml", readFixture(t, "le360-fr.xml"))
	serve("/site/{$}", "text/html; charset=utf-8", []byte(`<!doctype html><html><head><title>Le360</title>
<link rel="alternate" type="application/rss+xml" title="Le360 RSS" href="/news.rss"></head><body>hello</body></html>`))
	serve("/bare/{$}", "text/html; charset=utf-8", []byte(`<!doctype html><html><head><title>Goud</title></head><body>no links</body></html>`))
	serve("/feed", "application/feed+json", readFixture(t, "goud-ar.feed.json"))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	head := fmt.Sprintf(`# nashra config — hand-written, keep my comments
database: %s   # next to the config
retention: 87600h # the fixtures are dated April 2026
sources:
  # Arabic
  - {name: existing, title: "Existing", url: '%s/existing.xml', language: ar}
`, filepath.Join(dir, "db"), srv.URL)
	tail := `
  # - {name: retired, url: "https://retired.example/feed"}

outputs:
  - {name: all, title: نشرة}   # the mixed one
`
	original := head + tail
	cases := []struct {
		name     string
		args     []string
		code     int
		appended []string // in the new entry
		stdout   []string
		stderr   []string
	}{
		{"a feed URL is appended", []string{srv.URL + "/hespress.xml", "--name", "hespress-ar"}, 0,
			[]string{"- name: hespress-ar", "title: هسبريس", "url: " + srv.URL + "/hespress.xml", "language: ar"},
			[]string{"برّادة يراجع معايير", "added hespress-ar"}, nil},
		{"a page URL leads to the feed it advertises", []string{srv.URL + "/site/"}, 0,
			[]string{"url: " + srv.URL + "/news.rss", "name: le360", "language: fr"}, // told from its French titles
			[]string{"advertises 1 feed", srv.URL + "/news.rss  application/rss+xml  Le360 RSS", "using " + srv.URL + "/news.rss"}, nil},
		{"a page advertising nothing: the usual paths", []string{srv.URL + "/bare/", "-language", "ar", "-name", "goud"}, 0,
			[]string{"url: " + srv.URL + "/feed", "name: goud"}, []string{"advertises no feed"}, nil},
		{"--print leaves the file alone", []string{srv.URL + "/hespress.xml", "--print", "--name", "h"}, 0,
			nil, []string{"# for sources: in", "- name: h\n  title: هسبريس\n"}, nil},
		{"a URL already configured is refused", []string{srv.URL + "/existing.xml"}, 1, nil, nil, []string{"existing"}},
		{"a name check refuses is not written", []string{srv.URL + "/hespress.xml", "--name", "Bad Name"}, 1, nil, nil, []string{"left unchanged"}},
		{"a name already taken is not written", []string{srv.URL + "/hespress.xml", "--name", "existing"}, 1, nil, nil, []string{"left unchanged"}},
		{"a URL that is no feed and no page with one", []string{srv.URL + "/nothing.xml"}, 1, nil, nil, []string{"404"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			os.WriteFile(path, []byte(original), 0o640)
			if c.name == "a URL already configured is refused" {
				serveExisting := strings.Replace(original, "/existing.xml", "/hespress.xml", 1)
				os.WriteFile(path, []byte(serveExisting), 0o640)
				c.args[0] = srv.URL + "/hespress.xml"
			}
			before, _ := os.ReadFile(path)
			var out, errb bytes.Buffer
			code := run(append([]string{"add", "-config", path}, c.args...), &out, &errb)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out.String(), errb.String())
			}
			for _, w := range c.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range c.stderr {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			after, _ := os.ReadFile(path)
			if c.appended == nil {
				if !bytes.Equal(before, after) {
					t.Errorf("the config changed:\n%s", after)
				}
				return
			}
			got := string(after)
			if !strings.HasPrefix(got, head) || !strings.HasSuffix(got, tail) {
				t.Fatalf("the rest of the file is not byte-identical:\n%s", got)
			}
			entry := got[len(head) : len(got)-len(tail)]
			for _, w := range c.appended {
				if !strings.Contains(entry, w) {
					t.Errorf("entry lacks %q:\n%s", w, entry)
				}
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
				t.Errorf("mode %v, want 0640", fi.Mode().Perm())
			}
			var cout, cerr bytes.Buffer
			if code := run([]string{"check", "-config", path}, &cout, &cerr); code != 0 {
				t.Errorf("check of the appended config exited %d: %s", code, cerr.String())
			}
		})
	}
}

// TestCommandFlagsStayWithTheirCommand attacks add's and opml's flags being
// silently ignored by the other commands.
func TestCommandFlagsStayWithTheirCommand(t *testing.T) {
	for _, args := range [][]string{{"check", "-name", "x"}, {"poll", "--print"}, {"add", "--merge", "c.yaml", "http://x"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "belongs to") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// A config the new entries would break is left unchanged, and its problems
// name the config and its lines. Seen from outside: they named the
// temporary file (./.c5.yaml.new-638336316:7).
func TestAppendToConfigNamesTheConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	before := "sources:\n  - {name: a, url: \"http://a.example/f\"}\n"
	writeConfig(t, path, before)
	var stderr bytes.Buffer
	err := appendToConfig(path, []byte("- name: a\n  url: http://b.example/f\n"), &stderr)
	if err == nil {
		t.Fatal("a duplicate source name was appended")
	}
	if msg := stderr.String(); !strings.Contains(msg, path+":3:") || !strings.Contains(msg, "duplicate") || strings.Contains(msg, ".new-") {
		t.Errorf("problems %q: want the duplicate name at %s:3, no temporary file", msg, path)
	}
	if got, _ := os.ReadFile(path); string(got) != before {
		t.Errorf("config changed:\n%s", got)
	}
}

// A config reached through a symbolic link is updated where it lives, and
// the link stays. Seen from outside: nashra add wrote a regular file over
// the link and left the real config unchanged.
func TestAppendToConfigThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "nashra.yaml")
	writeConfig(t, real, "sources:\n  - {name: a, url: \"http://a.example/f\"}\n")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var stderr bytes.Buffer
	if err := appendToConfig(link, []byte("- name: b\n  url: http://b.example/f\n"), &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file (%v)", err)
	}
	if got, _ := os.ReadFile(real); !strings.Contains(string(got), "name: b") {
		t.Errorf("the real config lacks the new source:\n%s", got)
	}
}

// A config whose sources are written inline is refused with its file and
// line, and the flag as the README spells it. Seen from outside: "nashra
// add: config: sources: is written inline …", no file, no line, "--print".
func TestAppendToConfigInlineSourcesNamesFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	writeConfig(t, path, "workers: 2\nsources: [{name: a, url: \"http://a.example/f\"}]\n")
	err := appendToConfig(path, []byte("- name: b\n  url: http://b.example/f\n"), io.Discard)
	if err == nil || !strings.Contains(err.Error(), path+":2:") || !strings.Contains(err.Error(), " -print") || strings.Contains(err.Error(), "--print") {
		t.Errorf("error %v: want %s:2 named and -print", err, path)
	}
}

// `nashra add` gives a configuration its first source (found from outside:
// it refused, since a configuration without sources does not load), whether
// the file has no sources: key or an empty one; anything else wrong in the
// file is still said.
func TestAddFirstSource(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hespress.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(readFixture(t, "hespress-ar.xml"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, tc := range []struct {
		name, file string
		code       int
		stderr     string
	}{
		{"no sources key", "database: %s\n", 0, ""},
		{"an empty sources key", "database: %s\nsources:\n\noutputs:\n  - {name: all}\n", 0, ""},
		{"no sources and another problem", "database: %s\nfetch_timeout: -1s\n", 1, "fetch_timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			os.WriteFile(path, []byte(fmt.Sprintf(tc.file, filepath.Join(t.TempDir(), "db"))), 0o640)
			code, out, errb := nashra(t, "add", "-config", path, srv.URL+"/hespress.xml", "-name", "hespress-ar")
			if code != tc.code || !strings.Contains(errb, tc.stderr) {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errb)
			}
			if tc.code != 0 {
				return
			}
			if code, out, errb := nashra(t, "check", "-config", path); code != 0 {
				t.Fatalf("check after add: exit %d\n%s%s", code, out, errb)
			}
		})
	}
}
