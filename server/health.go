package server

import (
	"fmt"
	"sync"
	"time"
)

// Readiness is what /readyz decides on. Ready means this process can answer
// feed requests with a render; a database that cannot write does not take
// that away (it shows on /sources and in nashra_store_errors_total).
type Readiness struct {
	Now     time.Time
	Started time.Time // when this server was made
	// FirstRound: the first poll round since the start has finished.
	FirstRound bool
	Items      int   // items stored, as last read
	ReadErr    error // reading the database failed just now
	// LastRead is the last successful read of the database; LastPoll the
	// last poll a source answered (whether or not it could be stored).
	LastRead, LastPoll time.Time
	StaleAfter         time.Duration
	// RenderErr is the error of the last render when it failed with
	// nothing to serve in its place (since RenderFailedAt); nil when the
	// last render was made.
	RenderErr      error
	RenderFailedAt time.Time
}

// Decide returns whether the process is ready and, when not, why. It is not
// ready when it has nothing to serve (the database never read, or empty
// before the first poll round ends) or when its data is stale: for longer
// than StaleAfter it has neither polled a source nor read its database.
func (r Readiness) Decide() (bool, string) {
	switch {
	case r.ReadErr != nil && r.LastRead.IsZero():
		return false, "database: " + r.ReadErr.Error()
	case r.Items == 0 && !r.FirstRound:
		return false, "first poll round not finished"
	case r.RenderErr != nil:
		return false, fmt.Sprintf("renders failing since %s: %v", r.RenderFailedAt.UTC().Format(time.RFC3339), r.RenderErr)
	}
	fresh := r.Started
	for _, t := range []time.Time{r.LastRead, r.LastPoll} {
		if t.After(fresh) {
			fresh = t
		}
	}
	if age := r.Now.Sub(fresh); r.StaleAfter > 0 && age > r.StaleAfter {
		why := fmt.Sprintf("stale: no source polled and the database not read for %s (stale_after %s)", age.Round(time.Second), r.StaleAfter)
		if r.ReadErr != nil {
			why += "; database: " + r.ReadErr.Error()
		}
		return false, why
	}
	return true, ""
}

// renderHealth remembers how the last render ended: a render that failed
// with nothing to serve in its place (a damaged database) makes /readyz
// answer 503 until a render is made again, so that a balancer sends
// readers elsewhere. A render a replica could not make because its shared
// store is out of reach is not counted: it answers 503 with Retry-After
// itself, and /readyz says stale after stale_after.
type renderHealth struct {
	mu     sync.Mutex
	err    error
	failed time.Time
	tried  bool // a render was made or failed since the start
}

func (h *renderHealth) made() {
	h.mu.Lock()
	h.err, h.failed, h.tried = nil, time.Time{}, true
	h.mu.Unlock()
}

// untried reports whether no render has been made or failed yet.
func (h *renderHealth) untried() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.tried
}

func (h *renderHealth) fail(err error) {
	h.mu.Lock()
	if h.err == nil {
		h.failed = time.Now()
	}
	h.err, h.tried = err, true
	h.mu.Unlock()
}

func (h *renderHealth) failing() (error, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err, h.failed
}
