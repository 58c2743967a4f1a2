package story

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestTuneBlockers (NASHRA_TUNE=blockers) lists what could have kept each
// wrongly merged pair apart: the tuning pool's wrong merges with the lists
// and the common-words table as if written from the first set alone (the
// held-out half's situation: its names are in no list), and the repeated
// cross-validation's. For each distinct pair of stories it prints the two
// headlines, the words each has that the other lacks with the word before
// them (the cue a slot would read) and their weight, and the things each
// names (gazetteer and capitals).
func TestTuneBlockers(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "blockers" {
		t.Skip("NASHRA_TUNE=blockers")
	}
	rows := readTuningPool(t)
	old := readOldEvalSet(t)
	g, syn := entityIndex(), synonymOf()
	restoreG, restoreSyn := entityIndex, synonymOf
	defer func() { entityIndex, synonymOf, joinLog = restoreG, restoreSyn, nil }()
	logBlockers := func(name string, fold []evalRow, m *Matcher) {
		seen := map[string]bool{}
		joinLog = func(row int, j Join) {
			k := rowIndex(j.Match)
			a, b := fold[row], fold[k]
			if a.group == b.group && a.story == b.story {
				return
			}
			key := a.group + "/" + a.story + "+" + b.group + "/" + b.story
			if seen[key] {
				return
			}
			seen[key] = true
			d := m.Explain(a.title, b.title, a.lang, nil)
			t.Logf("%s %s\n  A %s\n  B %s\n  score %.3f (threshold %.2f); only A: %s; only B: %s\n  A names %s; B names %s",
				name, key, a.title, b.title, d.Score, d.Threshold, cued(a.title, d.OnlyA), cued(b.title, d.OnlyB),
				namedText(Prepare(a.title, nil)), namedText(Prepare(b.title, nil)))
		}
		windowIngest(fold, m)
		joinLog = nil
	}
	entityIndex = fixed(fittedOut(g, rows, old))
	synonymOf = fixed(synonymsFittedOut(syn, rows, old))
	m := NewMatcher(0, 0, nil)
	m.common = commonFrom(old)
	logBlockers("lists without the tuning pool:", rows, m)
	for split := range cvSplits {
		folds := randomFolds(rows, uint64(split+1))
		for i, fold := range folds {
			entityIndex = fixed(fittedOut(g, fold, old, folds[1-i]))
			synonymOf = fixed(synonymsFittedOut(syn, fold, old, folds[1-i]))
			m := NewMatcher(0, 0, nil)
			m.common = commonFrom(old, folds[1-i])
			logBlockers("cv split "+itoa(split)+" fold "+itoa(i)+":", fold, m)
		}
	}
}

func rowIndex(key string) int {
	n := 0
	for _, r := range strings.TrimPrefix(key, "row") {
		n = 10*n + int(r-'0')
	}
	return n
}

// cued writes terms (a headline's words the other lacks) as "cue→word (weight)",
// the cue the word before it in the headline.
func cued(title string, terms []Term) string {
	raw := strings.Fields(Normalize(title, nil))
	var out []string
	for _, tm := range terms {
		cue := "^"
		for i, w := range raw {
			if canonical(stem(w)) == tm.Word || stem(w) == tm.Word {
				if i > 0 {
					cue = raw[i-1]
				}
				break
			}
		}
		out = append(out, cue+"→"+tm.Word+" ("+f1(tm.Weight)+")")
	}
	return strings.Join(out, ", ")
}

func namedText(h *Headline) string {
	kinds := make([]string, 0, len(h.entities))
	for k := range h.entities {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var out []string
	for _, k := range kinds {
		out = append(out, k+":"+strings.Join(h.entities[k], "+"))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

// TestTuneSlotsOnRewrites (NASHRA_TUNE=blockers) lists the same-story pairs
// of the tuning pool and the first set that a slot parts: what the slots
// cost in recall, pair by pair.
func TestTuneSlotsOnRewrites(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "blockers" {
		t.Skip("NASHRA_TUNE=blockers")
	}
	for _, rows := range [][]evalRow{readTuningPool(t), readOldEvalSet(t)} {
		hs := make([]*Headline, len(rows))
		for i, r := range rows {
			hs[i] = Prepare(r.title, nil)
		}
		for i := range rows {
			for j := i + 1; j < len(rows); j++ {
				a, b := rows[i], rows[j]
				if a.lang != b.lang || a.group != b.group || a.story != b.story {
					continue
				}
				if c := slotConflict(hs[i], hs[j]); c != "" {
					t.Logf("%s/%s %s\n  A %s\n  B %s", a.group, a.story, c, a.title, b.title)
				}
			}
		}
	}
}
