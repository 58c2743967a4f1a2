package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

// growingFeeds serves sources whose feeds gain items on every request, like
// busy outlets: each answer holds the newest 60 of a counter that moves by 9.
type growingFeeds struct {
	mu    sync.Mutex
	count map[string]int
	// epoch dates the items: recent, so that retention keeps them.
	epoch time.Time
	// frozen stops the feeds from gaining items.
	frozen atomic.Bool
	// requests counts the polls answered.
	requests atomic.Int64
}

func (g *growingFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	g.requests.Add(1)
	g.mu.Lock()
	if !g.frozen.Load() || g.count[name] == 0 {
		g.count[name] += 9
	}
	top := g.count[name]
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>`, name, name)
	for i := top; i > max(0, top-60); i-- {
		fmt.Fprintf(w, `<item><title>خبر رقم %d من %s: زخات رعدية قوية وهبات رياح مرتقبة</title><link>https://%s.example/%d.html</link><guid>%s-%d</guid>
<pubDate>%s</pubDate><description>%s</description></item>`, i, name, name, i, name, i,
			g.epoch.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), strings.Repeat("نص الخبر. ", 40))
	}
	io.WriteString(w, `</channel></rss>`)
}

// TestKillNineKeepsDatabaseConsistent starts the real binary, kills it with
// SIGKILL at a random moment, again and again, and after each kill checks
// that the database opens, passes bbolt's consistency check and holds every
// item of every poll the process had logged as done.
func TestKillNineKeepsDatabaseConsistent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary 60 times")
	}
	const kills = 60
	dir := t.TempDir()
	bin := nashraBinary(t)
	feeds := httptest.NewServer(&growingFeeds{count: map[string]int{}, epoch: time.Now().Add(-24 * time.Hour)})
	defer feeds.Close()
	db := filepath.Join(dir, "crash.db")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "listen: 127.0.0.1:0\ndatabase: %s\nschedule: '@every 1s'\nworkers: 4\nsources:\n", db)
	const sources = 8
	for i := range sources {
		fmt.Fprintf(&cfg, "  - {name: s%d, url: \"%s/s%d\", language: ar}\n", i, feeds.URL, i)
	}
	cfgPath := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfgPath, []byte(cfg.String()), 0o600)

	logged := map[string]int{} // new items per source in polls the process reported done
	rng := rand.New(rand.NewPCG(1, 2))
	midPoll := 0
	for i := range kills {
		cmd := exec.Command(bin, "serve", "-config", cfgPath, "-log-format", "json")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Half the kills land at a random moment, half right after the k-th
		// poll of the run is logged, while other workers are mid-poll.
		killAfter := -1
		if i%2 == 1 {
			killAfter = 1 + rng.IntN(2*sources)
		}
		deadline := time.After(time.Duration(20+rng.IntN(600)) * time.Millisecond)
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		polls := 0
		record := func(line string) {
			var rec struct {
				Msg, Source string
				New         int
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "poll" {
				logged[rec.Source] += rec.New
				polls++
			}
		}
	wait:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break wait
				}
				record(line)
				if polls == killAfter {
					break wait
				}
			case <-deadline:
				if killAfter < 0 {
					break wait
				}
			}
		}
		cmd.Process.Kill() // SIGKILL: no shutdown path runs
		cmd.Wait()
		for line := range lines {
			record(line)
		}
		if polls%sources != 0 {
			midPoll++ // killed with a round half done
		}

		store, err := archive.Open(db)
		if err != nil {
			t.Fatalf("kill %d: database does not open: %v", i, err)
		}
		if err := store.Check(); err != nil {
			t.Fatalf("kill %d: consistency check: %v", i, err)
		}
		items, err := store.Newest(archive.Query{Limit: 1 << 30})
		if err != nil {
			t.Fatalf("kill %d: read: %v", i, err)
		}
		perSource := map[string]int{}
		links := map[string]bool{}
		for _, it := range items {
			perSource[it.Source]++
			if links[it.Link] {
				t.Fatalf("kill %d: duplicate item %s", i, it.Link)
			}
			links[it.Link] = true
		}
		if n, _ := store.Count(); n != len(items) {
			t.Fatalf("kill %d: item count %d but %d items indexed", i, n, len(items))
		}
		for src, n := range logged {
			if perSource[src] < n {
				t.Fatalf("kill %d: %s has %d items stored, but polls logged as done added %d", i, src, perSource[src], n)
			}
		}
		store.Close()
	}
	total := 0
	for _, n := range logged {
		total += n
	}
	t.Logf("%d kills (%d in the middle of a poll round), %d items logged as stored, all present", kills, midPoll, total)
	if total == 0 {
		t.Fatal("no poll ever completed: the test proved nothing")
	}
}
