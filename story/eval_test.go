package story

import (
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// TestEvaluation measures the default settings on the labelled set: every
// pair of headlines of one topic and language, same story or not.
func TestEvaluation(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	at := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	type counts struct{ tp, fp, fn, tn int }
	byLang := map[string]*counts{}
	var all counts
	for _, p := range loadPairs(t) {
		a := &news.Item{Title: p.a.text, Language: p.a.lang, Time: at}
		b := &news.Item{Title: p.b.text, Language: p.b.lang, Time: at.Add(3 * time.Hour)}
		got := m.Same(a, b)
		c := byLang[p.a.lang]
		if c == nil {
			c = &counts{}
			byLang[p.a.lang] = c
		}
		for _, k := range []*counts{c, &all} {
			switch {
			case got && p.same:
				k.tp++
			case got && !p.same:
				k.fp++
			case !got && p.same:
				k.fn++
			default:
				k.tn++
			}
		}
		if got && !p.same {
			t.Logf("merged two different stories: %q | %q (score %.3f)", p.a.text, p.b.text, m.Score(p.a.text, p.b.text))
		}
	}
	pr := func(c *counts) (float64, float64) {
		return float64(c.tp) / float64(c.tp+c.fp), float64(c.tp) / float64(c.tp+c.fn)
	}
	for lang, c := range byLang {
		p, r := pr(c)
		t.Logf("%s: %d same-story pairs, %d different; precision %.3f recall %.3f", lang, c.tp+c.fn, c.fp+c.tn, p, r)
	}
	p, r := pr(&all)
	t.Logf("all: %d same-story pairs, %d different; precision %.3f recall %.3f (threshold %.2f)", all.tp+all.fn, all.fp+all.tn, p, r, DefaultThreshold)
	if all.tp+all.fn < 150 || all.fp+all.tn < 300 {
		t.Fatalf("evaluation set too small: %d same, %d different", all.tp+all.fn, all.fp+all.tn)
	}
	if p < 0.98 || r < 0.85 {
		t.Fatalf("precision %.3f (want ≥ 0.98), recall %.3f (want ≥ 0.85)", p, r)
	}
}

func TestSameNeverAcrossLanguagesOrWindow(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	at := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	ar := &news.Item{Title: "نشرة إنذارية: زخات رعدية قوية", Language: "ar", Time: at}
	if !m.Same(ar, &news.Item{Title: "عاجل.. نشرة إنذارية: زخات رعدية قوية (و م ع)", Language: "ar", Time: at.Add(time.Hour)}) {
		t.Error("wire copy not merged")
	}
	if m.Same(ar, &news.Item{Title: ar.Title, Language: "fr", Time: at}) {
		t.Error("merged across languages")
	}
	if m.Same(ar, &news.Item{Title: ar.Title, Language: "ar", Time: at.Add(37 * time.Hour)}) {
		t.Error("merged outside the window")
	}
}
