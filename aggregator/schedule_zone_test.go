package aggregator

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
)

// A schedule that names an hour runs in the configured timezone, and so
// does the next check stored after a poll. Seen from outside on a UTC host:
// "0 0 * * *" stored 00:00Z (01:00 in Casablanca) as the next check while
// the cron fired at 00:00 Casablanca (23:00Z), and that tick was then
// skipped as "backing off until" the stored time.
func TestScheduleNextCheckInTheConfiguredZone(t *testing.T) {
	feed := &switchable{}
	feed.set(200, `"a"`, goodFeed)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	for _, tc := range []struct{ zone, spec string }{
		{"Africa/Casablanca", "0 0 * * *"},
		{"Africa/Casablanca", "30 23 * * *"},
		{"Asia/Tokyo", "0 7 * * *"},
		{"America/New_York", "@daily"},
	} {
		t.Run(tc.zone+" "+tc.spec, func(t *testing.T) {
			store, err := archive.Open(filepath.Join(t.TempDir(), "z.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			cfg, err := config.Parse("z.yaml", []byte("timezone: "+tc.zone+"\nsources:\n  - {name: z, url: \""+srv.URL+"\", schedule: \""+tc.spec+"\"}\n"))
			if err != nil {
				t.Fatal(err)
			}
			sched, err := NewScheduler(cfg, &Poller{Store: store, Fetcher: NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, "t")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now()
			sched.RunOnce(t.Context())
			st, _, err := store.State("z")
			if err != nil {
				t.Fatal(err)
			}
			want := nextInZone(t, tc.spec, before.In(cfg.Location))
			if !st.NextCheck.Equal(want) {
				t.Errorf("next check %s (%s there), want %s", st.NextCheck.UTC().Format(time.RFC3339), st.NextCheck.In(cfg.Location).Format("15:04"), want.UTC().Format(time.RFC3339))
			}
		})
	}
}

// nextInZone is the first minute after now, in now's zone, that spec's hour
// and minute name (spec: "M H * * *" or "@daily").
func nextInZone(t *testing.T, spec string, now time.Time) time.Time {
	t.Helper()
	var m, h int
	if spec == "@daily" {
		m, h = 0, 0
	} else if _, err := fmt.Sscanf(spec, "%d %d", &m, &h); err != nil {
		t.Fatal(err)
	}
	next := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
	if !next.After(now) {
		next = time.Date(now.Year(), now.Month(), now.Day()+1, h, m, 0, 0, now.Location())
	}
	return next
}

// Seen from outside: `nashra poll` said "wait until 2026-12-07T15:14:37Z"
// while every other time it shows is Morocco's.
func TestSkipReasonInTheSourcesZone(t *testing.T) {
	casablanca, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	st := archive.SourceState{RetryAfter: now.Add(time.Hour)}
	if got := skipReason(&st, now, false, casablanca); got != "server asked to wait until 2026-12-07T11:00:00+01:00" {
		t.Errorf("skipReason = %q", got)
	}
}
