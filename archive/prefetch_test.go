package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// On etcd a poll's look-ups are read ahead in a few round trips
// (prefetch); the decisions must be the very ones made on bbolt, which
// reads each key when it needs it. The same polls — new items, the same
// served again, edits, another source's copy of a link, a GUID change,
// items pruned and served again, and a poll that carries one item twice —
// go into both engines: every poll's counts and what is stored must agree.
func TestPrefetchDecidesAsBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("an etcd member: not in -short")
	}
	polls := firstIngestPolls(6)
	type step struct {
		name   string
		source string
		items  []news.Item
		prune  time.Time
	}
	edited := append([]news.Item(nil), polls[0]...)
	edited[3].Title += " (mis à jour)"
	copied := polls[1][5]
	copied.Key, copied.Source, copied.Identity, copied.GUID = "copy-of-1-5", "s9", "guid:copy", "https://s9.example/?p=1"
	renamed := polls[2][7]
	renamed.Key, renamed.GUID, renamed.Identity = "renamed-2-7", "https://source2.example/?p=renamed", "guid:renamed"
	twice := []news.Item{polls[3][0], polls[3][0]}
	oldest := polls[4][len(polls[4])-1].Time
	var steps []step
	for i, p := range polls {
		steps = append(steps, step{name: fmt.Sprintf("first poll %d", i), source: p[0].Source, items: p})
	}
	steps = append(steps,
		step{name: "the same again", source: polls[0][0].Source, items: polls[0]},
		step{name: "an edit", source: polls[0][0].Source, items: edited},
		step{name: "another source's copy", source: "s9", items: []news.Item{copied}},
		step{name: "a GUID change", source: polls[2][0].Source, items: append(append([]news.Item(nil), polls[2][:7]...), renamed)},
		step{name: "one item twice", source: polls[3][0].Source, items: twice},
		step{name: "prune", prune: oldest.Add(time.Minute)},
		step{name: "pruned items served again", source: polls[4][0].Source, items: polls[4]},
	)

	bolt, err := Open(filepath.Join(t.TempDir(), "nashra.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bolt.Close()
	etcd, err := New(openEtcd(t, etcdtest.Start(t, 1).Endpoints, "/prefetch/"))
	if err != nil {
		t.Fatal(err)
	}
	defer etcd.Close()
	if !remote(etcd.Engine()) || remote(bolt.Engine()) {
		t.Fatal("the etcd archive must read ahead and the bbolt one not: the test compares the two ways")
	}
	for _, s := range steps {
		var got [2]any
		for i, a := range []*Archive{bolt, etcd} {
			if !s.prune.IsZero() {
				n, err := a.Prune(s.prune)
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				got[i] = n
				continue
			}
			c, err := a.SavePoll(context.Background(), s.source, SourceState{LastAttempt: t0}, s.items)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			got[i] = c
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Errorf("%s: bbolt %+v, etcd %+v", s.name, got[0], got[1])
		}
	}
	b, err := bolt.Newest(Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	e, err := etcd.Newest(Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 250 || !reflect.DeepEqual(b, e) {
		t.Errorf("stored: %d items in bbolt, %d in etcd, equal %v", len(b), len(e), reflect.DeepEqual(b, e))
	}
}
