// Package etcdtest starts real etcd members in-process on loopback ports for
// tests: no mock server, the same code an etcd cluster runs.
package etcdtest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// Cluster is a running etcd cluster.
type Cluster struct {
	Members []*embed.Etcd
	// Endpoints are the members' client URLs.
	Endpoints []string

	mu      sync.Mutex
	configs []*embed.Config // to start a stopped member again
	closing []chan struct{} // closed when a stopped member has let go of its ports
}

// Start starts an n-member cluster in t's temporary directories and stops it
// when t ends.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	var lastErr error
	for range 3 { // a port taken between freePorts and the bind: try again
		c, err := start(t, n)
		if err == nil {
			return c
		}
		lastErr = err
	}
	t.Fatalf("etcdtest: start %d members: %v", n, lastErr)
	return nil
}

func start(t testing.TB, n int) (*Cluster, error) {
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, err
	}
	peer := func(i int) url.URL { return url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i])} }
	client := func(i int) url.URL { return url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i+1])} }
	var initial []string
	for i := range n {
		u := peer(i)
		initial = append(initial, fmt.Sprintf("m%d=%s", i, u.String()))
	}
	type result struct {
		i   int
		e   *embed.Etcd
		err error
	}
	c := &Cluster{Members: make([]*embed.Etcd, n), configs: make([]*embed.Config, n), closing: make([]chan struct{}, n)}
	started := make(chan result, n)
	for i := range n {
		cfg := embed.NewConfig()
		cfg.Name = fmt.Sprintf("m%d", i)
		cfg.Dir = t.TempDir()
		cfg.ListenPeerUrls = []url.URL{peer(i)}
		cfg.AdvertisePeerUrls = cfg.ListenPeerUrls
		cfg.ListenClientUrls = []url.URL{client(i)}
		cfg.AdvertiseClientUrls = cfg.ListenClientUrls
		cfg.InitialCluster = strings.Join(initial, ",")
		cfg.InitialClusterToken = "etcdtest"
		cfg.UnsafeNoFsync = true // throw-away members: speed over durability
		cfg.BcryptCost = 4       // bcrypt's least: each login under -race took seconds at the default 10
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
		// Heartbeats every 50 ms and elections after 500 ms: under -race on a
		// loaded 2-core machine, 10/100 ms let members miss heartbeats,
		// elect again and again, and time requests out.
		cfg.TickMs = 50
		cfg.ElectionMs = 500
		c.configs[i] = cfg
		// Members of a new cluster wait for each other: start them all, then wait.
		go func() {
			e, err := embed.StartEtcd(cfg)
			started <- result{i, e, err}
		}()
	}
	var errs []error
	for range n {
		r := <-started
		c.Members[r.i] = r.e
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	t.Cleanup(c.Close)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	for _, e := range c.Members {
		select {
		case <-e.Server.ReadyNotify():
		case err := <-e.Err():
			return nil, err
		case <-time.After(20 * time.Second):
			return nil, fmt.Errorf("member %s not ready after 20 s", e.Config().Name)
		}
	}
	for i := range n {
		u := client(i)
		c.Endpoints = append(c.Endpoints, u.String())
	}
	return c, nil
}

// Close stops every member.
func (c *Cluster) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.Members {
		if e != nil {
			e.Close()
			c.Members[i] = nil
		}
		if c.closing[i] != nil {
			<-c.closing[i]
		}
	}
}

// Stop stops member i as a crash would (its data stays for Restart): its
// raft node stops at once, its client connections are dropped within
// moments (a graceful close would serve open streams for five seconds).
func (c *Cluster) Stop(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.Members[i]
	if e == nil {
		return
	}
	c.Members[i] = nil
	e.Server.HardStop()
	done := make(chan struct{})
	c.closing[i] = done
	go func() {
		defer close(done)
		e.Close()
	}()
}

// Restart starts the stopped members named again, on their addresses and
// data, and waits until they serve (which needs a quorum of the cluster).
func (c *Cluster) Restart(t testing.TB, members ...int) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, i := range members {
		if c.Members[i] != nil {
			t.Fatalf("etcdtest: member %d is running", i)
		}
		if c.closing[i] != nil {
			<-c.closing[i]
			c.closing[i] = nil
		}
		e, err := embed.StartEtcd(c.configs[i])
		if err != nil {
			t.Fatalf("etcdtest: restart member %d: %v", i, err)
		}
		c.Members[i] = e
	}
	for _, i := range members {
		e := c.Members[i]
		select {
		case <-e.Server.ReadyNotify():
		case err := <-e.Err():
			t.Fatalf("etcdtest: restart member %d: %v", i, err)
		case <-time.After(20 * time.Second):
			t.Fatalf("etcdtest: member %d not ready 20 s after its restart", i)
		}
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
