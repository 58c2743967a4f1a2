package server

import (
	"errors"
	"testing"
	"time"
)

func TestReadinessDecide(t *testing.T) {
	now := time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC)
	readErr := errors.New("database not open")
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	for _, tc := range []struct {
		name  string
		r     Readiness
		ready bool
	}{
		{"empty database before the first round: nothing to serve",
			Readiness{Started: ago(time.Minute), LastRead: now}, false},
		{"empty database after the first round: an empty ticker is a render",
			Readiness{Started: ago(time.Minute), FirstRound: true, LastRead: now}, true},
		{"items from before a restart, first round under way: serves them",
			Readiness{Started: ago(time.Second), Items: 40, LastRead: now}, true},
		{"database never read: nothing to serve",
			Readiness{Started: ago(time.Second), FirstRound: true, Items: 40, ReadErr: readErr}, false},
		{"database cannot write but reads: serving replica stays in",
			Readiness{Started: ago(time.Hour), FirstRound: true, Items: 40, LastRead: now, LastPoll: ago(time.Minute)}, true},
		{"sources unreachable for an hour, database reads: serves what it has",
			Readiness{Started: ago(2 * time.Hour), FirstRound: true, Items: 40, LastRead: now, LastPoll: ago(time.Hour)}, true},
		{"read fails now, polled a minute ago: still fresh",
			Readiness{Started: ago(time.Hour), FirstRound: true, Items: 40, ReadErr: readErr, LastRead: ago(20 * time.Minute), LastPoll: ago(time.Minute)}, true},
		{"neither polled nor read for longer than stale_after: stale",
			Readiness{Started: ago(time.Hour), FirstRound: true, Items: 40, ReadErr: readErr, LastRead: ago(11 * time.Minute), LastPoll: ago(12 * time.Minute)}, false},
		{"just started, never polled or read yet: the start counts as fresh",
			Readiness{Started: ago(time.Second), FirstRound: true, Items: 40, ReadErr: readErr, LastRead: ago(time.Millisecond)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.Now = now
			if tc.r.StaleAfter == 0 {
				tc.r.StaleAfter = 10 * time.Minute
			}
			ok, why := tc.r.Decide()
			if ok != tc.ready {
				t.Errorf("ready = %v (%s), want %v", ok, why, tc.ready)
			}
			if !ok && why == "" {
				t.Error("not ready without a reason")
			}
		})
	}
}
