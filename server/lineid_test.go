package server

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// Three reports of one weather alert; MAP's is the earliest but arrives last.
var (
	alertHespress = news.Item{Key: "h", Source: "hespress", Language: "ar", Link: "https://www.hespress.com/2.html",
		Title: "عاجل.. نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة (و م ع)", Time: at("2026-04-14T14:50:00Z")}
	alertGoud = news.Item{Key: "g", Source: "goud", Language: "ar", Link: "https://www.goud.ma/3",
		Title: "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة - كود", Time: at("2026-04-14T15:10:00Z")}
	alertMAP = news.Item{Key: "m", Source: "mapnews", Language: "ar", Link: "https://www.mapnews.ma/ar/1",
		Title: "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", Time: at("2026-04-14T14:00:00Z")}
)

func storyTestServer(t *testing.T) (*Server, *archive.Archive) {
	t.Helper()
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: mapnews, title: MAP, url: "https://www.mapnews.ma/ar/rss.xml", language: ar}
  - {name: hespress, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
  - {name: goud, title: كود, url: "https://www.goud.ma/feed", language: ar}
outputs:
  - {name: all, title: نشرة}
  - {name: raw, title: كل شيء, stories: false}
`)
	store := testStore(t, archive.WithStories(story.NewMatcher(0, 0, nil)))
	return New(cfg, store, nil, nil), store
}

func poll(t *testing.T, store *archive.Archive, it news.Item) {
	t.Helper()
	if _, err := store.SavePoll(context.Background(), it.Source, archive.SourceState{}, []news.Item{it}); err != nil {
		t.Fatal(err)
	}
}

// lineIDs are the ids of an output's lines in each format, newest first:
// RSS guid, Atom id, JSON Feed id, and the HTML line's anchor.
func lineIDs(t *testing.T, s *Server, prefix string) map[string][]string {
	t.Helper()
	ids := map[string][]string{}
	var rss struct {
		Items []struct {
			GUID string `xml:"guid"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(serve(s, "GET", prefix+".rss").Body.Bytes(), &rss); err != nil {
		t.Fatal(err)
	}
	for _, it := range rss.Items {
		ids["rss"] = append(ids["rss"], it.GUID)
	}
	var atom struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(serve(s, "GET", prefix+".atom").Body.Bytes(), &atom); err != nil {
		t.Fatal(err)
	}
	for _, e := range atom.Entries {
		ids["atom"] = append(ids["atom"], e.ID)
	}
	var jf struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(serve(s, "GET", prefix+".json").Body.Bytes(), &jf); err != nil {
		t.Fatal(err)
	}
	for _, it := range jf.Items {
		ids["json"] = append(ids["json"], it.ID)
	}
	html := prefix
	if prefix == "/feed" {
		html = "/"
	}
	for _, m := range liID.FindAllStringSubmatch(serve(s, "GET", html).Body.String(), -1) {
		ids["html"] = append(ids["html"], m[1])
	}
	return ids
}

var liID = regexp.MustCompile(`<li id="([^"]*)"`)

// wantIDs is what lineIDs must find when the lines are made from keys.
func wantIDs(keys ...string) map[string][]string {
	want := map[string][]string{}
	for _, k := range keys {
		for _, f := range []string{"rss", "atom", "json"} {
			want[f] = append(want[f], "tag:nashra.test,2026:item/"+k)
		}
		want["html"] = append(want["html"], "item-"+k)
	}
	return want
}

func sameIDs(a, b map[string][]string) bool {
	for _, f := range []string{"rss", "atom", "json", "html"} {
		if !slices.Equal(a[f], b[f]) {
			return false
		}
	}
	return true
}

// A reader subscribed to the feed holds a story's line by its id: when an
// earlier report arrives, the line may move to it (link, title, time), but
// its id must not change in any format, or the reader shows the story twice.
func TestStoryLineKeepsOneIDForItsLife(t *testing.T) {
	for _, tc := range []struct {
		name string
		// steps: an item to poll, or "split:KEY"
		steps []any
		// the grouped output's line keys, and the ungrouped output's
		grouped, raw []string
		// link the grouped output's (single) story line shows, "" to skip
		link string
	}{
		{"a story's first report: the line is the item's own",
			[]any{alertHespress}, []string{"h"}, []string{"h"}, alertHespress.Link},
		{"an earlier report arrives after the line was published: same id, moved to the earlier report",
			[]any{alertHespress, alertMAP}, []string{"h"}, []string{"h", "m"}, alertMAP.Link},
		{"a later report joins: same id, still at the earliest",
			[]any{alertHespress, alertMAP, alertGoud}, []string{"h"}, []string{"g", "h", "m"}, alertMAP.Link},
		{"an editor splits a later report out: the story keeps its id, the report has its own",
			[]any{alertHespress, alertMAP, alertGoud, "split:g"}, []string{"g", "h"}, []string{"g", "h", "m"}, ""},
		{"an editor splits the founder out: it keeps its id, the rest is a new line under the next report's key",
			[]any{alertHespress, alertMAP, alertGoud, "split:h"}, []string{"h", "m"}, []string{"g", "h", "m"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, store := storyTestServer(t)
			for _, step := range tc.steps {
				switch st := step.(type) {
				case news.Item:
					poll(t, store, st)
				case string:
					if _, err := store.Split(strings.TrimPrefix(st, "split:")); err != nil {
						t.Fatal(err)
					}
				}
			}
			if got := lineIDs(t, s, "/feed"); !sameIDs(got, wantIDs(tc.grouped...)) {
				t.Errorf("grouped output ids:\n got %v\nwant %v", got, wantIDs(tc.grouped...))
			}
			if got := lineIDs(t, s, "/feeds/raw"); !sameIDs(got, wantIDs(tc.raw...)) {
				t.Errorf("ungrouped output ids:\n got %v\nwant %v", got, wantIDs(tc.raw...))
			}
			if tc.link != "" {
				var jf struct {
					Items []struct {
						URL string `json:"url"`
					} `json:"items"`
				}
				json.Unmarshal(serve(s, "GET", "/feed.json").Body.Bytes(), &jf)
				if len(jf.Items) != 1 || jf.Items[0].URL != tc.link {
					t.Errorf("story line links %v, want %s", jf.Items, tc.link)
				}
			}
		})
	}
}
