package story

import "sync"

// headlineCache keeps the prepared headlines of recent candidates: the items
// of the window are compared with many new reports, and preparing one
// (words, trigrams, named things) costs more than comparing it. Bounded,
// first in first out; safe for concurrent use.
type headlineCache struct {
	mu    sync.Mutex
	byKey map[string]*Headline
	order []string // keys, oldest first
	limit int
}

func newHeadlineCache(limit int) *headlineCache {
	return &headlineCache{byKey: make(map[string]*Headline, limit), limit: limit}
}

// get returns the headline cached under key, or prepares it with prepare and
// keeps it. The key names the item and its title, so an edited title is a
// new entry.
func (c *headlineCache) get(key string, prepare func() *Headline) *Headline {
	c.mu.Lock()
	h, ok := c.byKey[key]
	c.mu.Unlock()
	if ok {
		return h
	}
	h = prepare()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		if len(c.order) == c.limit {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
		c.byKey[key] = h
		c.order = append(c.order, key)
	}
	return h
}
