package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nashra-ma/nashra/storage"
)

// A copy into another engine (`nashra migrate`) writes its marker first and
// deletes it last, in a table of its own: a store that holds the marker is
// a copy under way or one that stopped, and is never opened as a store.
const tCopy = "copy_incomplete"

var keyCopy = []byte("marker")

// Tables are the tables of the current schema, in the order a copy writes
// them; migration_unreadable holds what migrating from schema 1 kept aside.
func Tables() []string {
	return []string{tMeta, tSources, tRecords, tByTime, tBySource, tByLang, tByCategory, tLinks, tStories, tTombstones, tAliases, tUnreadable}
}

// ErrIncompleteCopy is returned for a store that a copy (`nashra migrate`)
// began and did not finish.
var ErrIncompleteCopy = errors.New("archive: this store is an incomplete copy left by a `nashra migrate` that stopped: run the same migrate again to finish it")

// ErrNotEmpty is returned by CopyTo for a destination that already holds data.
var ErrNotEmpty = errors.New("archive: the destination is not empty: migrate copies into an empty store only")

// ErrNoStore is returned by New with MustExist for an engine holding no store.
var ErrNoStore = errors.New("archive: no nashra store there (no schema version)")

// CopyMarker is what the marker says: where the copy comes from and when it
// began.
type CopyMarker struct {
	From    string    `json:"from"`
	Started time.Time `json:"started"`
}

// CopyOptions say how CopyTo copies.
type CopyOptions struct {
	// From names the source in the marker (never with credentials): a copy
	// that finds the marker of a stopped copy from the same source copies
	// again over it, and refuses one from another source.
	From string
	// Limits bound each batch (zero: storage.CopyLimitsFor the destination).
	Limits storage.CopyLimits
	Log    *slog.Logger
	// afterBatch, when set (tests only), runs after each batch lands; its
	// error stops the copy there, as a kill would.
	afterBatch func() error
}

// TableCount is one table's entries at both ends of a copy.
type TableCount struct {
	Table               string
	Source, Destination int
}

// CopyReport says what CopyTo copied.
type CopyReport struct {
	Tables []TableCount
	// Items is the archive's item count, at the source's snapshot.
	Items int
	// Restarted is the marker of a stopped copy that this one copied over.
	Restarted *CopyMarker
}

// CopyTo copies every table of the store, as one snapshot, into dst, which
// must be empty or hold the marker of a stopped copy from the same source.
// It checks that every table of dst then holds the same entries, byte for
// byte, as the snapshot, before it deletes the marker. It writes to dst
// only; the archive's own writes wait until it returns.
func (a *Archive) CopyTo(ctx context.Context, dst storage.Engine, o CopyOptions) (CopyReport, error) {
	if o.Limits.Ops <= 0 || o.Limits.Bytes <= 0 {
		o.Limits = storage.CopyLimitsFor(dst)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var rep CopyReport
	old, err := claim(ctx, dst, o.From)
	if err != nil {
		return rep, err
	}
	rep.Restarted = old.marker
	mark := []storage.Cond{{Table: tCopy, Key: keyCopy, Value: old.value}}
	sums := map[string]storage.TableSum{}
	err = a.eng.View(ctx, func(r storage.Reader) error {
		count, err := r.Get(tMeta, keyCount)
		if err != nil {
			return err
		}
		rep.Items = int(bytesUint64(count))
		for _, t := range Tables() {
			s, err := storage.CopyTable(ctx, r, dst, t, o.Limits, mark, o.afterBatch)
			if err != nil {
				return err
			}
			sums[t] = s
			o.Log.Info("migrate: table copied", "table", t, "entries", s.Entries)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("archive: copy (the destination keeps its marker; run the migrate again): %w", err)
	}
	rep.Tables, err = verifyCopy(ctx, dst, sums)
	if err != nil {
		return rep, err
	}
	done := &storage.Batch{Expect: mark}
	done.DeletePrefix(tCopy, nil)
	if err := dst.Apply(ctx, done); err != nil {
		return rep, fmt.Errorf("archive: copy: remove the marker: %w", err)
	}
	return rep, nil
}

// claimed is the marker a copy wrote, as stored, and what it says.
type claimed struct {
	value  []byte
	marker *CopyMarker // of the stopped copy written over, if any
}

// claim writes a new marker into dst: into an empty store, or over the
// marker of a stopped copy from the same source, whose tables it empties
// in the same batch. Two copies racing for one destination: the second
// write fails its condition.
func claim(ctx context.Context, dst storage.Engine, from string) (claimed, error) {
	var found []byte
	var nonEmpty string
	err := dst.View(ctx, func(r storage.Reader) error {
		var err error
		if found, err = r.Get(tCopy, keyCopy); err != nil {
			return err
		}
		for _, t := range Tables() {
			kv, err := r.Scan(t, storage.Range{Limit: 1})
			if err != nil {
				return err
			}
			if len(kv) > 0 {
				nonEmpty = t
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return claimed{}, fmt.Errorf("archive: copy: read the destination: %w", err)
	}
	var c claimed
	b := &storage.Batch{Expect: []storage.Cond{{Table: tCopy, Key: keyCopy, Value: found}}}
	switch {
	case found != nil:
		var m CopyMarker
		if err := json.Unmarshal(found, &m); err != nil || m.From != from {
			return claimed{}, fmt.Errorf("%w: it holds an incomplete copy from %q (started %s), not from %q: empty it, or migrate from that store again",
				ErrNotEmpty, m.From, m.Started.Format(time.RFC3339), from)
		}
		c.marker = &m
		for _, t := range Tables() {
			b.DeletePrefix(t, nil)
		}
	case nonEmpty != "":
		return claimed{}, fmt.Errorf("%w (table %s holds entries)", ErrNotEmpty, nonEmpty)
	}
	value, err := json.Marshal(CopyMarker{From: from, Started: time.Now().UTC()})
	if err != nil {
		return claimed{}, err
	}
	b.Put(tCopy, keyCopy, value)
	if err := dst.Apply(ctx, b); err != nil {
		return claimed{}, fmt.Errorf("archive: copy: write the marker: %w", err)
	}
	c.value = value
	return c, nil
}

// verifyCopy compares every table of dst with the source's sums.
func verifyCopy(ctx context.Context, dst storage.Engine, src map[string]storage.TableSum) ([]TableCount, error) {
	var out []TableCount
	err := dst.View(ctx, func(r storage.Reader) error {
		for _, t := range Tables() {
			got, err := storage.SumTable(r, t)
			if err != nil {
				return err
			}
			out = append(out, TableCount{Table: t, Source: src[t].Entries, Destination: got.Entries})
			switch {
			case got.Entries != src[t].Entries:
				return fmt.Errorf("table %s: the source's snapshot has %d entries, the destination %d", t, src[t].Entries, got.Entries)
			case got != src[t]:
				return fmt.Errorf("table %s: %d entries at both ends, but their bytes differ", t, got.Entries)
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("archive: copy check failed (the destination keeps its marker): %w", err)
	}
	return out, nil
}

// refuseIncomplete fails with ErrIncompleteCopy when eng holds a copy's marker.
func refuseIncomplete(ctx context.Context, eng storage.Engine) error {
	var v []byte
	err := eng.View(ctx, func(r storage.Reader) error {
		var err error
		v, err = r.Get(tCopy, keyCopy)
		return err
	})
	if err != nil {
		return err
	}
	if v == nil {
		return nil
	}
	var m CopyMarker
	json.Unmarshal(v, &m) // a damaged marker still marks the store incomplete
	return fmt.Errorf("%w (from %q, started %s)", ErrIncompleteCopy, m.From, m.Started.Format(time.RFC3339))
}
