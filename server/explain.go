package server

import (
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// Explanation is the same-story decision on two headlines with what it was
// made from, as `nashra stories explain` prints it.
type Explanation struct {
	A, B     *ExplainedItem `json:",omitempty"` // nil for a headline given as text
	Language string
	// Weights says where the words' weights came from.
	Weights string
	// Never is set when the two can never be one story whatever their words
	// (two languages, the same outlet, an editor's split, too far apart).
	Never    string `json:",omitempty"`
	Decision story.Decision
}

// ExplainedItem is a stored report as an explanation shows it.
type ExplainedItem struct {
	Key, Source, Title, Language, Story string
	Time                                time.Time
	Split                               bool
}

// Weight sources an explanation names.
const (
	WeightsTable  = "the shipped table of common words (no database: the window's statistics are unknown)"
	WeightsWindow = "the window's document frequencies around the later report, as the running matcher counts them"
)

// ExplainText explains two headlines given as text: no database, so the
// words are weighed by the shipped table of common words alone.
func ExplainText(m *story.Matcher, a, b, lang string) Explanation {
	return Explanation{Language: lang, Weights: WeightsTable, Decision: m.Explain(a, b, lang, nil)}
}

// ExplainStored explains two stored items. The words are weighed by the
// window around the later-stored report, as when it was matched.
func ExplainStored(db Editor, m *story.Matcher, keyA, keyB string) (Explanation, error) {
	a, err := storedItem(db, keyA)
	if err != nil {
		return Explanation{}, err
	}
	b, err := storedItem(db, keyB)
	if err != nil {
		return Explanation{}, err
	}
	later := a
	if b.FirstSeen.After(a.FirstSeen) {
		later = b
	}
	terms := later.Terms
	if len(terms) == 0 {
		terms = story.Tokens(story.Normalize(later.Title, nil))
	}
	df, err := db.DocFreq(later.Language, terms, later.Time.Add(-m.Window()), later.Time.Add(m.Window()), later.Key)
	if err != nil {
		return Explanation{}, err
	}
	ex := Explanation{
		A: explained(a), B: explained(b), Language: a.Language, Weights: WeightsWindow,
		Decision: m.Explain(a.Title, b.Title, a.Language, func(t string) int { return df[t] }),
	}
	gap := a.Time.Sub(b.Time).Abs()
	switch {
	case a.Language != b.Language:
		ex.Never = fmt.Sprintf("two languages (%s, %s): never one story", a.Language, b.Language)
	case !story.MayJoin(a, b) && a.Source == b.Source:
		ex.Never = "one outlet's two reports are never one story"
	case !story.MayJoin(a, b):
		ex.Never = "an editor split one of them out: it never joins a story again"
	case gap > m.Window():
		ex.Never = fmt.Sprintf("%s apart: outside the %s window", gap.Round(time.Minute), m.Window())
	}
	return ex, nil
}

func storedItem(db Editor, key string) (*news.Item, error) {
	it, found, err := db.Item(key)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("item %s: %w", key, archive.ErrNoItem)
	}
	return &it, nil
}

func explained(it *news.Item) *ExplainedItem {
	return &ExplainedItem{Key: it.Key, Source: it.Source, Title: it.Title, Language: it.Language, Story: it.Story, Time: it.Time, Split: it.Split}
}
