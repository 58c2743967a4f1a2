// Package metrics holds nashra's Prometheus collectors on a registry of its own.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the collectors the service updates. The zero value is not
// usable; make one with New. A nil *Metrics is valid and records nothing.
type Metrics struct {
	registry *prometheus.Registry

	polls         *prometheus.CounterVec
	fetchDuration *prometheus.HistogramVec
	httpStatus    *prometheus.CounterVec
	items         *prometheus.CounterVec
	render        *prometheus.HistogramVec
	requests      *prometheus.CounterVec
	pruned        prometheus.Counter
	webSub        *prometheus.CounterVec
	// The etcd engine's requests and the watch of its commits (nothing is
	// recorded with the bbolt engine).
	etcdDuration *prometheus.HistogramVec
	etcdErrors   *prometheus.CounterVec
	watchLag     prometheus.Histogram
}

// New registers every collector, with gauges read from the given functions
// at scrape time (items stored, database bytes, sources failing).
func New(itemsStored, dbBytes, sourcesFailing func() float64) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		registry: r,
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_polls_total", Help: "Polls by source and result (new, updated, unchanged, not-modified, error, skipped).",
		}, []string{"source", "result"}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nashra_fetch_duration_seconds", Help: "Time to fetch a source feed (HTTP only, after its wait for a per_host slot).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"source"}),
		httpStatus: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_fetch_http_responses_total", Help: "HTTP status codes sources answered with (0: no answer).",
		}, []string{"source", "code"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_items_total", Help: "Items seen in polled documents, by what storing them did (new, updated, unchanged, duplicate, merged, pruned).",
		}, []string{"outcome"}),
		render: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nashra_render_duration_seconds", Help: "Time to render an output in a format (cache misses only).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}, []string{"format"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_http_requests_total", Help: "Requests served, by route and status code (304s measure conditional hits).",
		}, []string{"route", "code"}),
		pruned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "nashra_items_pruned_total", Help: "Items removed by retention (tombstones kept).",
		}),
		webSub: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_websub_notifications_total", Help: "WebSub publish notifications sent to the hub, by result.",
		}, []string{"result"}),
		etcdDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nashra_etcd_request_duration_seconds", Help: "Requests to etcd (each attempt), by method (Range, Txn, LeaseGrant…).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5},
		}, []string{"method"}),
		etcdErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nashra_etcd_request_errors_total", Help: "Requests to etcd that failed (each attempt), by method.",
		}, []string{"method"}),
		watchLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "nashra_etcd_watch_lag_seconds", Help: "From a batch's commit (its writer's clock) to this replica's watch seeing it.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
	}
	r.MustRegister(m.polls, m.fetchDuration, m.httpStatus, m.items, m.render, m.requests, m.pruned, m.webSub,
		m.etcdDuration, m.etcdErrors, m.watchLag,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nashra_items_stored", Help: "Items in the database."}, itemsStored),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nashra_database_bytes", Help: "Size of the database file."}, dbBytes),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nashra_sources_failing", Help: "Sources whose last poll failed."}, sourcesFailing),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Poll records one poll's outcome.
func (m *Metrics) Poll(source, result string, status int, fetch time.Duration, counts map[string]int) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(source, result).Inc()
	if result == "skipped" {
		return
	}
	m.fetchDuration.WithLabelValues(source).Observe(fetch.Seconds())
	m.httpStatus.WithLabelValues(source, strconv.Itoa(status)).Inc()
	for outcome, n := range counts {
		if n > 0 {
			m.items.WithLabelValues(outcome).Add(float64(n))
		}
	}
}

// Render records one render of an output.
func (m *Metrics) Render(format string, d time.Duration) {
	if m == nil {
		return
	}
	m.render.WithLabelValues(format).Observe(d.Seconds())
}

// Request records one HTTP request served.
func (m *Metrics) Request(route string, code int) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
}

// Pruned records items removed by retention.
func (m *Metrics) Pruned(n int) {
	if m == nil || n == 0 {
		return
	}
	m.pruned.Add(float64(n))
}

// WebSub records one publish notification.
func (m *Metrics) WebSub(ok bool) {
	if m == nil {
		return
	}
	result := "ok"
	if !ok {
		result = "failed"
	}
	m.webSub.WithLabelValues(result).Inc()
}

// CountStoreErrors registers nashra_store_errors_total, read from total at
// scrape time: writes the database refused (a full disk, a read-only file).
func (m *Metrics) CountStoreErrors(total func() float64) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "nashra_store_errors_total", Help: "Writes to the database that failed (polls and source states not stored).",
	}, total))
}

// EtcdRequest records one request to etcd.
func (m *Metrics) EtcdRequest(method string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.etcdDuration.WithLabelValues(method).Observe(took.Seconds())
	if err != nil {
		m.etcdErrors.WithLabelValues(method).Inc()
	}
}

// WatchLag records how long a commit took to reach this replica's watch.
func (m *Metrics) WatchLag(d time.Duration) {
	if m == nil {
		return
	}
	m.watchLag.Observe(max(d, 0).Seconds())
}

// Cluster registers what a replica of several reports, read at scrape time:
// whether it leads, how many times it became the leader, and whether it
// reaches etcd.
func (m *Metrics) Cluster(leading func() bool, elections func() uint64, reachable func() bool) {
	if m == nil {
		return
	}
	bit := func(f func() bool) func() float64 {
		return func() float64 {
			if f() {
				return 1
			}
			return 0
		}
	}
	m.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nashra_cluster_leader", Help: "1 while this replica leads (polls, prunes, pings hubs), 0 while it follows."}, bit(leading)),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "nashra_cluster_elections_total", Help: "Times this replica became the leader (summed over replicas: the cluster's elections)."},
			func() float64 { return float64(elections()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "nashra_store_reachable", Help: "1 while this replica holds a live session with etcd, 0 while it serves its last renders without it."}, bit(reachable)),
	)
}
