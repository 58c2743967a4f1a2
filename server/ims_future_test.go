package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// An If-Modified-Since later than the server's clock is no date the server
// sent (RFC 9110 13.1.3: such a date is invalid, and the field is ignored);
// seen from outside, one in the future was answered 304. It is answered in
// full; a date the server sent, or a later one up to now, still gets 304.
func TestIfModifiedSinceInTheFutureIsIgnored(t *testing.T) {
	now := time.Now().UTC()
	rd := &rendered{lastModified: now.Add(-time.Hour)}
	for _, c := range []struct {
		name string
		ims  time.Time
		want bool
	}{
		{"the date the server sent", rd.lastModified, true},
		{"a later date, before now", now.Add(-time.Minute), true},
		{"an earlier date", rd.lastModified.Add(-time.Second), false},
		{"a day in the future", now.Add(24 * time.Hour), false},
		{"a year in the future", now.AddDate(1, 0, 0), false},
	} {
		r := httptest.NewRequest("GET", "/feed.rss", nil)
		r.Header.Set("If-Modified-Since", c.ims.Format(http.TimeFormat))
		if got := notModified(r, rd); got != c.want {
			t.Errorf("%s: not modified %v, want %v", c.name, got, c.want)
		}
	}
}
