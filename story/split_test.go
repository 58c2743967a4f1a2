package story

import (
	"reflect"
	"testing"

	"github.com/nashra-ma/nashra/news"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		id      string
		members []string
		report  string
		want    SplitPlan
	}{
		{"a later report leaves a story of three: the story keeps its id",
			"a", []string{"b", "a", "c"}, "c", SplitPlan{Story: "a", Rest: []string{"b", "a"}}},
		{"the founder leaves a story of three: the rest is a new line, named by its earliest report",
			"a", []string{"b", "a", "c"}, "a", SplitPlan{Story: "b", Rest: []string{"b", "c"}}},
		{"the founder leaves a story of two: no story left, the other is its own line",
			"a", []string{"b", "a"}, "a", SplitPlan{Rest: []string{"b"}}},
		{"the other leaves a story of two: no story left, the founder keeps its key",
			"a", []string{"b", "a"}, "b", SplitPlan{Rest: []string{"a"}}},
		{"a report that is not a member: nothing changes",
			"a", []string{"a", "b"}, "z", SplitPlan{Story: "a", Rest: []string{"a", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Split(tc.id, tc.members, tc.report); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Split = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMayJoin(t *testing.T) {
	a := &news.Item{Key: "a", Source: "map"}
	for _, tc := range []struct {
		name    string
		it, can *news.Item
		want    bool
	}{
		{"another outlet's report", a, &news.Item{Key: "b", Source: "hespress"}, true},
		{"the same outlet's report: never its own story", a, &news.Item{Key: "b", Source: "map"}, false},
		{"itself", a, a, false},
		{"a candidate an editor split out: never joined again", a, &news.Item{Key: "b", Source: "hespress", Split: true}, false},
		{"an item an editor split out: never joins", &news.Item{Key: "a", Source: "map", Split: true}, &news.Item{Key: "b", Source: "hespress"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayJoin(tc.it, tc.can); got != tc.want {
				t.Errorf("MayJoin = %v, want %v", got, tc.want)
			}
		})
	}
}
