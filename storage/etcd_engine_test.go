package storage_test

import (
	"fmt"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/enginetest"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// etcdOpener opens each test's engine under its own prefix of one cluster.
func etcdOpener(endpoints []string) enginetest.Opener {
	n := 0
	return enginetest.Opener{
		Open: func(t *testing.T) storage.Engine {
			n++
			cfg := storage.EtcdConfig{Endpoints: endpoints, Prefix: fmt.Sprintf("/conformance/%d/", n)}
			e, err := storage.OpenEtcd(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.Close() })
			return e
		},
		Reopen: func(t *testing.T, e storage.Engine) storage.Engine {
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			e2, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: endpoints, Prefix: fmt.Sprintf("/conformance/%d/", n)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e2.Close() })
			return e2
		},
	}
}

func TestEtcdConformance(t *testing.T) {
	enginetest.Run(t, etcdOpener(etcdtest.Start(t, 1).Endpoints))
}

func TestEtcdConformanceThreeMembers(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3-member cluster: not in -short")
	}
	enginetest.Run(t, etcdOpener(etcdtest.Start(t, 3).Endpoints))
}
