package archive

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// scanLog is a real engine whose reads record the ranges they scan.
type scanLog struct {
	storage.Engine
	mu     sync.Mutex
	ranges []storage.Range
}

func (l *scanLog) View(ctx context.Context, fn func(storage.Reader) error) error {
	return l.Engine.View(ctx, func(r storage.Reader) error { return fn(&scanLogReader{r, l}) })
}

type scanLogReader struct {
	storage.Reader
	l *scanLog
}

func (r *scanLogReader) Scan(table string, rg storage.Range) ([]storage.KV, error) {
	r.l.mu.Lock()
	r.l.ranges = append(r.l.ranges, rg)
	r.l.mu.Unlock()
	return r.Reader.Scan(table, rg)
}

func (l *scanLog) take() []storage.Range {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ranges
	l.ranges = nil
	return out
}

// TestReadsLookAtRecentItemsFirst: a walk reads the last two days before
// the rest, and reads across that horizon give every item once, in order.
func TestReadsLookAtRecentItemsFirst(t *testing.T) {
	eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "db"), storage.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	logged := &scanLog{Engine: eng}
	s, err := New(logged)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC().Truncate(time.Second)
	var all []news.Item // newest first
	for h := range 101 {
		src := []string{"a", "b"}[h%2]
		it := item(fmt.Sprintf("k%03d", h), "", "t", now.Add(-time.Duration(h)*time.Hour))
		it.Source = src
		all = append(all, it)
	}
	for _, src := range []string{"a", "b"} {
		var mine []news.Item
		for _, it := range all {
			if it.Source == src {
				mine = append(mine, it)
			}
		}
		if _, err := s.SavePoll(context.Background(), src, SourceState{}, mine); err != nil {
			t.Fatal(err)
		}
	}
	logged.take()
	want := func(limit int, since time.Time) []string {
		var out []string
		for _, it := range all {
			if len(out) < limit && (since.IsZero() || !it.Time.Before(since)) {
				out = append(out, it.Key)
			}
		}
		return out
	}
	horizon := timePrefix(time.Now().Add(-recentHorizon))
	tests := []struct {
		name    string
		q       Query
		bounded bool // every scan stays above the horizon
	}{
		{"the newest few", Query{Limit: 5}, true},
		{"across the horizon", Query{Limit: 60}, false},
		{"everything", Query{Limit: 500}, false},
		{"two sources, across the horizon", Query{Limit: 70, Sources: []string{"a", "b"}}, false},
		{"two sources, the newest few", Query{Limit: 4, Sources: []string{"a", "b"}}, true},
		{"since before the horizon", Query{Limit: 500, Since: now.Add(-72 * time.Hour)}, false},
		{"since after the horizon", Query{Limit: 500, Since: now.Add(-10 * time.Hour)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Newest(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, it := range got {
				keys = append(keys, it.Key)
			}
			if w := want(tt.q.Limit, tt.q.Since); fmt.Sprint(keys) != fmt.Sprint(w) {
				t.Errorf("got %v\nwant %v", keys, w)
			}
			scans := logged.take()
			above := true
			for _, rg := range scans {
				above = above && bytes.Compare(rg.From, horizon[:4]) >= 0
			}
			if tt.bounded && !above {
				t.Errorf("a read below the horizon for the newest items: %+v", scans)
			}
		})
	}
}
