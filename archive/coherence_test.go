package archive

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
	"github.com/nashra-ma/nashra/story"
)

// shared is an engine a second archive writes to beside the first: Close
// is the first archive's.
type shared struct{ storage.Engine }

func (shared) Close() error { return nil }

// twoWriters opens two archives, each with its story window, over one store.
type twoWriters func(t *testing.T) (a, b *Archive)

func boltTwoWriters(t *testing.T) (*Archive, *Archive) {
	eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "two.db"), storage.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	return twoOver(t, eng, shared{eng})
}

func etcdTwoWriters(endpoints []string) twoWriters {
	n := 0
	return func(t *testing.T) (*Archive, *Archive) {
		n++
		cfg := storage.EtcdConfig{Endpoints: endpoints, Prefix: fmt.Sprintf("/two/%d/", n)}
		e1, err := storage.OpenEtcd(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := storage.OpenEtcd(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return twoOver(t, e1, e2)
	}
}

func twoOver(t *testing.T, e1, e2 storage.Engine) (*Archive, *Archive) {
	t.Helper()
	var out [2]*Archive
	for i, e := range []storage.Engine{e1, e2} {
		a, err := New(e, WithStories(story.NewMatcher(0, 0, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		out[i] = a
	}
	return out[0], out[1]
}

const (
	alertAR  = "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"
	budgetFR = "Le Conseil de gouvernement adopte le projet de loi de finances rectificative"
)

// An archive is not alone with its store (another replica writes it): what
// it keeps in memory must follow what the other writes.
func TestArchiveFollowsWritesMadeElsewhere(t *testing.T) {
	engines := map[string]twoWriters{"bbolt": boltTwoWriters, "etcd": etcdTwoWriters(etcdtest.Start(t, 1).Endpoints)}
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		run  func(t *testing.T, a, b *Archive)
	}{
		{"a report stored elsewhere is in the window of the next decision", func(t *testing.T, a, b *Archive) {
			save(t, b, report("le360", "l1", "fr", budgetFR, t0)) // b's window is filled now
			save(t, a, report("mapnews", "m1", "ar", alertAR, t0))
			c := save(t, b, report("hespress", "h1", "ar", alertAR+" (و م ع)", t0.Add(50*time.Minute)))
			if c.Merged != 1 {
				t.Errorf("the copy did not join the story stored elsewhere: %+v", c)
			}
			if it, _, _ := b.Item("h1"); it.Story != "m1" {
				t.Errorf("h1 joined story %q, want m1", it.Story)
			}
		}},
		{"a write seen elsewhere moves the generation", func(t *testing.T, a, b *Archive) {
			save(t, b, report("le360", "l1", "fr", budgetFR, t0))
			gen := b.Generation()
			save(t, a, report("mapnews", "m1", "ar", alertAR, t0))
			if err := b.SaveState("le360", SourceState{}); err != nil {
				t.Fatal(err)
			}
			if b.Generation() == gen {
				t.Error("b wrote after a's write without its generation moving")
			}
		}},
		{"Changed moves the generation", func(t *testing.T, a, b *Archive) {
			gen := b.Generation()
			b.Changed()
			if b.Generation() == gen {
				t.Error("Changed did not move the generation")
			}
		}},
		{"a split made elsewhere keeps the item out of the next decision", func(t *testing.T, a, b *Archive) {
			save(t, a, report("mapnews", "m1", "ar", alertAR, t0)) // a's window holds m1
			if _, err := b.Split("m1"); err != nil {
				t.Fatal(err)
			}
			if c := save(t, a, report("hespress", "h1", "ar", alertAR+" (و م ع)", t0.Add(time.Hour))); c.Merged != 0 {
				t.Errorf("joined an item split out elsewhere: %+v", c)
			}
		}},
		{"doc freq counts reports stored elsewhere", func(t *testing.T, a, b *Archive) {
			term := story.Tokens(story.Normalize("إنذارية", nil))[0]
			count := func() int {
				df, err := b.DocFreq("ar", []string{term}, t0.Add(-time.Hour), t0.Add(2*time.Hour), "")
				if err != nil {
					t.Fatal(err)
				}
				return df[term]
			}
			save(t, a, report("mapnews", "m1", "ar", alertAR, t0))
			if n := count(); n != 1 {
				t.Fatalf("doc freq %d, want 1", n)
			}
			save(t, a, report("hespress", "h1", "ar", alertAR+" (و م ع)", t0.Add(time.Hour)))
			if n := count(); n != 2 {
				t.Errorf("doc freq %d after a second report stored elsewhere, want 2", n)
			}
		}},
	}
	for engine, open := range engines {
		for _, c := range cases {
			t.Run(engine+"/"+c.name, func(t *testing.T) {
				a, b := open(t)
				c.run(t, a, b)
			})
		}
	}
}

// A leader's archive writes through a fenced engine: once its fence key is
// gone (a new leader), a write fails with storage.ErrFenced and leaves
// nothing, in the store or in the shared story window; the fallback neither
// keeps nor counts the refused state.
func TestWritingThroughAFence(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/fenced/"})
	if err != nil {
		t.Fatal(err)
	}
	base, err := New(e, WithStories(story.NewMatcher(0, 0, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	ctx := context.Background()
	put, err := e.Client().Put(ctx, "/fenced-election/leader", "me")
	if err != nil {
		t.Fatal(err)
	}
	leader := base.WritingThrough(e.WithFence("/fenced-election/leader", put.Header.Revision))
	states := WithFallback(base)
	leaderStates := states.Over(leader)
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	if _, err := leaderStates.SavePoll(ctx, "mapnews", SourceState{}, []news.Item{report("mapnews", "m1", "ar", alertAR, t0)}); err != nil {
		t.Fatalf("a write while leading: %v", err)
	}
	if _, err := e.Client().Delete(ctx, "/fenced-election/leader", clientv3.WithPrefix()); err != nil {
		t.Fatal(err)
	}
	_, err = leaderStates.SavePoll(ctx, "hespress", SourceState{}, []news.Item{report("hespress", "h1", "ar", alertAR+" (و م ع)", t0.Add(time.Hour))})
	if !errors.Is(err, storage.ErrFenced) {
		t.Fatalf("a deposed leader's poll: %v, want ErrFenced", err)
	}
	if err := leaderStates.SaveState("hespress", SourceState{Error: "deposed"}); !errors.Is(err, storage.ErrFenced) {
		t.Fatalf("a deposed leader's state: %v, want ErrFenced", err)
	}
	if n, _ := base.Count(); n != 1 {
		t.Errorf("%d items stored, want the leader's one", n)
	}
	if _, found, _ := states.State("hespress"); found {
		t.Error("the refused state is kept or stored")
	}
	if states.Errors() != 0 {
		t.Errorf("%d store errors counted for writes refused by the fence", states.Errors())
	}
	// The refused report is not in the window: another copy does not join it.
	c, err := base.SavePoll(ctx, "goud", SourceState{}, []news.Item{report("goud", "g1", "ar", alertAR+" عاجل", t0.Add(2*time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if it, _, _ := base.Item("g1"); c.Merged != 1 || it.Story != "m1" {
		t.Errorf("after the refused write: %+v, story %q; want joined to m1", c, it.Story)
	}
	if _, found, _ := base.Item("h1"); found {
		t.Error("the refused item is stored")
	}
}

// Replicas started together on an empty prefix all open it: one writes the
// schema, the others read it.
func TestReplicasOpenOneEmptyStore(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/race/"})
			if err != nil {
				errs <- err
				return
			}
			a, err := New(e)
			if err != nil {
				errs <- err
				e.Close()
				return
			}
			a.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
