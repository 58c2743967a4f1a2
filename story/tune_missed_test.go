package story

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestTuneWindowMissed (NASHRA_TUNE=missed) says why the window kept each
// report apart from an earlier report of its story: the decision (weighed by
// the window), the story check, a contradiction with another member, or a
// join to another story first. NASHRA_SET=independent|independent2|independent3|independent4|independent5|independent6|independent7|independent8|independent9|independent10|independent11|independent12|independent13|independent14|independent15|independent16|independent17|independent18|independent19|independent20|independent21|first set.
func TestTuneWindowMissed(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "missed" {
		t.Skip("NASHRA_TUNE=missed")
	}
	var rows []evalRow
	for _, s := range writerSets(t) {
		if s.name == os.Getenv("NASHRA_SET") {
			rows = s.rows
		}
	}
	m := NewMatcher(0, 0, nil)
	w := m.NewWindow()
	reasons := map[string]int{}
	for _, r := range evalReports(rows) {
		var j int
		fmt.Sscanf(r.Key, "row%d", &j)
		rj := rows[j]
		jn, ok := w.Match(r)
		// the earlier reports of r's story, and what kept r from each one's story
		var why []string
		for key, e := range w.reports {
			var i int
			fmt.Sscanf(key, "row%d", &i)
			ri := rows[i]
			if ri.lang != rj.lang || ri.group != rj.group || ri.story != rj.story || ri.outlet == rj.outlet {
				continue
			}
			if ok && (jn.Match == key || (jn.Story != "" && jn.Story == e.Story)) {
				continue
			}
			eh, rh := e.headline(), w.prepare(r).headline()
			from, to := r.Time.Add(-m.window), r.Time.Add(m.window)
			df := w.DocFreq(r.Language, append(append([]string(nil), eh.terms...), rh.terms...), from, to, r.Key)
			ww := WindowWeights{Lang: r.Language, common: m.common, DocFreq: func(s string) int { return df[s] }}
			d := DecideApart(eh, rh, ww, m.params, apartIn(r.Time.Sub(e.Time), m.window))
			reason, detail := "", ""
			switch {
			case !d.Same:
				dx := m.Explain(ri.title, rj.title, r.Language, func(s string) int { return df[s] })
				reason = "decision: " + shortReason(dx)
				detail = fmt.Sprintf(" [%s; score %.3f, penalty %.3f (%s / %s), numbers %v / %v]", dx.Conflict, dx.Score, dx.Penalty, dx.RareA, dx.RareB, dx.NumbersA, dx.NumbersB)
				if d.Drift > 0 && d.Score >= m.params.Threshold {
					reason = "decision: only the drift"
				}
			case ok:
				reason = "joined another story first"
			default:
				var members []*Headline
				for _, o := range w.stories[e.Story] {
					members = append(members, o.headline())
				}
				if core, _ := Stray(rh, members, ww, m.params); core != "" && e.Story != "" {
					reason = "stray"
				} else if e.Story != "" {
					reason = "contradicts a member"
				} else {
					reason = "not a candidate"
				}
			}
			why = append(why, reason)
			if os.Getenv("NASHRA_SHOW") != "" {
				t.Logf("%s | %s: %s%s", ri.title, rj.title, reason, detail)
			}
		}
		for _, x := range why {
			reasons[x]++
		}
		if ok {
			r.Story = jn.Story
			if jn.Story == "" {
				w.SetStory(jn.Match, jn.Match)
				r.Story = jn.Match
			}
		}
		w.Add(r)
	}
	var keys []string
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return reasons[keys[i]] > reasons[keys[j]] })
	for _, k := range keys {
		t.Logf("%4d %s", reasons[k], k)
	}
}

func shortReason(d Decision) string {
	switch {
	case d.Conflict != "":
		return "conflict"
	case d.NumbersA != nil:
		return "numbers"
	case d.Anchor == "":
		return "no anchor"
	case len(d.Shared) < minShared:
		return "fewer than 2 shared"
	case d.Evidence < DefaultParams.MinEvidence:
		return "little evidence"
	case d.Penalty > 0 && d.Similarity >= d.Threshold:
		return "penalty"
	}
	return "low score"
}
