package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
	"github.com/nashra-ma/nashra/story"
)

// richStore is a bbolt store holding something of every table: items of
// three languages with categories, stories, a split, tombstones, source
// states, and what a schema 1 migration kept aside. Over a thousand items,
// so that tables span several pages and batches.
func richStore(t *testing.T) (*Archive, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "source.db")
	s, err := Open(path, WithStories(story.NewMatcher(0, 0, nil)), WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	langs := []string{"ar", "fr", "en"}
	var batch []news.Item
	for i := range 1200 {
		src := fmt.Sprintf("outlet-%d", i%7)
		it := report(src, fmt.Sprintf("k%04d", i), langs[i%3], fmt.Sprintf("headline number %d about topic %d", i, i%50), base.Add(time.Duration(i)*7*time.Minute))
		it.Categories = []string{"Économie", "سياسة", "Sport"}[i%3 : i%3+1]
		batch = append(batch, it)
		if len(batch) == 100 {
			if _, err := s.SavePoll(ctx, src, SourceState{ETag: fmt.Sprintf(`"%d"`, i), LastSuccess: base, NextCheck: base.Add(time.Hour)}, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	// Wire copies that become stories, one of them split again.
	wire := "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"
	at := base.Add(200 * time.Hour)
	save(t, s, report("mapnews", "m1", "ar", wire, at))
	save(t, s, report("hespress", "h1", "ar", wire+" (و م ع)", at.Add(50*time.Minute)))
	save(t, s, report("akhbarona", "a1", "ar", "عاجل.. "+wire, at.Add(80*time.Minute)))
	if _, err := s.Split("a1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveState("gone-outlet", SourceState{Status: 410, Gone: true, Error: "gone", Failures: 3}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(base.Add(10 * time.Hour)); err != nil || n == 0 {
		t.Fatalf("prune = %d, %v", n, err)
	}
	rawPut(t, s, tUnreadable, []byte("0123abcd"), []byte(`{"broken`))
	return s, path
}

// contents is every entry of every table, as the engine holds it.
func contents(t *testing.T, eng storage.Engine) map[string][]storage.KV {
	t.Helper()
	out := map[string][]storage.KV{}
	err := eng.View(context.Background(), func(r storage.Reader) error {
		for _, table := range append(Tables(), tCopy) {
			var from []byte
			for {
				page, err := r.Scan(table, storage.Range{From: from, Limit: 500})
				if err != nil {
					return err
				}
				out[table] = append(out[table], page...)
				if len(page) < 500 {
					break
				}
				from = append(append([]byte(nil), page[len(page)-1].Key...), 0)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameContents(t *testing.T, what string, got, want map[string][]storage.KV) {
	t.Helper()
	for _, table := range append(Tables(), tCopy) {
		g, w := got[table], want[table]
		if len(g) != len(w) {
			t.Errorf("%s: table %s has %d entries, want %d", what, table, len(g), len(w))
			continue
		}
		for i := range g {
			if !bytes.Equal(g[i].Key, w[i].Key) || !bytes.Equal(g[i].Value, w[i].Value) {
				t.Errorf("%s: table %s entry %d: %q=%q, want %q=%q", what, table, i, g[i].Key, g[i].Value, w[i].Key, w[i].Value)
				break
			}
		}
	}
}

// view is what nashra's readers see of a store.
type view struct {
	Count   int
	Ticker  []news.Item
	Grouped []news.Item
	Stories []Story
	States  map[string]SourceState
}

func readView(t *testing.T, a *Archive) view {
	t.Helper()
	var v view
	var err error
	if v.Count, err = a.Count(); err != nil {
		t.Fatal(err)
	}
	if v.Ticker, err = a.Newest(Query{Limit: 5000}); err != nil {
		t.Fatal(err)
	}
	if v.Grouped, err = a.Newest(Query{Limit: 5000, Stories: true, Languages: []string{"ar"}, Keep: func(it *news.Item) bool { return it.Language == "ar" }}); err != nil {
		t.Fatal(err)
	}
	if v.Stories, err = a.Stories(time.Time{}, 1000); err != nil {
		t.Fatal(err)
	}
	if v.States, err = a.States(); err != nil {
		t.Fatal(err)
	}
	return v
}

func openEtcd(t *testing.T, endpoints []string, prefix string) *storage.Etcd {
	t.Helper()
	e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: endpoints, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func openBolt(t *testing.T, path string) *storage.Bolt {
	t.Helper()
	e, err := storage.OpenBolt(path, storage.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestCopyRoundTripBoltEtcdBolt(t *testing.T) {
	ctx := context.Background()
	src, _ := richStore(t)
	want := contents(t, src.eng)
	wantView := readView(t, src)
	if wantView.Count < 1000 || len(wantView.Stories) == 0 || len(want[tTombstones]) == 0 || len(want[tUnreadable]) != 1 {
		t.Fatalf("the source store lacks something to copy: %d items, %d stories, %d tombstones",
			wantView.Count, len(wantView.Stories), len(want[tTombstones]))
	}

	cluster := etcdtest.Start(t, 1)
	mid := openEtcd(t, cluster.Endpoints, "/copy/")
	rep, err := src.CopyTo(ctx, mid, CopyOptions{From: "bbolt:source.db"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Items != wantView.Count || rep.Restarted != nil {
		t.Errorf("report: %d items (want %d), restarted %v", rep.Items, wantView.Count, rep.Restarted)
	}
	for _, tc := range rep.Tables {
		if tc.Source != len(want[tc.Table]) || tc.Destination != tc.Source {
			t.Errorf("report: table %s: %d → %d, want %d at both ends", tc.Table, tc.Source, tc.Destination, len(want[tc.Table]))
		}
	}
	sameContents(t, "bbolt → etcd", contents(t, mid), want)

	onEtcd, err := New(mid, MustExist())
	if err != nil {
		t.Fatal(err)
	}
	if got := readView(t, onEtcd); !reflect.DeepEqual(got, wantView) {
		t.Errorf("the archive on etcd reads otherwise than on bbolt")
	}
	if v, err := onEtcd.Verify(ctx); err != nil || !v.OK() || v.Records != wantView.Count {
		t.Errorf("verify on etcd: %+v, %v", v, err)
	}

	back := openBolt(t, filepath.Join(t.TempDir(), "back.db"))
	if _, err := onEtcd.CopyTo(ctx, back, CopyOptions{From: "etcd:/copy/"}); err != nil {
		t.Fatal(err)
	}
	sameContents(t, "etcd → bbolt", contents(t, back), want)
	again, err := New(back, MustExist())
	if err != nil {
		t.Fatal(err)
	}
	if got := readView(t, again); !reflect.DeepEqual(got, wantView) {
		t.Errorf("the archive copied back to bbolt reads otherwise than the original")
	}
}

func TestCopyRefusesANonEmptyDestination(t *testing.T) {
	ctx := context.Background()
	src, _ := richStore(t)
	cluster := etcdtest.Start(t, 1)
	tests := []struct {
		name string
		dst  func(t *testing.T) storage.Engine
	}{
		{"a bbolt store", func(t *testing.T) storage.Engine {
			s, path := openTemp(t)
			save(t, s, report("x", "k", "fr", "un titre", t0))
			s.Close()
			return openBolt(t, path)
		}},
		{"an etcd store", func(t *testing.T) storage.Engine {
			e := openEtcd(t, cluster.Endpoints, "/full/")
			s, err := New(e)
			if err != nil {
				t.Fatal(err)
			}
			save(t, s, report("x", "k", "fr", "un titre", t0))
			return e
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := tt.dst(t)
			before := contents(t, dst)
			if _, err := src.CopyTo(ctx, dst, CopyOptions{From: "bbolt:source.db"}); !errors.Is(err, ErrNotEmpty) {
				t.Fatalf("copy into %s: %v, want ErrNotEmpty", tt.name, err)
			}
			sameContents(t, "refused destination", contents(t, dst), before)
		})
	}
}

var errKilled = errors.New("killed")

func TestCopyStoppedMidwayIsDetectedThenCompleted(t *testing.T) {
	ctx := context.Background()
	src, _ := richStore(t)
	want := contents(t, src.eng)
	cluster := etcdtest.Start(t, 1)
	dst := openEtcd(t, cluster.Endpoints, "/half/")

	batches := 0
	_, err := src.CopyTo(ctx, dst, CopyOptions{From: "bbolt:source.db", afterBatch: func() error {
		if batches++; batches == 5 {
			return errKilled
		}
		return nil
	}})
	if !errors.Is(err, errKilled) {
		t.Fatalf("copy: %v, want the injected stop", err)
	}
	half := contents(t, dst)
	if len(half[tCopy]) != 1 || len(half[tMeta]) == 0 {
		t.Fatalf("after the stop: marker %d, meta %d entries", len(half[tCopy]), len(half[tMeta]))
	}

	// No reader takes the half copy for a store.
	if _, err := New(dst); !errors.Is(err, ErrIncompleteCopy) {
		t.Fatalf("opening the half copy: %v, want ErrIncompleteCopy", err)
	}
	// A copy from another store does not write over it.
	other, _ := openTemp(t)
	if _, err := other.CopyTo(ctx, dst, CopyOptions{From: "bbolt:other.db"}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("a copy from elsewhere: %v, want ErrNotEmpty", err)
	}
	// The same copy again completes it.
	rep, err := src.CopyTo(ctx, dst, CopyOptions{From: "bbolt:source.db"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Restarted == nil || rep.Restarted.From != "bbolt:source.db" {
		t.Errorf("report: restarted %+v, want the stopped copy's marker", rep.Restarted)
	}
	sameContents(t, "completed copy", contents(t, dst), want)
	if _, err := New(dst, MustExist()); err != nil {
		t.Fatal(err)
	}
}

func TestCopyStoppedIntoBoltIsRefusedOnOpen(t *testing.T) {
	src, _ := richStore(t)
	path := filepath.Join(t.TempDir(), "half.db")
	dst, err := storage.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.CopyTo(context.Background(), dst, CopyOptions{From: "etcd:x", Limits: storage.CopyLimits{Ops: 100, Bytes: 1 << 20},
		afterBatch: func() error { return errKilled }})
	dst.Close()
	if !errors.Is(err, errKilled) {
		t.Fatalf("copy: %v", err)
	}
	if _, err := Open(path); !errors.Is(err, ErrIncompleteCopy) {
		t.Fatalf("Open of the half copy: %v, want ErrIncompleteCopy", err)
	}
}

func TestMustExistRefusesAnEmptyEngine(t *testing.T) {
	eng := openBolt(t, filepath.Join(t.TempDir(), "empty.db"))
	if _, err := New(eng, MustExist()); !errors.Is(err, ErrNoStore) {
		t.Fatalf("New(empty, MustExist) = %v, want ErrNoStore", err)
	}
	if v := contents(t, eng); len(v[tMeta]) != 0 {
		t.Errorf("MustExist wrote into the empty engine: %q", v[tMeta])
	}
}
