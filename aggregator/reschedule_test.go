package aggregator

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// A next check that is only the schedule's next tick never holds back a
// tick of a changed schedule; one a backoff or a server's hint pushed later
// does. Seen from outside: after a reload from "0 0 1 1 *" to "* * * * *"
// every tick was skipped as "backing off until" next New Year.
func TestTickSkippedOnlyWhenHeldBack(t *testing.T) {
	feed := &switchable{}
	srv := httptest.NewServer(feed)
	defer srv.Close()
	tests := []struct {
		name     string
		status   int
		cache    string        // Cache-Control of the first answer
		tick     time.Duration // the old schedule's next tick after the first poll
		wantSkip bool
	}{
		{"next check from the old schedule alone", 200, "", 30 * 24 * time.Hour, false},
		{"held back by a server's max-age", 200, "max-age=86400", 10 * time.Minute, true},
		{"held back by a failure's backoff", 500, "", 10 * time.Minute, true},
		{"a failure's backoff within the old schedule's tick", 500, "", 30 * 24 * time.Hour, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			feed.set(tc.status, "", goodFeed)
			feed.cache(tc.cache)
			p, _ := testPoller(t)
			src := &config.Source{Name: "x", URL: srv.URL, Location: time.UTC}
			now := p.now()
			p.Poll(t.Context(), src, now.Add(tc.tick), false)
			feed.set(200, "", goodFeed)
			feed.cache("")
			// The reloaded schedule ticks a minute later.
			r := p.Poll(t.Context(), src, now.Add(2*time.Minute), true)
			if skipped := r.Status == StatusSkipped; skipped != tc.wantSkip {
				t.Errorf("tick skipped = %v (%s %v), want %v", skipped, r.Status, r.Err, tc.wantSkip)
			}
		})
	}
}
