package story

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// tuneTitles are the headlines of the independent set's tuning half.
func tuneTitles(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, r := range readIndependentHalf(t, "tune.tsv") {
		out = append(out, r.headline)
	}
	if len(out) < 100 {
		t.Fatalf("tuning half: %d headlines", len(out))
	}
	return out
}

// TestMemosGiveWhatTheyRemember holds the word memos to the functions they
// remember, for every word and term of the tuning half's headlines, asked
// twice (made, then remembered).
func TestMemosGiveWhatTheyRemember(t *testing.T) {
	stop := stopwords()
	g := entityIndex()
	words, terms := 0, 0
	for _, title := range tuneTitles(t) {
		norm := Normalize(title, nil)
		for _, w := range strings.Fields(norm) {
			want := rawWord{stemmed: stem(w), bareStem: stem(dropProclitic(w))}
			want.stemBare = dropProclitic(want.stemmed)
			want.stemBareStem = stem(want.stemBare)
			if c := canonical(want.stemmed); c != "" && !stop[c] {
				want.content = c
			}
			for range 2 {
				if got := rawWords().get(w); *got != want {
					t.Fatalf("rawWords(%q) = %+v, want %+v", w, got, want)
				}
			}
			words++
		}
		for _, term := range Tokens(norm) {
			want := termWord{light: lightStem(term), skel: skeleton(term), verbal: verbalKey(term), bare: dropProclitic(term),
				number: isNumber(term), thing: g.wordNames(term), phraseKeys: g.phraseKeys(term)}
			if want.thing == "" {
				want.value = g.wordValue(term)
			} else {
				want.thingKey = "=" + want.thing
			}
			got := *termWords().get(term)
			if got.bits != (termBits{term: bitOf(term), bare: bitOf(want.bare), stem: bitOf(want.light), skel: bitOf(want.skel), verb: got.bits.verb}) ||
				want.verbal != "" && got.bits.verb != bitOf(want.verbal[1:]) {
				t.Fatalf("termWords(%q).bits = %+v", term, got.bits)
			}
			got.bits = termBits{}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("termWords(%q) = %+v, want %+v", term, got, want)
			}
			terms++
		}
	}
	t.Logf("%d words, %d terms checked", words, terms)
}

// TestMemoGenerations: a word is made once while it is in use, a full
// generation becomes the old one, a word found in the old one is brought
// forward, and the memo never holds more than two generations.
func TestMemoGenerations(t *testing.T) {
	made := map[string]int{}
	m := newMemo(2, func(w string) string { made[w]++; return strings.ToUpper(w) })
	steps := []struct {
		word     string
		want     string
		cur, old int // sizes after the step
		made     int // times word was made so far
	}{
		{"a", "A", 1, 0, 1},
		{"a", "A", 1, 0, 1},
		{"b", "B", 2, 0, 1},
		{"c", "C", 1, 2, 1}, // cur full: it becomes old
		{"a", "A", 2, 2, 1}, // from old, brought forward, not made again
		{"d", "D", 1, 2, 1}, // old (a, b) dropped: cur {c, a} becomes old
		{"b", "B", 2, 2, 2}, // b was dropped with the first old: made again
	}
	for i, s := range steps {
		if got := m.get(s.word); got != s.want {
			t.Fatalf("step %d: get(%q) = %q", i, s.word, got)
		}
		if len(m.cur) != s.cur || len(m.old) != s.old || made[s.word] != s.made {
			t.Fatalf("step %d (%q): cur %d old %d made %d, want %d %d %d", i, s.word, len(m.cur), len(m.old), made[s.word], s.cur, s.old, s.made)
		}
	}
	for i := range 100 {
		m.get(fmt.Sprint(i))
		if n := len(m.cur) + len(m.old); n > 4 {
			t.Fatalf("memo holds %d words, limit 2 a generation", n)
		}
	}
	long := strings.Repeat("ب", memoKeyBytes)
	cur, old := len(m.cur), len(m.old)
	for range 2 {
		if got := m.get(long); got != strings.ToUpper(long) {
			t.Fatalf("get(a long word) = %q", got)
		}
	}
	if made[long] != 2 || len(m.cur) != cur || len(m.old) != old {
		t.Fatalf("a word of %d bytes was remembered (made %d times)", len(long), made[long])
	}
}

// matchTermSearch is matchTerm as it was before the signatures: every
// search made. The oracle of TestMatchTermSignatures and FuzzMatchTerm.
func matchTermSearch(a *Headline, i int, b *Headline, used []bool) int {
	t, ai := a.terms[i], a.forms[i]
	for j, u := range b.terms {
		if !used[j] && u == t {
			return j
		}
	}
	for j, u := range b.terms {
		if !used[j] && (b.forms[j].bare == t || ai.bare == u) {
			return j
		}
	}
	if ai.number {
		return -1
	}
	for j, w := range b.forms {
		if !used[j] && w.light == ai.light && !w.number {
			return j
		}
	}
	if ai.skel != "" {
		for j, w := range b.forms {
			if !used[j] && w.skel == ai.skel {
				return j
			}
		}
	}
	if ai.verbal != "" {
		for j, w := range b.forms {
			if !used[j] && verbalMatch(ai.verbal, w.verbal) {
				return j
			}
		}
	}
	return matchTermRest(a, i, b, used)
}

// sameMatches reports the first term of a whose match in b differs between
// matchTerm and matchTermSearch, with none of b's terms used and with every
// other one used.
func sameMatches(a, b *Headline) error {
	for _, every := range []int{0, 2} {
		used := make([]bool, len(b.terms))
		for j := range used {
			used[j] = every > 0 && j%every == 1
		}
		for i := range a.terms {
			if got, want := matchTerm(a, i, b, used), matchTermSearch(a, i, b, used); got != want {
				return fmt.Errorf("%q in %q against %q: matchTerm %d, the full search %d", a.terms[i], a.Norm, b.Norm, got, want)
			}
		}
	}
	return nil
}

// TestMatchTermSignatures holds matchTerm, which skips a search when the
// other headline's signature lacks the word's bit, to the full search on
// every pair of the tuning half's headlines in one language that share a
// term's stem or more.
func TestMatchTermSignatures(t *testing.T) {
	rows := readIndependentHalf(t, "tune.tsv")
	byLang := map[string][]*Headline{}
	for _, r := range rows {
		byLang[r.language] = append(byLang[r.language], Prepare(r.headline, nil))
	}
	pairs := 0
	for _, hs := range byLang {
		for x, a := range hs {
			for _, b := range hs[x+1:] {
				if err := sameMatches(a, b); err != nil {
					t.Fatal(err)
				}
				if err := sameMatches(b, a); err != nil {
					t.Fatal(err)
				}
				pairs++
			}
		}
	}
	t.Logf("%d pairs", pairs)
}

func FuzzMatchTerm(f *testing.F) {
	f.Add("وزير الداخلية يستقبل سفير فرنسا بالرباط", "لفتيت يستقبل السفير الفرنسي في الرباط")
	f.Add("Le RAM lance une ligne Casablanca-Dakar", "Royal Air Maroc: nouvelle ligne vers Dakar")
	f.Add("تعليق الدراسة بسبب الثلوج", "علقت الدراسة بسبب الثلج")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, b := Prepare(x, nil), Prepare(y, nil)
		if err := sameMatches(a, b); err != nil {
			t.Fatal(err)
		}
	})
}

// TestNoCapitalNoNames: a title without a capital Latin letter has no
// acronym and no capitalised name, which prepareNormalized then does not
// look for.
func TestNoCapitalNoNames(t *testing.T) {
	titles := append(tuneTitles(t), "le maroc et l'ÉGYPTE", "élections à ÉVORA", "فوز الرجاء على الوداد", "ǅemal à Rabat", "ⅯⅭ club")
	for _, title := range titles {
		checkNoCapitalNoNames(t, title)
	}
}

func checkNoCapitalNoNames(t *testing.T, title string) {
	t.Helper()
	if hasLatinCapital(title) {
		return
	}
	terms := Tokens(Normalize(title, nil))
	if a := acronymsIn(title, terms); a != nil {
		t.Fatalf("%q: no capital, but acronyms %q", title, a)
	}
	if names, lone := properNamesLone(title); names != nil || lone != nil {
		t.Fatalf("%q: no capital, but names %q %q", title, names, lone)
	}
}

func FuzzNoCapitalNoNames(f *testing.F) {
	f.Add("la BAF et le Wydad")
	f.Add("ǈubljana")
	f.Fuzz(checkNoCapitalNoNames)
}

// TestNameWordsAsNormalised holds nameWords to what it stands for, for
// every word of the tuning half's headlines: one name or "" for each of
// the word's normalised words, the first one's stem, and a name only
// where the word's stem may be one.
func TestNameWordsAsNormalised(t *testing.T) {
	for _, title := range tuneTitles(t) {
		for _, raw := range strings.Fields(title) {
			fields := strings.Fields(Normalize(raw, nil))
			nw := nameWords().get(raw)
			if len(nw.names) != len(fields) || len(fields) > 0 && nw.firstStem != stem(fields[0]) {
				t.Fatalf("nameWords(%q) = %+v, normalised %q", raw, nw, fields)
			}
			for k, n := range nw.names {
				if st := stem(fields[k]); n != "" && (n != nameForm(st) || stopwords()[st] || len(st) <= 2) {
					t.Fatalf("nameWords(%q): %q is no name", raw, n)
				}
			}
		}
	}
}

// TestMemoConcurrent: callers at once, over a memo small enough to turn
// its generations many times, each get what of makes (run with -race).
func TestMemoConcurrent(t *testing.T) {
	m := newMemo(8, func(w string) string { return w + "!" })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				w := fmt.Sprint((i * (g + 1)) % 50)
				if got := m.get(w); got != w+"!" {
					t.Errorf("get(%q) = %q", w, got)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := len(m.cur) + len(m.old); n > 16 {
		t.Fatalf("memo holds %d words, limit 8 a generation", n)
	}
}

// TestMemosBoundedByHostileWords feeds the memos what a hostile feed
// would (found from outside: words NFKC makes ten times longer, made-up
// words by the tens of thousands, words just under and over the key
// bound) through the real path, and holds each memo to its bounds: at most
// 2 × memoWords words, none longer than memoKeyBytes, and no name kept
// longer than nameWords keeps. The heap they hold is logged.
func TestMemosBoundedByHostileWords(t *testing.T) {
	if testing.Short() {
		t.Skip("fills the memos")
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	lig := strings.Repeat("\uFDFA", 8) // NFKC: 18 letters each
	for i := range 3 * memoWords {
		for _, title := range []string{
			fmt.Sprintf("le Maroc et Xa%05d%s aussi", i, lig),
			fmt.Sprintf("Zq%06dabcdefghijklmnopqrstuvw وقع %06dxyz", i, i),
			fmt.Sprintf("mot%s%06d %s", strings.Repeat("b", memoKeyBytes-9), i, strings.Repeat("ع", memoKeyBytes)),
		} {
			Prepare(title, nil)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("the memos hold %.1f MB more heap after %d hostile titles", float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), 9*memoWords)
	checkMemo(t, "rawWords", rawWords(), nil)
	checkMemo(t, "termWords", termWords(), nil)
	checkMemo(t, "nameWords", nameWords(), func(nw *nameWord) bool { return nw.bytes() <= 2*memoKeyBytes })
}

func checkMemo[V any](t *testing.T, name string, m *memo[V], small func(V) bool) {
	t.Helper()
	m.mu.RLock()
	defer m.mu.RUnlock()
	if n := len(m.cur) + len(m.old); n > 2*memoWords {
		t.Errorf("%s holds %d words, at most %d", name, n, 2*memoWords)
	}
	for _, gen := range []map[string]V{m.cur, m.old} {
		for w, v := range gen {
			if len(w) > memoKeyBytes || small != nil && !small(v) {
				t.Fatalf("%s keeps %q (%d bytes) → %+v", name, w, len(w), v)
			}
		}
	}
}
