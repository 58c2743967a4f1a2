package archive

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/nashra-ma/nashra/story"
)

// ErrNoItem is returned for an item key the database does not hold.
var ErrNoItem = errors.New("archive: no such item")

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
func (a *Archive) Split(key string) (SplitResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var res SplitResult
	var window []func(*story.Window)
	_, err := a.apply(context.Background(), func(w *write) error {
		res, window = SplitResult{Item: key}, nil
		it, err := w.record(key)
		if err != nil {
			return err
		}
		if it == nil {
			return ErrNoItem
		}
		if it.Split && it.Story == "" {
			res.Already = true
			return nil
		}
		res.Story = it.Story
		upd := *it
		upd.Split, upd.Story = true, ""
		w.put(it, &upd)
		window = append(window, func(sw *story.Window) { sw.Add(reportOf(&upd)) })
		if res.Story == "" {
			return nil
		}
		ms, err := w.storyMembers(res.Story)
		if err != nil {
			return err
		}
		keys := make([]string, len(ms))
		for i, m := range ms {
			keys[i] = m.Key
		}
		plan := story.Split(res.Story, keys, key)
		res.Rest, res.Members = plan.Story, plan.Rest
		kept := slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return !slices.Contains(plan.Rest, m.Key) })
		if plan.Story != res.Story {
			w.setMembers(res.Story, nil)
			for _, m := range kept {
				member, err := w.record(m.Key)
				if err != nil {
					return err
				}
				if member == nil {
					continue // pruned meanwhile: nothing to update
				}
				moved := *member
				moved.Story = plan.Story
				w.put(member, &moved)
				k := m.Key
				window = append(window, func(sw *story.Window) { sw.SetStory(k, plan.Story) })
			}
		}
		if plan.Story == "" {
			return nil
		}
		if plan.Story != res.Story {
			if other, err := w.storyMembers(plan.Story); err != nil || other != nil {
				return fmt.Errorf("story %s already exists", plan.Story)
			}
		}
		w.setMembers(plan.Story, kept)
		return nil
	})
	if err != nil {
		return SplitResult{}, fmt.Errorf("archive: split %s: %w", key, err)
	}
	if !res.Already {
		if g := a.stories.Load(); g != nil {
			g.update(func(w *story.Window) {
				for _, fn := range window {
					fn(w)
				}
			})
		}
		a.gen.Add(1)
	}
	return res, nil
}
