package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// options is one benchmark run as the flags set it.
type options struct {
	feeds     []int // N: sources of 50 items each
	runs      int   // runs per N; medians are taken over them
	sizeItems int   // items stored for bytes per item (0: skipped)
	nashra    string
	root      string // module root, to build nashra when no binary is given
	workers   int
	perHost   int
	progress  io.Writer
	etcdDir   string // a cluster of scripts/etcd-cluster.sh: measure the etcd engine too ("" for bbolt only)
	memory    bool   // run nashra with GODEBUG=gctrace=1 and report its peak heap
	profile   string // a directory: each nashra poll writes its CPU profile there ("" for none)
}

const itemsPerFeed = 50

// bench is the state of one run: the feeds server, the nashra binary and a
// scratch directory removed at the end.
type bench struct {
	opt    options
	dir    string
	nashra string
	srv    *feedServer
	url    string
	corpus *corpus
	etcd   *etcdStore // nil: bbolt only
}

// run measures every scenario and writes the report to w.
func run(ctx context.Context, opt options, w io.Writer) error {
	dir, err := os.MkdirTemp("", "ingestbench-")
	if err != nil {
		return fmt.Errorf("ingestbench: scratch directory: %w", err)
	}
	defer os.RemoveAll(dir)
	b := &bench{opt: opt, dir: dir, nashra: opt.nashra, corpus: newCorpus()}
	if opt.etcdDir != "" {
		if b.etcd, err = openEtcdStore(opt.etcdDir); err != nil {
			return err
		}
		defer b.etcd.close()
	}
	if b.nashra == "" {
		if b.nashra, err = buildNashra(ctx, opt.root, dir); err != nil {
			return err
		}
	}
	b.srv = newFeedServer(time.Now().UTC().Truncate(time.Second))
	hs := httptest.NewServer(b.srv)
	defer hs.Close()
	b.url = hs.URL

	var results []result
	for _, n := range opt.feeds {
		rs, err := b.ingest(ctx, n)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	}
	var size *sizeResult
	if opt.sizeItems > 0 {
		if size, err = b.size(ctx, opt.sizeItems); err != nil {
			return err
		}
	}
	writeReport(w, results, size)
	return nil
}

// buildNashra builds the binary under test once.
func buildNashra(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "nashra")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/nashra")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ingestbench: go build ./cmd/nashra in %s: %w\n%s", root, err, out)
	}
	return bin, nil
}

// findRoot walks up from dir to the directory holding go.mod.
func findRoot(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("ingestbench: no go.mod above the working directory (use -nashra or -root)")
		}
		dir = up
	}
}

// writeFeeds generates feeds 0..n-1, writes each (version 0) to dir for the
// baseline and serves the same documents.
func (b *bench) writeFeeds(dir string, n int, spec func(i int) feedSpec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ingestbench: %w", err)
	}
	served := make(map[string]feed, n)
	for i := range n {
		f := b.corpus.generate(spec(i))
		name := fmt.Sprintf("s%05d.xml", i)
		if err := os.WriteFile(filepath.Join(dir, name), f.body(b.srv.base, 0), 0o644); err != nil {
			return fmt.Errorf("ingestbench: write feed: %w", err)
		}
		served["/"+name] = f
	}
	b.srv.set(served)
	return nil
}

// ingest measures, at n feeds, runs × (baseline, stories on, steady
// re-poll of that database, stories off), interleaved so that the
// machine's noise hits the baseline and nashra alike.
func (b *bench) ingest(ctx context.Context, n int) ([]result, error) {
	feedDir := filepath.Join(b.dir, fmt.Sprintf("feeds-%d", n))
	newest := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	err := b.writeFeeds(feedDir, n, func(i int) feedSpec {
		return feedSpec{index: i, items: itemsPerFeed, newest: newest, step: 7 * time.Minute, offset: time.Duration(i%60) * time.Second}
	})
	if err != nil {
		return nil, err
	}
	want := n * itemsPerFeed
	rs := []result{{feeds: n, scenario: scBaseline}, {feeds: n, scenario: scOn}, {feeds: n, scenario: scOff}, {feeds: n, scenario: scSteady}}
	if b.etcd != nil {
		rs = append(rs, result{feeds: n, scenario: scEtcdOn}, result{feeds: n, scenario: scEtcdOff}, result{feeds: n, scenario: scEtcdSteady})
	}
	for r := range b.opt.runs {
		b.logf("N=%d run %d/%d: gofeed", n, r+1, b.opt.runs)
		cmd, err := parseCommand(ctx, feedDir)
		if err != nil {
			return nil, err
		}
		s, out, err := measure(cmd)
		if err != nil {
			return nil, err
		}
		if got, err := parsedItems(out); err != nil || got != want {
			return nil, fmt.Errorf("ingestbench: the parser read %d items, want %d (%v)", got, want, err)
		}
		rs[0].samples = append(rs[0].samples, s)

		runDir := filepath.Join(b.dir, fmt.Sprintf("run-%d-%d", n, r))
		b.logf("N=%d run %d/%d: stories on", n, r+1, b.opt.runs)
		b.srv.setVersion(0)
		on, err := b.config(filepath.Join(runDir, "on"), n, true, "")
		if err != nil {
			return nil, err
		}
		if s, err = b.poll(ctx, on, want, want, fmt.Sprintf("n%d-run%d-stories-on", n, r+1)); err != nil {
			return nil, err
		}
		rs[1].samples = append(rs[1].samples, s)

		b.logf("N=%d run %d/%d: steady re-poll", n, r+1, b.opt.runs)
		b.srv.setVersion(1)
		if s, err = b.poll(ctx, on, 0, want, fmt.Sprintf("n%d-run%d-steady", n, r+1)); err != nil {
			return nil, err
		}
		rs[3].samples = append(rs[3].samples, s)

		b.logf("N=%d run %d/%d: stories off", n, r+1, b.opt.runs)
		b.srv.setVersion(0)
		off, err := b.config(filepath.Join(runDir, "off"), n, false, "")
		if err != nil {
			return nil, err
		}
		if s, err = b.poll(ctx, off, want, want, fmt.Sprintf("n%d-run%d-stories-off", n, r+1)); err != nil {
			return nil, err
		}
		rs[2].samples = append(rs[2].samples, s)
		if b.etcd != nil {
			if err := b.ingestEtcd(ctx, runDir, n, want, rs[4:]); err != nil {
				return nil, err
			}
		}
		if err := os.RemoveAll(runDir); err != nil {
			return nil, fmt.Errorf("ingestbench: %w", err)
		}
	}
	return rs, os.RemoveAll(feedDir)
}

// sizeSpan is how far back the bytes-per-item feeds date their items: the
// stored items of 29 days, inside the default 30-day retention, so that the
// 36-hour story window holds a realistic few thousand of them.
const sizeSpan = 29 * 24 * time.Hour

// size stores items (rounded to whole feeds of 50) in one poll with stories
// on, compacts the database and divides its size by the items stored.
func (b *bench) size(ctx context.Context, items int) (*sizeResult, error) {
	n := max(items/itemsPerFeed, 1)
	feedDir := filepath.Join(b.dir, "feeds-size")
	newest := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	step := sizeSpan / itemsPerFeed
	err := b.writeFeeds(feedDir, n, func(i int) feedSpec {
		return feedSpec{index: i, items: itemsPerFeed, newest: newest, step: step, offset: step * time.Duration(i) / time.Duration(n)}
	})
	if err != nil {
		return nil, err
	}
	b.srv.setVersion(0)
	want := n * itemsPerFeed
	cfg, err := b.config(filepath.Join(b.dir, "size"), n, true, "")
	if err != nil {
		return nil, err
	}
	b.logf("bytes per item: polling %d feeds", n)
	s, err := b.poll(ctx, cfg, want, want, "size")
	if err != nil {
		return nil, err
	}
	res := &sizeResult{feeds: n, items: want, poll: s, span: sizeSpan}
	db := filepath.Join(b.dir, "size", "nashra.db")
	if res.before, err = fileSize(db); err != nil {
		return nil, err
	}
	b.logf("bytes per item: nashra compact")
	if _, _, err := measure(exec.CommandContext(ctx, b.nashra, "compact", "-config", cfg)); err != nil {
		return nil, err
	}
	if res.after, err = fileSize(db); err != nil {
		return nil, err
	}
	if b.etcd != nil {
		if res.etcd, err = b.sizeEtcd(ctx, n, want); err != nil {
			return nil, err
		}
	}
	return res, os.RemoveAll(feedDir)
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("ingestbench: %w", err)
	}
	return fi.Size(), nil
}

// config writes a configuration polling the n served feeds into
// dir/nashra.db, or into the store storage says (a storage: key).
func (b *bench) config(dir string, n int, stories bool, storage string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("ingestbench: %w", err)
	}
	if storage == "" {
		storage = fmt.Sprintf("database: %s\n", filepath.Join(dir, "nashra.db"))
	}
	var y strings.Builder
	fmt.Fprintf(&y, "%sworkers: %d\nper_host: %d\ntimeout: 120s\nstories: {enabled: %v}\nsources:\n",
		storage, b.opt.workers, b.opt.perHost, stories)
	for i := range n {
		lang := "ar"
		if i%2 == 1 {
			lang = "fr"
		}
		fmt.Fprintf(&y, "  - {name: s%d, url: \"%s/s%05d.xml\", language: %s}\n", i, b.url, i, lang)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(y.String()), 0o600); err != nil {
		return "", fmt.Errorf("ingestbench: write config: %w", err)
	}
	return path, nil
}

// poll runs `nashra poll` and checks it stored what it should; with an
// etcd cluster, the members' CPU meanwhile is counted too. With -profile,
// nashra writes its CPU profile to name.prof in that directory.
func (b *bench) poll(ctx context.Context, config string, wantNew, wantStored int, name string) (sample, error) {
	var etcdBefore time.Duration
	if b.etcd != nil {
		var err error
		if etcdBefore, err = b.etcd.cpu(); err != nil {
			return sample{}, err
		}
	}
	cmd := exec.CommandContext(ctx, b.nashra, "poll", "-config", config)
	if b.opt.profile != "" {
		cmd.Args = append(cmd.Args, "-cpuprofile", filepath.Join(b.opt.profile, name+".prof"))
	}
	if b.opt.memory {
		cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	}
	s, out, err := measure(cmd)
	if err != nil {
		return s, err
	}
	if b.etcd != nil {
		after, err := b.etcd.cpu()
		if err != nil {
			return s, err
		}
		s.etcd = after - etcdBefore
	}
	sum, err := parsePoll(out)
	if err != nil {
		return s, err
	}
	if sum.failed > 0 || sum.added != wantNew || sum.stored != wantStored {
		return s, fmt.Errorf("ingestbench: nashra poll: %d failed, %d new, %d stored; want 0, %d, %d:\n%s", sum.failed, sum.added, sum.stored, wantNew, wantStored, out)
	}
	return s, nil
}

func (b *bench) logf(format string, args ...any) {
	if b.opt.progress != nil {
		fmt.Fprintf(b.opt.progress, "ingestbench: "+format+"\n", args...)
	}
}
