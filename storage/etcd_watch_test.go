package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// observed records what an engine's Observe hook is told.
type observed struct {
	mu      sync.Mutex
	methods map[string]int
	errors  int
}

func (o *observed) observe(method string, _ time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.methods[method]++
	if err != nil {
		o.errors++
	}
}

func (o *observed) count(method string) (n, errors int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.methods[method], o.errors
}

func put(t *testing.T, e storage.Engine, v string) error {
	t.Helper()
	b := &storage.Batch{}
	b.Put("t", []byte("k"), []byte(v))
	return e.Apply(context.Background(), b)
}

// Every batch, whoever commits it, is seen by every watcher of the commit
// key, with its commit time; a member cut off from its cluster breaks the
// watch, and it resumes by itself once the cluster is back.
func TestEtcdWatchCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member cluster stopped and restarted: not in -short")
	}
	cluster := etcdtest.Start(t, 3)
	cfg := storage.EtcdConfig{Endpoints: cluster.Endpoints[2:], Prefix: "/watch/", RequestTimeout: time.Second}
	watcher, err := storage.OpenEtcd(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	writer, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/watch/"})
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()

	type commit struct {
		at  time.Time
		own bool
	}
	commits, broken, resumed := make(chan commit, 10), make(chan error, 10), make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watcher.WatchCommits(ctx, storage.CommitWatch{
		Commit:  func(at time.Time, own bool) { commits <- commit{at, own} },
		Broken:  func(err error) { broken <- err },
		Resumed: func() { resumed <- struct{}{} },
	})
	time.Sleep(200 * time.Millisecond) // the watch is made
	before := time.Now()
	if err := put(t, writer, "a"); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-commits:
		if c.at.Before(before) || time.Since(c.at) > 5*time.Second {
			t.Errorf("commit time %v, want just after %v", c.at, before)
		}
		if c.own {
			t.Error("another writer's commit seen as the watcher's own")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a commit by another writer was not seen")
	}
	// The watcher's own commit, and a fenced copy's, are told apart (its
	// archive knew of them when it wrote them: no render to redo).
	fence, err := watcher.Client().Put(context.Background(), "/fence", "leader")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []storage.Engine{watcher, watcher.WithFence("/fence", fence.Header.Revision)} {
		if err := put(t, w, "own"); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-commits:
			if !c.own {
				t.Error("the watcher's own commit seen as another writer's")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the watcher's own commit was not seen")
		}
	}

	// The watcher's member alone: no leader, the watch breaks.
	cluster.Stop(0)
	cluster.Stop(1)
	select {
	case err := <-broken:
		t.Logf("broken: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the watch did not break when its member lost its cluster")
	}
	cluster.Restart(t, 0, 1)
	select {
	case <-resumed:
	case <-time.After(15 * time.Second):
		t.Fatal("the watch did not resume when the cluster came back")
	}
	if err := put(t, writer, "b"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-commits:
	case <-time.After(5 * time.Second):
		t.Fatal("no commit seen after the watch resumed")
	}
}

// A request to an unreachable cluster fails after RequestTimeout instead of
// waiting for the cluster's return, and is observed with its method.
func TestEtcdRequestTimeoutAndObserve(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	obs := &observed{methods: map[string]int{}}
	e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/timeout/",
		RequestTimeout: 500 * time.Millisecond, Observe: obs.observe})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := put(t, e, "a"); err != nil {
		t.Fatal(err)
	}
	if n, errs := obs.count("Txn"); n == 0 || errs != 0 {
		t.Errorf("observed %d Txn, %d errors; want some and none", n, errs)
	}
	cluster.Stop(0)
	start := time.Now()
	err = e.View(context.Background(), func(r storage.Reader) error {
		_, err := r.Get("t", []byte("k"))
		return err
	})
	if err == nil {
		t.Fatal("a read from a stopped cluster succeeded")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the failed read took %s, want about the request timeout (500ms)", took)
	}
	if _, errs := obs.count("Range"); errs == 0 {
		t.Error("the failed read was not observed as an error")
	}
	cluster.Restart(t, 0)
	if err := put(t, e, "b"); err != nil {
		t.Errorf("write after the member came back: %v", err)
	}
}
