package aggregator

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// diskFull is the real store with every write refused, as on a full disk;
// reads go to the real file.
type diskFull struct {
	archive.Store
	full bool
}

var errNoSpace = errors.New("write nashra.db: no space left on device")

func (d *diskFull) SavePoll(ctx context.Context, source string, st archive.SourceState, items []news.Item) (archive.PollCounts, error) {
	if d.full {
		return archive.PollCounts{}, errNoSpace
	}
	return d.Store.SavePoll(ctx, source, st, items)
}

func (d *diskFull) SaveState(source string, st archive.SourceState) error {
	if d.full {
		return errNoSpace
	}
	return d.Store.SaveState(source, st)
}

// A poll the store cannot write is a failure of that source, recorded in
// memory when the store cannot record it either, counted, and forgotten
// once a write works again.
func TestPollTheStoreCannotWriteIsRecordedInMemory(t *testing.T) {
	p, bolt := testPoller(t)
	srv := httptest.NewServer(&switchable{status: 200, etag: `"v1"`, body: goodFeed})
	defer srv.Close()
	disk := &diskFull{Store: bolt, full: true}
	mem := archive.WithFallback(disk)
	p.Store = mem
	src := &config.Source{Name: "s", URL: srv.URL, Location: time.UTC}

	res := p.Poll(context.Background(), src, p.now().Add(10*time.Minute), false)
	if res.Status != StatusFailed || !errors.Is(res.Err, errNoSpace) {
		t.Fatalf("poll on a full disk = %s, %v", res.Status, res.Err)
	}
	st, found, err := mem.State("s")
	if err != nil || !found || st.Failures != 1 || !strings.Contains(st.Error, "no space") || st.Unsaved == "" {
		t.Fatalf("state after a poll nothing could store: %+v (found %v, %v)", st, found, err)
	}
	if st.ETag != "" {
		t.Errorf("validators of a body never stored were kept: %q", st.ETag)
	}
	if !st.NextCheck.After(p.now()) {
		t.Errorf("no backoff: next check %s", st.NextCheck)
	}
	if n := mem.Errors(); n != 2 { // the poll and its failure state
		t.Errorf("store errors = %d, want 2", n)
	}
	if states, _ := mem.States(); states["s"].Unsaved == "" {
		t.Errorf("States() does not show the state kept in memory: %+v", states["s"])
	}
	if _, found, _ := bolt.State("s"); found {
		t.Error("a state was written to the full disk")
	}

	disk.full = false
	if res := p.Poll(context.Background(), src, p.now().Add(10*time.Minute), false); res.Status != StatusNew || res.Counts.New != 2 {
		t.Fatalf("poll once the disk has room = %s %+v %v", res.Status, res.Counts, res.Err)
	}
	if st, _, _ := mem.State("s"); st.Unsaved != "" || st.Failures != 0 || st.ETag != `"v1"` {
		t.Errorf("state after a stored poll: %+v", st)
	}
}
