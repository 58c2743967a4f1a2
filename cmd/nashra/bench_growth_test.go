package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
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
// NASHRA_GROWTH_SIZES=1000000 picks sizes; NASHRA_GROWTH_DIR=DIR keeps the
// databases there and reuses them in later runs; NASHRA_GROWTH_RUNS=N starts
// the binary N times on each (medians logged); NASHRA_GROWTH_KEYS=sequential
// fills with keys that follow time (see growthFill). The file is read through
// first, so that the page cache holds it as after the fill;
// NASHRA_GROWTH_COLD=1 drops it from the page cache before each start
// instead, so that first renders read the disk as after a reboot (each
// render's major page faults logged).
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
	runs := 1
	if r, err := strconv.Atoi(os.Getenv("NASHRA_GROWTH_RUNS")); err == nil && r > 0 {
		runs = r
	}
	cold := os.Getenv("NASHRA_GROWTH_COLD") != ""
	keys := "digest"
	if os.Getenv("NASHRA_GROWTH_KEYS") == "sequential" {
		keys = "sequential"
	}
	for _, n := range sizes {
		dir := t.TempDir()
		db := filepath.Join(dir, "nashra.db")
		if keep := os.Getenv("NASHRA_GROWTH_DIR"); keep != "" {
			db = filepath.Join(keep, fmt.Sprintf("growth-%d-%s.db", n, keys))
		}
		fillStart := time.Now()
		if _, err := os.Stat(db); err != nil {
			growthFill(t, db, n, keys == "sequential")
		}
		fill := time.Since(fillStart)
		fi, _ := os.Stat(db)
		port := freePort(t)
		cfg := filepath.Join(dir, "c.yaml")
		writeConfig(t, cfg, fmt.Sprintf("listen: 127.0.0.1:%d\ndatabase: %s\nretention: 87600h\nsources:\n  - {name: s0, url: \"http://127.0.0.1:1/feed\"}\n"+
			"  - {name: rare, url: \"http://127.0.0.1:1/rare\"}\n%s", port, db, growthOutputs))
		if !cold { // the whole file in the page cache, as just after the fill
			if err := readThrough(db); err != nil {
				t.Fatal(err)
			}
		}
		var all []growthRun
		for range runs {
			if cold {
				if err := evictPages(db); err != nil {
					t.Fatal(err)
				}
			}
			r := growthServe(t, bin, cfg, fmt.Sprintf("http://127.0.0.1:%d", port), n)
			all = append(all, r)
			t.Logf("%8d items, run %d: start-up %s; first renders %s; resident %s", n, len(all),
				r.startup.Round(time.Millisecond), r.describe(), r.rss)
		}
		med := medianRun(all)
		t.Logf("%8d items (%s keys, file %5.0f MiB, filled in %s, cold %v, median of %d): start-up %s, first renders atom/rss/json %s %s %s, resident %s",
			n, keys, float64(fi.Size())/(1<<20), fill.Round(time.Second), cold, runs, med.startup.Round(time.Millisecond),
			med.renders[0].Round(100*time.Microsecond), med.renders[1].Round(100*time.Microsecond), med.renders[2].Round(100*time.Microsecond), all[len(all)-1].rss)
		ratio := func(ds []time.Duration, i int) string {
			return fmt.Sprintf("%s (%.1f×)", ds[i].Round(100*time.Microsecond), float64(ds[i])/float64(ds[0]))
		}
		for _, m := range []struct {
			what string
			ds   []time.Duration
		}{{"time", med.renders}, {"CPU", med.cpu}} {
			t.Logf("%8d items filtered first renders (atom), %s, vs unfiltered %s: rare source %s, one language %s, one category %s, rare keyword %s",
				n, m.what, m.ds[0].Round(100*time.Microsecond), ratio(m.ds, 3), ratio(m.ds, 4), ratio(m.ds, 5), ratio(m.ds, 6))
		}
	}
}

// growthPaths are what TestGrowth requests after start, in this order. The
// unfiltered output's Atom first: every output's first render then reads a
// store the process has not touched yet.
var growthPaths = []string{"/feed.atom", "/feed.rss", "/feed.json",
	"/feeds/rare-source.atom", "/feeds/one-language.atom", "/feeds/one-category.atom", "/feeds/rare-keyword.atom"}

// growthRun is one start of the binary: its start-up, the time, the
// process's CPU time and major page faults (reads from disk) of each
// request of growthPaths, and its resident memory after them.
type growthRun struct {
	startup time.Duration
	renders []time.Duration
	cpu     []time.Duration // the process's CPU time during each request
	faults  []int
	rss     string
}

func (r growthRun) describe() string {
	var b strings.Builder
	for i, p := range growthPaths {
		fmt.Fprintf(&b, "%s %s (CPU %s, %d major faults); ", p, r.renders[i].Round(100*time.Microsecond), r.cpu[i].Round(100*time.Microsecond), r.faults[i])
	}
	return strings.TrimSuffix(b.String(), "; ")
}

// medianRun is each figure's median over runs.
func medianRun(runs []growthRun) growthRun {
	med := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[len(s)/2]
	}
	out := growthRun{}
	var starts []time.Duration
	for _, r := range runs {
		starts = append(starts, r.startup)
	}
	out.startup = med(starts)
	for i := range growthPaths {
		var ds, cs []time.Duration
		for _, r := range runs {
			ds, cs = append(ds, r.renders[i]), append(cs, r.cpu[i])
		}
		out.renders, out.cpu = append(out.renders, med(ds)), append(out.cpu, med(cs))
	}
	return out
}

// growthServe starts the binary on cfg, requests growthPaths once each and
// stops it.
func growthServe(t *testing.T, bin, cfg, base string, n int) growthRun {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(bin, "serve", "-config", cfg, "-log-level", "error")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
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
	r := growthRun{startup: time.Since(start)}
	// The first poll round (every source fails at once here) and the
	// retention pass run as the service starts: requests wait for them, so
	// that each render is measured alone.
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			t.Fatal("service not ready")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	for _, path := range growthPaths {
		f0, c0 := majorFaults(cmd.Process.Pid), processCPU(cmd.Process.Pid)
		t0 := time.Now()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp.Body)
		resp.Body.Close()
		r.renders = append(r.renders, time.Since(t0))
		r.faults = append(r.faults, majorFaults(cmd.Process.Pid)-f0)
		r.cpu = append(r.cpu, processCPU(cmd.Process.Pid)-c0)
		if want := path == "/feeds/rare-keyword.atom" && n > archive.DefaultMaxScan; (resp.Header.Get("Nashra-Scan-Limit") != "") != want {
			t.Errorf("%s at %d items: Nashra-Scan-Limit %q, want it said: %v", path, n, resp.Header.Get("Nashra-Scan-Limit"), want)
		}
	}
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	// Resident memory, and its parts: the process's own (anonymous) and the
	// database file's pages mapped in (page cache the kernel may take back;
	// each page fault maps the cached pages around it too).
	var parts []string
	for _, l := range strings.Split(string(status), "\n") {
		for _, k := range []string{"VmRSS:", "RssAnon:", "RssFile:"} {
			if strings.HasPrefix(l, k) {
				parts = append(parts, strings.TrimSuffix(k, ":")+" "+strings.TrimSpace(strings.TrimPrefix(l, k)))
			}
		}
	}
	r.rss = strings.Join(parts, ", ")
	return r
}

// processCPU is the CPU time the process's threads have run so far, in
// nanoseconds (schedstat; the clock ticks of /proc/PID/stat are 10 ms).
func processCPU(pid int) time.Duration {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum time.Duration
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if fs := strings.Fields(string(b)); len(fs) > 0 {
			ns, _ := strconv.ParseInt(fs[0], 10, 64)
			sum += time.Duration(ns)
		}
	}
	return sum
}

// readThrough reads a file once, so that the page cache holds all of it.
func readThrough(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// majorFaults is the process's major page faults so far (pages read from
// disk on first touch), -1 where /proc cannot say.
func majorFaults(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// Fields after the command's closing parenthesis: state is field 3,
	// majflt field 12.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 10 {
		return -1
	}
	n, _ := strconv.Atoi(f[9])
	return n
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
// Keys are what ingest gives (aggregator.ItemKey, a digest): an item's
// record then sits anywhere in the records table, whatever its time, so the
// newest items of all are as scattered on disk as those of a rare source.
// With sequential set, keys follow time instead (the fill before h28): the
// newest items of all share a few pages, which no real store has.
func growthFill(t *testing.T, path string, n int, sequential bool) {
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
			if !sequential {
				it.Key = aggregator.ItemKey(it.Source, it.Identity)
			}
			batch = append(batch, it)
		}
		if _, err := s.SavePoll(context.Background(), "fill", archive.SourceState{}, batch); err != nil {
			t.Fatal(err)
		}
	}
}
