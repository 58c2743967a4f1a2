package archive

import (
	"context"
	"sync"
	"testing"

	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// Replicas starting together on an empty store agree on one value; later
// ones read it, whatever their own.
func TestAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("an etcd member: not in -short")
	}
	endpoints := etcdtest.Start(t, 1).Endpoints
	var replicas []*Archive
	for range 3 {
		a, err := New(openEtcd(t, endpoints, "/agree/"))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		replicas = append(replicas, a)
	}
	got := make([]string, len(replicas))
	var wg sync.WaitGroup
	for i, a := range replicas {
		wg.Go(func() {
			v, err := a.Agree(context.Background(), "base_url", []string{"https://a.ma", "https://b.ma", "https://c.ma"}[i])
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	if got[0] == "" || got[0] != got[1] || got[1] != got[2] {
		t.Fatalf("replicas starting together recorded %q", got)
	}
	later, err := replicas[0].Agree(context.Background(), "base_url", "https://other.ma")
	if err != nil || later != got[0] {
		t.Errorf("a later replica read %q, %v; want %q", later, err, got[0])
	}
}
