package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// The tables of schema 1 that schema 2 replaces. by_time, sources and the
// meta keys keep their format and are not touched.
const (
	v1Items      = "items"      // key → JSON news.Item (with norm and terms)
	v1ByURL      = "by_url"     // canonical link → key
	v1Stories    = "stories"    // "s" id → JSON member list; "t" lang 0 term 0 time key → "" (postings)
	v1Tombstones = "tombstones" // key or "u" link → first-seen

	tUnreadable = "migration_unreadable" // v1 item key → the record migration could not read
)

// migrateBatch is how many records one migration batch converts: each is
// one atomic batch, so a kill at any moment leaves a database that opens
// and goes on migrating where it stopped.
const migrateBatch = 1000

// migrate brings a schema 1 database to schema 3 in place, batch by batch,
// and marks a schema 2 one 3 (nothing else changes).
// Every step moves records out of a v1 table into their v2 form in one
// batch (the v1 entry is deleted by the batch that writes its successor),
// so resuming after a crash finds exactly the work left; the schema version
// is written last.
func (a *Archive) migrate(ctx context.Context, from int) error {
	switch from {
	case 1:
	case 2:
		// Nothing to move: the version keeps a nashra of schema 2 from
		// reading a store whose entries it would miss (staged ones).
		b := &storage.Batch{Expect: []storage.Cond{{Table: tMeta, Key: keySchema, Value: []byte("2")}}}
		b.Put(tMeta, keySchema, []byte(strconv.Itoa(SchemaVersion)))
		if err := a.eng.Apply(ctx, b); err != nil && !errors.Is(err, storage.ErrConflict) {
			return fmt.Errorf("migrate: schema 2 to %d: %w", SchemaVersion, err)
		}
		a.log.Info("database migrated", "from_schema", from, "to_schema", SchemaVersion, "records", 0)
		return nil
	default:
		return fmt.Errorf("no migration from schema %d", from)
	}
	start := time.Now()
	steps := []struct {
		name string
		fn   func(storage.Reader, *storage.Batch) (int, error)
	}{
		{"items", a.migrateItems},
		{"stories", a.migrateStories},
		{"tombstones", migrateTombstones},
	}
	total := 0
	for _, step := range steps {
		a.log.Info("migrating the database: step begins", "step", step.name, "records", total)
		for {
			b := &storage.Batch{}
			var n int
			err := a.eng.View(ctx, func(r storage.Reader) error {
				var err error
				n, err = step.fn(r, b)
				return err
			})
			if err != nil {
				return fmt.Errorf("migrate %s: %w", step.name, err)
			}
			if n == 0 {
				break
			}
			if err := a.eng.Apply(ctx, b); err != nil {
				return fmt.Errorf("migrate %s: %w", step.name, err)
			}
			total += n
			if total%(20*migrateBatch) < n {
				a.log.Info("migrating the database", "from_schema", from, "to_schema", SchemaVersion, "step", step.name, "records", total)
			}
		}
	}
	a.log.Info("migrating the database: step begins", "step", "finish", "records", total)
	b := &storage.Batch{}
	b.DeletePrefix(v1Stories, nil) // the term postings: the window is in memory now
	b.DeletePrefix(v1ByURL, nil)
	b.DeletePrefix(v1Items, nil)
	b.DeletePrefix(v1Tombstones, nil)
	b.Put(tMeta, keySchema, []byte(strconv.Itoa(SchemaVersion)))
	if err := a.eng.Apply(ctx, b); err != nil {
		return fmt.Errorf("migrate: finish: %w", err)
	}
	a.log.Info("database migrated", "from_schema", from, "to_schema", SchemaVersion, "records", total, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// migrateItems converts up to migrateBatch JSON records into binary ones
// with their new index entries (by_time is already there). A record that
// cannot be read is moved to table migration_unreadable and taken off the
// item count in the same batch, so that a batch run again after a crash
// finds it gone and counts nothing twice.
func (a *Archive) migrateItems(r storage.Reader, b *storage.Batch) (int, error) {
	page, err := r.Scan(v1Items, storage.Range{Limit: migrateBatch})
	if err != nil {
		return 0, err
	}
	unreadable := 0
	folded := folder{}
	for _, kv := range page {
		it, err := decodeV1Item(kv.Key, kv.Value)
		if err != nil {
			// Keep what cannot be read where an operator can find it.
			b.Put(tUnreadable, kv.Key, kv.Value)
			b.Delete(v1Items, kv.Key)
			unreadable++
			a.log.Warn("migration: an item record could not be read; kept aside in table "+tUnreadable, "key", string(kv.Key), "err", err)
			continue
		}
		b.Put(tRecords, kv.Key, encodeItem(&it))
		for _, e := range entries(&it, folded) {
			if e.table != tByTime {
				b.Put(e.table, []byte(e.key), nil)
			}
		}
		if it.Link != "" {
			owner, err := r.Get(v1ByURL, []byte(it.Link))
			if err != nil {
				return 0, err
			}
			if bytes.Equal(owner, kv.Key) {
				b.Put(tLinks, linkDigest(it.Link), kv.Key)
			}
		}
		b.Delete(v1Items, kv.Key)
	}
	if unreadable > 0 {
		count, err := r.Get(tMeta, keyCount)
		if err != nil {
			return 0, err
		}
		n := bytesUint64(count)
		b.Put(tMeta, keyCount, uint64Bytes(n-min(n, uint64(unreadable))))
	}
	return len(page), nil
}

// decodeV1Item reads a schema 1 record stored at key.
func decodeV1Item(key, value []byte) (news.Item, error) {
	var it news.Item
	if err := json.Unmarshal(value, &it); err != nil {
		return news.Item{}, err
	}
	if it.Key != string(key) {
		return news.Item{}, fmt.Errorf("the record names key %q", it.Key)
	}
	it.Norm, it.Terms = "", nil
	return it, nil
}

// migrateStories converts story records ("s" id) into member lists, keeping
// only members stored as reports of that story (the items step has run): a
// damaged list never names a missing item, and one that names none, or has
// no id, is dropped (its reports keep their story id, and a story is only
// ever read through them).
func (a *Archive) migrateStories(r storage.Reader, b *storage.Batch) (int, error) {
	page, err := r.Scan(v1Stories, storage.Range{Prefix: []byte("s"), Limit: migrateBatch})
	if err != nil {
		return 0, err
	}
	for _, kv := range page {
		b.Delete(v1Stories, kv.Key)
		id := string(kv.Key[1:])
		var rec struct {
			Members []struct {
				Key  string    `json:"k"`
				Time time.Time `json:"t"`
			} `json:"m"`
		}
		if err := json.Unmarshal(kv.Value, &rec); err != nil || id == "" {
			a.log.Warn("migration: a story record could not be read; dropped", "story", id, "err", err)
			continue
		}
		var ms []member
		for _, m := range rec.Members {
			if m.Key == "" {
				continue
			}
			raw, err := r.Get(tRecords, []byte(m.Key))
			if err != nil {
				return 0, err
			}
			if raw == nil {
				continue
			}
			if it, err := decodeItem(raw); err != nil || it.Story != id {
				continue
			}
			ms = append(ms, member{Key: m.Key, Time: m.Time})
		}
		if len(ms) > 0 {
			b.Put(tStories, []byte(id), encodeMembers(ms))
		}
	}
	return len(page), nil
}

// migrateTombstones renames key tombstones and turns link tombstones into
// link digests.
func migrateTombstones(r storage.Reader, b *storage.Batch) (int, error) {
	page, err := r.Scan(v1Tombstones, storage.Range{Limit: migrateBatch})
	if err != nil {
		return 0, err
	}
	for _, kv := range page {
		if link, ok := bytes.CutPrefix(kv.Key, []byte("u")); ok && len(link) > 0 && !isV1Key(kv.Key) {
			b.Put(tTombstones, linkTombstone(string(link)), kv.Value)
		} else {
			b.Put(tTombstones, keyTombstone(string(kv.Key)), kv.Value)
		}
		b.Delete(v1Tombstones, kv.Key)
	}
	return len(page), nil
}

// isV1Key tells an item key (hex digits) from "u" and a link: a link
// tombstone's rest is a URL, which has a scheme and a colon.
func isV1Key(k []byte) bool { return !bytes.Contains(k, []byte(":")) }
