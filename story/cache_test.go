package story

import (
	"fmt"
	"testing"
)

func TestHeadlineCache(t *testing.T) {
	c := newHeadlineCache(2)
	prepared := 0
	get := func(key string) *Headline {
		return c.get(key, func() *Headline { prepared++; return prepared0(key) })
	}
	a := get("a")
	if get("a") != a || prepared != 1 {
		t.Fatalf("a second look-up prepared again (%d)", prepared)
	}
	get("b")
	get("c") // evicts a, the oldest
	if len(c.byKey) != 2 || len(c.order) != 2 {
		t.Fatalf("cache holds %d (%d in order), want its limit 2", len(c.byKey), len(c.order))
	}
	get("a")
	if prepared != 4 {
		t.Errorf("prepared %d times, want 4 (a evicted and prepared again)", prepared)
	}
}

func prepared0(s string) *Headline { return prepared(fmt.Sprintf("title %s", s), nil, nil) }
