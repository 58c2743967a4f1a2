package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nashra-ma/nashra/storage"
)

// SaveState implements Store. Only SavePoll counts items and says when news
// last came: those counts are kept from the stored state.
func (a *Archive) SaveState(source string, state SourceState) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err := a.apply(context.Background(), func(w *write) error {
		old, err := w.sourceState(source)
		if err != nil {
			return err
		}
		state.Items, state.LastNew, state.LastNewAt = old.Items, old.LastNew, old.LastNewAt
		w.putState(source, state)
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive: save state of %s: %w", source, err)
	}
	return nil
}

// apply decides a write on a snapshot with fn and applies it, deciding again
// when another writer got there first. The caller holds a.mu.
func (a *Archive) apply(ctx context.Context, fn func(*write) error) (*write, error) {
	for attempt := 1; ; attempt++ {
		var w *write
		err := a.eng.View(ctx, func(r storage.Reader) error {
			seq, err := r.Get(tMeta, keySeq)
			if err != nil {
				return err
			}
			w = newWrite(r, a.current(seq), seq)
			if err := fn(w); err != nil {
				return err
			}
			return w.finish()
		})
		if err == nil {
			err = a.eng.Apply(ctx, &w.batch)
		}
		if err != nil && w != nil {
			w.rollback()
		}
		if errors.Is(err, storage.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return nil, err
		}
		w.settle()
		return w, nil
	}
}

// State implements Store.
func (a *Archive) State(source string) (SourceState, bool, error) {
	var st SourceState
	var found bool
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		v, err := r.Get(tSources, []byte(source))
		if err != nil || v == nil {
			return err
		}
		found = true
		return json.Unmarshal(v, &st)
	})
	if err != nil {
		return SourceState{}, false, fmt.Errorf("archive: state of %s: %w", source, err)
	}
	return st, found, nil
}

// States implements Store.
func (a *Archive) States() (map[string]SourceState, error) {
	out := map[string]SourceState{}
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		rg := storage.Range{Limit: storage.MaxScan}
		for {
			page, err := r.Scan(tSources, rg)
			if err != nil {
				return err
			}
			for _, kv := range page {
				var st SourceState
				if err := json.Unmarshal(kv.Value, &st); err != nil {
					return fmt.Errorf("source state %s: %w", kv.Key, err)
				}
				out[string(kv.Key)] = st
			}
			if len(page) < rg.Limit {
				return nil
			}
			rg.From = append(page[len(page)-1].Key, 0)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("archive: states: %w", err)
	}
	return out, nil
}
