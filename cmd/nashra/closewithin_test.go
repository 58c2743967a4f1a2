package main

import (
	"errors"
	"testing"
	"time"
)

// TestCloseWithin: closing the database is waited for at most the time left
// before the shutdown's promise, however long a commit under way writes.
func TestCloseWithin(t *testing.T) {
	errClose := errors.New("close failed")
	for _, tc := range []struct {
		name       string
		takes      time.Duration
		err        error
		within     time.Duration
		wantClosed bool
		wantErr    error
	}{
		{"closes at once", 0, nil, time.Second, true, nil},
		{"its error is returned", 0, errClose, time.Second, true, errClose},
		{"a commit outlasting the time left", 5 * time.Second, nil, 200 * time.Millisecond, false, nil},
		{"no time left: a tenth of a second all the same", 0, nil, -time.Second, true, nil},
		{"no time left and a long commit", 5 * time.Second, nil, -time.Second, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			start := time.Now()
			closed, err := closeWithin(func() error {
				select {
				case <-time.After(tc.takes):
				case <-release:
				}
				return tc.err
			}, tc.within)
			took := time.Since(start)
			if closed != tc.wantClosed || !errors.Is(err, tc.wantErr) {
				t.Fatalf("closeWithin = %v, %v; want %v, %v", closed, err, tc.wantClosed, tc.wantErr)
			}
			if limit := max(tc.within, 100*time.Millisecond) + 400*time.Millisecond; took > limit {
				t.Errorf("took %s, limit %s", took, limit)
			}
		})
	}
}
