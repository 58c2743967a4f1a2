package archive

import (
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// A proxy's copy (Google News) indexed before the outlet's own report must
// not be the line a grouped output shows; the outlet's report is, with the
// proxy among the related reports.
func TestProxyNeverFirstReportOverTheOutlet(t *testing.T) {
	s := openStories(t)
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	title := "ONCF : le trafic ferroviaire en hausse de 12% au premier trimestre 2026"
	save(t, s, report("gnews", "g1", "fr", title, t0))
	if c := save(t, s, report("le360", "l1", "fr", title, t0.Add(20*time.Minute))); c.Merged != 1 {
		t.Fatalf("the outlet's report did not join the proxy's story: %+v", c)
	}
	proxy := func(source string) bool { return source == "gnews" }
	tests := []struct {
		scenario string
		q        Query
		want     string
	}{
		{"no proxy known: the earliest report", Query{Limit: 10, Stories: true}, "g1"},
		{"the proxy is known: the outlet's report", Query{Limit: 10, Stories: true, Proxy: proxy}, "l1"},
		{"the outlet filtered out: the proxy's report", Query{Limit: 10, Stories: true, Proxy: proxy, Keep: func(it *news.Item) bool { return it.Source != "le360" }}, "g1"},
	}
	for _, tt := range tests {
		got, err := s.Newest(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Key != tt.want {
			var keys []string
			for _, it := range got {
				keys = append(keys, it.Key)
			}
			t.Errorf("%s: lines %v, want [%s]", tt.scenario, keys, tt.want)
		}
	}
}
