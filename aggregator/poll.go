package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/storage"
)

// Poll outcomes, as printed by `nashra poll` and logged.
const (
	StatusNew         = "new"          // stored new items
	StatusUnchanged   = "unchanged"    // fetched, nothing new
	StatusNotModified = "not-modified" // 304
	StatusFailed      = "error"
)

// Poller fetches one source, decodes and normalises it, and stores the result.
type Poller struct {
	Store   storage.Store
	Fetcher *Fetcher
	Log     *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Result is what one poll did.
type Result struct {
	Source   string
	Status   string
	HTTP     int
	Items    int // items in the document
	Counts   storage.PollCounts
	Err      error
	Duration time.Duration
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Poll polls src once. next is when its schedule fires next. A failure of
// any kind changes no stored item; it is recorded in the source's state.
func (p *Poller) Poll(ctx context.Context, src *config.Source, next time.Time) Result {
	start := time.Now()
	res := p.poll(ctx, src, next)
	res.Duration = time.Since(start)
	p.log(res)
	return res
}

func (p *Poller) poll(ctx context.Context, src *config.Source, next time.Time) Result {
	res := Result{Source: src.Name}
	now := p.now().UTC()
	state, _, err := p.Store.State(src.Name)
	if err != nil {
		res.Status, res.Err = StatusFailed, err
		return res
	}
	if state.ConfiguredURL != src.URL { // new source, or the user changed its URL
		state = storage.SourceState{Items: state.Items}
		state.ConfiguredURL, state.URL = src.URL, src.URL
	}
	state.LastAttempt = now
	state.NextCheck = next

	resp, err := p.Fetcher.Fetch(ctx, FetchRequest{URL: state.URL, ETag: state.ETag, LastModified: state.LastModified, UserAgent: src.UserAgent})
	if resp != nil {
		res.HTTP = resp.Status
		state.Status = resp.Status
	}
	if err != nil {
		return p.fail(res, state, err)
	}
	if resp.MovedTo != "" {
		state.URL = resp.MovedTo
	}
	state.ETag, state.LastModified = resp.ETag, resp.LastModified
	if resp.NotModified {
		state.LastSuccess, state.Failures, state.Error = now, 0, ""
		res.Status = StatusNotModified
		if err := p.Store.SaveState(src.Name, state); err != nil {
			res.Status, res.Err = StatusFailed, err
		}
		return res
	}

	doc, err := feeds.Decode(resp.Body, resp.ContentType, src.Charset)
	if err != nil {
		// Keep the old validators: this body was not stored, so it must be fetched again.
		old, _, _ := p.Store.State(src.Name)
		state.ETag, state.LastModified = old.ETag, old.LastModified
		return p.fail(res, state, err)
	}
	items := Normalise(doc, src, state.URL, now)
	res.Items = len(items)
	state.LastSuccess, state.Failures, state.Error = now, 0, ""
	state.Rejected = doc.Rejected
	counts, err := p.Store.SavePoll(src.Name, state, items)
	if err != nil {
		res.Status, res.Err = StatusFailed, err
		return res
	}
	res.Counts = counts
	res.Status = StatusUnchanged
	if counts.New > 0 {
		res.Status = StatusNew
	}
	return res
}

func (p *Poller) fail(res Result, state storage.SourceState, err error) Result {
	res.Status, res.Err = StatusFailed, err
	state.Failures++
	state.Error = err.Error()
	var se *HTTPError
	if errors.As(err, &se) {
		state.Status = se.Code
	}
	if serr := p.Store.SaveState(res.Source, state); serr != nil {
		res.Err = fmt.Errorf("%w (and saving state: %v)", err, serr)
	}
	return res
}

func (p *Poller) log(r Result) {
	if p.Log == nil {
		return
	}
	attrs := []any{"source", r.Source, "status", r.Status, "http", r.HTTP, "items", r.Items,
		"new", r.Counts.New, "updated", r.Counts.Updated, "duration", r.Duration.Round(time.Millisecond)}
	if r.Err != nil {
		p.Log.Warn("poll", append(attrs, "err", r.Err)...)
		return
	}
	p.Log.Info("poll", attrs...)
}
