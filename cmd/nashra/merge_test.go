package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckWarnsOnSharedURL attacks two sources polling one feed passing
// check in silence (hespress-francais with hespress-fr's URL).
func TestCheckWarnsOnSharedURL(t *testing.T) {
	cases := []struct {
		name, sources string
		warn          string
	}{
		{"same URL twice", "  - {name: hespress-fr, url: \"https://fr.hespress.com/feed\"}\n  - {name: hespress-francais, url: \"https://fr.hespress.com/feed\"}\n",
			":5: sources[1].url: warning: the same feed as sources[0] (hespress-fr)"},
		{"same URL but for host case and a trailing slash", "  - {name: a, url: \"https://FR.hespress.com/feed/\"}\n  - {name: b, url: \"https://fr.hespress.com/feed\"}\n",
			":5: sources[1].url: warning: the same feed as sources[0] (a)"},
		{"different paths are different feeds", "  - {name: a, url: \"https://fr.hespress.com/feed\"}\n  - {name: b, url: \"https://fr.hespress.com/economie/feed\"}\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "c.yaml")
			os.WriteFile(path, []byte("database: "+filepath.Join(dir, "db")+"\n# sources\nsources:\n"+c.sources), 0o600)
			var out, errb bytes.Buffer
			if code := run([]string{"check", "-config", path}, &out, &errb); code != 0 {
				t.Fatalf("check exited %d (a warning must not fail it): %s", code, errb.String())
			}
			if c.warn == "" {
				if errb.Len() > 0 {
					t.Errorf("unexpected warning: %s", errb.String())
				}
				return
			}
			if !strings.Contains(errb.String(), path+c.warn) || !strings.Contains(errb.String(), "warning") {
				t.Errorf("stderr %q lacks %q", errb.String(), path+c.warn)
			}
		})
	}
}

// TestOPMLImportMerge attacks `opml import FILE --merge config.yaml`: a
// config rewritten rather than appended to, feeds already configured added
// again, and names that collide with configured ones.
func TestOPMLImportMerge(t *testing.T) {
	dir := t.TempDir()
	opmlPath := filepath.Join(dir, "feedly.opml")
	os.WriteFile(opmlPath, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="News">
  <outline type="rss" text="Hespress FR" title="Hespress FR" xmlUrl="https://fr.hespress.com/feed" htmlUrl="https://fr.hespress.com/"/>
  <outline type="rss" text="Le360" title="Le360" xmlUrl="https://fr.le360.ma/rss"/>
  <outline type="rss" text="Le360 again" title="Le360 again" xmlUrl="https://fr.le360.ma/rss"/>
  <outline type="rss" text="Existing" title="Existing" xmlUrl="https://medias24.com/feed"/>
</outline></body></opml>`), 0o600)
	head := "# mine\ndatabase: " + filepath.Join(dir, "db") + "\nsources:\n  - {name: hespress-fr, url: \"https://fr.hespress.com/feed\"}   # same URL as the OPML's\n  - {name: le360, url: \"https://fr.le360.ma/other\"}\n"
	tail := "\noutputs:\n  - {name: all}\n"
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte(head+tail), 0o600)

	var out, errb bytes.Buffer
	code := run([]string{"opml", "import", opmlPath, "--merge", cfgPath}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	got, _ := os.ReadFile(cfgPath)
	s := string(got)
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, tail) {
		t.Fatalf("the rest of the config is not byte-identical:\n%s", s)
	}
	added := s[len(head) : len(s)-len(tail)]
	if strings.Count(added, "- name:") != 2 || !strings.Contains(added, "url: https://medias24.com/feed") || strings.Count(added, "https://fr.le360.ma/rss") != 1 {
		t.Errorf("appended:\n%s", added)
	}
	if strings.Contains(added, "fr.hespress.com") {
		t.Errorf("a configured URL was added again:\n%s", added)
	}
	if strings.Contains(added, "name: le360\n") {
		t.Errorf("a configured name was reused:\n%s", added)
	}
	for _, w := range []string{"https://fr.hespress.com/feed is already configured as hespress-fr", "https://fr.le360.ma/rss is listed twice"} {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errb.String())
		}
	}
	var cout, cerr bytes.Buffer
	if code := run([]string{"check", "-config", cfgPath}, &cout, &cerr); code != 0 || cerr.Len() > 0 {
		t.Errorf("check of the merged config: exit %d, %s", code, cerr.String())
	}
}
