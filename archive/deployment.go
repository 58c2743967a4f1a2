package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/nashra-ma/nashra/storage"
)

// Agree records value as the store's setting name the first time any
// writer asks (one conditional write: two replicas starting together agree
// on one of their values), and returns the value recorded, which the
// caller compares with its own. Replicas of a shared store use it for what
// must be the same on all of them (base_url, from which item ids are made).
// The setting lives in the meta table at "deployment/<name>".
func (a *Archive) Agree(ctx context.Context, name, value string) (string, error) {
	key := []byte("deployment/" + name)
	for range conflictRetries {
		var got []byte
		err := a.eng.View(ctx, func(r storage.Reader) error {
			v, err := r.Get(tMeta, key)
			got = v
			return err
		})
		if err != nil {
			return "", fmt.Errorf("archive: read the deployment's %s: %w", name, err)
		}
		if got != nil {
			return string(got), nil
		}
		b := &storage.Batch{Expect: []storage.Cond{{Table: tMeta, Key: key}}}
		b.Put(tMeta, key, []byte(value))
		err = a.eng.Apply(ctx, b)
		if errors.Is(err, storage.ErrConflict) {
			continue // another replica recorded it first: read what it recorded
		}
		if err != nil {
			return "", fmt.Errorf("archive: record the deployment's %s: %w", name, err)
		}
		return value, nil
	}
	return "", fmt.Errorf("archive: record the deployment's %s: %w", name, storage.ErrConflict)
}
