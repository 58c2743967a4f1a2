package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// storeSays is what a replica's /sources.json says of the store: its
// Nashra-Store header ("" when all is well).
func storeSays(r *replica) string {
	h, err := httpGetHeader(r.url("/sources.json"), "Nashra-Store")
	if err != nil {
		return "error: " + err.Error()
	}
	return h
}

// metric is the value of one unlabelled metric a replica exposes ("" when absent).
func metric(r node, name string) string {
	for _, line := range strings.Split(fetch("/metrics", r).body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// One etcd member of three stopped: polling and serving go on. Two
// stopped: every replica serves its last renders and says it cannot reach
// etcd. Both back: the replicas recover by themselves.
func TestClusterThroughEtcdFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member etcd stopped and restarted under 3 replicas: not in -short")
	}
	etcd := etcdtest.Start(t, 3)
	names := sourceNamesN(3)
	farm := newSourceFarm(t, names, 3)
	yaml := clusterYAML(etcd.Endpoints, "/faults/", "@every 1s", farm, names)
	start := time.Now()
	var rs []*replica
	for i := range 3 {
		rs = append(rs, startClusterReplica(t, fmt.Sprintf("r%d", i), yaml))
	}
	leader := leaderOf(t, 5*time.Second, rs...)
	roundStored(t, 30*time.Second, leader.svc.pipe.store, names, start, 9)
	sameEverywhere(t, 10*time.Second, rs, headlines(names, 3))

	etcd.Stop(0)
	farm.add("s1", 1)
	took := sameEverywhere(t, 20*time.Second, rs, []string{headline("s1", 4)})
	t.Logf("one member of three stopped: a new item on every replica %s later", took.Round(time.Millisecond))

	before := map[string]served{}
	for _, p := range outputs {
		before[p] = fetch(p, rs[0])
	}
	etcd.Stop(1)
	lost := time.Now()
	farm.add("s1", 1) // cannot be stored now
	for _, r := range rs {
		waitUntil(t, 20*time.Second, r.name+" saying it cannot reach etcd", func() bool {
			return strings.HasPrefix(storeSays(r), "unreachable since")
		})
	}
	t.Logf("quorum lost: every replica says so within %s", time.Since(lost).Round(time.Millisecond))
	for _, r := range rs {
		for _, p := range outputs {
			if got := fetch(p, r); got.code != 200 || got.body != before[p].body || got.etag != before[p].etag {
				t.Errorf("%s %s without etcd: %d, same bytes %v; want the last render", r.name, p, got.code, got.body == before[p].body)
			}
		}
		if got := fetch("/readyz", r); got.code != 200 {
			t.Errorf("%s /readyz without etcd, before stale_after: %d %s", r.name, got.code, got.body)
		}
		if v := metric(r, "nashra_store_reachable"); v != "0" {
			t.Errorf("%s nashra_store_reachable = %q, want 0", r.name, v)
		}
		if v := metric(r, "nashra_cluster_leader"); v != "0" {
			t.Errorf("%s nashra_cluster_leader = %q without etcd, want 0", r.name, v)
		}
		var rows []struct {
			StoreUnreadable string    `json:"store_unreadable"`
			ReadAt          time.Time `json:"read_at"`
		}
		if err := json.Unmarshal([]byte(fetch("/sources.json", r).body), &rows); err != nil || len(rows) != 3 {
			t.Errorf("%s /sources.json without etcd: %v", r.name, err)
		}
	}

	defer func() {
		if t.Failed() {
			for _, r := range rs {
				t.Logf("%s log:\n%s", r.name, grepLines(r.logs.String(), "cluster", "watch", "msg=poll", "resume"))
			}
		}
	}()
	etcd.Restart(t, 0, 1)
	back := time.Now()
	took = sameEverywhere(t, 30*time.Second, rs, []string{headline("s1", 5)})
	t.Logf("etcd back: the item held back meanwhile on every replica %s later", took.Round(time.Millisecond))
	for _, r := range rs {
		waitUntil(t, 20*time.Second, r.name+" reaching etcd again", func() bool { return storeSays(r) == "" })
		if v := metric(r, "nashra_store_reachable"); v != "1" {
			t.Errorf("%s nashra_store_reachable = %q after recovery, want 1", r.name, v)
		}
	}
	leaders := 0
	for _, r := range rs {
		if r.leading() {
			leaders++
		}
	}
	if leaders != 1 {
		t.Errorf("%d leaders after recovery, want 1", leaders)
	}
	t.Logf("recovered in %s", time.Since(back).Round(time.Millisecond))
}

// A leader paused past its lease is replaced; when it resumes, its late
// write is refused by the fence and nothing of it is visible. The pause:
// its connection to etcd frozen (a loopback proxy) just as a poll gets its
// answer (a 304, whose state it records whatever happened meanwhile); it
// writes into the frozen connection, b takes over, the proxy thaws.
func TestClusterDeposedLeaderWriteIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member etcd and a frozen replica: not in -short")
	}
	etcd := etcdtest.Start(t, 3)
	names := sourceNamesN(3)
	farm := newSourceFarm(t, names, 3)
	const stuck = "s2"
	farm.holdNotModified(stuck)
	proxy := newFreezer(t, strings.TrimPrefix(etcd.Endpoints[0], "http://"))
	start := time.Now()
	a := startClusterReplica(t, "a", clusterYAML([]string{proxy.addr()}, "/fenced/", "@every 1h", farm, names))
	leaderOf(t, 5*time.Second, a)
	b := startClusterReplica(t, "b", clusterYAML(etcd.Endpoints, "/fenced/", "@every 1h", farm, names))
	select {
	case <-farm.arrived: // a polls s2 and waits for its answer
	case <-time.After(30 * time.Second):
		t.Fatal("the leader never fetched the held source")
	}

	proxy.freeze() // a is paused, as far as etcd can tell
	frozen := time.Now()
	farm.release(stuck) // a's poll gets its 304 and records it: into the frozen connection
	leaderOf(t, lease+2*time.Second, b)
	t.Logf("b leads %s after a froze", time.Since(frozen).Round(time.Millisecond))
	waitUntil(t, lease+2*time.Second, "a no longer leading", func() bool { return !a.svc.cluster.Leading() })
	roundStored(t, 30*time.Second, b.svc.pipe.store, names, start, 9)
	proxy.thaw() // a resumes: its write reaches etcd

	defer func() {
		if t.Failed() {
			t.Logf("a's log:\n%s", grepLines(a.logs.String(), "poll", "cluster", "watch"))
		}
	}()
	var refused string
	waitUntil(t, 20*time.Second, "a's late write refused", func() bool {
		for _, line := range strings.Split(a.logs.String(), "\n") {
			if strings.Contains(line, "msg=poll") && strings.Contains(line, "source="+stuck) && strings.Contains(line, "leadership lost") {
				refused = line
				return true
			}
		}
		return false
	})
	t.Logf("a's poll: %s", refused)
	states, err := b.svc.pipe.store.States()
	if err != nil {
		t.Fatal(err)
	}
	if st := states[stuck]; st.Failures != 0 || st.Error != "" || st.LastSuccess.Before(start) {
		t.Errorf("%s's stored state %+v: the deposed leader's write shows", stuck, st)
	}
	if n, _ := b.svc.pipe.store.Count(); n != 9 {
		t.Errorf("%d items, want 9", n)
	}
	if c := farm.count(stuck); c != 2 {
		t.Errorf("%s fetched %d times, want 2 (the deposed leader's, never stored, and the new one's)", stuck, c)
	}
	if a.leading() || !b.leading() {
		t.Errorf("after a resumed: a leads %v, b leads %v; want b alone", a.leading(), b.leading())
	}
	sameEverywhere(t, 20*time.Second, []*replica{a, b}, headlines(names, 3))
}

func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
