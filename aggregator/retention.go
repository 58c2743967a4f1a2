package aggregator

import (
	"context"
	"log/slog"
	"time"
)

// TombstoneFactor is how many retention periods a tombstone outlives its item:
// long enough that no feed still carries the item when it is forgotten.
const TombstoneFactor = 3

// Pruner is the part of storage retention needs.
type Pruner interface {
	Prune(cutoff time.Time) (int, error)
	PruneTombstones(cutoff time.Time) (int, error)
}

// Retain removes items whose ticker time is older than retention and
// tombstones older than TombstoneFactor × retention, as of now.
func Retain(store Pruner, now time.Time, retention time.Duration) (items, tombstones int, err error) {
	if items, err = store.Prune(now.Add(-retention)); err != nil {
		return items, 0, err
	}
	tombstones, err = store.PruneTombstones(now.Add(-TombstoneFactor * retention))
	return items, tombstones, err
}

// RunRetention calls Retain at once and then every interval until ctx ends;
// retention is read each time, so a reloaded configuration takes effect.
func RunRetention(ctx context.Context, store Pruner, retention func() time.Duration, every time.Duration, log *slog.Logger, pruned func(int)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		items, tombs, err := Retain(store, time.Now(), retention())
		switch {
		case err != nil:
			log.Error("retention", "err", err)
		case items > 0 || tombs > 0:
			log.Info("retention", "items_pruned", items, "tombstones_forgotten", tombs)
		}
		if pruned != nil {
			pruned(items)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
