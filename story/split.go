package story

import "github.com/nashra-ma/nashra/news"

// The editor's undo: an item an editor split out of its story. These rules
// are the decisions; storage records what they say.

// MayJoin reports whether cand may be compared with it as a report of one
// story at all: another outlet's report, and neither of them split out by
// an editor (a split item never joins a story again, nor does one join it).
func MayJoin(it, cand *news.Item) bool {
	return Report{Key: it.Key, Source: it.Source, Split: it.Split}.mayJoin(Report{Key: cand.Key, Source: cand.Source, Split: cand.Split})
}

// SplitPlan is what taking one report out of a story leaves of the story.
type SplitPlan struct {
	// Story is the id the rest of the story has from now on: the same id
	// when a report other than the founder leaves, the earliest remaining
	// report's key when the founder does (the editor said they are two
	// stories, so the rest is a new line). "" when fewer than two reports
	// remain: no story any more, the one left is a line of its own.
	Story string
	// Rest are the reports that remain, in their order.
	Rest []string
}

// Split plans taking report out of the story id whose reports are members
// (earliest first). A report that is not a member leaves the story as it is.
func Split(id string, members []string, report string) SplitPlan {
	rest := make([]string, 0, len(members))
	for _, m := range members {
		if m != report {
			rest = append(rest, m)
		}
	}
	switch {
	case len(rest) < 2:
		return SplitPlan{Rest: rest}
	case report == id:
		return SplitPlan{Story: rest[0], Rest: rest}
	default:
		return SplitPlan{Story: id, Rest: rest}
	}
}
