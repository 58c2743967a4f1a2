package server

import (
	"testing"
	"time"
)

// Replicas of one shared store start at different moments (a deploy rolls
// them one by one) but must serve the same bytes under the same ETag for
// every URL the balancer may send to any of them, the sources OPML too: in a
// shared store it is not dated by the replica's own start. One replica
// alone keeps dating it by when its config was put in force.
func TestSourcesOPMLSameOnEveryReplica(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: hespress-ar, title: هسبريس, url: "https://hespress.com/feed", language: ar}
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
`)
	store := testStore(t)
	shared := func() StoreStatus { return StoreStatus{Reachable: true} }
	first := New(cfg, store, nil, nil).WithStoreStatus(shared)
	time.Sleep(1100 * time.Millisecond) // the OPML's date has a resolution of a second
	second := New(cfg, store, nil, nil).WithStoreStatus(shared)
	a, b := serve(first, "GET", "/sources.opml"), serve(second, "GET", "/sources.opml")
	if a.Code != 200 || b.Code != 200 {
		t.Fatalf("status %d and %d", a.Code, b.Code)
	}
	if a.Body.String() != b.Body.String() {
		t.Errorf("replicas serve different OPML:\n%s\n---\n%s", a.Body, b.Body)
	}
	if ea, eb := a.Header().Get("ETag"), b.Header().Get("ETag"); ea == "" || ea != eb {
		t.Errorf("ETags %q and %q, want one", ea, eb)
	}

	alone := New(cfg, store, nil, nil)
	if lm := serve(alone, "GET", "/sources.opml").Header().Get("Last-Modified"); lm == "" {
		t.Error("one replica alone: no Last-Modified on the sources OPML")
	}
}
