package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// failoverRunsEnv sets how many failovers TestProcessFailoverTime measures
// (BENCHMARKS.md: 10); unset, the test is skipped.
const failoverRunsEnv = "NASHRA_FAILOVER_RUNS"

// TestProcessFailoverTime measures failover with real processes: two
// nashra binaries on a 3-member etcd of processes; the leading one is
// killed with SIGKILL, timed to the moment the election names the other
// and to its first poll, then started again (as a follower), runs times.
// With NASHRA_FAILOVER_ETCD_LEADER=1 etcd's raft leader is killed at the
// same moment (and restarted after), which costs a whole lease more: the
// next raft leader renews every lease.
func TestProcessFailoverTime(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv(failoverRunsEnv))
	if runs < 1 {
		t.Skip("set " + failoverRunsEnv + "=10 (scripts/bench.sh does)")
	}
	leaseTTL := 2 * time.Second
	if s := os.Getenv("NASHRA_FAILOVER_LEASE"); s != "" {
		var err error
		if leaseTTL, err = time.ParseDuration(s); err != nil {
			t.Fatal(err)
		}
	}
	withRaftLeader := os.Getenv("NASHRA_FAILOVER_ETCD_LEADER") != ""
	c := newProcCluster(t, 4, 5)
	etcd, cli, sources, names := c.etcd, c.cli, c.sources, c.names
	const prefix = "/failover/"
	// Every source due each second, so that the new leader's first poll
	// follows its election at once.
	yaml := strings.Replace(clusterYAML(etcd.clients, prefix, "@every 1s", c.farm, names),
		"lease_ttl: 2s", "lease_ttl: "+leaseTTL.String(), 1)
	ps := [2]*nashraProc{startNashraProc(t, c.bin, "a", yaml), startNashraProc(t, c.bin, "b", yaml)}
	var led, polled []time.Duration
	for run := range runs {
		leader, next := c.leaderOf2(t, 3*leaseTTL+5*time.Second, prefix, ps)
		waitUntil(t, 10*time.Second, "a poll by the leader", func() bool { return len(allRequests(sources, names)) > 0 })
		member := -1
		if withRaftLeader {
			member = etcd.raftLeader(t, cli)
		}
		killed := time.Now()
		leader.kill9()
		if member >= 0 {
			etcd.kill9(t, member)
		}
		waitUntil(t, 3*leaseTTL+5*time.Second, next.name+" leading", func() bool { return next.leads(cli, prefix) })
		led = append(led, time.Since(killed))
		var first time.Time
		waitUntil(t, 10*time.Second, "the new leader's first poll", func() bool {
			for _, at := range allRequests(sources, names) {
				if at.After(killed) && (first.IsZero() || at.Before(first)) {
					first = at
				}
			}
			return !first.IsZero()
		})
		polled = append(polled, first.Sub(killed))
		t.Logf("run %d: %s killed; %s leads %s later, polls %s later", run+1, leader.name, next.name,
			led[run].Round(time.Millisecond), polled[run].Round(time.Millisecond))
		if member >= 0 {
			etcd.restart(t, member)
		}
		leader.start(t)
	}
	what := "the leading nashra"
	if withRaftLeader {
		what += " and etcd's raft leader"
	}
	t.Logf("failover, %s killed with SIGKILL, lease_ttl %s, %d runs: new leader after %s (median; %s–%s), its first poll after %s (median; %s–%s)",
		what, leaseTTL, runs, medianOf(led), slices.Min(led).Round(time.Millisecond), slices.Max(led).Round(time.Millisecond),
		medianOf(polled), slices.Min(polled).Round(time.Millisecond), slices.Max(polled).Round(time.Millisecond))
}

// allRequests is when every request for the named sources arrived.
func allRequests(g *gate, names []string) []time.Time {
	var all []time.Time
	for _, n := range names {
		all = append(all, g.requests(n)...)
	}
	return all
}

// medianOf is the middle duration (the lower middle of an even count).
func medianOf(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	return fmt.Sprint(s[(len(s)-1)/2].Round(time.Millisecond))
}
