package server

import (
	"slices"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// query turns an output's configuration into a store query at time now.
// Its sources, languages and categories name the indexes the read may walk
// (the by-source index holds the items a source also carried, as Keep
// passes them), so that an output few items pass reads what a common one
// does; Keep stays the whole filter. A filter no index answers (keywords,
// exclude_sources) walks at most out.MaxScan items.
func query(out *config.Output, now time.Time) archive.Query {
	q := archive.Query{Limit: out.Limit, Keep: keep(out), Stories: out.MergeStories(), PerSource: out.PerSourceLimit,
		Sources: out.Sources, Languages: out.Languages, Categories: out.Categories, MaxScan: out.MaxScan}
	if out.MaxAge > 0 {
		q.Since = now.Add(-out.MaxAge)
	}
	return q
}

// keep is out's item filter: languages, categories, sources (an item carried
// by several sources passes if any of them is included), excluded sources,
// and keywords. nil when the output keeps everything.
func keep(out *config.Output) func(*news.Item) bool {
	if len(out.Languages) == 0 && len(out.Sources) == 0 && len(out.ExcludeSources) == 0 &&
		len(out.Categories) == 0 && len(out.Include) == 0 && len(out.Exclude) == 0 {
		return nil
	}
	include, exclude := normalizeAll(out.Include), normalizeAll(out.Exclude)
	categories := normalizeAll(out.Categories)
	// folded remembers each category name's fold: a store holds few names,
	// and folding one (story.Fold) costs more than the rest of the filter.
	// One read calls the filter from one goroutine.
	folded := map[string]string{}
	fold := func(c string) string {
		f, ok := folded[c]
		if !ok {
			f = story.Fold(c)
			folded[c] = f
		}
		return f
	}
	return func(it *news.Item) bool {
		if len(out.Languages) > 0 && !slices.Contains(out.Languages, it.Language) {
			return false
		}
		carriers := append([]string{it.Source}, it.AlsoIn...)
		if len(out.Sources) > 0 && !slices.ContainsFunc(carriers, func(s string) bool { return slices.Contains(out.Sources, s) }) {
			return false
		}
		if slices.Contains(out.ExcludeSources, it.Source) {
			return false
		}
		// Categories fold as keywords do ("economie" is "Économie"), but match whole.
		if len(out.Categories) > 0 && !slices.ContainsFunc(it.Categories, func(c string) bool {
			return slices.Contains(categories, fold(c))
		}) {
			return false
		}
		if len(include) == 0 && len(exclude) == 0 {
			return true
		}
		text := " " + story.Fold(it.Title+" "+it.Summary) + " "
		if len(include) > 0 && !containsAny(text, include) {
			return false
		}
		return !containsAny(text, exclude)
	}
}

// normalizeAll folds keywords the way headlines are folded, so "Météo",
// "meteo" and "MÉTÉO" are one keyword and "الأمطار" matches "الامطار".
func normalizeAll(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if n := story.Fold(w); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func containsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
