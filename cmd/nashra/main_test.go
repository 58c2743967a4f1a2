package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/archive"
)

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("listne: 1\nschedule: nope\nsources:\n  - name: A\n    url: nope\n"), 0o600)
	var out, errb bytes.Buffer
	if code := run([]string{"check", "-config", bad}, &out, &errb); code != 1 {
		t.Fatalf("check of a bad file exited %d", code)
	}
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], bad+":1: listne: unknown key") || !strings.HasPrefix(lines[3], bad+":5: sources[0].url:") {
		t.Fatalf("check printed:\n%s", errb.String())
	}

	out.Reset()
	errb.Reset()
	t.Setenv("NASHRA_CONFIG", "../../config.yaml")
	if code := run([]string{"check"}, &out, &errb); code != 0 {
		t.Fatalf("check of the shipped config exited %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "../../config.yaml: ok (20 sources, 4 outputs)") {
		t.Errorf("check printed %q", out.String())
	}
}

func TestPollCommand(t *testing.T) {
	_, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`database: %s
retention: 87600h # the fixtures are dated April 2026
sources:
  - {name: hespress-ar, url: "%[2]s/hespress-ar.xml"}
  - {name: le360-fr, url: "%[2]s/le360-fr.xml"}
  - {name: missing, url: "%[2]s/missing.xml"}
`, filepath.Join(dir, "db"), feeds.URL)), 0o600)
	var out, errb bytes.Buffer
	code := run([]string{"poll", "-config", path}, &out, &errb)
	if code != 1 {
		t.Errorf("poll with a failing source exited %d, want 1", code)
	}
	got := out.String()
	for _, want := range []string{"hespress-ar", "new", "HTTP 404 Not Found", "3 sources, 1 failed, 7 new items, 7 stored"} {
		if !strings.Contains(got, want) {
			t.Errorf("poll output lacks %q:\n%s", want, got)
		}
	}
}

func TestUnknownCommandAndFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errb.String())
	}
	if code := run([]string{"check", "-log-format", "xml"}, &out, &errb); code != 2 {
		t.Errorf("bad log format exited %d", code)
	}
}

func TestOPMLCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"opml", "import", "../../opml/testdata/miniflux.opml", "-log-level", "warn"}, &out, &errb); code != 0 {
		t.Fatalf("import exited %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "name: morocco-world-news") || !strings.Contains(out.String(), "language: ar") {
		t.Errorf("import printed:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"opml", "export", "-config", "../../config.yaml"}, &out, &errb); code != 0 {
		t.Fatalf("export exited %d: %s", code, errb.String())
	}
	if strings.Count(out.String(), "xmlUrl=") != 20 {
		t.Errorf("export holds %d feeds, want 20", strings.Count(out.String(), "xmlUrl="))
	}
	if code := run([]string{"opml", "import", "missing.opml"}, &out, &errb); code != 1 {
		t.Errorf("import of a missing file exited %d", code)
	}
	if code := run([]string{"opml", "frob"}, &out, &errb); code != 2 {
		t.Errorf("unknown opml command exited %d", code)
	}
}

func TestPollProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, total: 3}
	p.observe(aggregator.Result{Source: "hespress-ar", Counts: archive.PollCounts{New: 12}})
	p.observe(aggregator.Result{Source: "down", Err: errors.New("boom")})
	p.finish()
	out := buf.String()
	if !strings.Contains(out, "polled 1/3 · 12 new · 0 failed · hespress-ar") || !strings.Contains(out, "polled 2/3 · 12 new · 1 failed · down") {
		t.Errorf("progress wrote %q", out)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}
