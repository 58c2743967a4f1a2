package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// applyCounter is the real bbolt engine, counting the batches applied.
type applyCounter struct {
	storage.Engine
	applies atomic.Int64
}

func (c *applyCounter) Apply(ctx context.Context, b *storage.Batch) error {
	c.applies.Add(1)
	return c.Engine.Apply(ctx, b)
}

// Polls that wait for the write lock together land in one batch (one
// commit, one fsync), each still all-or-nothing and decided after the ones
// queued before it; a poll whose context ended fails alone.
func TestPollsWaitingTogetherLandInOneBatch(t *testing.T) {
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		polls       int
		cancelled   int // index of a poll whose context has ended (-1 none)
		sharedLink  bool
		wantApplies int64
	}{
		{"four polls, one commit", 4, -1, false, 1},
		{"a later poll sees an earlier one's item", 2, -1, true, 1},
		{"a cancelled poll fails alone", 3, 1, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "g.db"))
			if err != nil {
				t.Fatal(err)
			}
			counter := &applyCounter{Engine: eng}
			a, err := New(counter)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			before := counter.applies.Load()

			a.mu.Lock() // another poll is being written: the others queue
			var wg sync.WaitGroup
			counts := make([]PollCounts, c.polls)
			errs := make([]error, c.polls)
			for i := range c.polls {
				src := fmt.Sprintf("s%d", i)
				link := fmt.Sprintf("https://%s.example/a", src)
				if c.sharedLink {
					link = "https://wire.example/a"
				}
				it := item(src+"-1", link, "عنوان "+src, t0.Add(time.Duration(i)*time.Minute))
				it.Source = src
				ctx := t.Context()
				if i == c.cancelled {
					cctx, cancel := context.WithCancel(ctx)
					cancel()
					ctx = cctx
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					time.Sleep(time.Duration(i) * 20 * time.Millisecond) // queue in order
					counts[i], errs[i] = a.SavePoll(ctx, src, SourceState{URL: link}, []news.Item{it})
				}()
			}
			time.Sleep(time.Duration(c.polls)*20*time.Millisecond + 300*time.Millisecond)
			a.mu.Unlock()
			wg.Wait()

			if got := counter.applies.Load() - before; got != c.wantApplies {
				t.Errorf("%d batches applied, want %d", got, c.wantApplies)
			}
			for i := range c.polls {
				src := fmt.Sprintf("s%d", i)
				st, found, err := a.State(src)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case i == c.cancelled:
					if errs[i] == nil || found {
						t.Errorf("cancelled poll %d: err %v, state stored %v", i, errs[i], found)
					}
				case errs[i] != nil:
					t.Errorf("poll %d: %v", i, errs[i])
				case c.sharedLink && i > 0:
					if counts[i].Duplicate != 1 || counts[i].New != 0 {
						t.Errorf("poll %d counts %+v, want the first poll's item seen (a duplicate)", i, counts[i])
					}
				default:
					if counts[i].New != 1 || !found || st.Items != 1 {
						t.Errorf("poll %d counts %+v, state %+v (found %v)", i, counts[i], st, found)
					}
				}
			}
		})
	}
}
