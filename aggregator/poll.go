package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// Poll outcomes, as printed by `nashra poll` and logged.
const (
	StatusNew         = "new"          // stored new items
	StatusUpdated     = "updated"      // fetched, nothing new, stored items edited
	StatusUnchanged   = "unchanged"    // fetched, nothing new or edited
	StatusNotModified = "not-modified" // 304
	StatusFailed      = "error"
	StatusSkipped     = "skipped" // gone (410), or waiting for Retry-After / backoff
)

// Poller fetches one source, decodes and normalises it, and stores the result.
type Poller struct {
	Store   archive.Store
	Fetcher *Fetcher
	Log     *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Jitter returns a number in [0, 1) that spreads backoff; rand.Float64 when nil.
	Jitter func() float64
	// OnPoll, when set, is called after every poll (metrics, WebSub); it must not block.
	OnPoll func(Result)
}

// Result is what one poll did.
type Result struct {
	Source string
	Status string
	HTTP   int
	Items  int // items in the document
	Counts archive.PollCounts
	Err    error
	Skip   string // why a skipped poll was skipped
	// Waiting says a poll was skipped for the source's own state (gone,
	// its server's Retry-After, a backoff, a caching hint): that is its
	// turn in a round of polls, not a poll that did not happen. Failing
	// then says whether that state is a failure: gone, or its last poll
	// failed.
	Waiting, Failing bool
	// Waited is how long the poll waited for one of its host's per_host
	// slots (other sources of the host being fetched); Fetch is the time
	// the HTTP exchange took after that; Duration the whole poll, both
	// included.
	Waited   time.Duration
	Fetch    time.Duration
	Duration time.Duration

	// Rejected and Tally count the document's entries left out (or, for
	// future dates, distrusted) before storing.
	Rejected int
	Tally    Tally
}

// handedOver makes a poll cancelled because its replica stopped leading
// (another replica polls now) a skip: it says nothing of the source, so it
// counts in no failure metric or round summary. A write that was made and
// refused (the store's fence: leadership lost) stays a failure, logged.
func handedOver(ctx context.Context, res Result) Result {
	cancelled := errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, ErrHandedOver)
	if res.Status == StatusFailed && cancelled && errors.Is(context.Cause(ctx), ErrHandedOver) {
		res.Status, res.Skip, res.Err = StatusSkipped, "handed over to another replica", nil
	}
	return res
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Poll polls src once. scheduled is when its schedule fires next. On a
// scheduled tick (onSchedule) the source is skipped while it backs off; a
// source gone (410) or told to wait (Retry-After) is always skipped. A
// failure of any kind changes no stored item; it is recorded in the source's state.
func (p *Poller) Poll(ctx context.Context, src *config.Source, scheduled time.Time, onSchedule bool) Result {
	start := time.Now()
	res := handedOver(ctx, p.guarded(ctx, src, scheduled, onSchedule))
	res.Duration = time.Since(start)
	if res.Err != nil { // the poll line, `nashra poll` and metrics hooks show it
		res.Err = redact(src, res.Err)
	}
	p.log(res, onSchedule)
	if p.OnPoll != nil {
		p.OnPoll(res)
	}
	return res
}

// guarded is poll with a panic made a failed poll: a bug a hostile
// document reaches (one did, inside gofeed) fails its source's poll and is
// logged with its stack; it never takes the process and every other source
// down with it. Nothing of the poll is stored: a save that panicked is
// rolled back.
func (p *Poller) guarded(ctx context.Context, src *config.Source, scheduled time.Time, onSchedule bool) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Source: src.Name, Status: StatusFailed,
				Err: fmt.Errorf("aggregator: poll %s: internal error (panic: %v); nothing of this poll was stored", src.Name, r)}
			if p.Log != nil {
				p.Log.Error("poll panicked", "source", src.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}
	}()
	return p.poll(ctx, src, scheduled, onSchedule)
}

func (p *Poller) poll(ctx context.Context, src *config.Source, scheduled time.Time, onSchedule bool) Result {
	res := Result{Source: src.Name}
	now := p.now().UTC()
	state, _, err := p.Store.State(src.Name)
	if err != nil {
		res.Status, res.Err = StatusFailed, err
		return res
	}
	if state.ConfiguredURL != src.URL { // new source, or the user changed its URL
		state = archive.SourceState{Items: state.Items}
		state.ConfiguredURL, state.URL = src.URL, src.URL
	}
	if why := skipReason(&state, now, onSchedule, src.Location); why != "" {
		res.Status, res.Skip = StatusSkipped, why
		res.Waiting, res.Failing = true, state.Gone || state.Failures > 0
		return res
	}
	state.LastAttempt = now
	// Kept for its items once the source leaves the config.
	state.Outlet = &archive.Outlet{Title: src.Title, FeedURL: src.PublicURL(), HomeURL: src.HomeURL(), Language: src.Language}
	check := CheckInput{Now: now, Scheduled: scheduled, Jitter: p.jitter()}

	// The scheduler's worker is taken once the host's slot is held, so
	// that a poll waiting for a busy host holds no worker (workers.go).
	asked := time.Now()
	var sent time.Time // when the request held its host's slot and a worker
	w := workerOf(ctx)
	resp, err := p.Fetcher.Fetch(ctx, FetchRequest{URL: state.URL, ETag: state.ETag, LastModified: state.LastModified,
		UserAgent: src.UserAgent, Blocked: w.blocked, Acquired: func() error {
			err := w.take(ctx)
			sent = time.Now()
			return err
		}})
	if sent.IsZero() { // it never got there (cancelled, a bad URL)
		sent = time.Now()
	}
	res.Waited, res.Fetch = sent.Sub(asked), time.Since(sent)
	if errors.Is(err, errNoWorker) { // stopped or cancelled before it began: nothing to say of the source
		res.Status, res.Skip = StatusSkipped, SkipStopped
		if cerr := ctx.Err(); cerr != nil {
			res.Status, res.Skip, res.Err = StatusFailed, "", cerr
		}
		return res
	}
	if resp != nil {
		res.HTTP = resp.Status
		state.Status = resp.Status
	}
	if err != nil {
		return p.fail(ctx, res, state, check, redact(src, err))
	}
	if resp.MovedTo != "" {
		state.URL = resp.MovedTo
	}
	check.MaxAge, check.Expires = CacheHints(resp.Header)
	if resp.NotModified {
		state.ETag, state.LastModified = resp.ETag, resp.LastModified
		state.LastSuccess, state.Failures, state.Error, state.RetryAfter = now, 0, "", time.Time{}
		setNextCheck(&state, check)
		res.Status = StatusNotModified
		if err := p.Store.SaveState(src.Name, state); err != nil {
			res.Status, res.Err = StatusFailed, err
		}
		return res
	}

	doc, err := feeds.DecodeUpTo(resp.Body, resp.ContentType, src.Charset, src.MaxItems)
	if err != nil {
		// The old validators stay: this body was not stored, so it must be fetched again.
		return p.fail(ctx, res, state, check, redact(src, feeds.WithAdvertised(err, resp.Body, state.URL)))
	}
	unstored := state // what to record if the store refuses the poll
	state.ETag, state.LastModified = resp.ETag, resp.LastModified
	// The steady state of a source that ignores validators: the same items
	// re-served under a new lastBuildDate. Their digest matches the last
	// poll's, so they cost a hash, not a normalisation and a look-up each.
	digest := DocumentDigest(doc, src, state.URL)
	known := digest == state.Digest
	var items []news.Item
	var tally Tally
	if known {
		tally = Tally{Untitled: state.Untitled, Repeated: state.Repeated, Capped: state.Capped, Expired: state.Expired}
		res.Items = len(doc.Entries) - tally.Capped - tally.Untitled - tally.Repeated - tally.Expired
	} else {
		items, tally = NormaliseTally(doc, src, state.URL, now)
		res.Items = len(items)
	}
	state.Digest = ""
	if tally.FutureDated == 0 { // a future date's placement depends on the clock
		state.Digest = digest
	}
	res.Rejected, res.Tally = doc.Rejected, tally
	state.LastSuccess, state.Failures, state.Error, state.RetryAfter = now, 0, "", time.Time{}
	state.Rejected = doc.Rejected
	state.Untitled, state.Repeated, state.Capped, state.FutureDated, state.Expired = tally.Untitled, tally.Repeated, tally.Capped, tally.FutureDated, tally.Expired
	check.TTL = time.Duration(doc.TTL) * time.Minute
	setNextCheck(&state, check)
	if p.Log != nil {
		p.Log.Debug("poll: storing", "source", src.Name, "items", len(items))
	}
	counts, err := p.Store.SavePoll(ctx, src.Name, state, items)
	if err != nil {
		if ctx.Err() != nil { // cancelled by a shutdown: says nothing of the source or the store
			res.Status, res.Err = StatusFailed, err
			return res
		}
		// Nothing was stored (a full disk, a read-only file): a failure of this
		// poll, with the old validators so that the body is fetched again.
		return p.fail(ctx, res, unstored, check, err)
	}
	if known {
		counts.Unchanged = res.Items
	}
	res.Counts = counts
	switch {
	case counts.New > 0:
		res.Status = StatusNew
	case counts.Updated > 0:
		res.Status = StatusUpdated
	default:
		res.Status = StatusUnchanged
	}
	return res
}

// setNextCheck sets st's next check (NextCheck) and whether it holds back
// the schedule's next tick.
func setNextCheck(st *archive.SourceState, in CheckInput) {
	st.NextCheck = NextCheck(in)
	st.HeldBack = st.NextCheck.After(in.tick())
}

// longestWait bounds every wait nashra sets: the longest backoff with its
// jitter (a Retry-After and a caching hint are capped lower).
const longestWait = BackoffCap + time.Duration(float64(BackoffCap)*JitterFraction/2)

// waiting reports whether now is before until, a wait nashra set. A wait
// longer than any nashra sets was stored by a release that did not cap a
// server's Retry-After (seen from outside: a source silenced until 2273),
// and is no wait.
func waiting(until, now time.Time) bool {
	return now.Before(until) && until.Sub(now) <= longestWait
}

// skipReason says why a source must not be fetched now, or "".
func skipReason(st *archive.SourceState, now time.Time, onSchedule bool, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	switch {
	case st.Gone:
		return "gone (HTTP 410): not polled until its url changes"
	case waiting(st.RetryAfter, now):
		return "server asked to wait until " + st.RetryAfter.In(loc).Format(time.RFC3339) // in the source's zone, as every time shown (seen from outside: UTC)
	case onSchedule && st.HeldBack && waiting(st.NextCheck.Add(-time.Second), now):
		return "backing off until " + st.NextCheck.In(loc).Format(time.RFC3339)
	}
	return ""
}

func (p *Poller) jitter() float64 {
	if p.Jitter != nil {
		return p.Jitter()
	}
	return rand.Float64()
}

func (p *Poller) fail(ctx context.Context, res Result, state archive.SourceState, check CheckInput, err error) Result {
	res.Status, res.Err = StatusFailed, err
	if errors.Is(context.Cause(ctx), ErrHandedOver) {
		return res // cancelled because another replica polls now: nothing to say of the source
	}
	state.Failures++
	state.Error = err.Error()
	var he *HTTPError
	if errors.As(err, &he) {
		state.Status = he.Code
		switch he.Code {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			state.RetryAfter = ParseRetryAfter(he.Header.Get("Retry-After"), check.Now)
		case http.StatusGone:
			state.Gone = true
		}
	}
	check.Failures, check.RetryAfter = state.Failures, state.RetryAfter
	setNextCheck(&state, check)
	if serr := p.Store.SaveState(res.Source, state); serr != nil {
		res.Err = fmt.Errorf("%w (and saving state: %w)", err, serr)
	}
	return res
}

// WaitWorthSaying is the wait for a host's slot that a poll's log line
// names: below it, the line would only say that goroutines were scheduled.
const WaitWorthSaying = 10 * time.Millisecond

func (p *Poller) log(r Result, onSchedule bool) {
	if p.Log == nil {
		return
	}
	if r.Status == StatusSkipped {
		level := slog.LevelDebug
		// A scheduled poll that did not happen is said; a round's are said
		// together, in one line, when the round ends (Scheduler.runAll).
		if r.Skip == SkipStopped && onSchedule {
			level = slog.LevelInfo
		}
		p.Log.Log(context.Background(), level, "poll skipped", "source", r.Source, "why", r.Skip)
		return
	}
	attrs := []any{"source", r.Source, "status", r.Status, "http", r.HTTP, "items", r.Items,
		"new", r.Counts.New, "updated", r.Counts.Updated, "duration", r.Duration.Round(time.Millisecond)}
	if r.Waited >= WaitWorthSaying {
		attrs = append(attrs, "waited", r.Waited.Round(time.Millisecond))
	}
	attrs = append(attrs, r.dropped()...)
	if r.Err != nil {
		// At INFO: the service logs one WARN per round that names how many
		// sources failed, rather than twenty WARNs when the network is down.
		p.Log.Info("poll", append(attrs, "err", r.Err)...)
		return
	}
	p.Log.Info("poll", attrs...)
}

// dropped names, for the poll log line, every count of entries left out or
// distrusted that is not zero.
func (r Result) dropped() []any {
	var attrs []any
	for _, c := range []struct {
		key string
		n   int
	}{
		{"rejected", r.Rejected}, {"untitled", r.Tally.Untitled}, {"repeated", r.Tally.Repeated},
		{"capped", r.Tally.Capped}, {"future_dated", r.Tally.FutureDated}, {"expired", r.Tally.Expired},
		{"dangling_repaired", r.Counts.Repaired}, {"undecodable", r.Counts.Undecodable},
	} {
		if c.n > 0 {
			attrs = append(attrs, c.key, c.n)
		}
	}
	return attrs
}
