package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/nashra-ma/nashra/cluster"
)

// etcdProcs is a 3-member etcd cluster of separate processes on loopback,
// run by scripts/etcd-cluster.sh (members built from internal/etcdmember).
type etcdProcs struct {
	dir, script string
	clients     []string // member i's client URL
}

func startEtcdProcs(t *testing.T) *etcdProcs {
	t.Helper()
	e := &etcdProcs{dir: t.TempDir(), script: filepath.Join("..", "..", "scripts", "etcd-cluster.sh")}
	base := freePortRun(t, 6)
	out, err := exec.Command("bash", e.script, "start", e.dir, strconv.Itoa(base)).CombinedOutput()
	// Registered after t.TempDir, so it runs before the directory goes; a
	// SIGKILL, since a member stopping cleanly waits for a quorum that the
	// test may have taken away.
	t.Cleanup(func() {
		for i := range 3 {
			exec.Command("bash", e.script, "kill", e.dir, strconv.Itoa(i)).Run()
		}
	})
	if err != nil {
		t.Fatalf("etcd-cluster.sh start: %v\n%s%s", err, out, e.logs())
	}
	e.clients = strings.Split(strings.TrimSpace(lastLine(string(out))), ",")
	if len(e.clients) != 3 {
		t.Fatalf("etcd-cluster.sh printed %q, want three endpoints", out)
	}
	return e
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// logs is every member's log, for a failure message.
func (e *etcdProcs) logs() string {
	var b strings.Builder
	for i := range 3 {
		log, _ := os.ReadFile(filepath.Join(e.dir, fmt.Sprintf("m%d.log", i)))
		fmt.Fprintf(&b, "--- member %d\n%s", i, log)
	}
	return b.String()
}

func (e *etcdProcs) do(t *testing.T, cmd string, i int) {
	t.Helper()
	if out, err := exec.Command("bash", e.script, cmd, e.dir, strconv.Itoa(i)).CombinedOutput(); err != nil {
		t.Fatalf("etcd-cluster.sh %s %d: %v\n%s%s", cmd, i, err, out, e.logs())
	}
}

// kill9 kills member i with SIGKILL; restart starts it again from its data.
func (e *etcdProcs) kill9(t *testing.T, i int)   { e.do(t, "kill", i) }
func (e *etcdProcs) restart(t *testing.T, i int) { e.do(t, "restart", i) }

func (e *etcdProcs) client(t *testing.T) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: e.clients, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// raftLeader is the member that leads the etcd cluster's raft now.
func (e *etcdProcs) raftLeader(t *testing.T, cli *clientv3.Client) int {
	t.Helper()
	for i, ep := range e.clients {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		st, err := cli.Status(ctx, ep)
		cancel()
		if err == nil && st.Header.MemberId == st.Leader {
			return i
		}
	}
	t.Fatal("no etcd member leads")
	return -1
}

// revisions is each live member's revision as it answers itself ("" for
// one that does not answer).
func (e *etcdProcs) revisions(cli *clientv3.Client) []string {
	var revs []string
	for _, ep := range e.clients {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := cli.Status(ctx, ep)
		cancel()
		if err != nil {
			revs = append(revs, "")
			continue
		}
		revs = append(revs, strconv.FormatInt(st.Header.Revision, 10))
	}
	return revs
}

// freePortRun finds n consecutive free loopback ports and returns the first
// (etcd-cluster.sh takes a base port and the five after it).
func freePortRun(t *testing.T, n int) int {
	t.Helper()
	for range 100 {
		base := 20000 + 2*rand.IntN(6000) // below Linux's ephemeral ports (32768 on)
		var ls []net.Listener
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if len(ls) == n {
			return base
		}
	}
	t.Fatalf("no %d consecutive free ports", n)
	return 0
}

// nashraProc is the nashra binary serving as one replica, in its own
// directory (its config, pid file and log).
type nashraProc struct {
	name, bin, dir, config string
	port                   int
	cmd                    *exec.Cmd
}

// startNashraProc writes yaml (its listen address made this replica's
// port) and starts `nashra serve` on it.
func startNashraProc(t *testing.T, bin, name, yaml string) *nashraProc {
	t.Helper()
	p := &nashraProc{name: name, bin: bin, dir: t.TempDir(), port: freePort(t)}
	p.config = filepath.Join(p.dir, "config.yaml")
	p.write(t, yaml)
	p.start(t)
	t.Cleanup(p.kill9)
	return p
}

func (p *nashraProc) write(t *testing.T, yaml string) {
	t.Helper()
	yaml = strings.Replace(yaml, "listen: 127.0.0.1:0\n", fmt.Sprintf("listen: 127.0.0.1:%d\n", p.port), 1)
	if err := os.WriteFile(p.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (p *nashraProc) start(t *testing.T) {
	t.Helper()
	log, err := os.OpenFile(filepath.Join(p.dir, "log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	p.cmd = exec.Command(p.bin, "serve", "-config", p.config, "-log-format", "json")
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, p.name+" answering /healthz", func() bool { return fetch("/healthz", p).code == http.StatusOK })
}

// kill9 kills the process with SIGKILL: no shutdown path runs, its lease
// is left to expire.
func (p *nashraProc) kill9() {
	if p.cmd != nil && p.cmd.ProcessState == nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
}

func (p *nashraProc) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", p.port, path)
}
func (p *nashraProc) label() string { return p.name }

func (p *nashraProc) log() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "log"))
	return string(b)
}

// leads reports whether the election names this process now.
func (p *nashraProc) leads(cli *clientv3.Client, prefix string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	name, err := cluster.Leader(ctx, cli, prefix)
	return err == nil && strings.HasSuffix(name, fmt.Sprintf(" pid %d", p.cmd.Process.Pid))
}

// procCluster is what the process tests start from: the nashra binary,
// a 3-member etcd of processes and a client of it, and sources that count
// their requests behind a gate.
type procCluster struct {
	bin     string
	etcd    *etcdProcs
	cli     *clientv3.Client
	farm    *sourceFarm
	sources *gate
	names   []string
}

func newProcCluster(t *testing.T, sources, items int) *procCluster {
	t.Helper()
	c := &procCluster{bin: nashraBinary(t), etcd: startEtcdProcs(t), names: sourceNamesN(sources)}
	c.cli = c.etcd.client(t)
	c.farm = newSourceFarm(t, c.names, items)
	c.sources = newGate(c.farm)
	c.farm.srv.Config.Handler = c.sources
	return c
}

// leaderOf2 waits for one of two replicas to lead and returns it and the other.
func (c *procCluster) leaderOf2(t *testing.T, within time.Duration, prefix string, ps [2]*nashraProc) (leader, other *nashraProc) {
	t.Helper()
	waitUntil(t, within, "a leader", func() bool {
		for i, p := range ps {
			if p.leads(c.cli, prefix) {
				leader, other = p, ps[1-i]
				return true
			}
		}
		return false
	})
	return leader, other
}

// gate stands before a handler and holds every request to a held path
// until it is released; it records when each request arrived.
type gate struct {
	next http.Handler

	mu       sync.Mutex
	held     map[string]chan struct{}
	arrivals map[string][]time.Time
}

func newGate(next http.Handler) *gate {
	return &gate{next: next, held: map[string]chan struct{}{}, arrivals: map[string][]time.Time{}}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	g.mu.Lock()
	g.arrivals[name] = append(g.arrivals[name], time.Now())
	hold := g.held[name]
	g.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done(): // the fetching process died
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

func (g *gate) hold(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held[name] = make(chan struct{})
}

func (g *gate) release(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c := g.held[name]; c != nil {
		close(c)
		delete(g.held, name)
	}
}

// requests is when each request for name arrived.
func (g *gate) requests(name string) []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Time(nil), g.arrivals[name]...)
}
