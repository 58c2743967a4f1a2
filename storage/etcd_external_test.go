package storage_test

import (
	"os"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/storage/enginetest"
)

// TestEtcdConformanceExternal runs the conformance suite against a cluster
// started outside the test (NASHRA_TEST_ETCD_ENDPOINTS, comma-separated):
// members as separate processes (scripts/etcd-cluster.sh), or another etcd
// release than the one go.mod names.
func TestEtcdConformanceExternal(t *testing.T) {
	eps := os.Getenv("NASHRA_TEST_ETCD_ENDPOINTS")
	if eps == "" {
		t.Skip("NASHRA_TEST_ETCD_ENDPOINTS not set")
	}
	enginetest.Run(t, etcdOpener(strings.Split(eps, ",")))
}
