package archive

import (
	"bytes"
	"context"
	"encoding/json"
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
)

// migrateBatch is how many records one migration batch converts: each is
// one atomic batch, so a kill at any moment leaves a database that opens
// and goes on migrating where it stopped.
const migrateBatch = 1000

// migrate brings a schema 1 database to schema 2 in place, batch by batch.
// Every step moves records out of a v1 table into their v2 form in one
// batch (the v1 entry is deleted by the batch that writes its successor),
// so resuming after a crash finds exactly the work left; the schema version
// is written last.
func (a *Archive) migrate(ctx context.Context, from int) error {
	if from != 1 {
		return fmt.Errorf("no migration from schema %d", from)
	}
	start := time.Now()
	steps := []struct {
		name string
		fn   func(storage.Reader, *storage.Batch) (int, error)
	}{
		{"items", a.migrateItems},
		{"stories", migrateStories},
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
// with their new index entries (by_time is already there).
func (a *Archive) migrateItems(r storage.Reader, b *storage.Batch) (int, error) {
	page, err := r.Scan(v1Items, storage.Range{Limit: migrateBatch})
	if err != nil {
		return 0, err
	}
	for _, kv := range page {
		var it news.Item
		if err := json.Unmarshal(kv.Value, &it); err != nil || it.Key != string(kv.Key) {
			// Keep what cannot be read where an operator can find it.
			b.Put("migration_unreadable", kv.Key, kv.Value)
			b.Delete(v1Items, kv.Key)
			a.log.Warn("migration: an item record could not be read; kept aside in table migration_unreadable", "key", string(kv.Key), "err", err)
			continue
		}
		it.Norm, it.Terms = "", nil
		b.Put(tRecords, kv.Key, encodeItem(&it))
		for _, e := range entries(&it) {
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
	return len(page), nil
}

// migrateStories converts story records ("s" id) into member lists.
func migrateStories(r storage.Reader, b *storage.Batch) (int, error) {
	page, err := r.Scan(v1Stories, storage.Range{Prefix: []byte("s"), Limit: migrateBatch})
	if err != nil {
		return 0, err
	}
	for _, kv := range page {
		var rec struct {
			Members []struct {
				Key  string    `json:"k"`
				Time time.Time `json:"t"`
			} `json:"m"`
		}
		if err := json.Unmarshal(kv.Value, &rec); err == nil && len(rec.Members) > 0 {
			ms := make([]member, len(rec.Members))
			for i, m := range rec.Members {
				ms[i] = member{Key: m.Key, Time: m.Time}
			}
			b.Put(tStories, kv.Key[1:], encodeMembers(ms))
		}
		b.Delete(v1Stories, kv.Key)
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
