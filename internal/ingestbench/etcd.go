package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// etcdStore is a cluster that scripts/etcd-cluster.sh runs in a directory:
// where the etcd scenarios store, and whose members' CPU they count.
type etcdStore struct {
	endpoints []string
	pids      []int
	cli       *clientv3.Client
}

// openEtcdStore reads the cluster's endpoints and member pids from dir.
func openEtcdStore(dir string) (*etcdStore, error) {
	b, err := os.ReadFile(filepath.Join(dir, "endpoints"))
	if err != nil {
		return nil, fmt.Errorf("ingestbench: -etcd: %w (start one with scripts/etcd-cluster.sh start %s)", err, dir)
	}
	e := &etcdStore{endpoints: strings.Split(strings.TrimSpace(string(b)), ",")}
	files, _ := filepath.Glob(filepath.Join(dir, "m*.pid"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("ingestbench: -etcd: %w", err)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("ingestbench: -etcd: %s: %w", f, err)
		}
		e.pids = append(e.pids, pid)
	}
	if len(e.pids) == 0 {
		return nil, fmt.Errorf("ingestbench: -etcd: no member pid files in %s", dir)
	}
	e.cli, err = clientv3.New(clientv3.Config{Endpoints: e.endpoints, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return nil, fmt.Errorf("ingestbench: -etcd: %w", err)
	}
	return e, nil
}

func (e *etcdStore) close() { e.cli.Close() }

// storageYAML is nashra's storage key for this cluster under prefix.
func (e *etcdStore) storageYAML(prefix string) string {
	return fmt.Sprintf("storage: {engine: etcd, endpoints: [%s], prefix: %s}\n", strings.Join(e.endpoints, ", "), prefix)
}

// cpu is the user+system time the members have used so far.
func (e *etcdStore) cpu() (time.Duration, error) {
	var total time.Duration
	for _, pid := range e.pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, fmt.Errorf("ingestbench: etcd member %d: %w", pid, err)
		}
		t, err := statCPU(string(b))
		if err != nil {
			return 0, fmt.Errorf("ingestbench: etcd member %d: %w", pid, err)
		}
		total += t
	}
	return total, nil
}

// clockTick is Linux's USER_HZ, the unit of /proc/PID/stat's times (100 on
// every architecture Go runs Linux on).
const clockTick = 10 * time.Millisecond

// statCPU reads utime and stime (fields 14 and 15) of a /proc/PID/stat
// line; the command name before them may hold spaces, so fields are counted
// after its closing parenthesis.
func statCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("stat: no command name in %q", stat)
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("stat: %d fields after the name, want 13 or more", len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("stat: utime %q, stime %q", f[11], f[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// dbSize compacts the history, defragments every member and returns the
// largest member's database size: what the data occupies, as etcd's quota
// counts it.
func (e *etcdStore) dbSize(ctx context.Context) (int64, error) {
	resp, err := e.cli.Get(ctx, "\x00", clientv3.WithFromKey(), clientv3.WithCountOnly())
	if err != nil {
		return 0, fmt.Errorf("ingestbench: etcd revision: %w", err)
	}
	if _, err := e.cli.Compact(ctx, resp.Header.Revision, clientv3.WithCompactPhysical()); err != nil && !strings.Contains(err.Error(), "compacted") {
		return 0, fmt.Errorf("ingestbench: etcd compact: %w", err)
	}
	var size int64
	for _, ep := range e.endpoints {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		_, err := e.cli.Defragment(dctx, ep)
		if err == nil {
			var st *clientv3.StatusResponse
			st, err = e.cli.Status(dctx, ep)
			if err == nil {
				size = max(size, st.DbSize)
			}
		}
		cancel()
		if err != nil {
			return 0, fmt.Errorf("ingestbench: etcd defragment %s: %w", ep, err)
		}
	}
	return size, nil
}

// ingestEtcd is one run of the etcd scenarios at n feeds, each under a
// prefix of its own (deleting tens of thousands of keys at once times out
// on a busy machine; the few hundred MB left are far inside the quota):
// stories on, the steady re-poll of that store, stories off; rs are their
// three results.
func (b *bench) ingestEtcd(ctx context.Context, runDir string, n, want int, rs []result) error {
	steps := []struct {
		name, profile string // said on progress; the CPU profile's name (-profile)
		prefix        string
		version       int // of the served feeds
		stories       bool
		wantNew, row  int
	}{
		{"etcd, stories on", "etcd-stories-on", "on", 0, true, want, 0},
		{"etcd, steady re-poll", "etcd-steady", "on", 1, true, 0, 2},
		{"etcd, stories off", "etcd-stories-off", "off", 0, false, want, 1},
	}
	for _, st := range steps {
		b.logf("N=%d: %s", n, st.name)
		prefix := fmt.Sprintf("/ingestbench-%s-%s/", filepath.Base(runDir), st.prefix)
		cfg, err := b.config(filepath.Join(runDir, "etcd-"+st.prefix), n, st.stories, b.etcd.storageYAML(prefix))
		if err != nil {
			return err
		}
		b.srv.setVersion(st.version)
		s, err := b.poll(ctx, cfg, st.wantNew, want, fmt.Sprintf("n%d-%s-%s", n, filepath.Base(runDir), st.profile))
		if err != nil {
			return err
		}
		rs[st.row].samples = append(rs[st.row].samples, s)
	}
	return nil
}

// sizeEtcd polls the size feeds (already served) into a prefix of their
// own and measures what they add to the cluster's database, compacted and
// defragmented before and after.
func (b *bench) sizeEtcd(ctx context.Context, n, want int) (*etcdSize, error) {
	empty, err := b.etcd.dbSize(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := b.config(filepath.Join(b.dir, "size-etcd"), n, true, b.etcd.storageYAML("/ingestbench-size/"))
	if err != nil {
		return nil, err
	}
	b.logf("bytes per item on etcd: polling %d feeds", n)
	b.srv.setVersion(0)
	s, err := b.poll(ctx, cfg, want, want, "etcd-size")
	if err != nil {
		return nil, err
	}
	full, err := b.etcd.dbSize(ctx)
	if err != nil {
		return nil, err
	}
	return &etcdSize{empty: empty, full: full, poll: s}, nil
}

// etcdSize is the bytes-per-item measurement on etcd: the largest member's
// database, compacted and defragmented, before and after the poll.
type etcdSize struct {
	empty, full int64
	poll        sample
}
