package archive

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/internal/logbuf"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// damagedV1 is a small schema 1 database of good items (a story of two,
// a tombstone) with damage added by fn; it returns the good items.
func damagedV1(t *testing.T, path string, fn func(w *legacyWriter)) []news.Item {
	t.Helper()
	spec := legacySpec{n: 30, storyEvery: 10, pruned: 2}
	var good []news.Item
	for i := range spec.n {
		good = append(good, legacyItem(spec, i))
	}
	w := newLegacyWriter(t, path, nil)
	w.items(t, good)
	for _, it := range good {
		if it.Story == it.Key {
			w.story(t, it.Key, []news.Item{it, good[keyNumber(it.Key)+1]})
		}
	}
	w.tombstone(t, legacyPruned(0))
	if fn != nil {
		fn(w)
	}
	w.close(t)
	return good
}

func tableLen(t *testing.T, a *Archive, table string) int {
	t.Helper()
	var n int
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		page, err := r.Scan(table, storage.Range{})
		n = len(page)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMigrationOfDamagedRecords: a schema 1 database with a damaged record
// or story list must still open: what cannot be read is kept aside (table
// migration_unreadable) and logged, everything else is migrated, the item
// count says what is stored, and no damage stops the migration (an error
// here would refuse every start of the service) or panics it.
func TestMigrationOfDamagedRecords(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		// damage adds to the database; counted says how many of the added
		// item records v1's item_count included.
		damage     func(w *legacyWriter)
		counted    int
		unreadable int // records kept aside
		items      int // items readable after the migration (of the 30 good and the added)
		log        string
		check      func(t *testing.T, a *Archive)
	}{
		{name: "item record that is not JSON", counted: 1, unreadable: 1, items: 30, log: "migration_unreadable",
			damage: func(w *legacyWriter) {
				w.raw(t, "items", []byte("ffff0000ffff0000ffff0000"), []byte("{not json"))
				w.raw(t, "by_time", timeKey(at, "ffff0000ffff0000ffff0000"), nil)
			}},
		{name: "item record whose key is not its own", counted: 1, unreadable: 1, items: 30, log: "migration_unreadable",
			damage: func(w *legacyWriter) {
				w.raw(t, "items", []byte("ffff0000ffff0000ffff0001"), []byte(`{"key":"other","title":"x"}`))
			}},
		{name: "item record with fields of the wrong type", counted: 1, unreadable: 1, items: 30, log: "migration_unreadable",
			damage: func(w *legacyWriter) {
				w.raw(t, "items", []byte("ffff0000ffff0000ffff0002"), []byte(`{"key":"ffff0000ffff0000ffff0002","title":5}`))
			}},
		{name: "empty item record", counted: 1, unreadable: 1, items: 30, log: "migration_unreadable",
			damage: func(w *legacyWriter) { w.raw(t, "items", []byte("ffff0000ffff0000ffff0003"), []byte{}) }},
		{name: "item with times outside what nanoseconds hold and no source", counted: 1, items: 31,
			damage: func(w *legacyWriter) {
				w.raw(t, "items", []byte("ffff0000ffff0000ffff0004"), []byte(`{"key":"ffff0000ffff0000ffff0004","title":"old","time":"1500-01-01T00:00:00Z","first_seen":"9999-01-01T00:00:00Z","changed":"0001-01-01T00:00:00Z"}`))
			}},
		{name: "story record that is not JSON", items: 30,
			damage: func(w *legacyWriter) { w.raw(t, "stories", []byte("s"+legacyKey(9)), []byte("[[[")) }},
		{name: "story record with an empty id", items: 30,
			damage: func(w *legacyWriter) {
				w.raw(t, "stories", []byte("s"), []byte(`{"m":[{"k":"`+legacyKey(1)+`","t":"2025-01-01T00:00:00Z"}]}`))
			}},
		{name: "story list naming items that are not stored", items: 30,
			damage: func(w *legacyWriter) {
				w.raw(t, "stories", []byte("s"+legacyKey(19)), []byte(`{"m":[{"k":"`+legacyKey(19)+`","t":"2025-01-01T00:28:30Z"},{"k":"gone","t":"2025-01-01T00:29:00Z"},{"k":"","t":"2025-01-01T00:30:00Z"}]}`))
			},
			check: func(t *testing.T, a *Archive) {
				if ms := storyMembersOf(t, a, legacyKey(19)); len(ms) != 1 || ms[0] != legacyKey(19) {
					t.Errorf("story list after migration %q, want only the stored report", ms)
				}
			}},
		{name: "story record with no members", items: 30,
			damage: func(w *legacyWriter) { w.raw(t, "stories", []byte("s"+legacyKey(29)), []byte(`{"m":null}`)) }},
		{name: "tombstone of a bare u and one with a short value", items: 30,
			damage: func(w *legacyWriter) {
				w.raw(t, "tombstones", []byte("u"), []byte{1})
				w.raw(t, "tombstones", []byte("uhttps://x.ma/1"), []byte{})
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nashra.db")
			damagedV1(t, path, func(w *legacyWriter) {
				c.damage(w)
				w.count += c.counted
			})
			var log logbuf.Buffer
			a, err := Open(path, WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer a.Close()
			if err := a.Check(); err != nil {
				t.Fatal(err)
			}
			if v, _ := a.schema(context.Background()); v != SchemaVersion {
				t.Fatalf("schema %d after open", v)
			}
			if got := tableLen(t, a, "migration_unreadable"); got != c.unreadable {
				t.Errorf("%d records kept aside, want %d", got, c.unreadable)
			}
			if got := tableLen(t, a, tRecords); got != c.items {
				t.Errorf("%d records migrated, want %d", got, c.items)
			}
			if n, _ := a.Count(); n != c.items {
				t.Errorf("item count %d, want %d (the records stored)", n, c.items)
			}
			items, err := a.Newest(Query{Limit: 100, Stories: true})
			if err != nil {
				t.Errorf("read after migration: %v", err)
			}
			if len(items) == 0 {
				t.Error("nothing to read after migration")
			}
			if !strings.Contains(log.String(), c.log) {
				t.Errorf("log does not mention %q:\n%s", c.log, log.String())
			}
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
}

// FuzzMigrateDamagedV1 writes any bytes as a v1 item record, story record
// and tombstone next to good items: opening (the migration) never panics
// and never fails, since a failure would refuse every start.
func FuzzMigrateDamagedV1(f *testing.F) {
	f.Add([]byte("k1"), []byte(`{"key":"k1","title":"t","time":"2025-01-01T00:00:00Z"}`), []byte("sk1"), []byte(`{"m":[{"k":"k1","t":"2025-01-01T00:00:00Z"}]}`), []byte("uhttps://x"), []byte{})
	f.Add([]byte("k2"), []byte("{"), []byte("s"), []byte(`{"m":[{"k":""}]}`), []byte("u"), []byte{1, 2})
	f.Add([]byte("k3"), []byte(`{"key":"k3","categories":["",""],"also_in":[""],"language":"\u0000"}`), []byte("sx"), []byte(`{"m":[]}`), []byte("k3"), []byte("12345678"))
	f.Fuzz(func(t *testing.T, itemKey, itemValue, storyKey, storyValue, tombKey, tombValue []byte) {
		if len(itemKey) == 0 || len(storyKey) == 0 || len(tombKey) == 0 || len(itemKey) > 1000 || len(storyKey) > 1000 || len(tombKey) > 1000 {
			return // bbolt holds no such key
		}
		path := filepath.Join(t.TempDir(), "nashra.db")
		damagedV1(t, path, func(w *legacyWriter) {
			w.raw(t, "items", itemKey, itemValue)
			w.raw(t, "stories", storyKey, storyValue)
			w.raw(t, "tombstones", tombKey, tombValue)
			w.count++
		})
		a, err := Open(path, WithoutSync())
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		defer a.Close()
		if _, err := a.Newest(Query{Limit: 100, Stories: true}); err != nil {
			t.Fatalf("read: %v", err)
		}
	})
}

// TestSecondProcessDuringMigrationIsRefused: while one process migrates, a
// second one (a service started twice, `nashra compact`) gets ErrInUse,
// never a view of a half-migrated database. The child holds the store
// after migrating until both have tried, so that a fast migration does not
// let Compact's one-second wait for the lock succeed.
func TestSecondProcessDuringMigrationIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process on a 30,000-item database")
	}
	spec := legacySpec{n: 30000, storyEvery: 10, pruned: 100}
	path := filepath.Join(t.TempDir(), "nashra.db")
	spec.write(t, path)
	cmd, lines, release := startHeldMigration(t, path)
	var log []string
	for l := range lines {
		log = append(log, l)
		if strings.Contains(l, "step=items") {
			break
		}
	}
	a, err := Open(path, lockTimeout(200*time.Millisecond))
	if err == nil {
		a.Close()
	}
	_, _, cerr := storage.Compact(path)
	release()
	for l := range lines {
		log = append(log, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the migrating process: %v\n%s", err, strings.Join(log, "\n"))
	}
	if !strings.Contains(strings.Join(log, "\n"), "database migrated") {
		t.Fatalf("the child did not migrate:\n%s", strings.Join(log, "\n"))
	}
	if !errors.Is(err, storage.ErrInUse) {
		t.Errorf("Open while another process migrates = %v, want ErrInUse", err)
	}
	if !errors.Is(cerr, storage.ErrInUse) {
		t.Errorf("Compact while another process migrates = %v, want ErrInUse", cerr)
	}
	spec.checkMigrated(t, path)
}
