package aggregator

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff and hint limits (DESIGN.md, "Fetching").
const (
	BackoffFactor = 1.8
	BackoffCap    = 48 * time.Hour
	// HintCap bounds how far a server's caching hints (max-age, Expires, RSS
	// ttl) may push the next poll: a "max-age=31536000" must not silence a source.
	HintCap = 24 * time.Hour
	// JitterFraction spreads backed-off retries by ±10 %.
	JitterFraction = 0.2
	minInterval    = time.Minute
)

// CheckInput is everything the next-check policy looks at.
type CheckInput struct {
	Now time.Time
	// Scheduled is the source's next cron time after Now.
	Scheduled time.Time
	// Failures is the number of failed polls in a row, this one included (0 after a success).
	Failures int
	// RetryAfter is when the server asked us to come back (429/503), zero if it did not.
	RetryAfter time.Time
	// Hints from a successful answer: Cache-Control max-age, Expires, RSS ttl.
	MaxAge  time.Duration
	Expires time.Time
	TTL     time.Duration
	// Jitter is a number in [0, 1), random in production, fixed in tests.
	Jitter float64
}

// tick is the schedule's next tick, or now when it has passed.
func (in CheckInput) tick() time.Time {
	if in.Scheduled.Before(in.Now) {
		return in.Now
	}
	return in.Scheduled
}

// NextCheck decides when a source may be polled again: the latest of its
// schedule, the server's Retry-After, its caching hints (capped at HintCap)
// and, after failures, an exponential backoff from the schedule's interval
// (×1.8 per failure, capped at 48 h, ±10 % jitter). It never returns "never":
// a source is not disabled automatically.
func NextCheck(in CheckInput) time.Time {
	next := in.tick()
	later := func(t time.Time) {
		if t.After(next) {
			next = t
		}
	}
	later(in.RetryAfter)
	if in.Failures == 0 {
		hintCap := in.Now.Add(HintCap)
		for _, h := range []time.Time{in.Now.Add(in.MaxAge), in.Expires, in.Now.Add(in.TTL)} {
			if h.After(hintCap) {
				h = hintCap
			}
			later(h)
		}
		return next
	}
	interval := in.Scheduled.Sub(in.Now)
	if interval < minInterval {
		interval = minInterval
	}
	backoff := time.Duration(float64(interval) * math.Pow(BackoffFactor, float64(in.Failures)))
	if backoff > BackoffCap || backoff <= 0 {
		backoff = BackoffCap
	}
	backoff = time.Duration(float64(backoff) * (1 + JitterFraction*(in.Jitter-0.5)))
	later(in.Now.Add(backoff))
	return next
}

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP-date.
// A wish beyond BackoffCap from now is read as BackoffCap: a server asking
// for a century (seen from outside: "99999999999" seconds, or a date in
// 2273) must not silence a source, which nashra never disables.
func ParseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	latest := now.Add(BackoffCap)
	if allDigits(v) {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(BackoffCap/time.Second) { // err: more digits than fit
			return latest
		}
		return now.Add(time.Duration(secs) * time.Second)
	}
	if strings.HasPrefix(v, "-") {
		return time.Time{}
	}
	if t, err := http.ParseTime(v); err == nil {
		if t.After(latest) {
			return latest
		}
		return t
	}
	return time.Time{}
}

// CacheHints reads max-age (s-maxage is for shared caches, not us) and Expires.
// no-cache / no-store / must-revalidate give no hint.
func CacheHints(h http.Header) (maxAge time.Duration, expires time.Time) {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		switch {
		case d == "no-cache" || d == "no-store":
			return 0, time.Time{}
		case strings.HasPrefix(d, "max-age="):
			if n, err := strconv.Atoi(strings.Trim(d[len("max-age="):], `"`)); err == nil && n > 0 {
				maxAge = time.Duration(n) * time.Second
			}
		}
	}
	if maxAge == 0 {
		if t, err := http.ParseTime(h.Get("Expires")); err == nil {
			expires = t
		}
	}
	return maxAge, expires
}
