package aggregator

import (
	"context"
	"slices"
	"sync"
)

// Inflight is the set of sources being polled. A scheduler and the one that
// replaces it on a reload share it, so that a source is never polled twice
// at once, even while the old scheduler's last polls finish.
type Inflight struct {
	mu    sync.Mutex
	polls map[string]chan struct{} // closed when that poll ends
}

// NewInflight returns an empty set.
func NewInflight() *Inflight { return &Inflight{polls: map[string]chan struct{}{}} }

// TryClaim claims name unless it is being polled.
func (f *Inflight) TryClaim(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, busy := f.polls[name]; busy {
		return false
	}
	f.polls[name] = make(chan struct{})
	return true
}

// Claim waits until name is free and claims it, or gives up when ctx or
// stop ends first.
func (f *Inflight) Claim(ctx context.Context, stop <-chan struct{}, name string) bool {
	for {
		f.mu.Lock()
		done, busy := f.polls[name]
		if !busy {
			f.polls[name] = make(chan struct{})
			f.mu.Unlock()
			return true
		}
		f.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return false
		case <-stop:
			return false
		}
	}
}

// Release ends the claim on name.
func (f *Inflight) Release(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if done, ok := f.polls[name]; ok {
		close(done)
		delete(f.polls, name)
	}
}

// Names lists the sources being polled, sorted: what a shutdown that
// stops waiting leaves unrecorded.
func (f *Inflight) Names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make([]string, 0, len(f.polls))
	for n := range f.polls {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
