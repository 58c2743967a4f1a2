package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/config"
)

// cpuTime is the user+system CPU this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIngest polls N generated sources × 50 items into an empty
// database (fetch over loopback + charset + gofeed + normalise + dedupe and
// story clustering + store, one transaction per source) and, as the
// baseline in the same run, parses the same bytes with gofeed alone.
// Reported: items/s (wall), CPU ms per 1,000 items, and pipeline/parse (CPU).
func BenchmarkIngest(b *testing.B) {
	for _, n := range []int{100, 1000} {
		for _, stories := range []bool{true, false} {
			b.Run(fmt.Sprintf("sources=%d/stories=%v", n, stories), func(b *testing.B) { benchIngest(b, n, stories) })
		}
	}
}

func benchIngest(b *testing.B, n int, stories bool) {
	feeds, srv := newBenchFeeds(b, n, 50, time.Now().UTC())
	bodies := feeds.all()
	var pipeCPU, parseCPU, wall time.Duration
	items := 0
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		var yaml strings.Builder
		fmt.Fprintf(&yaml, "database: %s\nworkers: 4\nper_host: 4\nsources:\n", filepath.Join(dir, "db"))
		for i := range n {
			lang := "ar"
			if i%2 == 1 {
				lang = "fr"
			}
			fmt.Fprintf(&yaml, "  - {name: s%d, url: \"%s/s%d.xml\", language: %s}\n", i, srv.URL, i, lang)
		}
		path := filepath.Join(dir, "c.yaml")
		os.WriteFile(path, []byte(yaml.String()), 0o600)
		cfg, err := config.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		p, err := newPipeline(cfg, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if !stories {
			p.store.SetStoryMatcher(nil)
		}
		b.StartTimer()

		c0, t0 := cpuTime(), time.Now()
		results := p.scheduler.RunOnce(b.Context())
		wall += time.Since(t0)
		pipeCPU += cpuTime() - c0

		c1 := cpuTime()
		for _, body := range bodies {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
		parseCPU += cpuTime() - c1

		b.StopTimer()
		for _, r := range results {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Source, r.Err)
			}
			items += r.Counts.New
		}
		p.store.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(items)/wall.Seconds(), "items/s")
	b.ReportMetric(float64(pipeCPU.Milliseconds())/float64(items)*1000, "cpu-ms/1000items")
	b.ReportMetric(float64(parseCPU.Milliseconds())/float64(items)*1000, "parse-cpu-ms/1000items")
	b.ReportMetric(pipeCPU.Seconds()/parseCPU.Seconds(), "pipeline/parse")
}
