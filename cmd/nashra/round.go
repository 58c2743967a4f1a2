package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
)

// roundTally counts polls until every configured source has been polled
// once (a round), so that a first run with every source unreachable logs
// one line instead of one per source.
type roundTally struct {
	mu      sync.Mutex
	sources map[string]bool // configured source → polled this round
	polled  int
	failed  int
}

func newRoundTally(names []string) *roundTally {
	t := &roundTally{sources: make(map[string]bool, len(names))}
	for _, n := range names {
		t.sources[n] = false
	}
	return t
}

// observe records r and, when it completes a round, returns the round's
// summary (failed of total) and true. A source skipped for its own state
// (waiting out its server's Retry-After, gone, backing off) has had its turn,
// failed when that state is a failure: a source that is never polled
// again must not hold the round open (seen from outside: a source told to
// wait silenced the summary of every other failure).
func (t *roundTally) observe(r aggregator.Result) (failed, total int, done bool) {
	if r.Status == aggregator.StatusSkipped && !r.Waiting || errors.Is(r.Err, context.Canceled) {
		return 0, 0, false // no poll happened: already being polled, handed over, or cancelled (a shutdown)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	polled, known := t.sources[r.Source]
	if !known || polled {
		return 0, 0, false // a source of another configuration, or polled again before the round ended
	}
	t.sources[r.Source] = true
	t.polled++
	if r.Err != nil || r.Failing {
		t.failed++
	}
	if t.polled < len(t.sources) {
		return 0, 0, false
	}
	failed, total = t.failed, len(t.sources)
	for n := range t.sources {
		t.sources[n] = false
	}
	t.polled, t.failed = 0, 0
	return failed, total, true
}

// roundSummary is the line logged at the end of a round with failures.
func roundSummary(failed, total int, baseURL string) string {
	return fmt.Sprintf("%d of %d sources failed; see %s/sources", failed, total, baseURL)
}

func sourceNames(cfg *config.Config) []string {
	names := make([]string, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		if !src.Disabled { // never polled: a round does not wait for it
			names = append(names, src.Name)
		}
	}
	return names
}
