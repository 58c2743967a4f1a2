package storage

import (
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// ErrNoItem is returned for an item key the database does not hold.
var ErrNoItem = errors.New("storage: no such item")

// SplitResult says what Split did.
type SplitResult struct {
	Item string `json:"item"`
	// Story is the story the item was taken out of ("" when it was in none).
	Story string `json:"story,omitempty"`
	// Rest is the id of what remains of that story ("" when fewer than two
	// reports remain), and Members its reports, earliest first.
	Rest    string   `json:"rest,omitempty"`
	Members []string `json:"members,omitempty"`
	// Already: the item had been split before; nothing changed.
	Already bool `json:"already,omitempty"`
}

// Split takes the item at key out of its story and marks it so that it
// never joins a story again (an editor's undo of a wrong merge). What
// remains of the story is what story.Split says; this only records it.
func (s *Bolt) Split(key string) (SplitResult, error) {
	var res SplitResult
	err := s.update(func(tx *bolt.Tx) error {
		res = SplitResult{Item: key}
		items, stories := tx.Bucket(bucketItems), tx.Bucket(bucketStories)
		var it news.Item
		found, err := getJSON(items, []byte(key), &it)
		if err != nil {
			return err
		}
		if !found {
			return ErrNoItem
		}
		if it.Split && it.Story == "" {
			res.Already = true
			return nil
		}
		res.Story = it.Story
		it.Split, it.Story = true, ""
		if err := putJSON(items, []byte(key), &it); err != nil {
			return err
		}
		if res.Story == "" {
			return nil
		}
		var rec storyRecord
		if _, err := getJSON(stories, storyKey(res.Story), &rec); err != nil {
			return err
		}
		keys := make([]string, len(rec.Members))
		for i, m := range rec.Members {
			keys[i] = m.Key
		}
		plan := story.Split(res.Story, keys, key)
		res.Rest, res.Members = plan.Story, plan.Rest
		return applySplit(items, stories, res.Story, rec, plan)
	})
	if err != nil {
		return SplitResult{}, fmt.Errorf("storage: split %s: %w", key, err)
	}
	if !res.Already {
		s.gen.Add(1)
	}
	return res, nil
}

// applySplit writes the story record and the remaining members' story ids as plan says.
func applySplit(items, stories *bolt.Bucket, old string, rec storyRecord, plan story.SplitPlan) error {
	kept := rec.Members[:0]
	for _, m := range rec.Members {
		if slices.Contains(plan.Rest, m.Key) {
			kept = append(kept, m)
		}
	}
	if plan.Story != old {
		if err := stories.Delete(storyKey(old)); err != nil {
			return err
		}
		for _, m := range kept {
			if err := setStory(items, m.Key, plan.Story); err != nil {
				return err
			}
		}
	}
	if plan.Story == "" {
		return nil
	}
	if plan.Story != old && stories.Get(storyKey(plan.Story)) != nil {
		return fmt.Errorf("story %s already exists", plan.Story)
	}
	return putJSON(stories, storyKey(plan.Story), storyRecord{Members: kept})
}

func setStory(items *bolt.Bucket, key, id string) error {
	var it news.Item
	found, err := getJSON(items, []byte(key), &it)
	if err != nil || !found {
		return err // a member pruned meanwhile has nothing to update
	}
	it.Story = id
	return putJSON(items, []byte(key), &it)
}
