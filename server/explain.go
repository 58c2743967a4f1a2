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
	// Story is the check a report joining the other's story also passes
	// (stored items only, when the earlier is in a story).
	Story *StoryCheck `json:",omitempty"`
}

// StoryCheck says whether the later report strays from the earlier one's
// story (story.Stray): it lacks the rare word most of the story's reports
// carry (Core) and names a rare word none of them does (Other).
type StoryCheck struct {
	ID          string
	Reports     int
	Core, Other string `json:",omitempty"`
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
		Decision: m.ExplainItems(a, b, func(t string) int { return df[t] }), // the threshold raised for their time apart, as the window decides
	}
	earlier := b
	if later == b {
		earlier = a
	}
	if earlier.Story != "" {
		if ex.Story, err = storyCheck(db, m, later, earlier.Story); err != nil {
			return Explanation{}, err
		}
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

// storyCheck is Stray for later against the other reports of story id, its
// words weighed by the window around later.
func storyCheck(db Editor, m *story.Matcher, later *news.Item, id string) (*StoryCheck, error) {
	all, err := db.StoryTitles(id)
	if err != nil {
		return nil, err
	}
	var titles []string
	var terms []string
	for _, t := range all {
		if t != later.Title {
			titles = append(titles, t)
			terms = append(terms, story.Tokens(story.Normalize(t, nil))...)
		}
	}
	terms = append(terms, story.Tokens(story.Normalize(later.Title, nil))...)
	df, err := db.DocFreq(later.Language, terms, later.Time.Add(-m.Window()), later.Time.Add(m.Window()), later.Key)
	if err != nil {
		return nil, err
	}
	c := &StoryCheck{ID: id, Reports: len(titles)}
	c.Core, c.Other = m.ExplainStray(later.Title, titles, later.Language, func(t string) int { return df[t] })
	return c, nil
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
