package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// Item ids are made from base_url: a replica whose file says another than
// the one its store's replicas publish under would serve the same items
// under other ids (seen from outside). It is refused at start, and a reload
// that changes base_url on a shared store is refused too.
func TestClusterReplicaWithAnotherBaseURLRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("an etcd member and replicas: not in -short")
	}
	etcd := etcdtest.Start(t, 1)
	names := sourceNamesN(1)
	farm := newSourceFarm(t, names, 1)
	yaml := clusterYAML(etcd.Endpoints, "/baseurl/", "@every 1h", farm, names)
	first := startClusterReplica(t, "r0", yaml)

	other := strings.Replace(yaml, "base_url: http://nashra.test", "base_url: http://other.test", 1)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err == nil {
		svc.Stop()
		t.Fatal("a replica with another base_url started")
	}
	for _, want := range []string{path, `"http://other.test" is not "http://nashra.test"`, "etcdctl del /baseurl/meta/deployment/base_url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}

	cfg, err := config.Parse(path, []byte(other))
	if err != nil {
		t.Fatal(err)
	}
	if err := first.svc.apply(cfg); err == nil || !strings.Contains(err.Error(), "one base_url") {
		t.Errorf("a reload to another base_url: %v; want it refused", err)
	}
	if got := first.svc.config().BaseURL; got != "http://nashra.test" {
		t.Errorf("after the refused reload base_url is %q", got)
	}
}
