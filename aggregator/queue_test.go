package aggregator

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// slowEngine is the real bbolt engine whose commits take a while, as on a
// slow disk, counting them.
type slowEngine struct {
	storage.Engine
	applies atomic.Int64
}

func (e *slowEngine) Apply(ctx context.Context, b *storage.Batch) error {
	e.applies.Add(1)
	time.Sleep(30 * time.Millisecond)
	return e.Engine.Apply(ctx, b)
}

// A round's poll frees its worker once its items wait for the store's
// writer: while the writer commits, the next sources are fetched and
// parsed and their polls queue, so a commit holds polls of more sources
// than there are workers; with one worker, the first source listed still
// stores the article it shares with the second.
func TestRoundPollsQueueForTheWriter(t *testing.T) {
	const sources = 12
	mux := http.NewServeMux()
	for i := range sources {
		mux.HandleFunc(fmt.Sprintf("/s%02d", i), func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>s%02d</title><link>https://s%02d.example/</link>
<item><title>خبر المصدر %d</title><link>https://s%02d.example/1</link><guid>s%02d-1</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate></item>
<item><title>خبر الوكالة</title><link>https://wire.example/a</link><guid>s%02d-wire</guid><pubDate>Tue, 14 Apr 2026 14:04:07 +0000</pubDate></item>
</channel></rss>`, i, i, i, i, i, i)
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			bolt, err := storage.OpenBolt(filepath.Join(t.TempDir(), "q.db"))
			if err != nil {
				t.Fatal(err)
			}
			eng := &slowEngine{Engine: bolt}
			store, err := archive.New(eng)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var y strings.Builder
			fmt.Fprintf(&y, "workers: %d\nretention: 87600h # the items are dated April 2026\nsources:\n", workers)
			for i := range sources {
				fmt.Fprintf(&y, "  - {name: s%02d, url: \"%s/s%02d\"}\n", i, srv.URL, i)
			}
			cfg, err := config.Parse("q.yaml", []byte(y.String()))
			if err != nil {
				t.Fatal(err)
			}
			sched, err := NewScheduler(cfg, &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			before := eng.applies.Load()
			for _, r := range sched.RunOnce(t.Context()) {
				if r.Err != nil || r.Status != StatusNew {
					t.Fatalf("%s: %s, %v", r.Source, r.Status, r.Err)
				}
			}
			if got := eng.applies.Load() - before; got > sources/2 {
				t.Errorf("%d commits for %d sources with %d workers: polls did not queue together", got, sources, workers)
			}
			items, err := store.Newest(archive.Query{Limit: 100, Keep: func(it *news.Item) bool { return it.Link == "https://wire.example/a" }})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 {
				t.Fatalf("%d copies of the shared article stored, want 1", len(items))
			}
			if workers == 1 && items[0].Source != "s00" {
				t.Errorf("the shared article is stored as %s's, want s00's (the first listed)", items[0].Source)
			}
		})
	}
}
