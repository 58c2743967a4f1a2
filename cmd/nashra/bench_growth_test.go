package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// TestGrowth fills databases of 10k, 100k and 1M items and measures, on the
// real binary: start-up (exec → /healthz), the first render of the newest
// 100 (RSS, Atom, JSON Feed: each a cache miss), the first render (Atom) of
// an output of one rare source (0.1 % of items), one rare language, one
// rare category and one rare keyword, each against the unfiltered output's,
// and resident memory after.
// Run with NASHRA_GROWTH=1; the 1M fill takes minutes and ~3 GB of disk.
func TestGrowth(t *testing.T) {
	if os.Getenv("NASHRA_GROWTH") == "" {
		t.Skip("set NASHRA_GROWTH=1 to measure render time and memory at 10k, 100k and 1M items")
	}
	bin := nashraBinary(t)
	sizes := []int{10_000, 100_000, 1_000_000}
	if s := os.Getenv("NASHRA_GROWTH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, _ := strconv.Atoi(f)
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		dir := t.TempDir()
		db := filepath.Join(dir, "nashra.db")
		fillStart := time.Now()
		growthFill(t, db, n)
		fi, _ := os.Stat(db)
		port := freePort(t)
		cfg := filepath.Join(dir, "c.yaml")
		writeConfig(t, cfg, fmt.Sprintf("listen: 127.0.0.1:%d\ndatabase: %s\nretention: 87600h\nsources:\n  - {name: s0, url: \"http://127.0.0.1:1/feed\"}\n"+
			"  - {name: rare, url: \"http://127.0.0.1:1/rare\"}\n%s", port, db, growthOutputs))
		base := fmt.Sprintf("http://127.0.0.1:%d", port)

		start := time.Now()
		cmd := exec.Command(bin, "serve", "-config", cfg, "-log-level", "error")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for {
			resp, err := http.Get(base + "/healthz")
			if err == nil {
				resp.Body.Close()
				break
			}
			if time.Since(start) > 30*time.Second {
				t.Fatal("service did not start")
			}
			time.Sleep(2 * time.Millisecond)
		}
		startup := time.Since(start)
		var renders []time.Duration
		// The unfiltered output's Atom first: every output's first render
		// then reads a store the process has not touched yet.
		for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json",
			"/feeds/rare-source.atom", "/feeds/one-language.atom", "/feeds/one-category.atom", "/feeds/rare-keyword.atom"} {
			t0 := time.Now()
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			readAll(t, resp.Body)
			resp.Body.Close()
			renders = append(renders, time.Since(t0))
			if want := path == "/feeds/rare-keyword.atom" && n > 10_000; (resp.Header.Get("Nashra-Scan-Limit") != "") != want {
				t.Errorf("%s at %d items: Nashra-Scan-Limit %q, want it said: %v", path, n, resp.Header.Get("Nashra-Scan-Limit"), want)
			}
		}
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		rss := ""
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				rss = strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
			}
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		t.Logf("%8d items (file %5.0f MiB, filled in %s): start-up %s, first renders atom/rss/json %s %s %s, resident %s",
			n, float64(fi.Size())/(1<<20), time.Since(fillStart).Round(time.Second), startup.Round(time.Millisecond),
			renders[0].Round(100*time.Microsecond), renders[1].Round(100*time.Microsecond), renders[2].Round(100*time.Microsecond), rss)
		ratio := func(d time.Duration) string {
			return fmt.Sprintf("%s (%.1f×)", d.Round(100*time.Microsecond), float64(d)/float64(renders[0]))
		}
		t.Logf("%8d items filtered first renders (atom) vs unfiltered %s: rare source %s, one language %s, one category %s, rare keyword %s",
			n, renders[0].Round(100*time.Microsecond), ratio(renders[3]), ratio(renders[4]), ratio(renders[5]), ratio(renders[6]))
	}
}

// growthOutputs are the outputs TestGrowth renders besides the first
// (unfiltered): each keeps about 0.1 % of the items growthFill stores,
// the keyword ten in a million.
const growthOutputs = `outputs:
  - {name: all, title: t}
  - {name: rare-source, title: t, sources: [rare]}
  - {name: one-language, title: t, languages: [en]}
  - {name: one-category, title: t, categories: [اقتصاد]}
  - {name: rare-keyword, title: t, include: [zelij]}
`

// growthFill stores n items from 40 outlets, 2,400 a day back from now,
// 10,000 a transaction, without fsync (the fill is setup, not measured).
func growthFill(t *testing.T, path string, n int) {
	s, err := archive.Open(path, archive.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	for lo := 0; lo < n; lo += 10_000 {
		batch := make([]news.Item, 0, 10_000)
		for i := lo; i < min(lo+10_000, n); i++ {
			at := now.Add(-time.Duration(n-i) * 36 * time.Second)
			lang := "ar"
			title := fmt.Sprintf("نشرة إنذارية رقم %d: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", i)
			if i%3 == 0 {
				lang, title = "fr", fmt.Sprintf("Bulletin d'alerte n°%d : averses orageuses et fortes rafales de vent", i)
			}
			it := news.Item{Key: fmt.Sprintf("%024x", i), Source: fmt.Sprintf("s%d", i%40), Identity: fmt.Sprintf("guid:%d", i),
				Link: fmt.Sprintf("https://s%d.example/%d.html", i%40, i), Title: title, Language: lang,
				Summary: strings.Repeat("أفادت المديرية العامة للأرصاد الجوية بأن زخات رعدية قوية مرتقبة. ", 5),
				Author:  "هيئة التحرير", Categories: []string{"مجتمع"}, Time: at, Published: at, FirstSeen: at, Changed: at, TimeFrom: news.TimeFromPublished}
			switch i % 1000 { // the rare outputs of growthOutputs: 0.1 % of items each
			case 7:
				it.Source, it.Link = "rare", fmt.Sprintf("https://rare.example/%d.html", i)
			case 250:
				it.Categories = []string{"اقتصاد"}
			case 500:
				it.Language, it.Title = "en", fmt.Sprintf("Weather alert %d: thunderstorms and strong winds", i)
			}
			if i%100_000 == 3 {
				it.Title += " — zelij"
			}
			batch = append(batch, it)
		}
		if _, err := s.SavePoll(context.Background(), "fill", archive.SourceState{}, batch); err != nil {
			t.Fatal(err)
		}
	}
}
