package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/server"
)

// TestDisabledSource attacks a source marked disabled: true being polled
// anyway, counted as a failure, or shown as merely waiting.
func TestDisabledSource(t *testing.T) {
	fs, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml")
	dir := t.TempDir()
	yaml := fmt.Sprintf(`database: %s
sources:
  - {name: hespress-ar, url: "%[2]s/hespress-ar.xml"}
  - {name: le360-fr, url: "%[2]s/le360-fr.xml", disabled: true}
`, filepath.Join(dir, "db"), feeds.URL)
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(yaml), 0o600)

	t.Run("poll skips it and says so", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run([]string{"poll", "-config", path}, &out, &errb); code != 0 {
			t.Fatalf("poll exited %d: %s%s", code, out.String(), errb.String())
		}
		for _, r := range fs.take() {
			if strings.Contains(r.path, "le360") {
				t.Errorf("the disabled source was fetched: %s", r.path)
			}
		}
		got := out.String()
		for _, want := range []string{"le360-fr: disabled in the config, not polled", "1 sources, 0 failed"} {
			if !strings.Contains(got, want) {
				t.Errorf("poll output lacks %q:\n%s", want, got)
			}
		}
	})

	t.Run("sources page shows it disabled", func(t *testing.T) {
		p, cfg := testPipeline(t, t.TempDir(), yaml)
		p.scheduler.RunOnce(t.Context())
		web := httptest.NewServer(server.New(cfg, p.store, nil, nil).Handler())
		defer web.Close()
		rows := sourceRows(t, web.URL)
		if rows["le360-fr"].State != "disabled" || rows["hespress-ar"].State != "ok" {
			t.Errorf("rows %+v", rows)
		}
		page := string(readAll(t, get(t, web.URL+"/sources").Body))
		if !strings.Contains(page, "disabled") {
			t.Errorf("/sources does not say disabled:\n%s", page)
		}
	})

	t.Run("round summary does not wait for it", func(t *testing.T) {
		p, cfg := testPipeline(t, t.TempDir(), yaml)
		rt := newRoundTally(sourceNames(cfg))
		for _, r := range p.scheduler.RunOnce(t.Context()) {
			if _, total, done := rt.observe(r); done && total != 1 {
				t.Errorf("round of %d sources, want 1", total)
			}
		}
		if len(sourceNames(cfg)) != 1 {
			t.Errorf("round names %v", sourceNames(cfg))
		}
	})
}
