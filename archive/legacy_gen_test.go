package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// legacySpec is a generated schema 1 database: n items from 20 sources in
// Arabic and French with varied headlines and ~300-character summaries, one
// in every storyEvery joining the story of the item before it, one in seven
// also carried by a second source, one in fifty without a link, and pruned
// tombstoned items (key and link). Items are a pure function of their
// number, so a check can recompute any of them instead of holding them.
type legacySpec struct {
	n, storyEvery, pruned int
}

var legacyWords = strings.Fields(`الحكومة البرلمان المغرب الرباط الدار البيضاء مراكش طنجة فاس أكادير
	وزير الصحة التعليم الفلاحة الماء الأمطار الجفاف الميزانية الضرائب الانتخابات المنتخب الرجاء الوداد
	conseil gouvernement ministre santé école pluie sécheresse budget impôts élections football club
	port autoroute train énergie solaire banque inflation emploi tourisme festival culture justice`)

func legacyKey(i int) string { return fmt.Sprintf("%024x", i) }

func legacyItem(s legacySpec, i int) news.Item {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 90 * time.Second)
	w := func(k int) string { return legacyWords[(i*7+k*13+i/3)%len(legacyWords)] }
	it := news.Item{
		Key: legacyKey(i), Source: fmt.Sprintf("src%02d", i%20), Identity: fmt.Sprintf("guid:g%d", i), GUID: fmt.Sprintf("g%d", i),
		Link:   fmt.Sprintf("https://src%02d.ma/a/%d", i%20, i),
		Title:  fmt.Sprintf("%s %s %s %s %d", w(0), w(1), w(2), w(3), i%97),
		Author: "نشرة", Language: "ar", Published: at, FirstSeen: at.Add(time.Minute), Time: at,
		TimeFrom: news.TimeFromPublished, Changed: at.Add(time.Minute),
		Categories: []string{[]string{"سياسة", "Économie", "رياضة", "Culture"}[i%4]},
	}
	if i%2 == 1 {
		it.Language = "fr"
	}
	var sum strings.Builder
	for k := 0; sum.Len() < 300; k++ {
		sum.WriteString(legacyWords[(i*31+k*17+k*k)%len(legacyWords)])
		sum.WriteByte(' ')
	}
	it.Summary = "<p>" + sum.String() + "</p>"
	if i%7 == 0 {
		it.AlsoIn = []string{fmt.Sprintf("src%02d", (i+1)%20)}
	}
	if i%50 == 0 {
		it.Link = ""
	}
	if s.storyOf(i) != "" {
		it.Story = s.storyOf(i)
	}
	return it
}

// storyOf is the story item i belongs to: pairs (i-1, i) for i a multiple of storyEvery.
func (s legacySpec) storyOf(i int) string {
	switch {
	case s.storyEvery == 0:
		return ""
	case i%s.storyEvery == 0 && i > 0:
		return legacyKey(i - 1)
	case (i+1)%s.storyEvery == 0 && i+1 < s.n:
		return legacyKey(i)
	}
	return ""
}

func legacyPruned(j int) news.Item {
	at := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(j) * time.Minute)
	return news.Item{Key: fmt.Sprintf("f%023x", j), Link: fmt.Sprintf("https://old.ma/%d", j), FirstSeen: at}
}

// write makes the database at path, a thousand items per transaction.
func (s legacySpec) write(t testing.TB, path string) {
	t.Helper()
	w := newLegacyWriter(t, path, nil)
	for start := 0; start < s.n; start += 1000 {
		batch := make([]news.Item, 0, 1000)
		for i := start; i < min(start+1000, s.n); i++ {
			batch = append(batch, legacyItem(s, i))
		}
		w.items(t, batch)
		w.update(t, func(tx *bolt.Tx) error {
			for _, it := range batch {
				if it.Story == it.Key {
					next := legacyItem(s, keyNumber(it.Key)+1)
					w.storyIn(t, tx, it.Key, []news.Item{it, next})
				}
			}
			return nil
		})
	}
	w.update(t, func(tx *bolt.Tx) error {
		for j := range s.pruned {
			w.tombstoneIn(t, tx, legacyPruned(j))
		}
		for k := range 20 {
			w.sourceIn(t, tx, fmt.Sprintf("src%02d", k), SourceState{URL: fmt.Sprintf("https://src%02d.ma/feed", k), Items: s.n / 20})
		}
		return nil
	})
	w.close(t)
}

func keyNumber(key string) int {
	var i int
	fmt.Sscanf(key, "%x", &i)
	return i
}

// checkMigrated opens the database at path (finishing any migration left)
// and checks that it holds the spec's items exactly once with every index:
// records decodable and as written, by_time, by_source, by_lang,
// by_category and links agreeing with the records entry for entry, story
// lists naming stored items of that story, tombstones converted, nothing of
// schema 1 left. It reads a page at a time, so it serves a million items.
func (s legacySpec) checkMigrated(t testing.TB, path string) {
	t.Helper()
	a, err := Open(path, lockTimeout(time.Minute))
	if err != nil {
		t.Fatalf("open after the kill: %v", err)
	}
	defer a.Close()
	if err := a.Check(); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
	ctx := context.Background()
	if v, err := a.schema(ctx); err != nil || v != SchemaVersion {
		t.Fatalf("schema %d (%v), want %d", v, err, SchemaVersion)
	}
	if n, _ := a.Count(); n != s.n {
		t.Errorf("item_count = %d, want %d", n, s.n)
	}
	get := func(table string, key []byte) []byte {
		var v []byte
		if err := a.eng.View(ctx, func(r storage.Reader) error {
			var err error
			v, err = r.Get(table, key)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// every entry of a table, a page at a time
	each := func(table string, fn func(kv storage.KV)) int {
		n := 0
		var from []byte
		for {
			var page []storage.KV
			if err := a.eng.View(ctx, func(r storage.Reader) error {
				var err error
				page, err = r.Scan(table, storage.Range{From: from})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for _, kv := range page {
				fn(kv)
			}
			n += len(page)
			if len(page) < storage.MaxScan {
				return n
			}
			from = append(page[len(page)-1].Key, 0)
		}
	}
	errs := 0
	fail := func(format string, args ...any) {
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}

	want := map[string]int{} // index table → entries the records call for
	links := 0
	seen := make([]bool, s.n)
	records := each(tRecords, func(kv storage.KV) {
		it, err := decodeItem(kv.Value)
		if err != nil {
			fail("record %s does not decode: %v", kv.Key, err)
			return
		}
		i := keyNumber(string(kv.Key))
		if it.Key != string(kv.Key) || i < 0 || i >= s.n || legacyKey(i) != it.Key {
			fail("record %q is no item of the spec (key %q)", kv.Key, it.Key)
			return
		}
		if seen[i] {
			fail("item %d twice", i)
		}
		seen[i] = true
		exp := legacyItem(s, i)
		if got, w := mustJSONOf(it), mustJSONOf(exp); got != w {
			fail("item %d migrated as\n %s\nwant %s", i, got, w)
		}
		for _, e := range entries(&it, folder{}) {
			want[e.table]++
			if get(e.table, []byte(e.key)) == nil {
				fail("item %d: %s entry missing", i, e.table)
			}
		}
		if it.Link != "" {
			links++
			if owner := get(tLinks, linkDigest(it.Link)); string(owner) != it.Key {
				fail("item %d: links names %q", i, owner)
			}
		}
		if it.Story != "" {
			ms, ok := decodeMembers(get(tStories, []byte(it.Story)))
			if !ok || !slices.ContainsFunc(ms, func(m member) bool { return m.Key == it.Key }) {
				fail("item %d: not in its story %s's list %v", i, it.Story, ms)
			}
		}
	})
	if records != s.n {
		t.Errorf("%d records, want %d", records, s.n)
	}
	for i, ok := range seen {
		if !ok {
			fail("item %d lost", i)
		}
	}
	for _, table := range []string{tByTime, tBySource, tByLang, tByCategory} {
		if got := each(table, func(kv storage.KV) {
			if len(kv.Key) < 8+24 || get(tRecords, kv.Key[len(kv.Key)-24:]) == nil {
				fail("%s entry %q names no record", table, kv.Key)
			}
		}); got != want[table] {
			t.Errorf("%s holds %d entries, the records call for %d", table, got, want[table])
		}
	}
	if got := each(tLinks, func(storage.KV) {}); got != links {
		t.Errorf("links holds %d entries, want %d", got, links)
	}
	each(tStories, func(kv storage.KV) {
		ms, ok := decodeMembers(kv.Value)
		if !ok || len(ms) < 2 {
			fail("story %s: list %v (ok %v)", kv.Key, ms, ok)
		}
		for _, m := range ms {
			it, err := decodeItem(get(tRecords, []byte(m.Key)))
			if err != nil || it.Story != string(kv.Key) {
				fail("story %s names %s, which is not a stored report of it (%v)", kv.Key, m.Key, err)
			}
		}
	})
	for j := range s.pruned {
		p := legacyPruned(j)
		if get(tTombstones, keyTombstone(p.Key)) == nil || get(tTombstones, linkTombstone(p.Link)) == nil {
			fail("tombstone %d not converted", j)
		}
	}
	if got := each(tTombstones, func(storage.KV) {}); got != 2*s.pruned {
		t.Errorf("%d tombstones, want %d", got, 2*s.pruned)
	}
	for _, table := range []string{v1Items, v1ByURL, v1Stories, v1Tombstones, "migration_unreadable"} {
		if got := each(table, func(storage.KV) {}); got != 0 {
			t.Errorf("%s still holds %d entries", table, got)
		}
	}
}

func mustJSONOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
