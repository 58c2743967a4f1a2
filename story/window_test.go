package story

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func rep(key, source, title string, at time.Time) Report {
	return Report{Key: key, Source: source, Language: "fr", Title: title, Time: at}
}

// term is the index term a word is held under.
func term(word string) string { return Tokens(Normalize(word, nil))[0] }

// TestWindowMatch: the decision for a new report, from what the window holds.
func TestWindowMatch(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	tests := []struct {
		name      string
		held      []Report
		setup     func(w *Window)
		r         Report
		wantOK    bool
		wantMatch string
		wantStory string
	}{
		{"an empty window: no story", nil, nil, rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
		{"a copy of a report in no story: joins it, the caller makes the story",
			[]Report{rep("a", "map", strikeCasa, joinT0.Add(-time.Hour))}, nil,
			rep("new", "hespress", strikeCopy, joinT0), true, "a", ""},
		{"a copy of a story's report: joins that story",
			[]Report{rep("a", "map", strikeCasa, joinT0.Add(-time.Hour))}, func(w *Window) { w.SetStory("a", "a") },
			rep("new", "hespress", strikeCopy, joinT0), true, "a", "a"},
		{"another language's copy is not looked at",
			[]Report{{Key: "a", Source: "map", Language: "ar", Title: strikeCasa, Time: joinT0}}, nil,
			rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
		{"a report outside the window is not looked at",
			[]Report{rep("a", "map", strikeCasa, joinT0.Add(-DefaultWindow-time.Second))}, nil,
			rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
		{"a later report inside the window is looked at",
			[]Report{rep("a", "map", strikeCasa, joinT0.Add(DefaultWindow))}, nil,
			rep("new", "hespress", strikeCopy, joinT0), true, "a", ""},
		{"the window holding the report itself: never its own match",
			[]Report{rep("new", "hespress", strikeCopy, joinT0)}, nil,
			rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
		{"an editor's split report is never joined",
			[]Report{{Key: "a", Source: "map", Language: "fr", Title: strikeCasa, Time: joinT0, Split: true}}, nil,
			rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
		{"a story a member of which it contradicts is not joined",
			[]Report{rep("a", "map", fuelBare, joinT0.Add(-time.Hour)), {Key: "m", Source: "le360", Language: "fr", Title: fuel20, Time: joinT0.Add(-2 * time.Hour), Story: "s"}},
			func(w *Window) { w.SetStory("a", "s") },
			rep("new", "hespress", fuel35, joinT0), false, "", ""},
		{"a rewrite that names the country in another form is a candidate (Ghana, ghanéen)",
			[]Report{rep("a", "map", "M. Bourita s'entretient à Rabat avec son homologue ghanéen", joinT0.Add(-time.Hour))}, nil,
			rep("new", "hespress", "Maroc-Ghana: Nasser Bourita reçoit le chef de la diplomatie ghanéenne", joinT0), true, "a", ""},
		{"a replaced report is matched by its new title, not its old one",
			[]Report{rep("a", "map", unrelated, joinT0), rep("a", "map", strikeCasa, joinT0)}, nil,
			rep("new", "hespress", strikeCopy, joinT0), true, "a", ""},
		{"a replaced report is not matched by its old title",
			[]Report{rep("a", "map", strikeCasa, joinT0), rep("a", "map", unrelated, joinT0)}, nil,
			rep("new", "hespress", strikeCopy, joinT0), false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := m.NewWindow()
			for _, r := range tt.held {
				w.Add(r)
			}
			if tt.setup != nil {
				tt.setup(w)
			}
			j, ok := w.Match(tt.r)
			if ok != tt.wantOK || j.Match != tt.wantMatch || j.Story != tt.wantStory {
				t.Errorf("Match = %+v, %v; want match %q story %q, %v", j, ok, tt.wantMatch, tt.wantStory, tt.wantOK)
			}
		})
	}
}

// TestWindowEvict: evicted reports are neither matched, nor counted, nor
// checked as members of their story.
func TestWindowEvict(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	w := m.NewWindow()
	old := Report{Key: "m", Source: "le360", Language: "fr", Title: fuel20, Time: joinT0.Add(-3 * time.Hour), Story: "s"}
	w.Add(old)
	w.Add(Report{Key: "a", Source: "map", Language: "fr", Title: fuelBare, Time: joinT0.Add(-time.Hour), Story: "s"})
	w.Add(rep("b", "snrt", strikeCasa, joinT0.Add(-2*time.Hour)))
	r := rep("new", "hespress", fuel35, joinT0)
	if _, ok := w.Match(r); ok {
		t.Fatal("before eviction: joined a story whose member names another figure")
	}
	if n := w.Evict(joinT0.Add(-90 * time.Minute)); n != 2 {
		t.Errorf("Evict = %d, want 2 (m and b, before the cut)", n)
	}
	if w.Len() != 1 {
		t.Errorf("Len = %d after eviction, want 1", w.Len())
	}
	if j, ok := w.Match(r); !ok || j.Match != "a" || j.Story != "s" {
		t.Errorf("after eviction: Match = %+v, %v; want story s through a (the contradicting member is gone)", j, ok)
	}
	if _, ok := w.Match(rep("new2", "hespress", strikeCopy, joinT0)); ok {
		t.Error("an evicted report was matched")
	}
	df := w.DocFreq("fr", []string{term("chauffeurs"), term("gasoil")}, joinT0.Add(-DefaultWindow), joinT0, "")
	if df[term("chauffeurs")] != 0 || df[term("gasoil")] != 1 {
		t.Errorf("DocFreq after eviction = %v, want chauffeurs 0, gasoil 1", df)
	}
	if n := w.Evict(joinT0.Add(-90 * time.Minute)); n != 0 {
		t.Errorf("a second Evict at the same cut = %d, want 0", n)
	}
	w.Add(old) // the evicted report comes back (a rebuild): indexed again
	if _, ok := w.Match(r); ok {
		t.Error("a report added again after eviction is not checked as its story's member")
	}
}

// TestWindowRemoveStoryMember: a removed member no longer blocks its
// story, is no longer matched, and the story keeps its other reports.
func TestWindowRemoveStoryMember(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	w := m.NewWindow()
	w.Add(Report{Key: "m", Source: "le360", Language: "fr", Title: fuel20, Time: joinT0.Add(-2 * time.Hour), Story: "s"})
	w.Add(Report{Key: "a", Source: "map", Language: "fr", Title: fuelBare, Time: joinT0.Add(-time.Hour), Story: "s"})
	r := rep("new", "hespress", fuel35, joinT0)
	if _, ok := w.Match(r); ok {
		t.Fatal("joined a story whose member names another figure")
	}
	w.Remove("m")
	w.Remove("m") // twice: nothing more happens
	if w.Len() != 1 {
		t.Errorf("Len = %d, want 1", w.Len())
	}
	if j, ok := w.Match(r); !ok || j.Match != "a" || j.Story != "s" {
		t.Errorf("Match = %+v, %v; want story s through a", j, ok)
	}
	if j, ok := w.Match(rep("new2", "hespress", fuel20, joinT0)); ok && j.Match == "m" {
		t.Error("a removed report was matched")
	}
	w.SetStory("a", "") // taken out of its story (an editor's split)
	if j, ok := w.Match(r); !ok || j.Story != "" {
		t.Errorf("after SetStory(a, \"\"): Match = %+v, %v; want a in no story", j, ok)
	}
}

// TestWindowCommonTerm: a term more than maxPosting reports of the window
// carry does not count as shared (its document frequency is the cap);
// exactly maxPosting still counts; reports outside ±window are not counted.
func TestWindowCommonTerm(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	seisme := term("séisme")
	tests := []struct {
		name         string
		fillers      int // reports carrying séisme and two words of their own
		outside      int // of them, this many 37 hours before: outside the window
		holdSelf     bool
		wantDF       int
		wantExamined int // the candidate sharing séisme + 1 word is compared only when séisme counts
	}{
		{"149 others and the candidate: 150, counted", 149, 0, false, 150, 1},
		{"150 others and the candidate: 151, too common", 150, 0, false, 150, 0},
		{"151 carry it but one is outside the window: counted", 150, 1, false, 150, 1},
		{"151 with the new report itself among them: it is left out, counted", 149, 0, true, 150, 1},
		{"a few: counted, its count is its frequency", 10, 0, false, 11, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := m.NewWindow()
			for i := range tt.fillers {
				at := joinT0.Add(-time.Duration(i) * time.Second)
				if i < tt.outside {
					at = joinT0.Add(-37 * time.Hour)
				}
				w.Add(rep(fmt.Sprintf("f%03d", i), fmt.Sprintf("outlet%d", i), "séisme "+word(i)+"ka "+word(i)+"mo", at))
			}
			w.Add(rep("cand", "map", "séisme immeuble", joinT0.Add(-time.Hour)))
			r := rep("new", "hespress", "séisme immeuble effondré", joinT0)
			if tt.holdSelf {
				w.Add(r)
			}
			if df := w.DocFreq("fr", []string{seisme}, joinT0.Add(-DefaultWindow), joinT0.Add(DefaultWindow), "new"); df[seisme] != tt.wantDF {
				t.Errorf("DocFreq = %d, want %d", df[seisme], tt.wantDF)
			}
			j, _ := w.Match(r)
			if j.Examined != tt.wantExamined {
				t.Errorf("Match examined %d candidates, want %d", j.Examined, tt.wantExamined)
			}
		})
	}
}

// word is a distinct made-up word for i (letters only: a digit would be a number).
func word(i int) string {
	return string([]byte{'b' + byte(i/400), 'a' + byte(i/20%20), 'c' + byte(i%20)})
}

// TestWindowConcurrentReaders: Match, DocFreq and Len while the writer adds,
// tags, removes and evicts (run with -race).
func TestWindowConcurrentReaders(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	w := m.NewWindow()
	titles := []string{strikeCasa, strikeCopy, strikeMkch, strikeBare, fuel35, fuel20, fuelBare, unrelated}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := rep(fmt.Sprintf("r%d-%d", g, i), "reader", titles[i%len(titles)], joinT0.Add(time.Duration(i)*time.Minute))
				w.Match(r)
				w.DocFreq("fr", []string{term("taxi")}, r.Time.Add(-time.Hour), r.Time, "")
				w.Len()
			}
		}()
	}
	for i := range 400 {
		at := joinT0.Add(time.Duration(i) * time.Minute)
		r := rep(fmt.Sprintf("w%d", i), fmt.Sprintf("outlet%d", i%7), titles[i%len(titles)], at)
		addMatched(w, r)
		if i%50 == 49 {
			w.Remove(fmt.Sprintf("w%d", i-3))
			w.Evict(at.Add(-2 * time.Hour))
		}
	}
	close(stop)
	wg.Wait()
	if n := w.Len(); n == 0 || n > 121 {
		t.Errorf("Len = %d, want the last two hours' reports (at most 121)", n)
	}
}

// sameSlice reports whether a and b are one slice (not only equal ones).
func sameSlice(a, b []string) bool { return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0] }

// TestWindowAddAfterMatch: Add reuses the headline the last Match prepared
// only for the same report and title; any other report is prepared afresh.
func TestWindowAddAfterMatch(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	tests := []struct {
		name      string
		matched   Report
		added     Report
		wantReuse bool
		wantTerm  string // a word of the added title, which must be indexed
	}{
		{"the report just matched: its headline is reused", rep("a", "map", strikeCasa, joinT0), rep("a", "map", strikeCasa, joinT0), true, "chauffeurs"},
		{"the same key with another title: prepared afresh", rep("a", "map", strikeCasa, joinT0), rep("a", "map", fuel20, joinT0), false, "gasoil"},
		{"another report: prepared afresh", rep("a", "map", strikeCasa, joinT0), rep("b", "map", fuel20, joinT0), false, "gasoil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := m.NewWindow()
			w.Match(tt.matched)
			prepared := w.matched.Load()
			w.Add(tt.added)
			if reused := sameSlice(w.reports[tt.added.Key].terms, prepared.terms); reused != tt.wantReuse {
				t.Errorf("headline reused: %v, want %v", reused, tt.wantReuse)
			}
			if df := w.DocFreq("fr", []string{term(tt.wantTerm)}, joinT0, joinT0, ""); df[term(tt.wantTerm)] != 1 {
				t.Errorf("DocFreq(%s) = %v, want 1: the added title is not what is indexed", tt.wantTerm, df)
			}
			w.Add(tt.added)
			if sameSlice(w.reports[tt.added.Key].terms, prepared.terms) {
				t.Error("a second Add reused the headline of a Match made before the first")
			}
		})
	}
}
