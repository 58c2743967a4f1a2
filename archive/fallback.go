package archive

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// Fallback is a Store that keeps in memory the source states it could not
// write (a full disk, a read-only file) and reads them back in their place,
// so that /sources, the failing-sources gauge and the poller's backoff see a
// failure nothing could record. A later successful write of the source
// drops its memory. It counts every failed write.
//
// A write refused because this replica no longer leads (storage.ErrFenced)
// is neither kept nor counted: the source's state is the new leader's now.
type Fallback struct {
	Store
	mem *unsaved
}

// unsaved is what a Fallback and those made from it by Over share.
type unsaved struct {
	mu     sync.Mutex
	states map[string]SourceState
	errors atomic.Uint64
}

// WithFallback wraps s.
func WithFallback(s Store) *Fallback {
	return &Fallback{Store: s, mem: &unsaved{states: map[string]SourceState{}}}
}

// Over is f around another store onto the same data (an archive writing
// through a fenced engine), keeping f's memory.
func (f *Fallback) Over(s Store) *Fallback { return &Fallback{Store: s, mem: f.mem} }

// Errors is the number of writes that failed, cancelled saves excluded.
func (f *Fallback) Errors() uint64 { return f.mem.errors.Load() }

// counted reports whether err is a failure of the store to count and remember.
func counted(err error) bool {
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) &&
		!errors.Is(err, storage.ErrFenced)
}

// SavePoll implements Store. A failed save is counted; the caller records
// the failure in the source's state (SaveState), which lands here if the
// store cannot write it either.
func (f *Fallback) SavePoll(ctx context.Context, source string, state SourceState, items []news.Item) (PollCounts, error) {
	c, err := f.Store.SavePoll(ctx, source, state, items)
	switch {
	case err == nil:
		f.forget(source)
	case counted(err):
		f.mem.errors.Add(1)
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
	if errors.Is(err, storage.ErrFenced) {
		return err
	}
	f.mem.errors.Add(1)
	state.Unsaved = err.Error()
	f.mem.mu.Lock()
	f.mem.states[source] = state
	f.mem.mu.Unlock()
	return err
}

// ForgetAll drops every state kept in memory: a replica that stops polling
// leaves the sources' states to the one that polls now.
func (f *Fallback) ForgetAll() {
	f.mem.mu.Lock()
	clear(f.mem.states)
	f.mem.mu.Unlock()
}

func (f *Fallback) forget(source string) {
	f.mem.mu.Lock()
	delete(f.mem.states, source)
	f.mem.mu.Unlock()
}

// State implements Store, preferring the state kept in memory.
func (f *Fallback) State(source string) (SourceState, bool, error) {
	f.mem.mu.Lock()
	st, ok := f.mem.states[source]
	f.mem.mu.Unlock()
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
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	for name, st := range f.mem.states {
		states[name] = st
	}
	return states, nil
}
