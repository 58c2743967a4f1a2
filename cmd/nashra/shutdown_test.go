package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

// hugeItems is the size of the document whose save SIGTERM interrupts: on
// this stack it takes far longer than the shutdown grace to store.
const hugeItems = 100_000

// hugeFeed is an RSS document of n items with varied headlines (as story
// matching sees real ones), newest first.
func hugeFeed(name string, n int) []byte {
	words := []string{"Rabat", "Casablanca", "ONCF", "pluie", "Bourse", "Tanger", "Agadir", "budget", "port", "école", "santé", "export"}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>`, name, name)
	now := time.Now()
	for i := n; i >= 1; i-- {
		// A summary and sixteen categories an item, each its own index entry,
		// so that storing 100,000 takes well past the shutdown grace (bbolt
		// applying writes in key order made the bare items fit in it, and a
		// faster story window six categories).
		var cats strings.Builder
		for c := range 16 {
			fmt.Fprintf(&cats, "<category>%s-%d</category>", words[(i+c)%12], (i+c)%97)
		}
		fmt.Fprintf(&b, "<item><title>%s %s %s dépêche %d</title><link>https://%s.example/%d.html</link><guid>%s-%d</guid><pubDate>%s</pubDate><description>%s</description>%s</item>\n",
			words[i%12], words[(i/12)%12], words[(i/144)%12], i, name, i, name, i, now.Add(-time.Duration(i)*time.Second).Format(time.RFC1123Z),
			strings.Repeat(fmt.Sprintf("%s %d %s ", words[(i/7)%12], i*31%1000, words[(i/5)%12]), 12), cats.String())
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// TestShutdownDuringHugeSaveKeepsPromise sends SIGTERM to the real binary
// while it stores a huge document: it exits within the grace it promises
// (and the second it allows itself after cancelling), and the database
// opens, passes bbolt's check and holds every item of the polls that
// committed before, and none of the interrupted one (or all of it, if its
// commit had begun when polls were cancelled).
func TestShutdownDuringHugeSaveKeepsPromise(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and stores a huge feed")
	}
	bin := nashraBinary(t)
	huge := hugeFeed("huge", hugeItems)
	small := hugeFeed("small", 5)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		if r.URL.Path == "/huge" {
			w.Write(huge)
			return
		}
		w.Write(small)
	}))
	defer feeds.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	cfgPath := filepath.Join(dir, "c.yaml")
	writeConfig(t, cfgPath, fmt.Sprintf("listen: 127.0.0.1:0\ndatabase: %s\nworkers: 1\nmax_body_mb: 160\nmax_items: 100000\nsources:\n  - {name: small, url: \"%[2]s/small\"}\n  - {name: huge, url: \"%[2]s/huge\"}\n", db, feeds.URL))

	cmd := exec.Command(bin, "serve", "-config", cfgPath, "-log-format", "json", "-log-level", "debug")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	type logLine struct {
		Msg, Source, Status string
		New                 int
	}
	lines := make(chan logLine, 1024)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var l logLine
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
			}
		}
		close(lines)
	}()
	smallNew := -1
	timeout := time.After(120 * time.Second)
wait:
	for {
		select {
		case l := <-lines:
			switch {
			case l.Msg == "poll" && l.Source == "small":
				smallNew = l.New
			case l.Msg == "poll: storing" && l.Source == "huge":
				break wait
			}
		case <-timeout:
			t.Fatal("the huge document never reached its save")
		}
	}
	if smallNew != 5 {
		t.Fatalf("the small source's poll logged %d new items before the huge save, want 5", smallNew)
	}
	time.Sleep(300 * time.Millisecond) // well inside the write transaction
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	const promise = shutdownGrace + time.Second // the grace, then a second for cancelled work
	select {
	case err := <-exited:
		took := time.Since(start)
		t.Logf("exited %s after SIGTERM (%v)", took.Round(time.Millisecond), err)
		if err != nil {
			t.Errorf("exit: %v", err)
		}
		if took > promise+200*time.Millisecond {
			t.Errorf("shutdown took %s, promised %s", took.Round(time.Millisecond), promise)
		}
	case <-time.After(3 * promise):
		t.Fatalf("still running %s after SIGTERM", 3*promise)
	}
	for l := range lines {
		if l.Msg == "poll" && l.Source == "huge" && l.New > 0 {
			t.Fatalf("the huge save finished within the grace (%d new): the test proved nothing; raise hugeItems", l.New)
		}
	}

	store, err := archive.Open(db)
	if err != nil {
		t.Fatalf("database after shutdown: %v", err)
	}
	defer store.Close()
	if err := store.Check(); err != nil {
		t.Fatalf("consistency check: %v", err)
	}
	items, err := store.Newest(archive.Query{Limit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, it := range items {
		per[it.Source]++
	}
	// A commit that had begun when polls were cancelled is not waited for:
	// it may land, whole, after the exit; never in part.
	if n, _ := store.Count(); per["small"] != 5 || (per["huge"] != 0 && per["huge"] != hugeItems) || n != len(items) {
		t.Errorf("after shutdown: %v stored, count %d; want the 5 committed items and the interrupted save whole or not at all", per, n)
	}
	if per["huge"] == hugeItems {
		t.Logf("the huge save's commit had begun at the cancel and landed whole after the exit")
	}
	if _, err := os.Stat(db + ".pid"); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}
