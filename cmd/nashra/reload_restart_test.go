package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/internal/logbuf"
)

// TestReloadKeepsWhatNeedsARestart changes, by reload, settings that are
// read only when the service starts: each is kept as it runs, and the log
// says so by name (seen from outside: a changed write_queue_items was
// reloaded without a word and never put in force).
func TestReloadKeepsWhatNeedsARestart(t *testing.T) {
	_, feeds := newFeedServer(t, "hespress-ar.xml")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	body := func(queue int) string {
		return fmt.Sprintf("listen: 127.0.0.1:0\ndatabase: %s\nwrite_queue_items: %d\nsources:\n  - {name: hespress-ar, url: \"%s/hespress-ar.xml\", language: ar}\n",
			filepath.Join(dir, "db"), queue, feeds.URL)
	}
	writeConfig(t, path, body(200))
	var logs logbuf.Buffer
	svc, err := startService(path, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	eventually(t, "first round", svc.ready)

	writeConfig(t, path, body(1500))
	if err := svc.Reload(); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if got := svc.config().WriteQueueItems; got != 200 {
		t.Errorf("write_queue_items after reload: %d, want the running 200 (it is read when the store opens)", got)
	}
	if out := logs.String(); !strings.Contains(out, "need a restart") || !strings.Contains(out, "write_queue_items") {
		t.Errorf("no warning naming write_queue_items:\n%s", out)
	}
}
