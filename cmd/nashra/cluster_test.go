package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/server"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// lease is the replicas' lease_ttl in these tests (clusterYAML).
const lease = 2 * time.Second

func sourceNamesN(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("s%d", i+1)
	}
	return names
}

func headlines(names []string, items int) []string {
	var out []string
	for _, n := range names {
		out = append(out, headline(n, items))
	}
	return out
}

// Three replicas on a three-member etcd: one polls, each source is fetched
// once for the round, every item is stored once, and all three serve every
// output byte for byte alike, under one ETag, within the render throttle
// and a second of the last commit.
func TestClusterOneRound(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member etcd and 3 replicas: not in -short")
	}
	etcd := etcdtest.Start(t, 3)
	names := sourceNamesN(6)
	farm := newSourceFarm(t, names, 5)
	yaml := clusterYAML(etcd.Endpoints, "/round/", "@every 1h", farm, names)
	start := time.Now()
	var rs []*replica
	for i := range 3 {
		rs = append(rs, startClusterReplica(t, fmt.Sprintf("r%d", i), yaml))
	}
	leader := leaderOf(t, 5*time.Second, rs...)
	roundStored(t, 30*time.Second, leader.svc.pipe.store, names, start, len(names)*5)
	took := allServe(t, 10*time.Second, rs, headlines(names, 5))
	t.Logf("leader %s; every replica serves the round %s after it was stored", leader.name, took.Round(time.Millisecond))
	if took > 3*time.Second {
		t.Errorf("replicas served the round %s after it was stored, want within the render throttle and a second", took)
	}
	sameEverywhere(t, 10*time.Second, rs, headlines(names, 5))
	for _, n := range names {
		if c := farm.count(n); c != 1 {
			t.Errorf("%s fetched %d times in one round, want 1", n, c)
		}
	}
	leaders := 0
	for _, r := range rs {
		if r.leading() {
			leaders++
		}
		if n, _ := r.svc.pipe.store.Count(); n != len(names)*5 {
			t.Errorf("%s counts %d items, want %d", r.name, n, len(names)*5)
		}
	}
	if leaders != 1 {
		t.Errorf("%d leaders, want 1", leaders)
	}
	var follower *replica
	for _, r := range rs {
		if got := fetch("/readyz", r); got.code != 200 {
			t.Errorf("%s /readyz after the round: %d %s", r.name, got.code, got.body)
		}
		if r != leader {
			follower = r
		}
	}

	// `nashra poll` beside a leading replica refuses.
	var out, errb strings.Builder
	if code := run([]string{"poll", "-config", follower.svc.path}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "a nashra replica polls this store") {
		t.Errorf("nashra poll beside the cluster: exit %d, %q", code, errb.String())
	}

	// An editor's split, made on a follower, lands for every replica.
	items, err := follower.svc.pipe.store.Newest(archive.Query{Limit: 1})
	if err != nil || len(items) != 1 {
		t.Fatalf("newest item: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+follower.svc.AdminAddr()+"/split?item="+items[0].Key, nil)
	req.Header.Set(server.AdminHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("split on a follower: %v %v", err, resp)
	}
	resp.Body.Close()
	if it, _, _ := leader.svc.pipe.store.Item(items[0].Key); !it.Split {
		t.Errorf("the split made on %s is not seen by the leader", follower.name)
	}

	// A reload adding a source on every replica: the leader polls it once.
	names = append(names, "s7")
	farm.add("s7", 5)
	yaml = clusterYAML(etcd.Endpoints, "/round/", "@every 1h", farm, names)
	for _, r := range rs {
		if err := os.WriteFile(r.svc.path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := r.svc.Reload(); err != nil {
			t.Fatalf("reload %s: %v", r.name, err)
		}
	}
	roundStored(t, 30*time.Second, leader.svc.pipe.store, names, start, len(names)*5)
	sameEverywhere(t, 10*time.Second, rs, headlines(names, 5))
	if c := farm.count("s7"); c != 1 {
		t.Errorf("the source added by a reload fetched %d times, want 1", c)
	}
}

// The leader dies mid-round without resigning: another leads within the
// lease and two seconds, resumes from the stored states (what the dead one
// stored is not fetched again; what it fetched but never stored is), and
// no item is lost or stored twice.
func TestClusterLeaderDiesMidRound(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member etcd and 3 replicas: not in -short")
	}
	etcd := etcdtest.Start(t, 3)
	names := sourceNamesN(6)
	farm := newSourceFarm(t, names, 5)
	const stuck = "s4"
	farm.hold(stuck)
	// Two sources the leader backs off from before it dies: a 500, and a
	// 429 asking for an hour. Listed first, they are polled first.
	farm.fail("broken", http.StatusInternalServerError)
	farm.fail("busy", http.StatusTooManyRequests)
	// One poll's items (5) fill the writer's queue, so a dying leader holds
	// at most its workers' polls (fetching, or fetched and waiting for
	// room), one queued and one being committed: a bound this test can hold.
	yaml := clusterYAML(etcd.Endpoints, "/failover/", "@every 1h", farm, append([]string{"broken", "busy"}, names...))
	yaml = strings.Replace(yaml, "workers: 2\n", "workers: 2\nwrite_queue_items: 5\n", 1)
	start := time.Now()
	var rs []*replica
	for i := range 3 {
		rs = append(rs, startClusterReplica(t, fmt.Sprintf("r%d", i), yaml))
	}
	first := leaderOf(t, 5*time.Second, rs...)
	select {
	case <-farm.arrived: // the leader is fetching s4 and stuck there
	case <-time.After(30 * time.Second):
		t.Fatal("the leader never fetched the held source")
	}
	// Wait for some of the round to be stored, then kill the leader.
	storedBy := func(r *replica) map[string]bool {
		states, err := r.svc.pipe.store.States()
		if err != nil {
			t.Fatal(err)
		}
		done := map[string]bool{}
		for _, name := range names {
			if !states[name].LastSuccess.Before(start) {
				done[name] = true
			}
		}
		return done
	}
	waitUntil(t, 30*time.Second, "part of the round stored", func() bool { return len(storedBy(first)) >= 2 })
	killed := time.Now()
	first.kill()
	var rest []*replica
	for _, r := range rs {
		if r != first {
			rest = append(rest, r)
		}
	}
	// What the dead leader stored, read before anyone else can write
	// (no leader for a lease yet).
	dead := storedBy(rest[0])
	next := leaderOf(t, lease+2*time.Second, rest...)
	t.Logf("%s killed with %d of %d sources stored; %s leads %s later", first.name, len(dead), len(names), next.name, time.Since(killed).Round(time.Millisecond))
	farm.release(stuck) // the dead leader's fetch ends; it cannot store it
	roundStored(t, 30*time.Second, next.svc.pipe.store, names, start, len(names)*5)
	sameEverywhere(t, 10*time.Second, rest, headlines(names, 5))
	elections := 0
	for _, r := range rest {
		elections += int(r.svc.cluster.Elections())
	}
	again := 0
	for _, n := range names {
		c := farm.count(n)
		switch {
		case dead[n] && c != 1:
			t.Errorf("%s, stored by the dead leader, fetched %d times in one tick, want 1", n, c)
		case !dead[n] && (c < 1 || c > 2):
			t.Errorf("%s fetched %d times, want once by the new leader, perhaps once before by the dead one", n, c)
		}
		again += c - 1
	}
	// Each leader that goes had at most workers (2) polls fetching or
	// waiting for room, one queued and one committing (above) whose fetches
	// are made again; one died here, and a loaded machine may make a live
	// leader miss its lease too (each such change counts as an election).
	if again > (2+2)*elections {
		t.Errorf("%d fetches again after %d elections: more than the leaders that went had under way", again, elections)
	}
	for _, n := range []string{"broken", "busy"} {
		if c := farm.count(n); c != 1 {
			t.Errorf("%s, backed off by the dead leader, fetched %d times: its backoff did not carry over", n, c)
		}
	}
	states, err := next.svc.pipe.store.States()
	if err != nil {
		t.Fatal(err)
	}
	if st := states["busy"]; st.RetryAfter.Before(time.Now().Add(50 * time.Minute)) {
		t.Errorf("busy's Retry-After %v did not carry over", st.RetryAfter)
	}
	if farm.count(stuck) != 2 {
		t.Errorf("the source the dead leader was fetching was fetched %d times, want 2 (its poll was never stored)", farm.count(stuck))
	}
	if n, _ := next.svc.pipe.store.Count(); n != len(names)*5 {
		t.Errorf("%d items stored, want %d: none lost, none twice", n, len(names)*5)
	}
}
