package server

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// BenchmarkServeEngines serves the same 500 items from bbolt and from etcd:
// a render of the newest 100 as Atom (the store read, encoding and gzip),
// and a cached /feed.atom through the handler. The etcd store is on the
// cluster NASHRA_BENCH_ETCD names (its client URLs, comma-separated: those
// scripts/etcd-cluster.sh prints), else on one member in this process.
func BenchmarkServeEngines(b *testing.B) {
	for _, engine := range []string{"bbolt", "etcd"} {
		store := testStore(b)
		if engine == "etcd" {
			store = etcdBenchStore(b)
		}
		s, _ := newTestServerOn(b, store, benchItems()...)
		out := &s.config().Outputs[0]
		b.Run(engine+"/render", func(b *testing.B) {
			for b.Loop() {
				s.cache.entries = map[cacheKey]*rendered{} // force a render
				if _, err := s.get(s.config(), out, formatAtom); err != nil {
					b.Fatal(err)
				}
			}
		})
		h := s.Handler()
		req := httptest.NewRequest("GET", "/feed.atom", nil)
		b.Run(engine+"/cached", func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// etcdBenchStore is an empty store under a prefix of its own.
func etcdBenchStore(b *testing.B) *archive.Archive {
	b.Helper()
	endpoints := strings.Split(os.Getenv("NASHRA_BENCH_ETCD"), ",")
	if endpoints[0] == "" {
		endpoints = etcdtest.Start(b, 1).Endpoints
	}
	eng, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: endpoints, Prefix: fmt.Sprintf("/bench-%d/", time.Now().UnixNano())})
	if err != nil {
		b.Fatal(err)
	}
	store, err := archive.New(eng)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	return store
}
