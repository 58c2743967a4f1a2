package main

import (
	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/metrics"
)

// newMetrics makes the collectors, with gauges read at scrape time from the
// pipeline p gives (made after the collectors, which watch its store open).
func newMetrics(p func() *pipeline) *metrics.Metrics {
	m := metrics.New(
		func() float64 {
			n, _ := p().store.Count()
			return float64(n)
		},
		func() float64 { return float64(p().store.Size()) },
		func() float64 {
			states, _ := p().states.States()
			failing := 0
			for _, st := range states {
				if st.Failures > 0 || st.Unsaved != "" {
					failing++
				}
			}
			return float64(failing)
		},
	)
	m.CountStoreErrors(func() float64 { return float64(p().states.Errors()) })
	return m
}

func recordPoll(m *metrics.Metrics, r aggregator.Result) {
	c := r.Counts
	m.Poll(r.Source, r.Status, r.HTTP, r.Fetch, map[string]int{
		"new": c.New, "updated": c.Updated, "unchanged": c.Unchanged,
		"duplicate": c.Duplicate, "merged": c.Merged, "pruned": c.Pruned,
	})
}
