package archive

import (
	"encoding/binary"
	"encoding/json"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// legacyWriter writes a database in schema 1's layout byte for byte as the
// release before schema 2 wrote it (storage/bolt.go, items.go, stories.go
// and prune.go at commit 02ecdcc), so that migrations can be tested on
// databases of any size and shape. TestLegacyWriterMatchesRelease holds it
// to the file that release wrote (testdata/schema1.db).
//
// Every call is one bbolt transaction, so a million items are written in
// bounded memory.
type legacyWriter struct {
	db    *bolt.DB
	m     *story.Matcher
	count int
}

// The v1 bucket names (storage/bolt.go at 02ecdcc), in the order it created them.
var legacyBuckets = []string{"items", "by_time", "by_url", "stories", "sources", "tombstones", "meta"}

func newLegacyWriter(t testing.TB, path string, m *story.Matcher) *legacyWriter {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range legacyBuckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put(keySchema, []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		m = story.NewMatcher(0, 0, nil)
	}
	return &legacyWriter{db: db, m: m}
}

func (w *legacyWriter) update(t testing.TB, fn func(tx *bolt.Tx) error) {
	t.Helper()
	if err := w.db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func legacyJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// items stores new items as v1's SavePoll did: the JSON record with its
// normalised headline and terms, by_time, by_url (the first item to carry a
// link owns it) and the term postings. Story membership is what the items
// say; their stories' records are written by story.
func (w *legacyWriter) items(t testing.TB, its []news.Item) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error {
		items, byTime, byURL, stories := tx.Bucket([]byte("items")), tx.Bucket([]byte("by_time")), tx.Bucket([]byte("by_url")), tx.Bucket([]byte("stories"))
		for _, it := range its {
			w.m.Prepare(&it)
			if err := items.Put([]byte(it.Key), legacyJSON(t, it)); err != nil {
				return err
			}
			if err := byTime.Put(timeKey(it.Time, it.Key), nil); err != nil {
				return err
			}
			if it.Link != "" && byURL.Get([]byte(it.Link)) == nil {
				if err := byURL.Put([]byte(it.Link), []byte(it.Key)); err != nil {
					return err
				}
			}
			for _, term := range it.Terms {
				if err := stories.Put(legacyTermKey(it.Language, term, it.Time, it.Key), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	w.count += len(its)
}

func legacyTermKey(lang, term string, at time.Time, key string) []byte {
	b := append([]byte("t"), lang...)
	b = append(b, 0)
	b = append(b, term...)
	b = append(b, 0)
	return append(b, timeKey(at, key)...)
}

// story writes a story's record: its reports, earliest first.
func (w *legacyWriter) story(t testing.TB, id string, members []news.Item) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error { w.storyIn(t, tx, id, members); return nil })
}

func (w *legacyWriter) storyIn(t testing.TB, tx *bolt.Tx, id string, members []news.Item) {
	t.Helper()
	type member struct {
		Key    string    `json:"k"`
		Source string    `json:"s"`
		Time   time.Time `json:"t"`
	}
	var rec struct {
		Members []member `json:"m"`
	}
	for _, m := range members {
		rec.Members = append(rec.Members, member{m.Key, m.Source, m.Time})
	}
	slices.SortStableFunc(rec.Members, func(a, b member) int { return a.Time.Compare(b.Time) })
	legacyPut(t, tx, "stories", append([]byte("s"), id...), legacyJSON(t, rec))
}

// tombstone records a pruned item as v1's Prune left it: its key and "u" +
// its link, each naming its first-seen time.
func (w *legacyWriter) tombstone(t testing.TB, it news.Item) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error { w.tombstoneIn(t, tx, it); return nil })
}

func (w *legacyWriter) tombstoneIn(t testing.TB, tx *bolt.Tx, it news.Item) {
	t.Helper()
	var seen [8]byte
	binary.BigEndian.PutUint64(seen[:], uint64(max(it.FirstSeen.UnixNano(), 0)))
	legacyPut(t, tx, "tombstones", []byte(it.Key), seen[:])
	if it.Link != "" {
		legacyPut(t, tx, "tombstones", append([]byte("u"), it.Link...), seen[:])
	}
}

func (w *legacyWriter) source(t testing.TB, name string, st SourceState) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error { w.sourceIn(t, tx, name, st); return nil })
}

func (w *legacyWriter) sourceIn(t testing.TB, tx *bolt.Tx, name string, st SourceState) {
	t.Helper()
	legacyPut(t, tx, "sources", []byte(name), legacyJSON(t, st))
}

func legacyPut(t testing.TB, tx *bolt.Tx, bucket string, key, value []byte) {
	t.Helper()
	if err := tx.Bucket([]byte(bucket)).Put(key, value); err != nil {
		t.Fatal(err)
	}
}

// raw puts one entry as it is: damage, or a shape the helpers do not make.
func (w *legacyWriter) raw(t testing.TB, bucket string, key, value []byte) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error { return tx.Bucket([]byte(bucket)).Put(key, value) })
}

// close writes the item count (8 bytes, big-endian, as v1's writeCount) and closes the file.
func (w *legacyWriter) close(t testing.TB) {
	t.Helper()
	w.update(t, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put(keyCount, uint64Bytes(uint64(w.count)))
	})
	if err := w.db.Close(); err != nil {
		t.Fatal(err)
	}
}

// legacyContents is every bucket of a bbolt file: bucket → key → value.
func legacyContents(t testing.TB, path string) map[string]map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]map[string]string{}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			kv := map[string]string{}
			out[string(name)] = kv
			return b.ForEach(func(k, v []byte) error {
				kv[string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLegacyWriterMatchesRelease writes the items the previous release
// stored in testdata/schema1.db (schema1.json: what it read back) with
// legacyWriter and compares the two files bucket by bucket, key by key: the
// writer the kill and growth tests use makes what that release made.
func TestLegacyWriterMatchesRelease(t *testing.T) {
	golden := readSchema1Golden(t)
	path := t.TempDir() + "/v1.db"
	outlets := make([]string, 0, len(golden.States))
	for name := range golden.States {
		outlets = append(outlets, name)
	}
	w := newLegacyWriter(t, path, story.NewMatcher(0, 0, outlets))
	// Oldest first, as they were polled: by_url belongs to the first carrier.
	items := slices.Clone(golden.Items)
	slices.Reverse(items)
	w.items(t, items)
	stories := map[string][]news.Item{}
	for _, it := range items {
		if it.Story != "" {
			stories[it.Story] = append(stories[it.Story], it)
		}
	}
	for id, ms := range stories {
		w.story(t, id, ms)
	}
	w.tombstone(t, golden.Pruned)
	for name, st := range golden.States {
		w.source(t, name, st)
	}
	w.close(t)

	want, got := legacyContents(t, "testdata/schema1.db"), legacyContents(t, path)
	for _, bucket := range legacyBuckets {
		if _, ok := want[bucket]; !ok {
			t.Errorf("the release's file has no bucket %s", bucket)
		}
	}
	for bucket, kv := range want {
		mine := got[bucket]
		for k, v := range kv {
			if mv, ok := mine[k]; !ok {
				t.Errorf("%s: %q missing from the writer's file", bucket, k)
			} else if mv != v {
				t.Errorf("%s: %q =\n %q, the release wrote\n %q", bucket, k, mv, v)
			}
		}
		for k := range mine {
			if _, ok := kv[k]; !ok {
				t.Errorf("%s: %q written, the release has no such key", bucket, k)
			}
		}
	}
	for bucket := range got {
		if _, ok := want[bucket]; !ok {
			t.Errorf("bucket %s written, the release has none", bucket)
		}
	}
	if len(want["items"]) != len(golden.Items) {
		t.Errorf("the fixture holds %d items, schema1.json %d", len(want["items"]), len(golden.Items))
	}
}
