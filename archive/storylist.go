package archive

import (
	"context"
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// Story is one story as an editor reviews it: its id (its line's key) and
// its reports, earliest first.
type Story struct {
	ID      string
	Reports []news.Item
}

// Stories returns up to limit stories with a report at or after since, the
// story with the newest report first. It walks the time index back to
// since, at most storiesScan entries: it reads the window, never the whole
// store.
func (a *Archive) Stories(since time.Time, limit int) ([]Story, error) {
	var out []Story
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		out = nil
		w := newWalk(r, Query{Since: since, Limit: limit})
		sr := newStoryReader(r, Query{})
		seen := map[string]bool{}
		for scanned := 0; len(out) < limit && scanned < storiesScan; scanned++ {
			key, ok, err := w.next()
			if err != nil || !ok {
				return err
			}
			it, err := sr.item(key)
			if err != nil {
				return err
			}
			if it == nil || it.Story == "" || seen[it.Story] {
				continue
			}
			seen[it.Story] = true
			ms, err := sr.members(it.Story)
			if err != nil {
				return err
			}
			st := Story{ID: it.Story}
			for _, m := range ms {
				member, err := sr.item(m.Key)
				if err != nil {
					return err
				}
				if member != nil {
					st.Reports = append(st.Reports, *member)
				}
			}
			out = append(out, st)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: stories since %s: %w", since.Format(time.RFC3339), err)
	}
	return out, nil
}

// storiesScan bounds the items Stories walks: more than a busy window holds.
const storiesScan = 20000

// Item returns the item stored at key.
func (a *Archive) Item(key string) (news.Item, bool, error) {
	var it *news.Item
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		var err error
		it, err = readItem(r, key)
		return err
	})
	if err != nil {
		return news.Item{}, false, fmt.Errorf("archive: item %s: %w", key, err)
	}
	if it == nil {
		return news.Item{}, false, nil
	}
	return *it, true, nil
}

// StoryTitles returns the headlines of the reports of story id, earliest
// first (none when the story is not stored).
func (a *Archive) StoryTitles(id string) ([]string, error) {
	var titles []string
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		ms, err := newStoryReader(r, Query{}).members(id)
		if err != nil {
			return err
		}
		for _, m := range ms {
			it, err := readItem(r, m.Key)
			if err != nil {
				return err
			}
			if it != nil {
				titles = append(titles, it.Title)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: story %s: %w", id, err)
	}
	return titles, nil
}

// DocFreq counts, for each term, the reports of language lang in the story
// window between from and to, leaving out the item at exclude, as the story
// search counts them for a new item (capped where it stops counting). It is
// empty when stories are not grouped.
func (a *Archive) DocFreq(lang string, terms []string, from, to time.Time, exclude string) (map[string]int, error) {
	g, err := a.readyWindow(context.Background())
	if err != nil {
		return nil, fmt.Errorf("archive: doc freq: %w", err)
	}
	if g == nil {
		return map[string]int{}, nil
	}
	return g.w.DocFreq(lang, terms, from, to, exclude), nil
}
