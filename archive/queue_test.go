package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// refusingEngine is the real bbolt engine, refusing every batch that writes
// one source's state (as a disk error would refuse it), and recording how
// many source states each batch it was given wrote.
type refusingEngine struct {
	storage.Engine
	refuse string // source whose state no batch may write ("" none)

	mu      sync.Mutex
	batches []int // source states written by each batch, refused ones too
}

var errRefused = errors.New("refused for the test")

func (e *refusingEngine) Apply(ctx context.Context, b *storage.Batch) error {
	states, refused := 0, false
	for _, op := range b.Ops {
		if op.Table == tSources {
			states++
			refused = refused || (e.refuse != "" && bytes.Equal(op.Key, []byte(e.refuse)))
		}
	}
	e.mu.Lock()
	e.batches = append(e.batches, states)
	e.mu.Unlock()
	if refused {
		return errRefused
	}
	return e.Engine.Apply(ctx, b)
}

// A commit of many polls in which one poll cannot be written: the others
// land, that one is reported failed and changes nothing (its items, its
// state), whether its write fails in the engine or in its decisions (a
// damaged record it would edit).
func TestManyPollsInOneCommitOneFails(t *testing.T) {
	const polls, perPoll, bad = 30, 5, 17
	cases := []struct {
		name    string
		refuse  bool // the engine refuses the bad poll's batch
		damaged bool // the bad poll edits an item whose record is damaged
	}{
		{"the engine refuses one poll's write", true, false},
		{"one poll edits a damaged record", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bolt, err := storage.OpenBolt(filepath.Join(t.TempDir(), "q.db"))
			if err != nil {
				t.Fatal(err)
			}
			eng := &refusingEngine{Engine: bolt}
			a, err := New(eng, WithQueueItems(polls*perPoll))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			src := func(i int) string { return fmt.Sprintf("s%02d", i) }
			pollOf := func(i int) []news.Item {
				var items []news.Item
				for j := range perPoll {
					items = append(items, sourced(src(i), fmt.Sprintf("%s-%d", src(i), j),
						fmt.Sprintf("https://%s.example/%d", src(i), j), fmt.Sprintf("عنوان %d من %s", j, src(i)),
						t0.Add(-time.Duration(i*perPoll+j)*time.Minute)))
				}
				return items
			}
			stored := 0
			if c.damaged { // the bad source's first poll landed; its record is then damaged
				first := pollOf(bad)[:1]
				if _, err := a.SavePoll(t.Context(), src(bad), SourceState{ETag: `"first"`}, first); err != nil {
					t.Fatal(err)
				}
				rawPut(t, a, tRecords, []byte(first[0].Key), []byte("{not a record"))
				stored = 1
			}
			if c.refuse {
				eng.refuse = src(bad)
			}
			eng.mu.Lock()
			eng.batches = nil
			eng.mu.Unlock()

			a.mu.Lock() // the writer is busy: every poll queues
			var wg sync.WaitGroup
			counts := make([]PollCounts, polls)
			errs := make([]error, polls)
			for i := range polls {
				items := pollOf(i)
				if c.damaged && i == bad {
					items[0].Title += " (مُحدَّث)" // an edit of the damaged record
				}
				wg.Go(func() {
					counts[i], errs[i] = a.SavePoll(t.Context(), src(i), SourceState{ETag: `"second"`}, items)
				})
			}
			for a.queue.size() < polls {
				time.Sleep(time.Millisecond)
			}
			a.lastGroup = 0 // no linger
			a.mu.Unlock()
			wg.Wait()

			eng.mu.Lock()
			if c.refuse && (len(eng.batches) == 0 || eng.batches[0] != polls) {
				t.Errorf("batches wrote %v source states, want the first to hold all %d polls", eng.batches, polls)
			}
			eng.mu.Unlock()
			for i := range polls {
				st, found, err := a.State(src(i))
				if err != nil {
					t.Fatal(err)
				}
				if i == bad {
					if errs[i] == nil {
						t.Errorf("poll %d: no error, counts %+v", i, counts[i])
					}
					if found && st.ETag == `"second"` {
						t.Errorf("poll %d failed but its state was written: %+v", i, st)
					}
					continue
				}
				if errs[i] != nil || counts[i].New != perPoll || !found || st.ETag != `"second"` || st.Items != perPoll {
					t.Errorf("poll %d: err %v, counts %+v, state %+v (found %v)", i, errs[i], counts[i], st, found)
				}
			}
			n, err := a.Count()
			if err != nil {
				t.Fatal(err)
			}
			if want := (polls-1)*perPoll + stored; n != want {
				t.Errorf("%d items stored, want %d (every poll but the failed one, and nothing of it)", n, want)
			}
			for j, it := range pollOf(bad) {
				v := rawGet(t, a, tRecords, []byte(it.Key))
				if j < stored && string(v) != "{not a record" || j >= stored && v != nil {
					t.Errorf("the failed poll's item %s: record %q, want it as before the poll", it.Key, v)
				}
			}
		})
	}
}

// The queue holds polls up to its bound in items: a poll that finds it full
// waits for room (or its context), and the writer takes the oldest polls up
// to the bound, at least one however large.
func TestQueueBound(t *testing.T) {
	poll := func(n int) *pollRequest { return &pollRequest{items: make([]news.Item, n)} }
	cases := []struct {
		name  string
		bound int
		sizes []int
		takes [][]int // the sizes of each take, in order
	}{
		{"all within the bound in one take", 100, []int{50, 30, 20}, [][]int{{50, 30, 20}}},
		{"a take stops at the bound", 100, []int{50, 40, 30, 10}, [][]int{{50, 40}, {30, 10}}},
		{"a poll larger than the bound is taken alone", 100, []int{250, 10}, [][]int{{250}, {10}}},
		{"empty polls ride along", 100, []int{0, 100, 0}, [][]int{{0, 100, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := newQueue(c.bound)
			for _, n := range c.sizes {
				q.polls = append(q.polls, poll(n))
				q.items += n
			}
			for _, want := range c.takes {
				var got []int
				for _, r := range q.take() {
					got = append(got, len(r.items))
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("take = %v, want %v", got, want)
				}
			}
			if q.size() != 0 || q.items != 0 {
				t.Fatalf("%d polls, %d items left", q.size(), q.items)
			}
		})
	}

	t.Run("a poll waits for room", func(t *testing.T) {
		q := newQueue(10)
		if err := q.join(t.Context(), poll(10)); err != nil {
			t.Fatal(err)
		}
		joined := make(chan error, 1)
		go func() { joined <- q.join(t.Context(), poll(1)) }()
		select {
		case err := <-joined:
			t.Fatalf("joined a full queue (%v)", err)
		case <-time.After(50 * time.Millisecond):
		}
		q.take()
		if err := <-joined; err != nil || q.size() != 1 {
			t.Fatalf("after a take: %v, %d polls queued", err, q.size())
		}
	})
	t.Run("a cancelled poll stops waiting, not queued", func(t *testing.T) {
		q := newQueue(10)
		if err := q.join(t.Context(), poll(12)); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		if err := q.join(ctx, poll(1)); !errors.Is(err, context.DeadlineExceeded) || q.size() != 1 {
			t.Fatalf("join = %v, %d polls queued; want the deadline and one", err, q.size())
		}
	})
}
