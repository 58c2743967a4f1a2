package main

import (
	"math"
	"sync/atomic"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/metrics"
)

// newMetrics makes the collectors, with gauges read at scrape time from the
// pipeline p gives (made after the collectors, which watch its store open).
// A store out of reach gives the last values read: a scrape never waits for it.
func newMetrics(p func() *pipeline) *metrics.Metrics {
	var items, failing lastGauge
	m := metrics.New(
		func() float64 {
			return items.read(p(), func(p *pipeline) (float64, error) {
				n, err := p.store.Count()
				return float64(n), err
			})
		},
		func() float64 { return float64(p().store.Size()) },
		func() float64 {
			return failing.read(p(), func(p *pipeline) (float64, error) {
				states, err := p.states.States()
				n := 0
				for _, st := range states {
					if st.Failures > 0 || st.Unsaved != "" {
						n++
					}
				}
				return float64(n), err
			})
		},
	)
	m.CountStoreErrors(func() float64 { return float64(p().states.Errors()) })
	return m
}

// lastGauge is a gauge read from the store, keeping the last value read.
type lastGauge struct{ bits atomic.Uint64 }

func (g *lastGauge) read(p *pipeline, f func(*pipeline) (float64, error)) float64 {
	if p.reachable == nil || p.reachable() {
		if v, err := f(p); err == nil {
			g.bits.Store(math.Float64bits(v))
			return v
		}
	}
	return math.Float64frombits(g.bits.Load())
}

func recordPoll(m *metrics.Metrics, r aggregator.Result) {
	c := r.Counts
	m.Poll(r.Source, r.Status, r.HTTP, r.Fetch, map[string]int{
		"new": c.New, "updated": c.Updated, "unchanged": c.Unchanged,
		"duplicate": c.Duplicate, "merged": c.Merged, "pruned": c.Pruned,
	})
}
