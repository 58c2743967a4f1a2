package server

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// damaged is an engine whose time-ordered index reads fail once broken is
// set, as a bbolt file with damaged index pages does: the item count (a
// meta value) still reads, every render fails.
type damaged struct {
	storage.Engine
	broken *atomic.Bool
}

func (d damaged) View(ctx context.Context, fn func(storage.Reader) error) error {
	return d.Engine.View(ctx, func(r storage.Reader) error { return fn(damagedReader{r, d.broken}) })
}

type damagedReader struct {
	storage.Reader
	broken *atomic.Bool
}

func (r damagedReader) Scan(table string, rg storage.Range) ([]storage.KV, error) {
	if r.broken.Load() && strings.HasPrefix(table, "by_") {
		return nil, fmt.Errorf("engine: scan %s: %w", table, storage.ErrCorrupt)
	}
	return r.Reader.Scan(table, rg)
}

// /readyz says 200 only while nashra can serve a render. Seen from outside:
// a database with damaged pages answered 500 on every feed and page while
// /readyz said 200, so a load balancer kept sending readers to it.
func TestReadyzFailsWhileRendersFail(t *testing.T) {
	eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	var broken atomic.Bool
	store, err := archive.New(damaged{eng, &broken})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := le360Config(t)
	it := news.Item{Key: "a", Source: "le360-fr", Title: "Premier titre", Language: "fr", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")}
	if _, err := store.SavePoll(context.Background(), "le360-fr", archive.SourceState{LastAttempt: at("2026-04-14T12:00:00Z")}, []news.Item{it}); err != nil {
		t.Fatal(err)
	}
	// Damaged from the start, before any reader asked for a page: the first
	// probe renders once and answers 503 (seen from outside: 200 until the
	// first page request).
	broken.Store(true)
	if rec := serve(New(cfg, store, nil, nil), "GET", "/readyz"); rec.Code != 503 {
		t.Errorf("damaged before any page was asked for: /readyz %d (%s), want 503", rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	broken.Store(false)
	s := New(cfg, store, nil, nil)
	steps := []struct {
		name   string
		broken bool
		path   string
		code   int
		ready  int
	}{
		{"healthy", false, "/feed.atom", 200, 200},
		{"damaged: the render fails", true, "/feed.json", 500, 503},
		{"still damaged: another render fails", true, "/", 500, 503},
		{"repaired: a render succeeds", false, "/feed.json", 200, 200},
	}
	for _, st := range steps {
		broken.Store(st.broken)
		store.Changed() // every render out of date, as after a commit
		if rec := serve(s, "GET", st.path); rec.Code != st.code {
			t.Fatalf("%s: %s answered %d, want %d", st.name, st.path, rec.Code, st.code)
		}
		rec := serve(s, "GET", "/readyz")
		if rec.Code != st.ready {
			t.Errorf("%s: /readyz %d (%s), want %d", st.name, rec.Code, strings.TrimSpace(rec.Body.String()), st.ready)
		}
		if st.ready == 503 && !strings.Contains(rec.Body.String(), "damaged") {
			t.Errorf("%s: /readyz says %q, want the render's error", st.name, rec.Body.String())
		}
	}
}
