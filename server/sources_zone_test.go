package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Seen from outside: /sources.json wrote some times in UTC ("Z") and some
// in Morocco's time ("+01:00"), as each was stored. Every time is written
// in the configured zone.
func TestSourcesJSONTimesInOneZone(t *testing.T) {
	loc, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	row := sourceStatus{LastAttempt: at, LastSuccess: at.In(loc), NextCheck: at.Add(time.Hour), LastNewAt: at, RetryAfter: at, ReadAt: at}
	row.inZone(loc)
	b, err := json.Marshal(row)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `Z"`) || strings.Count(string(b), `+01:00"`) != 6 {
		t.Errorf("times not all in Morocco's time: %s", b)
	}
	if !row.LastAttempt.Equal(at) {
		t.Errorf("the instant changed: %v", row.LastAttempt)
	}
}
