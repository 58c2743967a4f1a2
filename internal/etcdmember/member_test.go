package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// member is one launcher process and how to start it again.
type member struct {
	name, client string
	args         []string
	log          string
	cmd          *exec.Cmd
}

func (m *member) start(t *testing.T, bin string) {
	t.Helper()
	f, err := os.OpenFile(m.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m.cmd = exec.Command(bin, m.args...)
	m.cmd.Stderr = f
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "etcdmember")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

func client(t *testing.T, endpoints ...string) *clientv3.Client {
	t.Helper()
	c, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// eventually retries fn until it succeeds or d passes.
func eventually(t *testing.T, d time.Duration, what string, fn func(ctx context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := fn(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %s: %v", what, d, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestThreeMembersSurviveAKill9 starts three launcher processes as one
// cluster, kills the leader with SIGKILL, writes through the two left,
// starts the killed member again from its data and sees it catch up, then
// stops every member with SIGTERM.
func TestThreeMembersSurviveAKill9(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	ports := freePorts(t, 6)
	var initial []string
	ms := make([]*member, 3)
	for i := range ms {
		peer := fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1])
		initial = append(initial, fmt.Sprintf("m%d=%s", i, peer))
		ms[i] = &member{name: fmt.Sprintf("m%d", i), client: fmt.Sprintf("http://127.0.0.1:%d", ports[2*i]), log: filepath.Join(dir, fmt.Sprintf("m%d.log", i))}
		ms[i].args = []string{"--name", ms[i].name, "--data-dir", filepath.Join(dir, ms[i].name),
			"--listen-client-urls", ms[i].client, "--listen-peer-urls", peer,
			"--heartbeat-interval", "50", "--election-timeout", "500", "--unsafe-no-fsync"}
	}
	for _, m := range ms {
		m.args = append(m.args, "--initial-cluster", strings.Join(initial, ","))
		m.start(t, bin)
	}
	t.Cleanup(func() {
		for _, m := range ms {
			if m.cmd.ProcessState == nil {
				m.cmd.Process.Kill()
				m.cmd.Wait()
			}
		}
	})
	all := client(t, ms[0].client, ms[1].client, ms[2].client)
	var leader int
	eventually(t, 15*time.Second, "a leader", func(ctx context.Context) error {
		for i, m := range ms {
			st, err := all.Status(ctx, m.client)
			if err != nil {
				return err
			}
			if st.Leader == 0 {
				return fmt.Errorf("%s has no leader", m.name)
			}
			if st.Leader == st.Header.MemberId {
				leader = i
			}
		}
		return nil
	})
	if _, err := all.Put(context.Background(), "before", "1"); err != nil {
		t.Fatal(err)
	}

	killed := ms[leader]
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.cmd.Wait()
	var rest []string
	for _, m := range ms {
		if m != killed {
			rest = append(rest, m.client)
		}
	}
	start := time.Now()
	eventually(t, 10*time.Second, "a write with the leader killed", func(ctx context.Context) error {
		_, err := client(t, rest...).Put(ctx, "during", "2")
		return err
	})
	t.Logf("leader %s killed: the two left took a write after %s", killed.name, time.Since(start).Round(time.Millisecond))

	killed.start(t, bin)
	alone := client(t, killed.client)
	eventually(t, 10*time.Second, "the restarted member caught up", func(ctx context.Context) error {
		// Serializable: what the member itself holds, not what it asks the leader.
		resp, err := alone.Get(ctx, "during", clientv3.WithSerializable())
		if err != nil {
			return err
		}
		if len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "2" {
			return fmt.Errorf("%s holds %v", killed.name, resp.Kvs)
		}
		return nil
	})

	for _, m := range ms {
		m.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- m.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				log, _ := os.ReadFile(m.log)
				t.Errorf("%s on SIGTERM: %v\n%s", m.name, err, log)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("%s still running 15 s after SIGTERM", m.name)
		}
	}
	log, _ := os.ReadFile(ms[0].log)
	if !strings.Contains(string(log), "m0 stopped on terminated") {
		t.Errorf("m0's log does not say it stopped:\n%s", log)
	}
}

func TestFlagsAreRefused(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing", nil, "are required"},
		{"a stray word", []string{"--name", "a", "serve"}, `unexpected argument "serve"`},
		{"a bad URL", []string{"--name", "a", "--data-dir", "d", "--listen-client-urls", "127.0.0.1:1", "--listen-peer-urls", "http://127.0.0.1:2"}, "--listen-client-urls"},
		{"an unknown flag", []string{"--frob"}, "frob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb strings.Builder
			if code := run(tt.args, &errb); code != 2 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tt.want)
			}
		})
	}
}

// consecutivePorts finds n free consecutive loopback ports.
func consecutivePorts(t *testing.T, n int) int {
	t.Helper()
	for base := 31000 + os.Getpid()%2000*4; base < 60000; base += n {
		free := true
		for p := base; p < base+n && free; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free consecutive ports")
	return 0
}

// TestClusterScript runs scripts/etcd-cluster.sh as CI will: start three
// members, kill one, write through the others, restart it, stop them all.
func TestClusterScript(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("the script needs curl")
	}
	dir := t.TempDir()
	script := filepath.Join("..", "..", "scripts", "etcd-cluster.sh")
	sh := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("bash", append([]string{script}, args...)...).Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("etcd-cluster.sh %v: %v\n%s", args, err, stderr)
		}
		return strings.TrimSpace(string(out))
	}
	base := consecutivePorts(t, 6)
	endpoints := sh("start", dir, fmt.Sprint(base))
	t.Cleanup(func() { exec.Command("bash", script, "stop", dir).Run() })
	want := fmt.Sprintf("http://127.0.0.1:%d,http://127.0.0.1:%d,http://127.0.0.1:%d", base, base+2, base+4)
	if endpoints != want {
		t.Fatalf("start printed %q, want %q", endpoints, want)
	}
	eps := strings.Split(endpoints, ",")
	sh("kill", dir, "1")
	eventually(t, 10*time.Second, "a write with m1 killed", func(ctx context.Context) error {
		_, err := client(t, eps[0], eps[2]).Put(ctx, "k", "v")
		return err
	})
	sh("restart", dir, "1")
	eventually(t, 10*time.Second, "m1 caught up", func(ctx context.Context) error {
		resp, err := client(t, eps[1]).Get(ctx, "k", clientv3.WithSerializable())
		if err == nil && len(resp.Kvs) != 1 {
			err = fmt.Errorf("m1 holds %v", resp.Kvs)
		}
		return err
	})
	sh("stop", dir)
	for i := range 3 {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("m%d.pid", i))); !os.IsNotExist(err) {
			t.Errorf("m%d.pid left after stop", i)
		}
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", base+2*i)); err == nil {
			c.Close()
			t.Errorf("m%d still listens after stop", i)
		}
	}
}
