package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// startWithFileLimit starts cmd with its files capped at limit bytes
// (RLIMIT_FSIZE, inherited at fork): writing past it fails with EFBIG, as a
// full disk fails, without a mount and whatever user runs the test.
func startWithFileLimit(t *testing.T, cmd *exec.Cmd, limit uint64) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		t.Skipf("cannot lower RLIMIT_FSIZE: %v", err)
	}
	err := cmd.Start()
	if rerr := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); rerr != nil {
		t.Fatalf("restore RLIMIT_FSIZE: %v", rerr)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// boltDataSize is the bytes of the file at path that bbolt's last
// transaction uses (its pages up to the high-water mark): bbolt maps the
// file ahead and grows it in 16 MiB steps, sparse, so the file's size says
// nothing of the room its next pages need.
func boltDataSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int64
	if err := db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }); err != nil {
		t.Fatal(err)
	}
	return size
}

// metricValue reads one sample of the Prometheus text at base/metrics.
func metricValue(t *testing.T, base, name string) float64 {
	t.Helper()
	body := string(readAll(t, get(t, base+"/metrics").Body))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestFullDiskShowsOnSourcesAndMetrics runs the real binary on a database
// that cannot grow: polls that need room fail to store. That must show on
// /sources (failing, with the reason), in nashra_sources_failing and
// nashra_store_errors_total, while /readyz stays 200: the replica still
// serves what it has.
func TestFullDiskShowsOnSourcesAndMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := nashraBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	// A database that served before: three items of src, its last poll a success.
	store, err := archive.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var items []news.Item
	for i := range 3 {
		items = append(items, news.Item{Key: fmt.Sprintf("k%d", i), Source: "src", Title: fmt.Sprintf("before %d", i),
			Link: fmt.Sprintf("https://src.example/old/%d", i), Time: now.Add(-time.Hour), FirstSeen: now, Changed: now})
	}
	if _, err := store.SavePoll(context.Background(), "src", archive.SourceState{LastAttempt: now, LastSuccess: now}, items); err != nil {
		t.Fatal(err)
	}
	store.Close()
	used := boltDataSize(t, db)

	big := hugeFeed("src", 3000) // needs far more room than the file has
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(big)
	}))
	defer feeds.Close()
	port := freePort(t)
	cfgPath := filepath.Join(dir, "c.yaml")
	writeConfig(t, cfgPath, fmt.Sprintf("listen: 127.0.0.1:%d\ndatabase: %s\nsources:\n  - {name: src, url: \"%s/src\"}\n", port, db, feeds.URL))
	cmd := exec.Command(bin, "serve", "-config", cfgPath)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	startWithFileLimit(t, cmd, uint64(used))
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("service log:\n%s", stderr.String())
		}
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	eventually(t, "service up", func() bool { return timedGet(base+"/healthz", time.Second) == http.StatusOK })
	eventually(t, "the failed save shown on /sources", func() bool { return sourceRows(t, base)["src"].State == "failing" })

	st := sourceRows(t, base)["src"]
	if st.Failures < 1 || !strings.Contains(st.Error, "disk full") || st.Items != 3 {
		t.Errorf("/sources row of a poll the disk refused: %+v", st)
	}
	if v := metricValue(t, base, "nashra_store_errors_total"); v < 1 {
		t.Errorf("nashra_store_errors_total = %v", v)
	}
	if v := metricValue(t, base, "nashra_sources_failing"); v != 1 {
		t.Errorf("nashra_sources_failing = %v", v)
	}
	if code := timedGet(base+"/readyz", time.Second); code != http.StatusOK {
		t.Errorf("/readyz = %d while the stored items can be served", code)
	}
	if txt := string(readAll(t, get(t, base+"/ticker.txt").Body)); !strings.Contains(txt, "before 2") {
		t.Errorf("the stored items are not served:\n%s", txt)
	}
}
