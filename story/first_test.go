package story

import "testing"

// An aggregator proxy (Google News) repeats an outlet's report, often
// indexed earlier than the outlet's own feed is read: it must not be shown as
// the story's first report while the outlet's own report can be.
func TestFirstReport(t *testing.T) {
	p, o := Candidate{Eligible: true, Proxy: true}, Candidate{Eligible: true}
	hidden := Candidate{Eligible: false}
	tests := []struct {
		scenario string
		members  []Candidate // earliest first
		want     int
	}{
		{"the earliest outlet", []Candidate{o, o}, 0},
		{"a proxy earlier than the outlet it copies", []Candidate{p, o}, 1},
		{"two proxies before the outlet", []Candidate{p, p, o}, 2},
		{"only proxies: the earliest of them", []Candidate{p, p}, 0},
		{"the outlet is filtered out of this output: the proxy", []Candidate{p, hidden}, 0},
		{"nothing eligible", []Candidate{hidden, hidden}, -1},
		{"no members", nil, -1},
	}
	for _, tt := range tests {
		if got := FirstReport(tt.members); got != tt.want {
			t.Errorf("%s: FirstReport = %d, want %d", tt.scenario, got, tt.want)
		}
	}
}
