package archive

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/nashra-ma/nashra/news"
)

// Fallback is a Store that keeps in memory the source states it could not
// write (a full disk, a read-only file) and reads them back in their place,
// so that /sources, the failing-sources gauge and the poller's backoff see a
// failure nothing could record. A later successful write of the source
// drops its memory. It counts every failed write.
type Fallback struct {
	Store
	mu      sync.Mutex
	unsaved map[string]SourceState
	errors  atomic.Uint64
}

// WithFallback wraps s.
func WithFallback(s Store) *Fallback {
	return &Fallback{Store: s, unsaved: map[string]SourceState{}}
}

// Errors is the number of writes that failed, cancelled saves excluded.
func (f *Fallback) Errors() uint64 { return f.errors.Load() }

// SavePoll implements Store. A failed save is counted; the caller records
// the failure in the source's state (SaveState), which lands here if the
// store cannot write it either.
func (f *Fallback) SavePoll(ctx context.Context, source string, state SourceState, items []news.Item) (PollCounts, error) {
	c, err := f.Store.SavePoll(ctx, source, state, items)
	switch {
	case err == nil:
		f.forget(source)
	case !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		f.errors.Add(1)
	}
	return c, err
}

// SaveState implements Store: a state the store refuses is kept in memory,
// marked with why.
func (f *Fallback) SaveState(source string, state SourceState) error {
	err := f.Store.SaveState(source, state)
	if err == nil {
		f.forget(source)
		return nil
	}
	f.errors.Add(1)
	state.Unsaved = err.Error()
	f.mu.Lock()
	f.unsaved[source] = state
	f.mu.Unlock()
	return err
}

func (f *Fallback) forget(source string) {
	f.mu.Lock()
	delete(f.unsaved, source)
	f.mu.Unlock()
}

// State implements Store, preferring the state kept in memory.
func (f *Fallback) State(source string) (SourceState, bool, error) {
	f.mu.Lock()
	st, ok := f.unsaved[source]
	f.mu.Unlock()
	if ok {
		return st, true, nil
	}
	return f.Store.State(source)
}

// States implements Store, with the states kept in memory in place of the stored ones.
func (f *Fallback) States() (map[string]SourceState, error) {
	states, err := f.Store.States()
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, st := range f.unsaved {
		states[name] = st
	}
	return states, nil
}
