package archive

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// readCounter is the real bbolt engine, counting the records read through it.
type readCounter struct {
	storage.Engine
	records atomic.Int64
}

func (c *readCounter) View(ctx context.Context, fn func(storage.Reader) error) error {
	return c.Engine.View(ctx, func(r storage.Reader) error { return fn(countingReader{r, c}) })
}

type countingReader struct {
	storage.Reader
	c *readCounter
}

func (r countingReader) Get(table string, key []byte) ([]byte, error) {
	if table == tRecords {
		r.c.records.Add(1)
	}
	return r.Reader.Get(table, key)
}

// The story window is filled when something needs it, not at open: a
// process that re-polls unchanged items (`nashra poll` in the steady state)
// decodes no report for it. Whatever needs the window still sees every
// report stored before the open, and nothing removed before it is filled.
func TestStoryWindowFilledOnDemand(t *testing.T) {
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	const title = "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"
	stored := []struct{ source, key string }{{"mapnews", "m1"}, {"akhbarona", "a1"}, {"goud", "g1"}}
	cases := []struct {
		name string
		run  func(t *testing.T, a *Archive, c *readCounter)
	}{
		{"opening reads no record", func(t *testing.T, a *Archive, c *readCounter) {
			if n := c.records.Load(); n != 0 {
				t.Errorf("open read %d records, want 0", n)
			}
		}},
		{"re-saving stored items reads only them", func(t *testing.T, a *Archive, c *readCounter) {
			before := c.records.Load()
			save(t, a, report("mapnews", "m1", "ar", title, t0))
			if n := c.records.Load() - before; n != 1 {
				t.Errorf("an unchanged item read %d records, want 1 (its own)", n)
			}
		}},
		{"a new copy joins the story stored before the open", func(t *testing.T, a *Archive, c *readCounter) {
			if got := save(t, a, report("hespress", "h1", "ar", title+" (و م ع)", t0.Add(50*time.Minute))); got.Merged != 1 {
				t.Errorf("not merged after reopen: %+v", got)
			}
		}},
		{"counting terms reads the stored reports", func(t *testing.T, a *Archive, c *readCounter) {
			term := story.Tokens(story.Normalize("إنذارية", nil))[0]
			df, err := a.DocFreq("ar", []string{term}, t0.Add(-time.Hour), t0.Add(time.Hour), "")
			if err != nil {
				t.Fatal(err)
			}
			if df[term] != 3 {
				t.Errorf("doc freq %v, want 3 reports", df)
			}
		}},
		{"a report pruned before the window fills stays out of it", func(t *testing.T, a *Archive, c *readCounter) {
			if _, err := a.Prune(t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if got := save(t, a, report("hespress", "h1", "ar", title+" (و م ع)", t0.Add(50*time.Minute))); got.Merged != 0 {
				t.Errorf("joined a pruned report: %+v", got)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			a, err := Open(path, WithStories(story.NewMatcher(0, 0, nil)))
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range stored {
				save(t, a, report(s.source, s.key, "ar", title, t0.Add(time.Duration(i)*time.Second)))
			}
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			eng, err := storage.OpenBolt(path)
			if err != nil {
				t.Fatal(err)
			}
			counter := &readCounter{Engine: eng}
			a, err = New(counter, WithStories(story.NewMatcher(0, 0, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			c.run(t, a, counter)
		})
	}
}
