package aggregator

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// panickingStore fails the way a bug deep in a poll would: by panicking.
type panickingStore struct{ archive.Store }

func (panickingStore) SavePoll(context.Context, string, archive.SourceState, []news.Item) (archive.PollCounts, error) {
	var m map[string]int
	m["boom"]++ // a nil map: the kind of bug a hostile document could reach
	return archive.PollCounts{}, nil
}

// A panic anywhere in one source's poll fails that poll and is logged; it
// never takes the process down with it. Seen from outside: a JSON Feed with
// "items":[null] panicked inside gofeed and killed the service, again at
// every start, and with it every other source.
func TestPollPanicFailsThePollOnly(t *testing.T) {
	feed := &switchable{}
	feed.set(200, `"a"`, goodFeed)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	p, store := testPoller(t)
	p.Store = panickingStore{store}
	src := &config.Source{Name: "x", URL: srv.URL, Location: time.UTC}
	r := p.Poll(t.Context(), src, time.Time{}, false)
	if r.Status != StatusFailed || r.Err == nil || !strings.Contains(r.Err.Error(), "panic") {
		t.Fatalf("poll = %s, %v; want a failure naming the panic", r.Status, r.Err)
	}
}
