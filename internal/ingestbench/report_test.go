package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func cpus(secs ...float64) []sample {
	out := make([]sample, len(secs))
	for i, s := range secs {
		out[i] = sample{cpu: time.Duration(s * float64(time.Second))}
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []sample
		want float64
	}{
		{"none", nil, 0},
		{"one", cpus(2), 2},
		{"odd count: the middle, whatever the order", cpus(9, 1, 3), 3},
		{"an outlier does not move it", cpus(1.1, 1.2, 60), 1.2},
		{"even count: the lower middle", cpus(4, 1, 3, 2), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := median(tc.in, cpuSeconds); got != tc.want {
				t.Errorf("median = %g, want %g", got, tc.want)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		name         string
		value, limit float64
		want         string
	}{
		{"under", 1.1, 1.2, "met"},
		{"at the limit is met", 2, 2, "met"},
		{"over", 2.01, 2, "**missed**"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdict(tc.value, tc.limit); got != tc.want {
				t.Errorf("verdict(%g, %g) = %q, want %q", tc.value, tc.limit, got, tc.want)
			}
		})
	}
}

func TestParsePoll(t *testing.T) {
	for _, tc := range []struct {
		name    string
		out     string
		want    pollSummary
		wantErr bool
	}{
		{"summary after the table", "SOURCE  RESULT\ns0  new\n200 sources, 0 failed, 10000 new items, 10000 stored\n", pollSummary{200, 0, 10000, 10000}, false},
		{"after disabled-source lines", "x: disabled in the config, not polled\n3 sources, 1 failed, 0 new items, 7 stored\n", pollSummary{3, 1, 0, 7}, false},
		{"no summary (nashra failed early)", "nashra: open db: timeout\n", pollSummary{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePoll(tc.out)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("parsePoll = %+v, %v; want %+v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// Ratios are against the baseline of the same N, and the verdicts follow
// issue 12's targets.
func TestWriteReportRatios(t *testing.T) {
	var out bytes.Buffer
	writeReport(&out, []result{
		{feeds: 200, scenario: scBaseline, samples: cpus(1, 1.2, 1.1)},
		{feeds: 200, scenario: scOn, samples: cpus(2.2, 2.1, 2.3)},
		{feeds: 200, scenario: scOff, samples: cpus(1.6, 1.5, 1.65)},
		{feeds: 1000, scenario: scBaseline, samples: cpus(10)},
		{feeds: 1000, scenario: scSteady, samples: cpus(11)},
	}, &sizeResult{feeds: 1440, items: 72000, after: 72000 * 1600, span: 29 * 24 * time.Hour})
	report := out.String()
	for _, want := range []string{
		"| 200 × 50 = 10000 | " + scOn + " | 2.20 | 2.20 2.10 2.30 | 2.00× | ≤ 2× | met |",
		"| 200 × 50 = 10000 | " + scOff + " | 1.60 | 1.60 1.50 1.65 | 1.45× | ≤ 1.5× | met |",
		"| 1000 × 50 = 50000 | " + scSteady + " | 11.00 | 11.00 | 1.10× | ≤ 1.2× | met |",
		"| 1600 | ≤ 1.5 KB (1500 B) | **missed** |",
		"over 29 days",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}
