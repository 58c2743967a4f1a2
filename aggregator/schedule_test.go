package aggregator

import (
	"net/http"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

func TestNextCheck(t *testing.T) {
	now := time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC)
	sched := now.Add(10 * time.Minute)
	mins := func(m float64) time.Time { return now.Add(time.Duration(m * float64(time.Minute))) }
	tests := []struct {
		name string
		in   CheckInput
		want time.Time
	}{
		{"success: the schedule", CheckInput{Now: now, Scheduled: sched}, sched},
		{"short max-age does not poll sooner", CheckInput{Now: now, Scheduled: sched, MaxAge: time.Minute}, sched},
		{"max-age beyond the schedule", CheckInput{Now: now, Scheduled: sched, MaxAge: 30 * time.Minute}, mins(30)},
		{"Expires beyond the schedule", CheckInput{Now: now, Scheduled: sched, Expires: mins(45)}, mins(45)},
		{"RSS ttl beyond the schedule", CheckInput{Now: now, Scheduled: sched, TTL: 60 * time.Minute}, mins(60)},
		{"largest hint wins", CheckInput{Now: now, Scheduled: sched, MaxAge: 20 * time.Minute, Expires: mins(25), TTL: 15 * time.Minute}, mins(25)},
		{"absurd max-age capped at 24h", CheckInput{Now: now, Scheduled: sched, MaxAge: 365 * 24 * time.Hour}, now.Add(HintCap)},
		{"Retry-After beyond the schedule", CheckInput{Now: now, Scheduled: sched, Failures: 0, RetryAfter: mins(120)}, mins(120)},
		{"first failure: interval × 1.8", CheckInput{Now: now, Scheduled: sched, Failures: 1, Jitter: 0.5}, mins(18)},
		{"second failure: interval × 1.8²", CheckInput{Now: now, Scheduled: sched, Failures: 2, Jitter: 0.5}, mins(32.4)},
		{"fifth failure", CheckInput{Now: now, Scheduled: sched, Failures: 5, Jitter: 0.5}, mins(10 * 18.89568)},
		{"backoff capped at 48h", CheckInput{Now: now, Scheduled: sched, Failures: 40, Jitter: 0.5}, now.Add(48 * time.Hour)},
		{"jitter low end −10%", CheckInput{Now: now, Scheduled: sched, Failures: 1, Jitter: 0}, mins(16.2)},
		{"jitter high end +10%", CheckInput{Now: now, Scheduled: sched, Failures: 1, Jitter: 0.999999}, mins(19.8)},
		{"Retry-After longer than backoff", CheckInput{Now: now, Scheduled: sched, Failures: 1, Jitter: 0.5, RetryAfter: mins(90)}, mins(90)},
		{"backoff longer than Retry-After", CheckInput{Now: now, Scheduled: sched, Failures: 3, Jitter: 0.5, RetryAfter: mins(5)}, mins(58.32)},
		{"failure ignores caching hints", CheckInput{Now: now, Scheduled: sched, Failures: 1, Jitter: 0.5, MaxAge: 10 * time.Hour}, mins(18)},
		{"interval under a minute backs off from a minute", CheckInput{Now: now, Scheduled: now.Add(time.Second), Failures: 1, Jitter: 0.5}, mins(1.8)},
		{"schedule in the past: now", CheckInput{Now: now, Scheduled: now.Add(-time.Hour)}, now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextCheck(tt.in)
			if d := got.Sub(tt.want); d > time.Second || d < -time.Second {
				t.Errorf("NextCheck = %s, want %s", got.Sub(now), tt.want.Sub(now))
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"120", now.Add(2 * time.Minute)},
		{" 0 ", now},
		{"Tue, 14 Apr 2026 16:00:00 GMT", now.Add(time.Hour)},
		{"-5", time.Time{}},
		{"soon", time.Time{}},
		// Seen from outside: "99999999999" silenced a source until 2273
		// (and a few more digits overflow time.Duration). A server's wish
		// waits at most as long as the longest backoff.
		{"172800", now.Add(BackoffCap)},
		{"172801", now.Add(BackoffCap)},
		{"99999999999", now.Add(BackoffCap)},
		{"9999999999999999999", now.Add(BackoffCap)},
		{"Sat, 13 Jan 2273 15:30:00 GMT", now.Add(BackoffCap)},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); !got.Equal(tt.want) {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCacheHints(t *testing.T) {
	tests := []struct {
		cc, expires string
		maxAge      time.Duration
		hasExpires  bool
	}{
		{"public, max-age=600", "", 10 * time.Minute, false},
		{"max-age=600, s-maxage=60", "", 10 * time.Minute, false},
		{"no-cache", "Tue, 14 Apr 2026 16:00:00 GMT", 0, false},
		{"", "Tue, 14 Apr 2026 16:00:00 GMT", 0, true},
		{"max-age=300", "Tue, 14 Apr 2026 16:00:00 GMT", 5 * time.Minute, false},
		{"max-age=bogus", "garbage", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set("Cache-Control", tt.cc)
		h.Set("Expires", tt.expires)
		ma, ex := CacheHints(h)
		if ma != tt.maxAge || ex.IsZero() == tt.hasExpires {
			t.Errorf("CacheHints(%q, %q) = %s %v", tt.cc, tt.expires, ma, ex)
		}
	}
}

func TestDueOnResume(t *testing.T) {
	now := time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC)
	const url = "https://www.hespress.com/feed"
	polled := func(next time.Time) archive.SourceState {
		return archive.SourceState{ConfiguredURL: url, URL: url, LastAttempt: now.Add(-time.Minute), NextCheck: next}
	}
	for _, tc := range []struct {
		name  string
		st    archive.SourceState
		found bool
		due   bool
	}{
		{"never polled", archive.SourceState{}, false, true},
		{"stored under another URL: the config changed it", archive.SourceState{ConfiguredURL: "https://old.example/feed"}, true, true},
		{"polled by the dead leader this tick: waits for the next", polled(now.Add(9 * time.Minute)), true, false},
		{"its tick came and the dead leader never got to it", polled(now.Add(-time.Second)), true, true},
		{"a second early: a scheduled tick polls it too", polled(now.Add(500 * time.Millisecond)), true, true},
		{"backing off after failures", archive.SourceState{ConfiguredURL: url, Failures: 3, NextCheck: now.Add(2 * time.Hour)}, true, false},
		{"Retry-After ahead but next check passed: the poll itself waits", archive.SourceState{ConfiguredURL: url, RetryAfter: now.Add(time.Hour), NextCheck: now.Add(-time.Minute)}, true, true},
		{"a next check in 2273, stored by a release that did not cap Retry-After", archive.SourceState{ConfiguredURL: url, Failures: 1, NextCheck: now.AddDate(247, 0, 0)}, true, true},
	} {
		if got := DueOnResume(tc.st, tc.found, url, now); got != tc.due {
			t.Errorf("%s: due = %v, want %v", tc.name, got, tc.due)
		}
	}
}

// A wait no release of nashra sets any more (a Retry-After of centuries,
// stored before ParseRetryAfter capped it) is no wait: the source is
// polled, rather than silenced until 2273 (seen from outside).
func TestSkipReasonIgnoresWaitsBeyondAnyCap(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	far := time.Date(2273, 1, 13, 15, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		st         archive.SourceState
		onSchedule bool
		skip       bool
	}{
		{"Retry-After in an hour", archive.SourceState{RetryAfter: now.Add(time.Hour)}, false, true},
		{"Retry-After at the cap", archive.SourceState{RetryAfter: now.Add(BackoffCap)}, false, true},
		{"Retry-After in 2273", archive.SourceState{RetryAfter: far}, false, false},
		{"backing off for the longest backoff, jitter included", archive.SourceState{HeldBack: true, NextCheck: now.Add(BackoffCap * 11 / 10)}, true, true},
		{"a next check in 2273", archive.SourceState{HeldBack: true, NextCheck: far}, true, false},
	} {
		if got := skipReason(&tc.st, now, tc.onSchedule, nil) != ""; got != tc.skip {
			t.Errorf("%s: skipped %v, want %v (%q)", tc.name, got, tc.skip, skipReason(&tc.st, now, tc.onSchedule, nil))
		}
	}
}
