package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/nashra-ma/nashra/cluster"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

const ttl = 2 * time.Second

// replica is one elector on its own connection, recording its terms.
type replica struct {
	name   string
	store  *storage.Etcd
	el     *cluster.Elector
	stop   context.CancelFunc
	done   chan struct{}
	terms  chan cluster.Term
	ended  chan string // a term's context ended
	inTerm *atomic.Int32
}

// startReplica starts an elector; its terms are counted in leaders, which
// must never exceed one unless overlapOK (a test that makes a leader lose
// its lease without noticing: the fence is what protects then).
func startReplica(t *testing.T, endpoints []string, prefix, name string, leaders *atomic.Int32, overlapOK bool) *replica {
	t.Helper()
	st, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: endpoints, Prefix: prefix, RequestTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{name: name, store: st, stop: cancel, done: make(chan struct{}), terms: make(chan cluster.Term, 10),
		ended: make(chan string, 10), inTerm: leaders}
	r.el = cluster.New(cluster.Config{Store: st, Prefix: prefix, LeaseTTL: ttl, Name: name})
	go func() {
		defer close(r.done)
		r.el.Run(ctx, func(ctx context.Context, term cluster.Term) {
			if n := leaders.Add(1); n > 1 && !overlapOK {
				t.Errorf("%s leads while %d others do", name, n-1)
			}
			r.terms <- term
			<-ctx.Done()
			leaders.Add(-1)
			r.ended <- name
		})
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

// leaderOf waits until one of rs starts a term and returns it.
func leaderOf(t *testing.T, within time.Duration, rs ...*replica) (*replica, cluster.Term) {
	t.Helper()
	cases := time.After(within)
	for {
		for _, r := range rs {
			select {
			case term := <-r.terms:
				return r, term
			default:
			}
		}
		select {
		case <-cases:
			t.Fatalf("no leader within %s", within)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func without(rs []*replica, r *replica) []*replica {
	var out []*replica
	for _, x := range rs {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

// One replica leads at a time; a leader that stops hands over at once; one
// that dies without resigning is replaced within the lease and two seconds,
// and its own term ends when its session is lost.
func TestElection(t *testing.T) {
	c := etcdtest.Start(t, 1)
	var leaders atomic.Int32
	var rs []*replica
	for i := range 3 {
		rs = append(rs, startReplica(t, c.Endpoints, "/elect/", fmt.Sprintf("r%d", i), &leaders, false))
	}
	first, _ := leaderOf(t, 5*time.Second, rs...)
	if !first.el.Leading() || first.el.Elections() != 1 {
		t.Errorf("leader %s: Leading %v, Elections %d", first.name, first.el.Leading(), first.el.Elections())
	}
	if name, err := cluster.Leader(context.Background(), first.store.Client(), "/elect/"); err != nil || name != first.name {
		t.Errorf("Leader() = %q, %v; want %s", name, err, first.name)
	}
	for _, r := range without(rs, first) {
		if r.el.Leading() {
			t.Errorf("%s leads beside %s", r.name, first.name)
		}
	}

	// A clean stop resigns: the next leader comes at once, not after the lease.
	start := time.Now()
	first.stop()
	<-first.done
	rest := without(rs, first)
	second, _ := leaderOf(t, 5*time.Second, rest...)
	if took := time.Since(start); took > time.Second {
		t.Errorf("handover after a clean stop took %s", took)
	}

	// Dead without resigning: its connection closed, its lease left to expire.
	start = time.Now()
	second.store.Close()
	third, _ := leaderOf(t, ttl+2*time.Second, without(rest, second)...)
	took := time.Since(start)
	t.Logf("new leader %s %s after the leader's connection was cut (lease %s)", third.name, took.Round(time.Millisecond), ttl)
	select {
	case <-second.ended:
	case <-time.After(time.Second):
		t.Error("the dead leader's term did not end")
	}
}

// A leader paused past its lease (its lease expires while it does nothing;
// here revoked, as expiry would) is replaced, and its late write through its
// fence is refused: nothing of it is visible.
func TestDeposedLeadersWriteIsFenced(t *testing.T) {
	c := etcdtest.Start(t, 1)
	var leaders atomic.Int32
	a := startReplica(t, c.Endpoints, "/fence/", "a", &leaders, true)
	leader, term := leaderOf(t, 5*time.Second, a)
	fenced := term.Fence(leader.store)
	write := func(v string) error {
		b := &storage.Batch{}
		b.Put("t", []byte("k"), []byte(v))
		return fenced.Apply(context.Background(), b)
	}
	if err := write("while leading"); err != nil {
		t.Fatal(err)
	}
	b := startReplica(t, c.Endpoints, "/fence/", "b", &leaders, true)

	// The lease ends under the leader (what a long pause does).
	ctx := context.Background()
	kv, err := b.store.Client().Get(ctx, term.Key)
	if err != nil || len(kv.Kvs) == 0 {
		t.Fatalf("leader key: %v", err)
	}
	if _, err := b.store.Client().Revoke(ctx, clientv3.LeaseID(kv.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	if err := write("after the lease"); !errors.Is(err, storage.ErrFenced) {
		t.Fatalf("the deposed leader's write: %v, want ErrFenced", err)
	}
	next, _ := leaderOf(t, ttl+2*time.Second, b)
	if err := write("after the new leader"); !errors.Is(err, storage.ErrFenced) {
		t.Fatalf("the deposed leader's write under %s: %v, want ErrFenced", next.name, err)
	}
	var got []byte
	err = b.store.View(ctx, func(r storage.Reader) error {
		got, err = r.Get("t", []byte("k"))
		return err
	})
	if err != nil || string(got) != "while leading" {
		t.Errorf("stored %q (%v), want only the write made while leading", got, err)
	}
	select {
	case <-a.ended:
	case <-time.After(ttl + time.Second):
		t.Error("the deposed leader's term did not end")
	}
}

// A replica cut off from etcd says so, and says it is back once it is.
func TestStatusFollowsTheCluster(t *testing.T) {
	c := etcdtest.Start(t, 1)
	var leaders atomic.Int32
	r := startReplica(t, c.Endpoints, "/status/", "r", &leaders, false)
	leaderOf(t, 5*time.Second, r)
	if st := r.el.Status(); !st.Reachable {
		t.Fatalf("status %+v while connected", st)
	}
	start := time.Now()
	c.Stop(0)
	t.Logf("member stopped in %s", time.Since(start).Round(time.Millisecond))
	waitFor(t, ttl+4*time.Second, "unreachable", func() bool { return !r.el.Status().Reachable })
	t.Logf("unreachable after %s", time.Since(start).Round(time.Millisecond))
	if r.el.Leading() {
		t.Error("still leading without etcd")
	}
	start = time.Now()
	c.Restart(t, 0)
	t.Logf("member restarted in %s", time.Since(start).Round(time.Millisecond))
	waitFor(t, 10*time.Second, "reachable again", func() bool { return r.el.Status().Reachable })
	leaderOf(t, 10*time.Second, r)
	t.Logf("leading again %s after the restart began", time.Since(start).Round(time.Millisecond))
	if r.el.Elections() != 2 {
		t.Errorf("elections %d, want 2", r.el.Elections())
	}
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A leader stops saying it leads the moment its session is lost, not when
// its work has wound down: a replica draining its polls for a second after
// etcd went away must not report itself leader meanwhile (CI saw
// nashra_cluster_leader 1 on a replica that said etcd was unreachable).
func TestLeadingEndsWithTheSession(t *testing.T) {
	c := etcdtest.Start(t, 1)
	st, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: c.Endpoints, Prefix: "/drain/", RequestTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	el := cluster.New(cluster.Config{Store: st, Prefix: "/drain/", LeaseTTL: ttl, Name: "r"})
	ctx, cancel := context.WithCancel(context.Background())
	led, winding, done := make(chan struct{}, 1), make(chan struct{}, 1), make(chan struct{})
	go func() {
		defer close(done)
		el.Run(ctx, func(ctx context.Context, _ cluster.Term) {
			led <- struct{}{}
			<-ctx.Done()
			winding <- struct{}{}
			time.Sleep(2 * time.Second) // polls in flight, draining
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-led:
	case <-time.After(5 * time.Second):
		t.Fatal("never led")
	}
	c.Stop(0)
	select {
	case <-winding:
	case <-time.After(ttl + 4*time.Second):
		t.Fatal("the term did not end without etcd")
	}
	waitFor(t, time.Second, "unreachable", func() bool { return !el.Status().Reachable })
	if el.Leading() {
		t.Error("Leading() is true while its session is lost and its work drains")
	}
}
