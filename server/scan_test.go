package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// The query carries the parts of an output's filter that an index answers,
// so that the read walks that index rather than every item; Keep stays the
// whole filter (an item in two indexes, or filtered by keywords too, is
// still checked).
func TestQueryNamesIndexes(t *testing.T) {
	tests := []struct {
		scenario string
		out      config.Output
		want     archive.Query // only the index and bound fields are compared
	}{
		{"unfiltered walks the time index", config.Output{}, archive.Query{}},
		{"a rare source walks that source's index", config.Output{Sources: []string{"rare"}},
			archive.Query{Sources: []string{"rare"}}},
		{"languages walk the language index", config.Output{Languages: []string{"fr", "en"}},
			archive.Query{Languages: []string{"fr", "en"}}},
		{"categories walk the category index", config.Output{Categories: []string{"Économie"}},
			archive.Query{Categories: []string{"Économie"}}},
		{"every indexed filter is passed on, the read picks one", config.Output{Sources: []string{"a"}, Languages: []string{"fr"}, Categories: []string{"sport"}},
			archive.Query{Sources: []string{"a"}, Languages: []string{"fr"}, Categories: []string{"sport"}}},
		{"keywords have no index: bounded by max_scan", config.Output{Include: []string{"zelij"}, MaxScan: 2500},
			archive.Query{MaxScan: 2500}},
		{"exclude_sources has no index", config.Output{ExcludeSources: []string{"a"}}, archive.Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			q := query(&tt.out, time.Now())
			got := archive.Query{Sources: q.Sources, Languages: q.Languages, Categories: q.Categories, MaxScan: q.MaxScan}
			if !slices.Equal(got.Sources, tt.want.Sources) || !slices.Equal(got.Languages, tt.want.Languages) ||
				!slices.Equal(got.Categories, tt.want.Categories) || got.MaxScan != tt.want.MaxScan {
				t.Errorf("query = %+v, want %+v", got, tt.want)
			}
			filtered := len(tt.out.Sources)+len(tt.out.Languages)+len(tt.out.Categories)+len(tt.out.Include)+len(tt.out.ExcludeSources) > 0
			if filtered && q.Keep == nil {
				t.Error("Keep must stay the whole filter")
			}
		})
	}
}

// config.DefaultMaxScan is the documented default of max_scan; it must be
// the bound the archive applies when none is given.
func TestDefaultMaxScanAgrees(t *testing.T) {
	if config.DefaultMaxScan != archive.DefaultMaxScan {
		t.Errorf("config.DefaultMaxScan %d, archive.DefaultMaxScan %d", config.DefaultMaxScan, archive.DefaultMaxScan)
	}
}

// rareStore holds 12,000 common items (Arabic, hespress-ar, "مجتمع") newer
// than a few rare ones: three of source rare-fr (French, "Économie", with the
// keyword "zelij") and one hespress-ar item that rare-fr also carried.
func rareStore(t *testing.T) *archive.Archive {
	t.Helper()
	store := testStore(t, archive.WithoutSync())
	now := time.Now().UTC().Truncate(time.Second)
	ctx := context.Background()
	var rare []news.Item
	for i := range 3 {
		at := now.Add(-time.Duration(200+i) * time.Hour)
		rare = append(rare, news.Item{Key: fmt.Sprintf("rare-%d", i), Source: "rare-fr", Language: "fr", Categories: []string{"Économie"},
			Link: fmt.Sprintf("https://rare.ma/%d", i), Title: fmt.Sprintf("Le zelij de Fès, épisode %d", i), Time: at, Changed: at})
	}
	if _, err := store.SavePoll(ctx, "rare-fr", archive.SourceState{}, rare); err != nil {
		t.Fatal(err)
	}
	carriedAt := now.Add(-199 * time.Hour)
	carried := news.Item{Key: "carried", Source: "hespress-ar", Language: "ar", Link: "https://www.hespress.com/carried.html",
		Title: "بنك المغرب يبقي على سعر الفائدة", Time: carriedAt, Changed: carriedAt}
	if _, err := store.SavePoll(ctx, "hespress-ar", archive.SourceState{}, []news.Item{carried}); err != nil {
		t.Fatal(err)
	}
	again := carried
	again.Key, again.Source = "carried-again", "rare-fr"
	if c, err := store.SavePoll(ctx, "rare-fr", archive.SourceState{}, []news.Item{again}); err != nil || c.AlsoIn != 1 {
		t.Fatalf("rare-fr carrying a hespress-ar item: %+v, %v", c, err)
	}
	const common = 12_000
	for lo := 0; lo < common; lo += 4000 {
		batch := make([]news.Item, 0, 4000)
		for i := lo; i < lo+4000; i++ {
			at := now.Add(-time.Duration(common-i) * 30 * time.Second)
			batch = append(batch, news.Item{Key: fmt.Sprintf("c%06d", i), Source: "hespress-ar", Language: "ar", Categories: []string{"مجتمع"},
				Link: fmt.Sprintf("https://www.hespress.com/%d.html", i), Title: fmt.Sprintf("خبر عادي رقم %d عن الطقس في المملكة", i),
				Time: at, Changed: at})
		}
		if _, err := store.SavePoll(ctx, "hespress-ar", archive.SourceState{}, batch); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

// An output that few items pass reads by index (source, language,
// category) and finds its items however many others are newer; a keyword
// output walks at most max_scan items and says so on every format; a
// common filter fills its limit and says nothing.
func TestRareFiltersReadByIndexOrSayTheyStopped(t *testing.T) {
	store := rareStore(t)
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: hespress-ar, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
  - {name: rare-fr, title: Rare, url: "https://rare.ma/feed", language: fr}
outputs:
  - {name: all, title: نشرة, stories: false}
  - {name: rare, title: Rare, sources: [rare-fr], stories: false}
  - {name: fr, title: FR, languages: [fr], stories: false}
  - {name: eco, title: Eco, categories: [economie], stories: false}
  - {name: zelij, title: Zelij, include: [zelij], stories: false}
  - {name: zelij-small, title: Zelij, include: [zelij], max_scan: 1000, stories: false}
  - {name: weather, title: الطقس, include: [الطقس], stories: false}
`)
	s := New(cfg, store, nil, nil)
	tests := []struct {
		scenario string
		output   string
		lines    int
		limited  string // the Nashra-Scan-Limit header ("": none)
	}{
		{"rare source, its own items and the one it also carried", "rare", 4, ""},
		{"rare language", "fr", 3, ""},
		{"rare category, folded", "eco", 3, ""},
		{"rare keyword stops at the default bound and says so", "zelij", 0, "reached; scanned=2000"},
		{"rare keyword with a smaller max_scan", "zelij-small", 0, "reached; scanned=1000"},
		{"common keyword fills its limit", "weather", 100, ""},
		{"unfiltered", "all", 100, ""},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			start := time.Now()
			for _, ext := range []string{".txt", ".rss", ".atom", ".json", ""} {
				for _, cached := range []string{"first", "cached"} {
					path := "/feeds/" + tt.output + ext
					switch {
					case tt.output != "all":
					case ext == "":
						path = "/"
					case ext == ".txt":
						path = "/ticker.txt"
					default:
						path = "/feed" + ext
					}
					rec := serve(s, "GET", path)
					if rec.Code != 200 {
						t.Fatalf("%s%s: %d", tt.output, ext, rec.Code)
					}
					if got := rec.Header().Get("Nashra-Scan-Limit"); got != tt.limited {
						t.Errorf("%s%s (%s): Nashra-Scan-Limit %q, want %q", tt.output, ext, cached, got, tt.limited)
					}
					if again := serve(s, "GET", path, "If-None-Match", rec.Header().Get("Etag")); again.Code != 304 ||
						again.Header().Get("Nashra-Scan-Limit") != tt.limited {
						t.Errorf("%s%s revalidated: %d, Nashra-Scan-Limit %q, want 304 and %q", tt.output, ext, again.Code, again.Header().Get("Nashra-Scan-Limit"), tt.limited)
					}
					body := rec.Body.String()
					if ext == ".txt" && lines(body) != tt.lines {
						t.Errorf("%s: %d lines, want %d", tt.output, lines(body), tt.lines)
					}
					if ext == "" {
						said := strings.Contains(body, "older items matching this filter were not searched")
						if said != (tt.limited != "") {
							t.Errorf("%s page says the search stopped: %v, want %v", tt.output, said, tt.limited != "")
						}
					}
				}
			}
			if rec := serve(s, "GET", "/feeds/"+tt.output+"/embed"); rec.Code != 200 || rec.Header().Get("Nashra-Scan-Limit") != tt.limited {
				t.Errorf("%s embed: %d, Nashra-Scan-Limit %q, want 200 and %q", tt.output, rec.Code, rec.Header().Get("Nashra-Scan-Limit"), tt.limited)
			}
			if d := time.Since(start); d > 10*time.Second && !raceEnabled {
				t.Errorf("%s: ten responses took %s", tt.output, d)
			}
		})
	}
}
