package server

import (
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

func TestOutputFilters(t *testing.T) {
	items := []news.Item{
		{Key: "1", Source: "hespress-ar", Language: "ar", Title: "نشرة إنذارية: أمطار رعدية قوية", Categories: []string{"مجتمع"}},
		{Key: "2", Source: "le360-fr", Language: "fr", Title: "Météo : fortes averses à Agadir", Categories: []string{"Société"}},
		{Key: "3", Source: "le360-fr", Language: "fr", Title: "Horoscope du jour", Categories: []string{"Loisirs"}},
		{Key: "4", Source: "hespress-fr", Language: "fr", Title: "ONCF : trafic en hausse", AlsoIn: []string{"le360-fr"}, Summary: "La MÉTÉO n'y est pour rien"},
		{Key: "5", Source: "moroccoworldnews", Language: "en", Title: "Weather alert in Agadir"},
	}
	tests := []struct {
		name string
		out  config.Output
		want string // keys kept, in order
	}{
		{"everything", config.Output{}, "12345"},
		{"languages", config.Output{Languages: []string{"fr", "en"}}, "2345"},
		{"sources include a carrier via also_in", config.Output{Sources: []string{"le360-fr"}}, "234"},
		{"exclude_sources", config.Output{ExcludeSources: []string{"le360-fr"}}, "145"},
		{"categories ignore case", config.Output{Categories: []string{"société", "مجتمع"}}, "12"},
		{"exclude keyword ignores case", config.Output{Exclude: []string{"HOROSCOPE"}}, "1245"},
		{"include keyword ignores accents, matches summaries", config.Output{Include: []string{"meteo"}}, "24"},
		{"include Arabic keyword ignores hamza and harakat", config.Output{Include: []string{"الأمْطار"}}, "1"},
		{"include and exclude", config.Output{Include: []string{"agadir"}, Exclude: []string{"weather"}}, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := keep(&tt.out)
			got := ""
			for i := range items {
				if k == nil || k(&items[i]) {
					got += items[i].Key
				}
			}
			if got != tt.want {
				t.Errorf("kept %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMaxAgeAndPerSourceLimit(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Minute)
	var items []news.Item
	for i := range 10 {
		src := "hespress-ar"
		if i >= 7 {
			src = "le360-fr"
		}
		at := now.Add(-time.Duration(i) * time.Hour)
		items = append(items, news.Item{Key: string(rune('a' + i)), Source: src, Language: "ar", Title: "خبر " + string(rune('a'+i)), Time: at, Changed: at})
	}
	s, _ := newTestServer(t, items...)
	s.config().Outputs = []config.Output{{Name: "all", Title: "t", Limit: 100, MaxAge: 5*time.Hour + 30*time.Minute, Stories: new(bool)},
		{Name: "fair", Title: "f", Limit: 100, PerSourceLimit: 2, Stories: new(bool)}}
	if got := lines(serve(s, "GET", "/ticker.txt").Body.String()); got != 6 {
		t.Errorf("max_age 5h30: %d lines, want 6", got)
	}
	if got := lines(serve(s, "GET", "/feeds/fair.txt").Body.String()); got != 4 {
		t.Errorf("per_source_limit 2 with two sources: %d lines, want 4", got)
	}
	if r := s.cache.entries[cacheKey{"all", formatText}]; r == nil || !r.validUntil.Equal(now.Add(-5*time.Hour).Add(5*time.Hour+30*time.Minute)) {
		t.Errorf("max_age render should expire when its oldest item ages out: %+v", r)
	}
}

// lines counts the headline lines of a text ticker ("HH:MM …"), not its day names.
func lines(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if len(l) > 5 && l[2] == ':' && l[0] >= '0' && l[0] <= '9' {
			n++
		}
	}
	return n
}

// Output categories fold case and accents (and Arabic spelling) as
// include/exclude do: "[economie]" matched nothing tagged "Économie".
func TestOutputCategoriesFold(t *testing.T) {
	tests := []struct {
		scenario string
		want     string // the output's category
		tagged   string // the item's category
		keep     bool
	}{
		{"unaccented config, accented tag", "economie", "Économie", true},
		{"accented config, upper-case tag", "Société", "SOCIETE", true},
		{"Arabic with the article and hamza", "الاقتصاد", "إقتصاد", true},
		{"a different category", "economie", "Sport", false},
		{"a category containing the word is not it", "sport", "Sport auto", false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			k := keep(&config.Output{Categories: []string{tt.want}})
			it := news.Item{Key: "x", Categories: []string{tt.tagged}}
			if got := k(&it); got != tt.keep {
				t.Errorf("categories %q keeps an item tagged %q: %v, want %v", tt.want, tt.tagged, got, tt.keep)
			}
		})
	}
}

// BenchmarkKeepCategory is a category output's filter deciding on items
// of the store's usual categories, as a render calls it once per item read.
func BenchmarkKeepCategory(b *testing.B) {
	k := keep(&config.Output{Categories: []string{"اقتصاد"}})
	items := []news.Item{{Categories: []string{"مجتمع"}}, {Categories: []string{"Économie"}}, {Categories: []string{"سياسة", "اقتصاد"}}}
	for i := 0; b.Loop(); i++ {
		k(&items[i%len(items)])
	}
}
