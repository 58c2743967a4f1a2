package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// migrateSource writes a bbolt store of n items from three sources, with
// their states, and returns its path.
func migrateSource(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nashra.db")
	s, err := archive.Open(path, archive.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 4, 14, 8, 0, 0, 0, time.UTC)
	for src := range 3 {
		name := fmt.Sprintf("outlet-%d", src)
		var items []news.Item
		for i := range n / 3 {
			key := fmt.Sprintf("%s-%05d", name, i)
			ts := at.Add(time.Duration(i) * time.Minute)
			items = append(items, news.Item{Key: key, Source: name, Identity: "guid:" + key, Link: "https://" + name + ".ma/" + key,
				Title: "headline " + key, Language: []string{"ar", "fr", "en"}[src], Categories: []string{"économie"},
				Time: ts, FirstSeen: ts, Changed: ts})
		}
		state := archive.SourceState{ETag: `"v1"`, LastSuccess: at, NextCheck: at.Add(10 * time.Minute), Status: 200}
		if _, err := s.SavePoll(context.Background(), name, state, items); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

type storeView struct {
	Count  int
	Ticker []news.Item
	States map[string]archive.SourceState
}

func readStore(t *testing.T, a *archive.Archive) storeView {
	t.Helper()
	var v storeView
	var err error
	if v.Count, err = a.Count(); err != nil {
		t.Fatal(err)
	}
	if v.Ticker, err = a.Newest(archive.Query{Limit: 10000}); err != nil {
		t.Fatal(err)
	}
	if v.States, err = a.States(); err != nil {
		t.Fatal(err)
	}
	return v
}

func readBolt(t *testing.T, path string) storeView {
	t.Helper()
	a, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	return readStore(t, a)
}

func runMigrate(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"migrate", "-log-level", "warn"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestMigrateRoundTrip(t *testing.T) {
	src := migrateSource(t, 300)
	want := readBolt(t, src)
	cluster := etcdtest.Start(t, 1)
	etcdSpec := "etcd:" + strings.Join(cluster.Endpoints, ",") + "/migrated/"

	code, out, errs := runMigrate("-from", "bbolt:"+src, "-to", etcdSpec)
	if code != 0 {
		t.Fatalf("bbolt → etcd exited %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, line := range []string{"migrating bbolt:" + src + " → " + etcdSpec, "TABLE SOURCE DESTINATION", "records 300 300", "sources 3 3",
		"300 items: the copy opens and counts 300, as the source does"} {
		if !strings.Contains(flat, line) {
			t.Errorf("stdout lacks %q:\n%s", line, out)
		}
	}

	back := filepath.Join(t.TempDir(), "back.db")
	if code, _, errs := runMigrate("-from", etcdSpec, "-to", "bbolt:"+back); code != 0 {
		t.Fatalf("etcd → bbolt exited %d: %s", code, errs)
	}
	if got := readBolt(t, back); !reflect.DeepEqual(got, want) {
		t.Errorf("the store copied there and back reads otherwise (%d items, want %d)", got.Count, want.Count)
	}

	// Neither destination takes a second copy.
	for _, to := range []string{etcdSpec, "bbolt:" + back} {
		code, _, errs := runMigrate("-from", "bbolt:"+src, "-to", to)
		if code != 1 || !strings.Contains(errs, "destination is not empty") {
			t.Errorf("a second copy into %s: exit %d, %s", to, code, errs)
		}
	}
}

func TestMigrateRefusals(t *testing.T) {
	src := migrateSource(t, 3)
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no -to", []string{"migrate", "-from", "bbolt:" + src}, 1, "give both -from and -to"},
		{"the same file", []string{"migrate", "-from", "bbolt:" + src, "-to", "bbolt:" + src}, 1, "are the same store"},
		{"a source that is not there", []string{"migrate", "-from", "bbolt:" + missing, "-to", "bbolt:" + missing + "2"}, 1, "no such file"},
		{"a bad spec", []string{"migrate", "-from", "sqlite:x", "-to", "bbolt:y"}, 1, `unknown engine "sqlite"`},
		{"-from with another command", []string{"-from", "bbolt:" + src, "check"}, 2, "-from belongs to `nashra migrate`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tt.code, tt.err)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("the missing source was created: %v", err)
	}
}

func TestMigrateRefusesAStoreInUse(t *testing.T) {
	src := migrateSource(t, 3)
	held, err := archive.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errs := runMigrate("-from", "bbolt:"+src, "-to", "bbolt:"+filepath.Join(t.TempDir(), "copy.db"))
	if code != 1 || !strings.Contains(errs, "database in use") || !strings.Contains(errs, "stop it before migrating") {
		t.Fatalf("migrating a store a running nashra holds: exit %d, %s", code, errs)
	}
}

// TestMigrateKilledThenRunAgain kills a real migrate process (SIGKILL)
// halfway through its copy: the destination is refused as a store, and the
// same command run again copies over the partial copy and completes.
func TestMigrateKilledThenRunAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := nashraBinary(t)
	src := migrateSource(t, 6000)
	cluster := etcdtest.Start(t, 1)
	prefix := "/killed/"
	to := "etcd:" + cluster.Endpoints[0] + prefix

	cmd := exec.Command(bin, "migrate", "-from", "bbolt:"+src, "-to", to, "-log-format", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		// Killed once the records are copied, with every index still to go.
		if strings.Contains(sc.Text(), `"table":"records"`) {
			cmd.Process.Kill()
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the migrate never logged its records table")
	}

	eng, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	_, err = archive.New(eng)
	eng.Close()
	if !errors.Is(err, archive.ErrIncompleteCopy) {
		t.Fatalf("the killed copy opens as: %v, want ErrIncompleteCopy (did the migrate finish before the kill?)", err)
	}

	out, err := exec.Command(bin, "migrate", "-from", "bbolt:"+src, "-to", to).Output()
	if err != nil {
		t.Fatalf("migrate again: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "that stopped: copied again over it") || !strings.Contains(string(out), "6000 items: the copy opens and counts 6000") {
		t.Errorf("migrate again printed:\n%s", out)
	}
}
