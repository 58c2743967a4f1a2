package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/config"
)

// BenchmarkRepoll is the steady state of issue 12 in one process, for
// profiling (`-cpuprofile`): N sources × 50 items already stored, re-polled
// with the same items but a channel date changed on every poll and no
// validators. Each iteration opens the store as `nashra poll` does (the
// story window is filled then), polls every source once and closes it; the
// baseline is gofeed parsing the same bytes in the same iteration.
func BenchmarkRepoll(b *testing.B) {
	for _, stories := range []bool{true, false} {
		b.Run(fmt.Sprintf("sources=200/stories=%v", stories), func(b *testing.B) { benchRepoll(b, 200, stories) })
	}
}

func benchRepoll(b *testing.B, n int, stories bool) {
	feeds, srv := newBenchFeeds(b, n, 50, time.Now().UTC())
	dir := b.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "database: %s\nworkers: 4\nper_host: 4\nstories: {enabled: %v}\nsources:\n", filepath.Join(dir, "db"), stories)
	for i := range n {
		lang := "ar"
		if i%2 == 1 {
			lang = "fr"
		}
		fmt.Fprintf(&yaml, "  - {name: s%d, url: \"%s/s%d.xml\", language: %s}\n", i, srv.URL, i, lang)
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(yaml.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	poll := func(wantNew int) {
		p, err := newPipeline(cfg, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer p.store.Close()
		added := 0
		for _, r := range p.scheduler.RunOnce(b.Context()) {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Source, r.Err)
			}
			added += r.Counts.New
		}
		if added != wantNew {
			b.Fatalf("stored %d new items, want %d", added, wantNew)
		}
	}
	poll(n * 50)
	var pipeCPU, parseCPU time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		feeds.mu.Lock()
		stamp := []byte(fmt.Sprintf("<description>bench</description><lastBuildDate>%s</lastBuildDate>", time.Unix(int64(i), 0).UTC().Format(time.RFC1123Z)))
		for k, body := range feeds.feeds {
			if j := bytes.Index(body, []byte("<lastBuildDate>")); j >= 0 {
				body = append(body[:j:j], body[bytes.Index(body, []byte("</lastBuildDate>"))+len("</lastBuildDate>"):]...)
			}
			feeds.feeds[k] = bytes.Replace(body, []byte("<description>bench</description>"), stamp, 1)
		}
		feeds.mu.Unlock()
		bodies := feeds.all()
		b.StartTimer()

		c0 := cpuTime()
		poll(0)
		pipeCPU += cpuTime() - c0

		c1 := cpuTime()
		for _, body := range bodies {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
		parseCPU += cpuTime() - c1
	}
	b.ReportMetric(pipeCPU.Seconds()/parseCPU.Seconds(), "pipeline/parse")
}
