package story

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Headlines of the join tests: a taxi strike told three ways, and two
// fuel-price cuts that differ by their figure.
const (
	strikeCasa = "Casablanca: les chauffeurs de taxi en grève contre les applications de VTC"
	strikeCopy = "Casablanca : les chauffeurs de taxi en grève contre les applications VTC"
	strikeMkch = "Marrakech: les chauffeurs de taxi en grève contre les applications de VTC"
	strikeBare = "Les chauffeurs de taxi en grève contre les applications de VTC"
	fuel35     = "Carburants : le prix du gasoil baisse de 35 centimes à la pompe"
	fuel20     = "Carburants : le prix du gasoil baisse de 20 centimes à la pompe"
	fuelBare   = "Carburants : le prix du gasoil baisse à la pompe dès ce mardi"
	unrelated  = "Météo : fortes pluies attendues sur le nord du Royaume"
)

var joinT0 = time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)

// heldReport prepares a report as the window would hold it.
func heldReport(m *Matcher, key, source, lang, story, title string, at time.Time) *held {
	return m.NewWindow().prepare(Report{Key: key, Source: source, Language: lang, Story: story, Title: title, Time: at})
}

// TestChooseJoin: each row is one rule of the join decision, given the new
// report and its contenders in the order to try them.
func TestChooseJoin(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	r := func(title string) *held { return heldReport(m, "new", "hespress", "fr", "", title, joinT0) }
	c := func(key, source, story, title string, members ...*held) contender {
		return contender{held: heldReport(m, key, source, "fr", story, title, joinT0.Add(-time.Hour)), members: members}
	}
	member := func(key, title string) *held {
		return heldReport(m, key, "le360", "fr", "s1", title, joinT0.Add(-2*time.Hour))
	}
	split := r(strikeCopy)
	split.Split = true
	arabic := c("a", "map", "", strikeCasa)
	arabic.Language = "ar"
	late := c("l", "map", "", strikeCasa)
	late.Time = joinT0.Add(DefaultWindow + time.Minute)
	edge := c("e", "map", "", strikeCasa)
	edge.Time = joinT0.Add(-DefaultWindow)
	tests := []struct {
		name         string
		r            *held
		cs           []contender
		want         int
		wantExamined int
	}{
		{"no contender: joins none", r(strikeCopy), nil, -1, 0},
		{"a copy of another outlet joins it", r(strikeCopy), []contender{c("a", "map", "", strikeCasa)}, 0, 1},
		{"the first that passes wins, in the order given", r(strikeCopy),
			[]contender{c("a", "map", "", unrelated), c("b", "map", "", strikeCasa), c("c", "le360", "", strikeCasa)}, 1, 2},
		{"the same outlet's report is never its story", r(strikeCopy), []contender{c("a", "hespress", "", strikeCasa)}, -1, 1},
		{"a report never joins itself", r(strikeCopy), []contender{c("new", "map", "", strikeCasa)}, -1, 1},
		{"a contender split out by an editor is never joined", r(strikeCopy),
			[]contender{func() contender { x := c("a", "map", "", strikeCasa); x.Split = true; return x }()}, -1, 1},
		{"a report split out by an editor joins none", split, []contender{c("a", "map", "", strikeCasa)}, -1, 1},
		{"another language is never one story", r(strikeCopy), []contender{arabic}, -1, 1},
		{"outside the window: not one story", r(strikeCopy), []contender{late}, -1, 1},
		{"at the window's very edge: still one story", r(strikeCopy), []contender{edge}, 0, 1},
		{"another city: two stories", r(strikeMkch), []contender{c("a", "map", "", strikeCasa)}, -1, 1},
		{"alike the contender but contradicting a place its story names: not chained", r(strikeMkch),
			[]contender{c("a", "map", "s1", strikeBare, member("m", strikeCasa))}, -1, 1},
		{"alike the contender but contradicting a figure its story has: not chained", r(fuel35),
			[]contender{c("a", "map", "s1", fuelBare, member("m", fuel20))}, -1, 1},
		{"a story whose reports agree with it is joined", r(strikeCopy),
			[]contender{c("a", "map", "s1", strikeBare, member("m", strikeCasa))}, 0, 1},
		{"a story that blocks leaves the next contender its chance", r(fuel35),
			[]contender{c("a", "map", "s1", fuelBare, member("m", fuel20)), c("b", "snrt", "", fuel35)}, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Members list the contender itself too, as the window's stories do.
			for i := range tt.cs {
				if tt.cs[i].Story != "" {
					tt.cs[i].members = append(tt.cs[i].members, tt.cs[i].held)
				}
			}
			got, examined, _ := chooseJoin(tt.r, tt.cs, DefaultWindow, &joinWeights{lang: "fr"}, WindowWeights{Lang: "fr"}, m.params)
			if got != tt.want || examined != tt.wantExamined {
				t.Errorf("chooseJoin = %d (examined %d), want %d (examined %d)", got, examined, tt.want, tt.wantExamined)
			}
		})
	}
}

// TestChooseJoinAgreesWithMatcher: without a story to check, the pure
// decision is the Matcher's (Same and MayJoin) on the same two reports.
func TestChooseJoinAgreesWithMatcher(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	titles := []string{strikeCasa, strikeCopy, strikeMkch, strikeBare, fuel35, fuel20, fuelBare, unrelated}
	for i, a := range titles {
		for j, b := range titles {
			ra := heldReport(m, "a", "map", "fr", "", a, joinT0)
			rb := heldReport(m, "b", "le360", "fr", "", b, joinT0.Add(time.Hour))
			got, _, _ := chooseJoin(ra, []contender{{held: rb}}, DefaultWindow, &joinWeights{lang: "fr"}, WindowWeights{Lang: "fr"}, m.params)
			ia, ib := itemOf(ra.Report), itemOf(rb.Report)
			if want := m.Same(&ia, &ib) && MayJoin(&ia, &ib); (got == 0) != want {
				t.Errorf("titles %d and %d: chooseJoin joined %v, Matcher says %v", i, j, got == 0, want)
			}
		}
	}
}

// TestTopCandidates: which reports sharing words are compared in full, and in what order.
func TestTopCandidates(t *testing.T) {
	tests := []struct {
		name   string
		shared map[string]int
		need   int
		self   string
		n      int
		want   []string
	}{
		{"most shared first", map[string]int{"a": 3, "b": 5, "c": 4}, 3, "", 25, []string{"b", "c", "a"}},
		{"ties by key, so the choice is deterministic", map[string]int{"d": 3, "b": 3, "c": 3}, 3, "", 25, []string{"b", "c", "d"}},
		{"fewer than need shared: left out", map[string]int{"a": 2, "b": 3}, 3, "", 25, []string{"b"}},
		{"the report itself: left out", map[string]int{"self": 9, "b": 3}, 3, "self", 25, []string{"b"}},
		{"at most n, the best kept", map[string]int{"a": 3, "b": 6, "c": 5, "d": 4}, 3, "", 2, []string{"b", "c"}},
		{"none shares enough", map[string]int{"a": 1}, 3, "", 25, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var touched []*held // in the map's order: any order
			count := map[*held]int{}
			for key, n := range tt.shared {
				e := &held{Report: Report{Key: key}}
				touched = append(touched, e)
				count[e] = n
			}
			got := []string{}
			for _, e := range topCandidates(touched, func(e *held) int { return count[e] }, tt.need, tt.self, tt.n, nil) {
				got = append(got, e.Key)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("topCandidates = %v, want %v", got, tt.want)
			}
		})
	}
}

func itemOf(r Report) news.Item {
	return news.Item{Key: r.Key, Source: r.Source, Language: r.Language, Title: r.Title, Story: r.Story, Time: r.Time, Split: r.Split}
}

// TestJoinWeightsFindTheNewReportsTerms: a candidate's word weighs what the
// new report's weighs when the new report has it, whatever the signature
// lets the search skip; the table's weight otherwise. Every pair of the
// tuning half's headlines of one language.
func TestJoinWeightsFindTheNewReportsTerms(t *testing.T) {
	w := NewMatcher(0, 0, nil).NewWindow()
	byLang := map[string][]*held{}
	for i, r := range readIndependentHalf(t, "tune.tsv") {
		e := w.prepare(Report{Key: fmt.Sprint(i), Source: r.outlet, Language: r.language, Title: r.headline})
		byLang[r.language] = append(byLang[r.language], e)
	}
	for lang, es := range byLang {
		for x, r := range es {
			jw := &joinWeights{lang: lang}
			own := jw.ofNew(r)
			for _, c := range es[x+1 : min(len(es), x+40)] {
				h := c.headline()
				got := jw.of(r, h, nil)
				for j, term := range h.terms {
					want := h.tableW[j]
					if i := slices.Index(r.terms, term); i >= 0 {
						want = own[i]
					}
					if got[j] != want {
						t.Fatalf("%q in %q against %q: weight %v, want %v", term, h.Norm, r.norm, got[j], want)
					}
				}
			}
		}
	}
}
