package archive

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// stopAfter is a context that ends after its Err has been asked n times: it
// cancels a save at an exact point between items.
type stopAfter struct {
	context.Context
	n atomic.Int64
}

func (c *stopAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// A save that is cancelled leaves the database exactly as the last committed
// poll left it: no item, index entry, count or source state of the poll.
func TestSavePollCancelledWritesNothing(t *testing.T) {
	batch := func(prefix string, n int) []news.Item {
		items := make([]news.Item, n)
		for i := range items {
			items[i] = item(fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("https://x.ma/%s/%d", prefix, i), "t", t0.Add(-time.Duration(i)*time.Minute))
		}
		return items
	}
	for _, tc := range []struct {
		name     string
		ctx      func() context.Context
		items    int
		wantSave bool
	}{
		{"not cancelled: control", context.Background, 500, true},
		{"cancelled before the transaction", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, 500, false},
		{"cancelled after the first item", func() context.Context {
			c := &stopAfter{Context: context.Background()}
			c.n.Store(2) // the check before the transaction and the first item's
			return c
		}, 500, false},
		{"cancelled before the last item of a huge document", func() context.Context {
			c := &stopAfter{Context: context.Background()}
			c.n.Store(20_000)
			return c
		}, 20_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTemp(t)
			if _, err := s.SavePoll(context.Background(), "src", SourceState{ETag: `"before"`}, batch("old", 3)); err != nil {
				t.Fatal(err)
			}
			c, err := s.SavePoll(tc.ctx(), "src", SourceState{ETag: `"after"`}, batch("new", tc.items))
			n, _ := s.Count()
			st, _, _ := s.State("src")
			got, _ := s.Newest(Query{Limit: tc.items + 10})
			if tc.wantSave {
				if err != nil || c.New != tc.items || n != 3+tc.items || st.ETag != `"after"` {
					t.Fatalf("save: %v, %+v, count %d, state %+v", err, c, n, st)
				}
				return
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if c != (PollCounts{}) || n != 3 || len(got) != 3 || st.ETag != `"before"` || st.Items != 3 {
				t.Fatalf("a cancelled save wrote something: counts %+v, count %d, newest %d, state %+v", c, n, len(got), st)
			}
		})
	}
}
