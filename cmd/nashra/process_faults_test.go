package main

import (
	"encoding/json"
	"os"
	"syscall"
	"testing"
	"time"
)

// processFaultsEnv gates the process-level fault test: it builds two
// binaries and runs five processes, too slow for a plain `go test ./...`;
// .ci/run sets it.
const processFaultsEnv = "NASHRA_PROCESS_FAULTS"

// TestProcessFaults is the cluster fault test with real processes: three
// etcd members (scripts/etcd-cluster.sh) and two nashra binaries in etcd
// mode over sources that count their requests. The leading nashra and the
// etcd raft leader are killed with SIGKILL at once, mid-round: the other
// nashra leads within the lease and 2 s, serves what the dead one served
// byte for byte under the same ETag, finishes the round without fetching
// again what the dead one stored, and nothing is lost or stored twice.
// Restarted, the member and the nashra recover by themselves: the member
// catches up and carries the quorum when another one dies, the nashra
// serves the same bytes.
func TestProcessFaults(t *testing.T) {
	if os.Getenv(processFaultsEnv) == "" {
		t.Skip("set " + processFaultsEnv + "=1 (as .ci/run does): 3 etcd and 2 nashra processes")
	}
	c := newProcCluster(t, 6, 5)
	etcd, cli, farm, sources, names := c.etcd, c.cli, c.farm, c.sources, c.names
	const stuck = "s4"
	sources.hold(stuck)
	t.Cleanup(func() { sources.release(stuck) }) // before the farm closes
	const prefix = "/proc/"
	yaml := clusterYAML(etcd.clients, prefix, "@every 1h", farm, names)

	a := startNashraProc(t, c.bin, "a", yaml)
	b := startNashraProc(t, c.bin, "b", yaml)
	both := []*nashraProc{a, b}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s's log:\n%s\n%s's log:\n%s", a.name, a.log(), b.name, b.log())
		}
	})
	leader, survivor := c.leaderOf2(t, 10*time.Second, prefix, [2]*nashraProc{a, b})
	waitUntil(t, 10*time.Second, "the leader fetching "+stuck, func() bool { return len(sources.requests(stuck)) == 1 })
	var done []string
	for _, n := range names {
		if n != stuck {
			done = append(done, n)
		}
	}
	// Everything but the held source stored, and served alike by both.
	sameEverywhere(t, 30*time.Second, both, headlines(done, 5))
	before := map[string]served{}
	for _, path := range outputs {
		before[path] = fetch(path, leader)
	}

	// A member that does not lead etcd's raft: when the raft leader dies,
	// the next one renews every lease for its whole TTL (etcd's lessor
	// promotion), which the failover benchmark measures apart.
	member := (etcd.raftLeader(t, cli) + 1) % 3
	killed := time.Now()
	leader.kill9()
	etcd.kill9(t, member)
	waitUntil(t, lease+2*time.Second, survivor.name+" leading", func() bool { return survivor.leads(cli, prefix) })
	led := time.Since(killed)
	waitUntil(t, 5*time.Second, "the new leader fetching "+stuck, func() bool { return len(sources.requests(stuck)) == 2 })
	firstPoll := sources.requests(stuck)[1].Sub(killed)
	t.Logf("nashra %s and etcd member %d killed mid-round: %s leads %s later, first poll %s later (lease %s)",
		leader.name, member, survivor.name, led.Round(time.Millisecond), firstPoll.Round(time.Millisecond), lease)
	if firstPoll > lease+2*time.Second {
		t.Errorf("the new leader's first poll came %s after the kill, want within the lease and 2 s", firstPoll)
	}
	// Same data (the held source not yet stored by anyone): the survivor,
	// now leading, serves what the dead leader served, byte for byte.
	for _, path := range outputs {
		if got, want := fetch(path, survivor), before[path]; got != want {
			t.Errorf("%s: %s serves %d bytes under ETag %s, the dead leader served %d bytes under %s",
				path, survivor.name, len(got.body), got.etag, len(want.body), want.etag)
		}
	}

	sources.release(stuck)
	waitUntil(t, 30*time.Second, "the round stored", func() bool { return metric(survivor, "nashra_items_stored") == "30" })
	for _, n := range names {
		want := 1
		if n == stuck {
			want = 2 // the dead leader's fetch was never stored
		}
		if got := len(sources.requests(n)); got != want {
			t.Errorf("%s fetched %d times in one tick, want %d", n, got, want)
		}
	}
	onceEach(t, survivor, names, 5)

	// Restarted, the member and the nashra need no one's help.
	etcd.restart(t, member)
	leader.start(t)
	waitUntil(t, 10*time.Second, leader.name+" ready again", func() bool { return fetch("/readyz", leader).code == 200 })
	sameEverywhere(t, 10*time.Second, both, headlines(names, 5))
	if !survivor.leads(cli, prefix) {
		t.Errorf("leadership moved to the restarted %s", leader.name)
	}
	waitUntil(t, 10*time.Second, "the restarted member caught up", func() bool {
		revs := etcd.revisions(cli)
		return revs[0] != "" && revs[0] == revs[1] && revs[1] == revs[2]
	})
	// It carries the quorum: with another member killed, a source added
	// by a reload is polled once and served alike by both replicas.
	etcd.kill9(t, (member+1)%3)
	names = append(names, "s7")
	farm.add("s7", 5)
	yaml = clusterYAML(etcd.clients, prefix, "@every 1h", farm, names)
	for _, p := range both {
		p.write(t, yaml)
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	sameEverywhere(t, 20*time.Second, both, headlines(names, 5))
	if got := len(sources.requests("s7")); got != 1 {
		t.Errorf("s7, added by a reload, fetched %d times, want 1", got)
	}
	onceEach(t, leader, names, 5)
}

// onceEach checks that p's JSON Feed holds each of the items sources ×
// items exactly once (waiting out the render throttle for the count).
func onceEach(t *testing.T, p node, names []string, items int) {
	t.Helper()
	type feed struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	var doc feed
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		doc = feed{}
		if json.Unmarshal([]byte(fetch("/feed.json", p).body), &doc) == nil && len(doc.Items) == len(names)*items {
			break
		}
	}
	seen := map[string]int{}
	for _, it := range doc.Items {
		seen[it.Title]++
	}
	for _, n := range names {
		for i := 1; i <= items; i++ {
			if c := seen[headline(n, i)]; c != 1 {
				t.Errorf("%s serves %q %d times, want once", p.label(), headline(n, i), c)
			}
		}
	}
	if len(doc.Items) != len(names)*items {
		t.Errorf("%s serves %d items, want %d", p.label(), len(doc.Items), len(names)*items)
	}
}
