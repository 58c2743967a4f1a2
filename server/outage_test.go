package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// A replica whose etcd goes away serves what it rendered last, says so on
// /sources and stays ready (until stale_after); with etcd back it serves
// the store afresh.
func TestServingThroughAStoreOutage(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	eng, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/outage/", RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	store, err := archive.New(eng)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := le360Config(t)
	first := news.Item{Key: "a", Source: "le360-fr", Title: "Premier titre", Language: "fr", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")}
	if _, err := store.SavePoll(context.Background(), "le360-fr", archive.SourceState{LastAttempt: at("2026-04-14T12:00:00Z")}, []news.Item{first}); err != nil {
		t.Fatal(err)
	}
	down := StoreStatus{Reachable: true}
	s := New(cfg, store, nil, nil).WithStoreStatus(func() StoreStatus { return down })
	s.renderRetry = 3 * time.Second
	paths := []string{"/feed.atom", "/feed.rss", "/feed.json", "/", "/ticker.txt", "/stories.json"}
	before := map[string]string{}
	for _, p := range append(paths, "/sources.json", "/readyz") {
		rec := serve(s, "GET", p)
		if rec.Code != 200 {
			t.Fatalf("%s: %d before the outage", p, rec.Code)
		}
		before[p] = rec.Body.String()
	}

	cluster.Stop(0)
	down = StoreStatus{Reachable: false, Since: time.Now(), Err: "session lost: its lease expired"}
	store.Changed() // what a commit seen just before the outage does: every render is out of date
	for _, p := range paths {
		start := time.Now()
		rec := serve(s, "GET", p)
		if rec.Code != 200 || rec.Body.String() != before[p] {
			t.Errorf("%s without etcd: %d, same body %v; want the last render", p, rec.Code, rec.Body.String() == before[p])
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s without etcd took %s", p, took)
		}
	}
	// A page this replica never rendered cannot be served from memory: 503
	// with Retry-After at once, so the balancer tries another replica (a
	// 500 after the store's timeout was seen from outside).
	for _, p := range []string{"/stories", "/feeds/" + cfg.Outputs[0].Name + "/embed"} {
		start := time.Now()
		rec := serve(s, "GET", p)
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || !strings.HasPrefix(rec.Header().Get(storeHeader), "unreachable since") {
			t.Errorf("%s, never rendered, without etcd: %d, Retry-After %q, %s %q; want 503 with both", p, rec.Code, rec.Header().Get("Retry-After"), storeHeader, rec.Header().Get(storeHeader))
		}
		if took := time.Since(start); took > 100*time.Millisecond {
			t.Errorf("%s, never rendered, without etcd took %s; want an answer at once", p, took)
		}
	}
	// A second request does not wait for the store again.
	start := time.Now()
	if rec := serve(s, "GET", "/feed.atom"); rec.Code != 200 || time.Since(start) > 100*time.Millisecond {
		t.Errorf("second request without etcd: %d in %s; want the held render at once", rec.Code, time.Since(start))
	}
	rec := serve(s, "GET", "/sources.json")
	var rows []sourceStatus
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &rows) != nil || len(rows) != 1 {
		t.Fatalf("/sources.json without etcd: %d %s", rec.Code, rec.Body)
	}
	if rows[0].ReadAt.IsZero() || rows[0].StoreUnreadable == "" || rows[0].LastAttempt.IsZero() {
		t.Errorf("/sources.json row without etcd: %+v; want the last states read, marked", rows[0])
	}
	if h := rec.Header().Get(storeHeader); !strings.HasPrefix(h, "unreachable since") {
		t.Errorf("%s: %q", storeHeader, h)
	}
	html := serve(s, "GET", "/sources").Body.String()
	for _, want := range []string{"cannot reach etcd", "its etcd session expired", "The store cannot be read"} {
		if !strings.Contains(html, want) {
			t.Errorf("/sources lacks %q", want)
		}
	}
	start = time.Now()
	if rec := serve(s, "GET", "/readyz"); rec.Code != 200 || time.Since(start) > 1500*time.Millisecond {
		t.Errorf("/readyz without etcd, fresh: %d in %s (%s); want 200 within a second", rec.Code, time.Since(start), rec.Body)
	}

	cluster.Restart(t, 0)
	down = StoreStatus{Reachable: true, Since: time.Now()}
	second := first
	second.Key, second.Title = "b", "Deuxième titre"
	second.Time, second.Changed = at("2026-04-14T13:00:00Z"), at("2026-04-14T13:00:00Z")
	for deadline := time.Now().Add(10 * time.Second); ; { // the client reconnects by itself
		_, err := store.SavePoll(context.Background(), "le360-fr", archive.SourceState{}, []news.Item{second})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no write 10 s after etcd came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(s.renderRetry) // the held renders are served until then
	if body := serve(s, "GET", "/ticker.txt").Body.String(); !strings.Contains(body, "Deuxième titre") {
		t.Errorf("with etcd back, the ticker is not rendered afresh:\n%s", body)
	}
	rec = serve(s, "GET", "/sources.json")
	if h := rec.Header().Get(storeHeader); h != "" || strings.Contains(rec.Body.String(), "store_unreadable") {
		t.Errorf("with etcd back, /sources still says %q / %s", h, rec.Body)
	}
}
