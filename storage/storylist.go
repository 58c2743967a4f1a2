package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
)

// Story is one story as an editor reviews it: its id (its line's key) and
// its reports, earliest first.
type Story struct {
	ID      string
	Reports []news.Item
}

// Stories returns up to limit stories with a report at or after since, the
// story with the newest report first. It walks by_time back to since, so it
// reads the window, never the whole store.
func (s *Bolt) Stories(since time.Time, limit int) ([]Story, error) {
	var out []Story
	err := s.view(func(tx *bolt.Tx) error {
		items, stories := tx.Bucket(bucketItems), tx.Bucket(bucketStories)
		seen := map[string]bool{}
		from := timeKey(since, "")[:8]
		cur := tx.Bucket(bucketByTime).Cursor()
		for k, _ := cur.Last(); k != nil && len(out) < limit && bytes.Compare(k[:8], from) >= 0; k, _ = cur.Prev() {
			var it news.Item
			found, err := getJSON(items, k[8:], &it)
			if err != nil {
				return err
			}
			if !found || it.Story == "" || seen[it.Story] {
				continue
			}
			seen[it.Story] = true
			var rec storyRecord
			if _, err := getJSON(stories, storyKey(it.Story), &rec); err != nil {
				return err
			}
			st := Story{ID: it.Story}
			for _, m := range rec.Members {
				var member news.Item
				found, err := getJSON(items, []byte(m.Key), &member)
				if err != nil {
					return err
				}
				if found {
					st.Reports = append(st.Reports, member)
				}
			}
			out = append(out, st)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: stories since %s: %w", since.Format(time.RFC3339), err)
	}
	return out, nil
}

// Item returns the item stored at key.
func (s *Bolt) Item(key string) (news.Item, bool, error) {
	var it news.Item
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketItems), []byte(key), &it)
		return err
	})
	if err != nil {
		return news.Item{}, false, fmt.Errorf("storage: item %s: %w", key, err)
	}
	return it, found, nil
}

// DocFreq counts, for each term, the items of language lang indexed under
// it between from and to, leaving out the item at exclude, as the story
// search counts them for a new item (capped where it stops counting).
func (s *Bolt) DocFreq(lang string, terms []string, from, to time.Time, exclude string) (map[string]int, error) {
	df := make(map[string]int, len(terms))
	err := s.view(func(tx *bolt.Tx) error {
		cur := tx.Bucket(bucketStories).Cursor()
		start, end := timeKey(from, ""), to.UnixNano()
		for _, term := range terms {
			prefix := termPrefix(lang, term)
			n := 0
			for k, _ := cur.Seek(append(prefix, start...)); k != nil && bytes.HasPrefix(k, prefix) && n < maxPosting; k, _ = cur.Next() {
				rest := k[len(prefix):]
				if int64(binary.BigEndian.Uint64(rest[:8])) > end {
					break
				}
				if string(rest[8:]) != exclude {
					n++
				}
			}
			df[term] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: document frequencies: %w", err)
	}
	return df, nil
}
