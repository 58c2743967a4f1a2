package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SaveState implements Store.
func (s *Bolt) SaveState(source string, state SourceState) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSources)
		var old SourceState
		if _, err := getJSON(b, []byte(source), &old); err != nil {
			return err
		}
		// Only SavePoll counts items and says when news last came.
		state.Items, state.LastNew, state.LastNewAt = old.Items, old.LastNew, old.LastNewAt
		return putJSON(b, []byte(source), state)
	})
	if err != nil {
		return fmt.Errorf("storage: save state of %s: %w", source, err)
	}
	return nil
}

// State implements Store.
func (s *Bolt) State(source string) (SourceState, bool, error) {
	var st SourceState
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketSources), []byte(source), &st)
		return err
	})
	if err != nil {
		return SourceState{}, false, fmt.Errorf("storage: state of %s: %w", source, err)
	}
	return st, found, nil
}

// States implements Store.
func (s *Bolt) States() (map[string]SourceState, error) {
	out := map[string]SourceState{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSources).ForEach(func(k, _ []byte) error {
			var st SourceState
			if _, err := getJSON(tx.Bucket(bucketSources), k, &st); err != nil {
				return err
			}
			out[string(k)] = st
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: states: %w", err)
	}
	return out, nil
}
