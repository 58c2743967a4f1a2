package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// scenario names, in the order of the table.
const (
	scBaseline = "gofeed parsing the same files from disk (child process)"
	scOn       = "nashra poll into an empty database, stories on"
	scOff      = "nashra poll into an empty database, stories off"
	scSteady   = "nashra re-poll, items unchanged, channel dates changed, no validators"

	scEtcdOn     = "nashra poll into an empty etcd store (3 member processes), stories on"
	scEtcdOff    = "nashra poll into an empty etcd store (3 member processes), stories off"
	scEtcdSteady = "nashra re-poll on etcd, items unchanged, channel dates changed, no validators"
)

// targets are issue 12's ceilings, as ratios to bare gofeed.
var targets = map[string]float64{scOn: 2, scOff: 1.5, scSteady: 1.2}

// maxBytesPerItem is issue 12's ceiling on disk: 1.5 KB per stored item
// (read strictly as 1,500 bytes).
const maxBytesPerItem = 1500

// result is one scenario's samples at one N (feeds × 50 items).
type result struct {
	feeds    int
	scenario string
	samples  []sample
}

// sizeResult is the bytes-per-item measurement.
type sizeResult struct {
	feeds, items  int
	before, after int64 // file size before and after nashra compact
	poll          sample
	span          time.Duration
	etcd          *etcdSize // the same items on etcd (with -etcd)
}

func (r sizeResult) perItem() float64 { return float64(r.after) / float64(r.items) }

// median of the samples' field (the lower middle of an even count).
func median(ss []sample, field func(sample) float64) float64 {
	if len(ss) == 0 {
		return 0
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = field(s)
	}
	slices.Sort(v)
	return v[(len(v)-1)/2]
}

func cpuSeconds(s sample) float64  { return s.cpu.Seconds() }
func wallSeconds(s sample) float64 { return s.wall.Seconds() }
func etcdSeconds(s sample) float64 { return s.etcd.Seconds() }
func rssMiB(s sample) float64      { return float64(s.rss) / (1 << 20) }
func heapMiB(s sample) float64     { return float64(s.heap) / (1 << 20) }

// verdict says whether value is at or under limit.
func verdict(value, limit float64) string {
	if value <= limit {
		return "met"
	}
	return "**missed**"
}

// writeReport prints the markdown tables: per N, each scenario's median CPU
// and its ratio to the gofeed baseline of the same run.
func writeReport(w io.Writer, results []result, size *sizeResult) {
	fmt.Fprintln(w, "| feeds × 50 items | scenario | CPU s (median) | CPU s per run | × gofeed | target | | wall s | etcd members' CPU s | peak RSS MiB | peak heap MiB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	base := map[int]float64{}
	for _, r := range results {
		if r.scenario == scBaseline {
			base[r.feeds] = median(r.samples, cpuSeconds)
		}
	}
	for _, r := range results {
		cpu := median(r.samples, cpuSeconds)
		runs := make([]string, len(r.samples))
		for i, s := range r.samples {
			runs[i] = fmt.Sprintf("%.2f", s.cpu.Seconds())
		}
		ratio, target, met := "1×", "", ""
		if r.scenario != scBaseline && base[r.feeds] > 0 {
			x := cpu / base[r.feeds]
			ratio = fmt.Sprintf("%.2f×", x)
			if limit, ok := targets[r.scenario]; ok {
				target, met = fmt.Sprintf("≤ %g×", limit), verdict(x, limit)
			}
		}
		etcd := ""
		if strings.Contains(r.scenario, "etcd") {
			etcd = fmt.Sprintf("%.2f", median(r.samples, etcdSeconds))
		}
		heap := ""
		if h := median(r.samples, heapMiB); h > 0 {
			heap = fmt.Sprintf("%.0f", h)
		}
		fmt.Fprintf(w, "| %d × 50 = %d | %s | %.2f | %s | %s | %s | %s | %.2f | %s | %.0f | %s |\n",
			r.feeds, r.feeds*50, r.scenario, cpu, strings.Join(runs, " "), ratio, target, met,
			median(r.samples, wallSeconds), etcd, median(r.samples, rssMiB), heap)
	}
	if size == nil {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| items stored | how | file after nashra compact | bytes per item | target | | poll CPU s | poll wall s |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	fmt.Fprintf(w, "| %d | %d feeds × 50 items dated over %.0f days, one nashra poll, stories on; %.1f MiB before compact | %.1f MiB | %.0f | ≤ 1.5 KB (%d B) | %s | %.2f | %.2f |\n",
		size.items, size.feeds, size.span.Hours()/24, float64(size.before)/(1<<20), float64(size.after)/(1<<20),
		size.perItem(), maxBytesPerItem, verdict(size.perItem(), maxBytesPerItem),
		size.poll.cpu.Seconds(), size.poll.wall.Seconds())
	if e := size.etcd; e != nil {
		per := float64(e.full-e.empty) / float64(size.items)
		fmt.Fprintf(w, "| %d | the same items polled into an etcd store of their own (3 member processes), then the history compacted and every member defragmented: the largest member's database, %.1f MiB before | %.1f MiB | %.0f | | | %.2f (etcd %.2f) | %.2f |\n",
			size.items, float64(e.empty)/(1<<20), float64(e.full)/(1<<20), per, e.poll.cpu.Seconds(), e.poll.etcd.Seconds(), e.poll.wall.Seconds())
	}
}
